package org.loes4j.data;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Matrix;
import org.loes4j.linalg.Precision;
import org.loes4j.linalg.SegmentMatrix;
import org.loes4j.linalg.concurrent.LinalgExecutor;

/**
 * {@link LayeredEmbeddings} over one N x d_l {@link Matrix} per layer: heap float32/float64, or strided
 * views of a mapping (an (N, L, d) file gives L views of stride L d into one segment).
 */
final class MatrixLayers implements LayeredEmbeddings {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Rows per task of {@link #checkFinite()}: large enough that the executor hand-off is negligible. */
    static final int FINITE_ROWS_PER_TASK = 256;
    /** Values checked per copy by {@link #contiguousAllFinite}. */
    private static final int FINITE_BLOCK = 1 << 14;

    private final List<Matrix> layers;
    private final int[] indices;
    private final int rows;
    /** Every layer is a {@link SegmentMatrix}. */
    private final boolean mapped;

    MatrixLayers(List<? extends Matrix> layers, int[] indices) {
        if (layers == null || indices == null) {
            throw new IllegalArgumentException("layers, layerIndices: null");
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("layers: no layers given");
        }
        if (indices.length != layers.size()) {
            throw new IllegalArgumentException("layerIndices: " + indices.length + " entries for " + layers.size() + " layers");
        }
        int n = layers.getFirst().rows();
        boolean allMapped = true;
        for (int l = 0; l < layers.size(); l++) {
            Matrix m = layers.get(l);
            if (m == null) {
                throw new IllegalArgumentException("layers: layer position " + l + " is null");
            }
            if (m.rows() != n) {
                throw new IllegalArgumentException("layers: layer " + indices[l] + " has " + m.rows() + " rows, layer "
                        + indices[0] + " has " + n);
            }
            if (m.cols() < 1) {
                throw new IllegalArgumentException("layers: layer " + indices[l] + " has width 0");
            }
            allMapped &= m instanceof SegmentMatrix;
        }
        for (int a = 0; a < indices.length; a++) {
            if (indices[a] < 0) {
                throw new IllegalArgumentException("layerIndices: " + indices[a] + " is negative");
            }
            for (int b = a + 1; b < indices.length; b++) {
                if (indices[a] == indices[b]) {
                    throw new IllegalArgumentException("layerIndices: layer " + indices[a] + " appears twice");
                }
            }
        }
        this.layers = List.copyOf(layers);
        this.indices = indices.clone();
        this.rows = n;
        this.mapped = allMapped;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int layerCount() {
        return indices.length;
    }

    /** The matrix of layer position {@code position} (a view, not a copy). */
    Matrix matrix(int position) {
        return layers.get(position);
    }

    @Override
    public int width(int position) {
        return layers.get(position).cols();
    }

    @Override
    public int layerIndex(int position) {
        return indices[position];
    }

    /** A subset stays a {@code MatrixLayers}, so mapped subsets keep the fast finiteness scan. */
    @Override
    public LayeredEmbeddings layers(int[] positions) {
        if (positions == null || positions.length == 0) {
            throw new IllegalArgumentException("positions: at least one layer is needed");
        }
        java.util.List<Matrix> sub = new java.util.ArrayList<>(positions.length);
        int[] idx = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            int p = positions[i];
            if (p < 0 || p >= indices.length) {
                throw new IllegalArgumentException("positions: " + p + " outside [0, " + indices.length + ")");
            }
            sub.add(layers.get(p));
            idx[i] = indices[p];
        }
        return new MatrixLayers(sub, idx);
    }

    @Override
    public void gather(int position, int[] rowIds, int from, int count, DMatrix dst) {
        if (position < 0 || position >= indices.length) {
            throw new IllegalArgumentException("position: " + position + " is outside [0, " + indices.length + ")");
        }
        Matrix m = layers.get(position);
        int dim = m.cols();
        if (dst.rows() < count || dst.cols() != dim) {
            throw new IllegalArgumentException("dst: shape " + dst.shape() + ", needs at least " + count + " x " + dim);
        }
        double[] out = dst.data();
        switch (m) {
            case DMatrix d -> {
                for (int i = 0; i < count; i++) {
                    System.arraycopy(d.data(), d.index(rowIds[from + i], 0), out, dst.index(i, 0), dim);
                }
            }
            case FMatrix f -> {
                float[] src = f.data();
                for (int i = 0; i < count; i++) {
                    int s = f.index(rowIds[from + i], 0);
                    int o = dst.index(i, 0);
                    for (int j = 0; j < dim; j++) {
                        out[o + j] = src[s + j];
                    }
                }
            }
            case SegmentMatrix src -> {
                MemorySegment seg = src.segment();
                int bytes = src.precision().bytes();
                for (int i = 0; i < count; i++) {
                    long a = src.byteOffset() + (long) rowIds[from + i] * src.stride() * bytes;
                    int o = dst.index(i, 0);
                    if (src.precision() == Precision.FLOAT64) {
                        MemorySegment.copy(seg, F64, a, out, o, dim);
                    } else {
                        for (int j = 0; j < dim; j++) {
                            out[o + j] = seg.get(F32, a + 4L * j);
                        }
                    }
                }
            }
        }
    }

    /**
     * Checks every value (all rows) for finiteness. For mapped layers, rows are scanned in chunks spread over
     * the library's threads (for an (N, L, d) file a chunk of rows is one contiguous stretch of the file); a
     * value is non-finite when its exponent bits are all ones, tested on the raw bits with an integer
     * OR-reduction the JIT vectorises. The value reported is the first in (layer position, row, column)
     * order, whatever the thread count.
     */
    @Override
    public void checkFinite() {
        if (!mapped) {
            LayeredEmbeddings.super.checkFinite();
            return;
        }
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
        DMatrix row = load(l, new int[] {i});
        for (int j = 0; j < row.cols(); j++) {
            if (!Double.isFinite(row.get(0, j))) {
                throw new IllegalArgumentException("embeddings: " + row.get(0, j) + " at layer " + indices[l]
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
        Thread other = new Thread(() -> { });
        for (Matrix m : layers) {
            if (!((SegmentMatrix) m).segment().isAccessibleBy(other)) {
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
                SegmentMatrix src = (SegmentMatrix) layers.get(l);
                int dim = src.cols();
                long a = src.byteOffset() + (long) i * src.stride() * src.precision().bytes();
                boolean finite;
                if (src.precision() == Precision.FLOAT32) {
                    if (bits32 == null || bits32.length < dim) {
                        bits32 = new int[dim];
                    }
                    MemorySegment.copy(src.segment(), I32, a, bits32, 0, dim);
                    finite = allFinite(bits32, dim);
                } else {
                    if (bits64 == null || bits64.length < dim) {
                        bits64 = new long[dim];
                    }
                    MemorySegment.copy(src.segment(), I64, a, bits64, 0, dim);
                    finite = allFinite(bits64, dim);
                }
                if (!finite) {
                    first = at;
                }
            }
        }
        return first;
    }

    /**
     * True when the layers are the consecutive pieces of one record per row, in order, in one segment of one
     * precision: row i of every layer then lies in one contiguous stretch, and rows follow each other (an
     * (N, L, d) file with every layer selected).
     */
    private boolean contiguousRecords() {
        SegmentMatrix s0 = (SegmentMatrix) layers.getFirst();
        long bytes = s0.precision().bytes();
        if (s0.stride() != totalWidth()) {
            return false;
        }
        long offset = s0.byteOffset();
        for (int l = 0; l < indices.length; l++) {
            SegmentMatrix sl = (SegmentMatrix) layers.get(l);
            if (sl.segment() != s0.segment() || sl.precision() != s0.precision() || sl.stride() != s0.stride()
                    || sl.byteOffset() != offset) {
                return false;
            }
            offset += sl.cols() * bytes;
        }
        return true;
    }

    /**
     * For {@link #contiguousRecords()} stacks: true when every value of rows [r0, r1) of every layer is
     * finite, scanned as one stretch in blocks (far fewer calls than row by row: cold, before the JIT has
     * compiled the loop, per-call cost dominates). False says only that some value is not finite.
     */
    private boolean contiguousAllFinite(int r0, int r1) {
        SegmentMatrix s0 = (SegmentMatrix) layers.getFirst();
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
     * True when none of the first n float32 bit patterns has an all-ones exponent (Inf or NaN): with
     * {@code e = bits & 0x7f800000}, {@code e + 0x00800000} reaches the sign bit exactly when e is all ones.
     */
    static boolean allFinite(int[] bits, int n) {
        int acc = 0;
        for (int j = 0; j < n; j++) {
            acc |= (bits[j] & 0x7f800000) + 0x00800000;
        }
        return acc >= 0;
    }

    /** The float64 twin of {@link #allFinite(int[], int)}: exponent mask 0x7ff0..., carry 0x0010.... */
    static boolean allFinite(long[] bits, int n) {
        long acc = 0;
        for (int j = 0; j < n; j++) {
            acc |= (bits[j] & 0x7ff0000000000000L) + 0x0010000000000000L;
        }
        return acc >= 0;
    }
}
