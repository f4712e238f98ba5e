package org.loes4j.linalg.io;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The header of a {@code .npy} file (format versions 1.0, 2.0 and 3.0): magic {@code \x93NUMPY}, major and
 * minor version bytes, a little-endian header length (2 bytes in v1, 4 in v2/v3), then a Python dict
 * literal {@code {'descr': '<f4', 'fortran_order': False, 'shape': (N, L, d), }} padded with spaces and a
 * newline so that the data starts at a multiple of 64 bytes.
 *
 * @param dtype        element type
 * @param shape        the array shape (C order); {@code ()} is a scalar
 * @param dataOffset   byte offset of the first element in the file
 */
record NpyHeader(NpyDType dtype, long[] shape, long dataOffset) {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Alignment of the data start, as numpy writes it. */
    static final int ALIGNMENT = 64;
    /**
     * Longest header accepted. numpy writes a few hundred bytes for any array this reader supports (version 2
     * headers exist for structured dtypes with many fields, which are refused anyway) and itself refuses headers
     * over 10000 bytes by default; the bound keeps a corrupt length from becoming a gigabyte allocation.
     */
    static final int MAX_HEADER_BYTES = 1 << 20;

    /** Number of elements: the product of the shape. */
    long elements() {
        long n = 1;
        for (long s : shape) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    /**
     * Parses a header from the first bytes of {@code file}.
     *
     * @param head     at least the first min(fileSize, 10) bytes; more if the header is longer
     * @param fileSize the size of the file, to report truncated headers
     */
    static int headerLength(Path file, byte[] head, long fileSize) {
        if (head.length < 10) {
            throw new NpyFormatException(file, "not a .npy file (only " + fileSize + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[i] != MAGIC[i]) {
                throw new NpyFormatException(file, "not a .npy file (" + (looksLikeSafetensors(head, fileSize)
                        ? "it starts like a safetensors file: an 8-byte header length, then '{'"
                        : "bad magic, expected \\x93NUMPY") + ")");
            }
        }
        int major = head[6] & 0xFF;
        if (major == 1) {
            return 10 + ((head[8] & 0xFF) | (head[9] & 0xFF) << 8);
        }
        if (major == 2 || major == 3) {
            if (head.length < 12) {
                throw new NpyFormatException(file, "truncated header");
            }
            long len = (head[8] & 0xFFL) | (head[9] & 0xFFL) << 8 | (head[10] & 0xFFL) << 16 | (head[11] & 0xFFL) << 24;
            if (len > MAX_HEADER_BYTES) {
                throw new NpyFormatException(file, "not a .npy file, or a corrupt one (header length " + len
                        + " is implausible: at most " + MAX_HEADER_BYTES + " bytes are accepted; the file has "
                        + fileSize + ")");
            }
            return 12 + (int) len;
        }
        throw new NpyFormatException(file, "unsupported .npy format version " + major + "." + (head[7] & 0xFF));
    }

    /** True when {@code head} starts with a little-endian length that fits the file, followed by '{'. */
    private static boolean looksLikeSafetensors(byte[] head, long fileSize) {
        if (head.length < 9 || head[8] != '{') {
            return false;
        }
        long n = 0;
        for (int i = 7; i >= 0; i--) {
            n = n << 8 | (head[i] & 0xFFL);
        }
        return n >= 2 && n <= fileSize - 8;
    }

    /** Parses the full header ({@code head.length == headerLength}). */
    static NpyHeader parse(Path file, byte[] head) {
        int major = head[6] & 0xFF;
        int start = major == 1 ? 10 : 12;
        String dict = new String(head, start, head.length - start,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).strip();
        DictParser p = new DictParser(file, dict);
        String descr = null;
        Boolean fortran = null;
        long[] shape = null;
        p.expect('{');
        while (!p.peekIs('}')) {
            String key = p.string();
            p.expect(':');
            switch (key) {
                case "descr" -> {
                    if (p.peekIs('[')) {
                        throw new NpyFormatException(file, "unsupported dtype: structured arrays are not supported");
                    }
                    descr = p.string();
                }
                case "fortran_order" -> fortran = p.bool();
                case "shape" -> shape = p.tuple();
                default -> throw new NpyFormatException(file, "unexpected header key '" + key + "'");
            }
            if (!p.peekIs('}')) {
                p.expect(',');
            }
        }
        if (descr == null || fortran == null || shape == null) {
            throw new NpyFormatException(file, "header lacks " + (descr == null ? "'descr'"
                    : fortran == null ? "'fortran_order'" : "'shape'") + ": " + dict);
        }
        if (fortran) {
            throw new NpyFormatException(file, "Fortran-order (column-major) arrays are not supported; "
                    + "save a C-order array (numpy.ascontiguousarray)");
        }
        NpyDType dtype;
        try {
            dtype = NpyDType.ofDescriptor(descr);
        } catch (IllegalArgumentException e) {
            throw new NpyFormatException(file, e.getMessage());
        }
        return new NpyHeader(dtype, shape, head.length);
    }

    /** The header bytes for a C-order array, padded so the data starts at a multiple of 64. */
    static byte[] encode(NpyDType dtype, long[] shape) {
        StringBuilder s = new StringBuilder("{'descr': '").append(dtype.descriptor())
                .append("', 'fortran_order': False, 'shape': ").append(Npy.shapeString(shape)).append(", }");
        int dictLen = s.length() + 1;
        boolean v1 = 10 + dictLen + ALIGNMENT < 65536;
        int prefix = v1 ? 10 : 12;
        int total = (prefix + dictLen + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        while (s.length() + 1 + prefix < total) {
            s.append(' ');
        }
        s.append('\n');
        byte[] dict = s.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[prefix + dict.length];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[6] = (byte) (v1 ? 1 : 2);
        out[7] = 0;
        int len = dict.length;
        out[8] = (byte) len;
        out[9] = (byte) (len >>> 8);
        if (!v1) {
            out[10] = (byte) (len >>> 16);
            out[11] = (byte) (len >>> 24);
        }
        System.arraycopy(dict, 0, out, prefix, dict.length);
        return out;
    }

    /** A minimal reader for the Python literal subset numpy writes: strings, True/False, int tuples. */
    private static final class DictParser {
        private final Path file;
        private final String s;
        private int pos;

        DictParser(Path file, String s) {
            this.file = file;
            this.s = s;
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        boolean peekIs(char c) {
            skipSpace();
            if (pos >= s.length()) {
                throw fail("unexpected end");
            }
            return s.charAt(pos) == c;
        }

        void expect(char c) {
            if (!peekIs(c)) {
                throw fail("expected '" + c + "'");
            }
            pos++;
        }

        String string() {
            skipSpace();
            if (pos >= s.length() || (s.charAt(pos) != '\'' && s.charAt(pos) != '"')) {
                throw fail("expected a quoted string");
            }
            char q = s.charAt(pos++);
            int end = s.indexOf(q, pos);
            if (end < 0) {
                throw fail("unterminated string");
            }
            String v = s.substring(pos, end);
            pos = end + 1;
            return v;
        }

        boolean bool() {
            skipSpace();
            if (s.startsWith("True", pos)) {
                pos += 4;
                return true;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return false;
            }
            throw fail("expected True or False");
        }

        long[] tuple() {
            expect('(');
            List<Long> dims = new ArrayList<>();
            while (!peekIs(')')) {
                int start = pos;
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                    pos++;
                }
                if (start == pos) {
                    throw fail("expected a dimension");
                }
                try {
                    dims.add(Long.parseLong(s.substring(start, pos)));
                } catch (NumberFormatException e) {
                    throw fail("dimension too large");
                }
                if (!peekIs(')')) {
                    expect(',');
                }
            }
            pos++;
            long[] out = new long[dims.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = dims.get(i);
            }
            return out;
        }

        private NpyFormatException fail(String what) {
            return new NpyFormatException(file, "malformed header (" + what + " at offset " + pos + "): " + s);
        }
    }
}
