package org.loes4j.linalg.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * numpy {@code .npy} files (format 1.0, 2.0, 3.0; little-endian, C order): {@link #map} memory-maps one
 * read-only through FFM, {@link #create} writes one atomically through a mapping.
 */
public final class Npy {
    private Npy() {
    }

    /**
     * Memory-maps {@code file} read-only into a shared arena owned by the returned array.
     *
     * @throws NpyFormatException naming the file and the problem: missing, not a .npy (bad magic), malformed
     *                            or truncated header, unsupported dtype, big-endian, Fortran order, or data
     *                            shorter than the header's shape needs
     * @throws IOException        for other I/O failures
     */
    public static NpyArray map(Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file: null");
        }
        if (!Files.exists(file)) {
            throw new NpyFormatException(file, "file does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new NpyFormatException(file, "not a regular file");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            byte[] prefix = read(ch, (int) Math.min(fileSize, 12));
            int headerLength = NpyHeader.headerLength(file, prefix, fileSize);
            if (headerLength > fileSize) {
                throw new NpyFormatException(file, "truncated header: needs " + headerLength + " bytes, the file has "
                        + fileSize);
            }
            NpyHeader h = NpyHeader.parse(file, read(ch, headerLength));
            long needed;
            try {
                needed = Math.multiplyExact(h.elements(), (long) h.dtype().bytes());
            } catch (ArithmeticException e) {
                throw new NpyFormatException(file, "shape is too large");
            }
            long available = fileSize - h.dataOffset();
            if (available < needed) {
                throw new NpyFormatException(file, "truncated data: shape " + shapeString(h.shape()) + " of "
                        + h.dtype().descriptor() + " needs " + needed + " bytes after the header, the file has "
                        + available);
            }
            Arena arena = Arena.ofShared();
            try {
                MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, fileSize, arena);
                return new NpyArray(file, h.dtype(), h.shape(), arena, all.asSlice(h.dataOffset(), needed));
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
        }
    }

    private static byte[] read(FileChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b, b.position()) < 0) {
                break;
            }
        }
        if (b.hasRemaining()) {
            byte[] out = new byte[b.position()];
            b.flip();
            b.get(out);
            return out;
        }
        return b.array();
    }

    /**
     * Opens a writer for a new C-order array of the given dtype and shape at {@code file} (see
     * {@link NpyWriter}: nothing appears at {@code file} until {@link NpyWriter#commit()}).
     */
    public static NpyWriter create(Path file, NpyDType dtype, long... shape) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file: null");
        }
        if (dtype == null) {
            throw new IllegalArgumentException("dtype: null");
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("file: directory of " + file + " does not exist");
        }
        return new NpyWriter(file, dtype, shape);
    }

    /** Writes a 1-D int64 array. */
    public static void write(Path file, long[] values) throws IOException {
        try (NpyWriter w = create(file, NpyDType.INT64, values.length)) {
            w.set(0, values);
            w.commit();
        }
    }

    /** Writes a 1-D float64 array. */
    public static void write(Path file, double[] values) throws IOException {
        try (NpyWriter w = create(file, NpyDType.FLOAT64, values.length)) {
            w.set(0, values);
            w.commit();
        }
    }

    static String shapeString(long[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) {
                b.append(',');
            }
            if (i < shape.length - 1) {
                b.append(' ');
            }
        }
        return b.append(')').toString();
    }
}
