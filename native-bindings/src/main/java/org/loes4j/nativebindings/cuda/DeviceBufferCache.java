package org.loes4j.nativebindings.cuda;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;

/**
 * Device-resident copies of read-only operands, so that a matrix used again (a Gram block reused across
 * LOES steps, the same weights against many batches) does not cross PCIe each time.
 *
 * <p><b>Key.</b> The identity of the heap array behind a matrix view (held weakly: a collected array
 * frees its device copy) plus the view's geometry (offset, rows, cols, stride). Heap arrays can be written
 * at any time without the cache knowing, so identity alone would be unsound.
 *
 * <p><b>Validation.</b> Every lookup hashes the view's contents on the host (64-bit, over the raw element
 * bits, one pass) and reuses the device copy only if the hash matches the one recorded at upload. A hit
 * costs one host read of the matrix instead of a staging copy, a PCIe transfer and a device allocation; a
 * changed matrix is re-uploaded. The only false hit is a 64-bit hash collision between two contents of the
 * same array.
 *
 * <p><b>Capacity.</b> Least-recently-used entries are freed once the resident bytes exceed the capacity,
 * except entries pinned by an open {@link Lease}: an operation leases all its operands first, so one
 * operand's upload never evicts another it is about to use (the cache may exceed its capacity for the
 * duration of such an operation). Thread-safe; each method holds the cache's lock.
 */
final class DeviceBufferCache implements AutoCloseable {
    private final DeviceMemory memory;
    private final long capacityBytes;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    private long residentBytes;
    private long hits;
    private long uploads;
    private long evictions;

    DeviceBufferCache(DeviceMemory memory, long capacityBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("capacityBytes: " + capacityBytes + " is negative");
        }
        this.memory = memory;
        this.capacityBytes = capacityBytes;
    }

    /** A device copy of {@code m} (contiguous, row-major, rows x cols), pinned until the lease is closed. */
    synchronized Lease lease(DMatrix m) {
        return lease(m.data(), m.offset(), m.rows(), m.cols(), m.stride(), Double.BYTES, hash(m), m);
    }

    /** Float32 twin of {@link #lease(DMatrix)}. */
    synchronized Lease lease(FMatrix m) {
        return lease(m.data(), m.offset(), m.rows(), m.cols(), m.stride(), Float.BYTES, hash(m), m);
    }

    private Lease lease(Object array, int offset, int rows, int cols, int stride, int elementBytes, long hash,
                        Object matrix) {
        purgeCollected();
        Key key = new Key(array, offset, rows, cols, stride, collected);
        Entry e = entries.get(key);
        if (e != null && e.hash == hash) {
            hits++;
        } else {
            if (e != null) {
                if (e.pins > 0) {
                    throw new IllegalStateException("matrix changed while its device copy is in use");
                }
                remove(key, e);
            }
            long bytes = Math.max(1L, (long) rows * cols * elementBytes);
            makeRoom(bytes);
            long address = memory.allocate(bytes);
            try (Arena arena = Arena.ofConfined()) {
                memory.upload(stage(arena, matrix, bytes), address);
            } catch (RuntimeException ex) {
                memory.free(address);
                throw ex;
            }
            e = new Entry(address, bytes, hash);
            entries.put(key, e);
            residentBytes += bytes;
            uploads++;
        }
        e.pins++;
        return new Lease(this, e);
    }

    private static MemorySegment stage(Arena arena, Object matrix, long bytes) {
        MemorySegment s = arena.allocate(bytes);
        if (matrix instanceof DMatrix d) {
            for (int i = 0; i < d.rows(); i++) {
                MemorySegment.copy(d.data(), d.index(i, 0), s, JAVA_DOUBLE, (long) i * d.cols() * Double.BYTES, d.cols());
            }
        } else {
            FMatrix f = (FMatrix) matrix;
            for (int i = 0; i < f.rows(); i++) {
                MemorySegment.copy(f.data(), f.index(i, 0), s, JAVA_FLOAT, (long) i * f.cols() * Float.BYTES, f.cols());
            }
        }
        return s;
    }

    private void makeRoom(long incoming) {
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        while (residentBytes + incoming > capacityBytes && it.hasNext()) {
            Map.Entry<Key, Entry> lru = it.next();
            Entry e = lru.getValue();
            if (e.pins == 0) {
                it.remove();
                memory.free(e.address);
                residentBytes -= e.bytes;
                evictions++;
            }
        }
    }

    private void remove(Key key, Entry e) {
        entries.remove(key);
        memory.free(e.address);
        residentBytes -= e.bytes;
        evictions++;
    }

    private void purgeCollected() {
        Object ref;
        while ((ref = collected.poll()) != null) {
            Key k = (Key) ref;
            Entry e = entries.get(k);
            if (e != null && e.pins == 0) {
                remove(k, e);
            }
        }
    }

    private synchronized void release(Entry e) {
        e.pins--;
    }

    /** Frees every device copy; leases must all be closed. */
    @Override
    public synchronized void close() {
        for (Entry e : entries.values()) {
            memory.free(e.address);
        }
        entries.clear();
        residentBytes = 0;
    }

    synchronized long residentBytes() {
        return residentBytes;
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized long hits() {
        return hits;
    }

    synchronized long uploads() {
        return uploads;
    }

    synchronized long evictions() {
        return evictions;
    }

    /** 64-bit content hash of a view: a multiply-xorshift mix of each element's raw bits, row by row. */
    static long hash(DMatrix m) {
        long h = 0x9E3779B97F4A7C15L ^ ((long) m.rows() << 32 | m.cols());
        double[] d = m.data();
        for (int i = 0; i < m.rows(); i++) {
            int o = m.index(i, 0);
            for (int j = 0; j < m.cols(); j++) {
                h = mix(h ^ Double.doubleToRawLongBits(d[o + j]));
            }
        }
        return h;
    }

    static long hash(FMatrix m) {
        long h = 0xC2B2AE3D27D4EB4FL ^ ((long) m.rows() << 32 | m.cols());
        float[] d = m.data();
        for (int i = 0; i < m.rows(); i++) {
            int o = m.index(i, 0);
            for (int j = 0; j < m.cols(); j++) {
                h = mix(h ^ Float.floatToRawIntBits(d[o + j]));
            }
        }
        return h;
    }

    private static long mix(long x) {
        x *= 0xBF58476D1CE4E5B9L;
        x ^= x >>> 31;
        x *= 0x94D049BB133111EBL;
        return x ^ (x >>> 29);
    }

    /** A pinned device copy; {@link #address()} stays valid until {@link #close()}. */
    static final class Lease implements AutoCloseable {
        private final DeviceBufferCache cache;
        private final Entry entry;
        private boolean closed;

        private Lease(DeviceBufferCache cache, Entry entry) {
            this.cache = cache;
            this.entry = entry;
        }

        long address() {
            if (closed) {
                throw new IllegalStateException("lease closed");
            }
            return entry.address;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                cache.release(entry);
            }
        }
    }

    private static final class Entry {
        final long address;
        final long bytes;
        final long hash;
        int pins;

        Entry(long address, long bytes, long hash) {
            this.address = address;
            this.bytes = bytes;
            this.hash = hash;
        }
    }

    /** Weak identity of the backing array plus the view geometry. */
    private static final class Key extends WeakReference<Object> {
        private final int identity;
        private final int offset;
        private final int rows;
        private final int cols;
        private final int stride;

        Key(Object array, int offset, int rows, int cols, int stride, ReferenceQueue<Object> queue) {
            super(array, queue);
            this.identity = System.identityHashCode(array);
            this.offset = offset;
            this.rows = rows;
            this.cols = cols;
            this.stride = stride;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            if (!(o instanceof Key k)) {
                return false;
            }
            Object mine = get();
            return mine != null && mine == k.get() && offset == k.offset && rows == k.rows && cols == k.cols
                    && stride == k.stride;
        }

        @Override
        public int hashCode() {
            return ((identity * 31 + offset) * 31 + rows) * 31 + cols * 7 + stride;
        }
    }
}
