package org.loes4j.linalg.io;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 *
 * <p>The whole file is allocated when the writer is created, by writing zeros over it: a store through a
 * mapping into a block the file system cannot allocate (disk full, quota) is a SIGBUS, which the JVM
 * reports as {@code InternalError: a fault occurred in an unsafe memory access operation}, with no file
 * named. Allocating first turns a full disk into an {@link IOException} from {@link Npy#create} that names
 * the file. A fault that still happens in a store (the file truncated by another process, a file system that
 * allocates lazily) is rethrown by this class's methods as an {@link IOException} (unchecked in the setters)
 * naming the target.
 */
public final class NpyWriter implements AutoCloseable {
    /**
     * Zeros written per call while allocating. 1 MiB: large enough that the system-call count does not matter
     * (1000 calls for a gigabyte), small enough to be a harmless direct buffer.
     */
    private static final int ALLOCATION_BLOCK = 1 << 20;

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
            try {
                writeFully(ch, ByteBuffer.wrap(header), 0);
                allocate(ch, header.length, total);
            } catch (IOException e) {
                throw new IOException(target + ": cannot write the " + total + "-byte array (disk full?): "
                        + e.getMessage(), e);
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

    /** Writes zeros over {@code [from, to)} of the file, so that every block of it is allocated now. */
    private static void allocate(FileChannel ch, long from, long to) throws IOException {
        if (to <= from) {
            return;
        }
        ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(ALLOCATION_BLOCK, to - from));
        for (long at = from; at < to; at += zeros.limit()) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), to - at));
            writeFully(ch, zeros, at);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long at = position;
        while (b.hasRemaining()) {
            at += ch.write(b, at);
        }
    }

    /** A fault in a store through the mapping, as an I/O error naming the target. */
    private IOException fault(InternalError e) {
        return new IOException(target + ": writing through the memory mapping failed (disk full or file truncated?): "
                + e.getMessage(), e);
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
        try {
            dtype.setDouble(data, index, v);
        } catch (InternalError e) {
            throw new UncheckedIOException(fault(e));
        }
    }

    /** Sets element {@code index} (flat, C order), converting to the file's dtype. */
    public void setLong(long index, long v) {
        checkOpen();
        checkIndex(index);
        try {
            dtype.setLong(data, index, v);
        } catch (InternalError e) {
            throw new UncheckedIOException(fault(e));
        }
    }

    /** Copies {@code values} into elements {@code [start, start + values.length)}. */
    public void set(long start, double[] values) {
        checkOpen();
        if (start < 0 || start + values.length > size) {
            throw new IllegalArgumentException("start: " + start + " + " + values.length + " values exceed " + size);
        }
        try {
            for (int i = 0; i < values.length; i++) {
                dtype.setDouble(data, start + i, values[i]);
            }
        } catch (InternalError e) {
            throw new UncheckedIOException(fault(e));
        }
    }

    /** Copies {@code values} into elements {@code [start, start + values.length)}. */
    public void set(long start, long[] values) {
        checkOpen();
        if (start < 0 || start + values.length > size) {
            throw new IllegalArgumentException("start: " + start + " + " + values.length + " values exceed " + size);
        }
        try {
            for (int i = 0; i < values.length; i++) {
                dtype.setLong(data, start + i, values[i]);
            }
        } catch (InternalError e) {
            throw new UncheckedIOException(fault(e));
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
        } catch (InternalError e) {
            IOException f = fault(e);
            discard(f);
            throw f;
        } catch (IOException | RuntimeException e) {
            discard(e);
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

    /** After a failed commit: unmaps and deletes the temporary file; what fails here is added to {@code failure}. */
    private void discard(Throwable failure) {
        try {
            if (arena.scope().isAlive()) {
                arena.close();
            }
            channel.close();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
