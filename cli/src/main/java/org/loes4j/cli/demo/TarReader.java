package org.loes4j.cli.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * Reads regular files out of a tar stream (POSIX ustar, with the pax {@code path} record and GNU long
 * names that npm and GNU tar may write). Only what a package tarball needs: no links, devices or sparse
 * files are materialised; their headers are checked and skipped.
 *
 * <p>Layout: a sequence of 512-byte blocks; each member is one header block (name 0..100, size 124..136 in
 * octal, checksum 148..156, type flag 156, magic "ustar" at 257, prefix 345..500) followed by its data padded
 * to a multiple of 512; two zero blocks end the archive. The header checksum is the byte sum of the header
 * with the checksum field read as eight spaces.
 */
public final class TarReader {
    private static final int BLOCK = 512;
    /** Members larger than this are refused: a package's data files are a few MB. */
    private static final long MAX_MEMBER_BYTES = 1L << 30;

    private TarReader() {
    }

    /** One regular file of the archive: its path (the pax or GNU long name when present) and contents. */
    public record Entry(String name, byte[] content) {
    }

    /** {@link #read} on a gzip-compressed tar stream ({@code .tgz}). */
    public static List<Entry> readGzip(InputStream tgz, Predicate<String> wanted) throws IOException {
        if (tgz == null || wanted == null) {
            throw new IllegalArgumentException("tgz, wanted: null");
        }
        return read(new GZIPInputStream(tgz, 1 << 16), wanted);
    }

    /**
     * Reads every regular file of the tar stream {@code tar} whose name {@code wanted} accepts, in archive
     * order; other members are skipped without being kept.
     *
     * @throws IOException on a truncated stream, a bad header checksum or a malformed size field, naming the
     *                     member
     */
    public static List<Entry> read(InputStream tar, Predicate<String> wanted) throws IOException {
        if (tar == null || wanted == null) {
            throw new IllegalArgumentException("tar, wanted: null");
        }
        List<Entry> out = new ArrayList<>();
        byte[] header = new byte[BLOCK];
        String longName = null;
        long offset = 0;
        while (true) {
            if (!readFully(tar, header)) {
                throw new IOException("tar: stream ends without the end-of-archive blocks (at byte " + offset + ")");
            }
            offset += BLOCK;
            if (isZero(header)) {
                return out;
            }
            String rawName = string(header, 0, 100);
            checkChecksum(header, rawName, offset - BLOCK);
            long size = number(header, 124, 12, rawName);
            if (size < 0 || size > MAX_MEMBER_BYTES) {
                throw new IOException("tar: member '" + rawName + "' has size " + size + " outside [0, "
                        + MAX_MEMBER_BYTES + "]");
            }
            char type = (char) header[156];
            String name = rawName;
            if (string(header, 257, 5).equals("ustar")) {
                String prefix = string(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + rawName;
                }
            }
            if (longName != null) {
                name = longName;
                longName = null;
            }
            switch (type) {
                case 'x' -> {
                    longName = paxPath(readBody(tar, size, name), name);
                }
                case 'L' -> {
                    byte[] b = readBody(tar, size, name);
                    int end = 0;
                    while (end < b.length && b[end] != 0) {
                        end++;
                    }
                    longName = new String(b, 0, end, StandardCharsets.UTF_8);
                }
                case '0', '\0', '7' -> {
                    if (wanted.test(name)) {
                        out.add(new Entry(name, readBody(tar, size, name)));
                    } else {
                        skipBody(tar, size, name);
                    }
                }
                default -> skipBody(tar, size, name);
            }
            offset += padded(size);
        }
    }

    /** The {@code path} record of a pax extended header ({@code "<len> path=<value>\n"} records), or null. */
    private static String paxPath(byte[] body, String member) throws IOException {
        int i = 0;
        while (i < body.length) {
            int sp = i;
            while (sp < body.length && body[sp] != ' ') {
                sp++;
            }
            int len;
            try {
                len = Integer.parseInt(new String(body, i, sp - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new IOException("tar: malformed pax record length in '" + member + "'", e);
            }
            if (len <= sp - i + 1 || i + len > body.length) {
                throw new IOException("tar: pax record of length " + len + " overruns '" + member + "'");
            }
            String record = new String(body, sp + 1, len - (sp - i) - 2, StandardCharsets.UTF_8);
            if (record.startsWith("path=")) {
                return record.substring("path=".length());
            }
            i += len;
        }
        return null;
    }

    private static void checkChecksum(byte[] h, String name, long at) throws IOException {
        long stored = number(h, 148, 8, name);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        }
        if (sum != stored) {
            throw new IOException("tar: header checksum mismatch for '" + name + "' at byte " + at + " (stored "
                    + stored + ", computed " + sum + ")");
        }
    }

    /** An octal field (NUL/space padded), or GNU base-256 when the high bit of the first byte is set. */
    private static long number(byte[] h, int off, int len, String name) throws IOException {
        if ((h[off] & 0x80) != 0) {
            long v = h[off] & 0x7f;
            for (int i = 1; i < len; i++) {
                v = (v << 8) | (h[off + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        boolean any = false;
        for (int i = off; i < off + len; i++) {
            int c = h[i];
            if (c == 0 || (c == ' ' && any)) {
                break;
            }
            if (c == ' ') {
                continue;
            }
            if (c < '0' || c > '7') {
                throw new IOException("tar: malformed octal field at header offset " + (off) + " of '" + name + "'");
            }
            v = (v << 3) | (c - '0');
            any = true;
        }
        return v;
    }

    private static String string(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static long padded(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static byte[] readBody(InputStream in, long size, String name) throws IOException {
        byte[] b = new byte[(int) size];
        if (!readFully(in, b)) {
            throw new IOException("tar: member '" + name + "' is truncated (" + size + " bytes declared)");
        }
        skipExactly(in, padded(size) - size, name);
        return b;
    }

    private static void skipBody(InputStream in, long size, String name) throws IOException {
        skipExactly(in, padded(size), name);
    }

    private static void skipExactly(InputStream in, long n, String name) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new IOException("tar: member '" + name + "' is truncated");
                }
                s = 1;
            }
            left -= s;
        }
    }

    /** Fills {@code b}; false if the stream ended before the first byte, an exception if it ended midway. */
    private static boolean readFully(InputStream in, byte[] b) throws IOException {
        int n = 0;
        while (n < b.length) {
            int r = in.read(b, n, b.length - n);
            if (r < 0) {
                if (n == 0) {
                    return false;
                }
                throw new IOException("tar: stream ends inside a block (" + n + " of " + b.length + " bytes)");
            }
            n += r;
        }
        return true;
    }
}
