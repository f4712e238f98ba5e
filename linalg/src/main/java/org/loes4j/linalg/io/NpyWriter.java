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
 * Writes a C-order {@code .npy} array through a read-write memory mapping of a temporary file in the
 * target's directory. {@link #commit()} flushes the mapping and atomically moves the file into place;
 * {@link #close()} without a commit deletes the temporary file, so a failure inside
 * {@code try (var w = Npy.create(...)) { ...; w.commit(); }} never leaves a partial file behind.
 */
public final class NpyWriter implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final NpyDType dtype;
    private final long[] shape;
    private final long size;
    private final Arena arena;
    private final FileChannel channel;
    private final MemorySegment data;
    private boolean done;

    NpyWriter(Path target, NpyDType dtype, long[] shape) throws IOException {
        this.target = target;
        this.dtype = dtype;
        this.shape = shape.clone();
        long n = 1;
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("shape: negative dimension " + s);
            }
            n = Math.multiplyExact(n, s);
        }
        this.size = n;
        this.temp = AtomicFile.temporaryBeside(target);
        Arena a = null;
        FileChannel ch = null;
        try {
            byte[] header = NpyHeader.encode(dtype, shape);
            long total = header.length + Math.multiplyExact(n, (long) dtype.bytes());
            ch = FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.WRITE);
            ch.write(ByteBuffer.wrap(header), 0);
            if (total > header.length) {
                ch.write(ByteBuffer.wrap(new byte[1]), total - 1);
            }
            a = Arena.ofShared();
            MemorySegment mapped = ch.map(FileChannel.MapMode.READ_WRITE, 0, total, a);
            this.data = mapped.asSlice(header.length);
        } catch (IOException | RuntimeException e) {
            if (a != null) {
                a.close();
            }
            if (ch != null) {
                ch.close();
            }
            Files.deleteIfExists(temp);
            throw e;
        }
        this.arena = a;
        this.channel = ch;
    }

    /** The file this writer publishes on {@link #commit()}. */
    public Path target() {
        return target;
    }

    public NpyDType dtype() {
        return dtype;
    }

    /** A copy of the shape. */
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public long size() {
        return size;
    }

    /** The writable element bytes (little-endian, C order). */
    public MemorySegment data() {
        checkOpen();
        return data;
    }

    private void checkOpen() {
        if (done) {
            throw new IllegalStateException("writer for " + target + " is already committed or closed");
        }
    }

    private void checkIndex(long index) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("index: " + index + " outside [0, " + size + ")");
        }
    }

    /** Sets element {@code index} (flat, C order), converting to the file's dtype. */
    public void setDouble(long index, double v) {
        checkOpen();
        checkIndex(index);
        dtype.setDouble(data, index, v);
    }

    /** Sets element {@code index} (flat, C order), converting to the file's dtype. */
    public void setLong(long index, long v) {
        checkOpen();
        checkIndex(index);
        dtype.setLong(data, index, v);
    }

    /** Copies {@code values} into elements {@code [start, start + values.length)}. */
    public void set(long start, double[] values) {
        checkOpen();
        if (start < 0 || start + values.length > size) {
            throw new IllegalArgumentException("start: " + start + " + " + values.length + " values exceed " + size);
        }
        for (int i = 0; i < values.length; i++) {
            dtype.setDouble(data, start + i, values[i]);
        }
    }

    /** Copies {@code values} into elements {@code [start, start + values.length)}. */
    public void set(long start, long[] values) {
        checkOpen();
        if (start < 0 || start + values.length > size) {
            throw new IllegalArgumentException("start: " + start + " + " + values.length + " values exceed " + size);
        }
        for (int i = 0; i < values.length; i++) {
            dtype.setLong(data, start + i, values[i]);
        }
    }

    /** Flushes the mapping and atomically moves the finished file to {@link #target()} (replacing it). */
    public void commit() throws IOException {
        checkOpen();
        done = true;
        try {
            data.force();
            arena.close();
            channel.close();
            AtomicFile.publish(temp, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** Discards the temporary file unless {@link #commit()} succeeded. Idempotent. */
    @Override
    public void close() throws IOException {
        if (done) {
            return;
        }
        done = true;
        try {
            arena.close();
            channel.close();
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
