package org.loes4j.selection.data;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Precision;
import org.loes4j.linalg.SegmentMatrix;
import org.loes4j.linalg.concurrent.LinalgExecutor;

/**
 * The candidate layers of one encoder: L matrices of N x d pooled vectors (same N and d), each a view
 * (typically a strided {@link SegmentMatrix} over a memory-mapped (N, L, d) file, or a heap matrix), with
 * the layer index each one has in the encoder. Selection code copies one layer (the calibration rows of
 * it) to the heap as float64 at a time with {@link #load}; the whole N x L x d array is never copied.
 */
public final class LayerStack {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final List<SegmentMatrix> segments;
    private final List<DMatrix> heap;
    private final int[] indices;
    private final int rows;
    private final int dim;

    private LayerStack(List<SegmentMatrix> segments, List<DMatrix> heap, int[] indices) {
        int count = segments != null ? segments.size() : heap.size();
        if (count == 0) {
            throw new IllegalArgumentException("layers: no layers given");
        }
        if (indices.length != count) {
            throw new IllegalArgumentException("indices: " + indices.length + " entries for " + count + " layers");
        }
        int n = -1;
        int d = -1;
        for (int l = 0; l < count; l++) {
            int r = segments != null ? segments.get(l).rows() : heap.get(l).rows();
            int c = segments != null ? segments.get(l).cols() : heap.get(l).cols();
            if (l == 0) {
                n = r;
                d = c;
            } else if (r != n || c != d) {
                throw new IllegalArgumentException("layers: layer " + indices[l] + " is " + r + " x " + c
                        + ", layer " + indices[0] + " is " + n + " x " + d);
            }
        }
        for (int a = 0; a < count; a++) {
            for (int b = a + 1; b < count; b++) {
                if (indices[a] == indices[b]) {
                    throw new IllegalArgumentException("indices: layer " + indices[a] + " appears twice");
                }
            }
        }
        this.segments = segments;
        this.heap = heap;
        this.indices = indices.clone();
        this.rows = n;
        this.dim = d;
    }

    /** Layers backed by off-heap views; {@code indices[l]} is the encoder layer of {@code views.get(l)}. */
    public static LayerStack ofSegments(List<SegmentMatrix> views, int[] indices) {
        return new LayerStack(List.copyOf(views), null, indices);
    }

    /** Layers backed by heap matrices (tests, small inputs), numbered 0..L-1. */
    public static LayerStack ofMatrices(List<DMatrix> layers) {
        int[] idx = new int[layers.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        return new LayerStack(null, List.copyOf(layers), idx);
    }

    /** Layers backed by heap matrices with the given encoder layer numbers. */
    public static LayerStack ofMatrices(List<DMatrix> layers, int[] indices) {
        return new LayerStack(null, List.copyOf(layers), indices);
    }

    /** The stack restricted to positions {@code positions} (in that order), keeping their layer numbers. */
    public LayerStack subset(int[] positions) {
        int[] idx = new int[positions.length];
        List<SegmentMatrix> s = segments != null ? new ArrayList<>() : null;
        List<DMatrix> h = heap != null ? new ArrayList<>() : null;
        for (int i = 0; i < positions.length; i++) {
            int p = positions[i];
            if (p < 0 || p >= indices.length) {
                throw new IllegalArgumentException("positions: " + p + " outside [0, " + indices.length + ")");
            }
            idx[i] = indices[p];
            if (s != null) {
                s.add(segments.get(p));
            } else {
                h.add(heap.get(p));
            }
        }
        return new LayerStack(s, h, idx);
    }

    /** Number of layers L in this stack. */
    public int layers() {
        return indices.length;
    }

    /** Number of rows N. */
    public int rows() {
        return rows;
    }

    /** Feature dimension d. */
    public int dim() {
        return dim;
    }

    /** The encoder layer number of position {@code l}. */
    public int layerIndex(int l) {
        return indices[l];
    }

    /** A copy of the encoder layer numbers, by position. */
    public int[] layerIndices() {
        return indices.clone();
    }

    /**
     * Copies rows {@code rowIds} of layer position {@code l} into a new contiguous {@code rowIds.length x d}
     * float64 matrix (float32 is widened exactly).
     */
    public DMatrix load(int l, int[] rowIds) {
        DMatrix out = DMatrix.zeros(rowIds.length, dim);
        loadInto(l, rowIds, out);
        return out;
    }

    /** Like {@link #load} but into {@code out} ({@code rowIds.length x d}, overwritten). */
    public void loadInto(int l, int[] rowIds, DMatrix out) {
        if (out.rows() != rowIds.length || out.cols() != dim) {
            throw new IllegalArgumentException("out: shape " + out.shape() + ", expected " + rowIds.length + " x " + dim);
        }
        double[] o = out.data();
        if (heap != null) {
            DMatrix src = heap.get(l);
            for (int i = 0; i < rowIds.length; i++) {
                System.arraycopy(src.data(), src.index(rowIds[i], 0), o, out.index(i, 0), dim);
            }
            return;
        }
        SegmentMatrix src = segments.get(l);
        MemorySegment seg = src.segment();
        int bytes = src.precision().bytes();
        for (int i = 0; i < rowIds.length; i++) {
            long a = src.byteOffset() + (long) rowIds[i] * src.stride() * bytes;
            int dst = out.index(i, 0);
            if (src.precision() == Precision.FLOAT64) {
                MemorySegment.copy(seg, F64, a, o, dst, dim);
            } else {
                for (int j = 0; j < dim; j++) {
                    o[dst + j] = seg.get(F32, a + 4L * j);
                }
            }
        }
    }

    /** Rows per task of {@link #checkFinite()}: large enough that the executor hand-off is negligible. */
    static final int FINITE_ROWS_PER_TASK = 256;

    /**
     * Checks that every value of every layer (all rows) is finite. Rows are scanned in chunks spread over
     * the library's threads (for an (N, L, d) file a chunk of rows is one contiguous stretch of the file);
     * a value is non-finite when its exponent bits are all ones, tested on the raw bits with an integer
     * OR-reduction the JIT vectorises. The value reported is the first in (layer position, row, column)
     * order, whatever the thread count.
     *
     * @throws IllegalArgumentException naming the first non-finite value: layer, row, column and value
     */
    public void checkFinite() {
        int tasks = (rows + FINITE_ROWS_PER_TASK - 1) / FINITE_ROWS_PER_TASK;
        // firstBad[t] = l * rows + i of the first non-finite row of task t, or Long.MAX_VALUE.
        long[] firstBad = new long[tasks];
        if (readableFromAnyThread()) {
            LinalgExecutor.parallelFor(tasks, t -> firstBad[t] = scanFinite(t * FINITE_ROWS_PER_TASK,
                    Math.min(rows, (t + 1) * FINITE_ROWS_PER_TASK)));
        } else {
            for (int t = 0; t < tasks; t++) {
                firstBad[t] = scanFinite(t * FINITE_ROWS_PER_TASK, Math.min(rows, (t + 1) * FINITE_ROWS_PER_TASK));
            }
        }
        long first = Long.MAX_VALUE;
        for (long f : firstBad) {
            first = Math.min(first, f);
        }
        if (first == Long.MAX_VALUE) {
            return;
        }
        int l = (int) (first / rows);
        int i = (int) (first % rows);
        double[] row = new double[dim];
        if (heap != null) {
            DMatrix m = heap.get(l);
            System.arraycopy(m.data(), m.index(i, 0), row, 0, dim);
        } else {
            readRow(segments.get(l), i, row);
        }
        for (int j = 0; j < dim; j++) {
            if (!Double.isFinite(row[j])) {
                throw new IllegalArgumentException("embeddings: " + row[j] + " at layer " + indices[l]
                        + ", row " + i + ", column " + j);
            }
        }
        throw new IllegalStateException("layer " + indices[l] + ", row " + i + " was flagged non-finite but reads finite");
    }

    /**
     * False when a layer lives in a thread-confined memory segment (an {@code Arena.ofConfined()} mapping),
     * which only the calling thread may read: then the scan stays on the calling thread.
     */
    private boolean readableFromAnyThread() {
        if (segments == null) {
            return true;
        }
        Thread other = new Thread(() -> { });
        for (SegmentMatrix m : segments) {
            if (!m.segment().isAccessibleBy(other)) {
                return false;
            }
        }
        return true;
    }

    /** {@code l * rows + i} of the first (by layer position, then row) non-finite row in rows [r0, r1), or MAX_VALUE. */
    private long scanFinite(int r0, int r1) {
        if (contiguousRecords() && contiguousAllFinite(r0, r1)) {
            return Long.MAX_VALUE;
        }
        long first = Long.MAX_VALUE;
        int[] bits32 = null;
        long[] bits64 = null;
        for (int i = r0; i < r1; i++) {
            for (int l = 0; l < indices.length; l++) {
                long at = (long) l * rows + i;
                if (at >= first) {
                    break;
                }
                boolean finite;
                if (heap != null) {
                    DMatrix m = heap.get(l);
                    finite = allFinite(m.data(), m.index(i, 0), dim);
                } else {
                    SegmentMatrix src = segments.get(l);
                    long a = src.byteOffset() + (long) i * src.stride() * src.precision().bytes();
                    if (src.precision() == Precision.FLOAT32) {
                        if (bits32 == null) {
                            bits32 = new int[dim];
                        }
                        MemorySegment.copy(src.segment(), I32, a, bits32, 0, dim);
                        finite = allFinite(bits32);
                    } else {
                        if (bits64 == null) {
                            bits64 = new long[dim];
                        }
                        MemorySegment.copy(src.segment(), I64, a, bits64, 0, dim);
                        finite = allFinite(bits64);
                    }
                }
                if (!finite) {
                    first = at;
                }
            }
        }
        return first;
    }

    /**
     * True when the layers are the consecutive d-wide pieces of one record per row, in order, in one
     * segment of one precision: row i of every layer then lies in one contiguous stretch, and rows follow
     * each other (an (N, L, d) file with every layer selected).
     */
    private boolean contiguousRecords() {
        if (segments == null) {
            return false;
        }
        SegmentMatrix s0 = segments.get(0);
        long bytes = s0.precision().bytes();
        if (s0.stride() != (long) indices.length * dim) {
            return false;
        }
        for (int l = 1; l < indices.length; l++) {
            SegmentMatrix sl = segments.get(l);
            if (sl.segment() != s0.segment() || sl.precision() != s0.precision() || sl.stride() != s0.stride()
                    || sl.byteOffset() != s0.byteOffset() + l * dim * bytes) {
                return false;
            }
        }
        return true;
    }

    /** Values checked per copy by {@link #contiguousAllFinite}. */
    private static final int FINITE_BLOCK = 1 << 14;

    /**
     * For {@link #contiguousRecords()} stacks: true when every value of rows [r0, r1) of every layer is
     * finite, scanned as one stretch in blocks (far fewer calls than row by row: cold, before the JIT has
     * compiled the loop, per-call cost dominates). False says only that some value is not finite.
     */
    private boolean contiguousAllFinite(int r0, int r1) {
        SegmentMatrix s0 = segments.get(0);
        long bytes = s0.precision().bytes();
        long from = s0.byteOffset() + (long) r0 * s0.stride() * bytes;
        long count = (long) (r1 - r0) * s0.stride();
        if (s0.precision() == Precision.FLOAT32) {
            int[] block = new int[(int) Math.min(FINITE_BLOCK, count)];
            for (long done = 0; done < count; done += block.length) {
                int n = (int) Math.min(block.length, count - done);
                MemorySegment.copy(s0.segment(), I32, from + 4 * done, block, 0, n);
                if (!allFinite(block, n)) {
                    return false;
                }
            }
        } else {
            long[] block = new long[(int) Math.min(FINITE_BLOCK, count)];
            for (long done = 0; done < count; done += block.length) {
                int n = (int) Math.min(block.length, count - done);
                MemorySegment.copy(s0.segment(), I64, from + 8 * done, block, 0, n);
                if (!allFinite(block, n)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * True when no float32 bit pattern has an all-ones exponent (Inf or NaN): with {@code e = bits & 0x7f800000},
     * {@code e + 0x00800000} reaches the sign bit exactly when e is all ones.
     */
    static boolean allFinite(int[] bits) {
        return allFinite(bits, bits.length);
    }

    /** {@link #allFinite(int[])} on the first n values. */
    static boolean allFinite(int[] bits, int n) {
        int acc = 0;
        for (int j = 0; j < n; j++) {
            acc |= (bits[j] & 0x7f800000) + 0x00800000;
        }
        return acc >= 0;
    }

    /** The float64 twin of {@link #allFinite(int[])}: exponent mask 0x7ff0..., carry 0x0010.... */
    static boolean allFinite(long[] bits) {
        return allFinite(bits, bits.length);
    }

    /** {@link #allFinite(long[])} on the first n values. */
    static boolean allFinite(long[] bits, int n) {
        long acc = 0;
        for (int j = 0; j < n; j++) {
            acc |= (bits[j] & 0x7ff0000000000000L) + 0x0010000000000000L;
        }
        return acc >= 0;
    }

    private static boolean allFinite(double[] x, int from, int n) {
        for (int j = from; j < from + n; j++) {
            if (!Double.isFinite(x[j])) {
                return false;
            }
        }
        return true;
    }

    private static void readRow(SegmentMatrix src, int i, double[] row) {
        MemorySegment seg = src.segment();
        long a = src.byteOffset() + (long) i * src.stride() * src.precision().bytes();
        if (src.precision() == Precision.FLOAT64) {
            MemorySegment.copy(seg, F64, a, row, 0, row.length);
        } else {
            for (int j = 0; j < row.length; j++) {
                row[j] = seg.get(F32, a + 4L * j);
            }
        }
    }
}
