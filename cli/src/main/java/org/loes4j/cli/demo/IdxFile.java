package org.loes4j.cli.demo;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * An IDX file of unsigned bytes (the format of MNIST and Fashion-MNIST): a big-endian header
 * {@code 0x00 0x00 0x08 rank}, then {@code rank} 32-bit dimensions, then the values in row-major order.
 * Rank 1 holds labels, rank 3 images ({@code count x rows x cols}). Files ending in {@code .gz} are gunzipped
 * on the fly.
 *
 * @param dims   the dimensions, e.g. {@code [60000, 28, 28]}
 * @param values every value, 0..255 as stored (read with {@code & 0xff})
 */
public record IdxFile(int[] dims, byte[] values) {
    /** The type code of unsigned bytes, the third header byte. */
    static final int UNSIGNED_BYTE = 0x08;
    /** Larger files are refused rather than half-read into memory. */
    private static final long MAX_VALUES = 1L << 30;

    public IdxFile {
        dims = dims.clone();
    }

    /** Reads {@code file} (gzipped if its name ends in {@code .gz}). */
    public static IdxFile read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16)
                    : new BufferedInputStream(raw, 1 << 16);
            return read(in, file.toString());
        }
    }

    /**
     * Reads one IDX file from {@code in}; {@code name} is used in messages.
     *
     * @throws IOException when the header is not an unsigned-byte IDX header or the data ends early
     */
    public static IdxFile read(InputStream in, String name) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] magic = new byte[4];
        if (d.readNBytes(magic, 0, 4) != 4) {
            throw new IOException(name + ": shorter than an IDX header");
        }
        if (magic[0] != 0 || magic[1] != 0 || magic[2] != UNSIGNED_BYTE || magic[3] < 1 || magic[3] > 4) {
            throw new IOException(name + ": not an unsigned-byte IDX file (header " + Arrays.toString(magic) + ")");
        }
        int[] dims = new int[magic[3]];
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = d.readInt();
            if (dims[i] < 0) {
                throw new IOException(name + ": dimension " + i + " is " + dims[i]);
            }
            n *= dims[i];
            if (n > MAX_VALUES) {
                throw new IOException(name + ": " + Arrays.toString(dims) + " is larger than " + MAX_VALUES + " values");
            }
        }
        byte[] values = d.readNBytes((int) n);
        if (values.length != n) {
            throw new IOException(name + ": ends after " + values.length + " of " + n + " values");
        }
        return new IdxFile(dims, values);
    }

    /** The value at flat index {@code i}, 0..255. */
    public int value(long i) {
        return values[(int) i] & 0xff;
    }
}
