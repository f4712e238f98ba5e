package org.loes4j.cli.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Builds small tar / tar.gz archives in memory for the tests (ustar headers written field by field). */
final class TestTarballs {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A regular file; names longer than 100 bytes get a pax {@code path} record first. */
    TestTarballs file(String name, byte[] content) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > 100) {
            String rec = " path=" + name + "\n";
            int len = rec.length() + 1;
            while (Integer.toString(len).length() + rec.length() != len) {
                len = Integer.toString(len).length() + rec.length();
            }
            byte[] pax = (len + rec).getBytes(StandardCharsets.UTF_8);
            member("PaxHeaders/x", 'x', pax);
            member(name.substring(0, 99), '0', content);
        } else {
            member(name, '0', content);
        }
        return this;
    }

    TestTarballs file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    /** A member with a GNU long-name record ('L') before it. */
    TestTarballs gnuLongName(String name, String content) {
        member("././@LongLink", 'L', (name + "\0").getBytes(StandardCharsets.UTF_8));
        member(name.substring(0, Math.min(99, name.length())), '0', content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    TestTarballs directory(String name) {
        member(name, '5', new byte[0]);
        return this;
    }

    /** A member whose stored checksum is off by one. */
    TestTarballs corruptHeader(String name) {
        byte[] h = header(name, '0', 0);
        h[148 + 5] = (byte) (h[148 + 5] == '0' ? '1' : '0');
        out.writeBytes(h);
        return this;
    }

    private void member(String name, char type, byte[] content) {
        out.writeBytes(header(name, type, content.length));
        out.writeBytes(content);
        int pad = (512 - content.length % 512) % 512;
        out.writeBytes(new byte[pad]);
    }

    private static byte[] header(String name, char type, long size) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, "00000000000");
        h[156] = (byte) type;
        put(h, 257, "ustar");
        put(h, 263, "00");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, b.length);
    }

    /** The archive with its two end blocks. */
    byte[] tar() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(out.toByteArray());
        o.writeBytes(new byte[1024]);
        return o.toByteArray();
    }

    /** The archive gzip-compressed. */
    byte[] tgz() throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(o)) {
            gz.write(tar());
        }
        return o.toByteArray();
    }
}
