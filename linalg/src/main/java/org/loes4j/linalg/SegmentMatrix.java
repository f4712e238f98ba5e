package org.loes4j.linalg;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A row-major matrix over off-heap memory (typically a memory-mapped file): element (i, j) lives at
 * byte {@code byteOffset + (i * stride + j) * precision.bytes()} of {@code segment}, little-endian.
 *
 * <p>A strided view is how one layer of an (N, L, d) embedding array is seen without copying: row
 * stride {@code L * d}, offset {@code l * d}. Kernels run on heap matrices; {@link #toDMatrix()} and
 * {@link #copyTo(DMatrix)} bring one view onto the heap at a time.
 */
public final class SegmentMatrix implements Matrix {
    private static final ValueLayout.OfFloat F32 =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment segment;
    private final long byteOffset;
    private final Precision precision;
    private final int rows;
    private final int cols;
    private final long stride;

    /**
     * @param stride elements between the starts of consecutive rows, {@code >= cols}
     * @throws IllegalArgumentException if the view would reach outside {@code segment}
     */
    public SegmentMatrix(MemorySegment segment, long byteOffset, Precision precision, int rows, int cols,
                         long stride) {
        Checks.dims("rows", rows, "cols", cols);
        if (stride < cols) {
            throw new IllegalArgumentException("stride: " + stride + " is smaller than cols " + cols);
        }
        if (byteOffset < 0) {
            throw new IllegalArgumentException("byteOffset: " + byteOffset + " is negative");
        }
        long lastByte = rows == 0 || cols == 0 ? byteOffset
                : byteOffset + (((long) (rows - 1)) * stride + cols) * precision.bytes();
        if (lastByte > segment.byteSize()) {
            throw new IllegalArgumentException("segment: " + segment.byteSize() + " bytes, view of " + rows
                    + " x " + cols + " (stride " + stride + ", offset " + byteOffset + ") needs " + lastByte);
        }
        this.segment = segment;
        this.byteOffset = byteOffset;
        this.precision = precision;
        this.rows = rows;
        this.cols = cols;
        this.stride = stride;
    }

    public MemorySegment segment() {
        return segment;
    }

    public long byteOffset() {
        return byteOffset;
    }

    public long stride() {
        return stride;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public Precision precision() {
        return precision;
    }

    private long address(int i, int j) {
        return byteOffset + ((long) i * stride + j) * precision.bytes();
    }

    @Override
    public double getDouble(int i, int j) {
        return precision == Precision.FLOAT32 ? segment.get(F32, address(i, j)) : segment.get(F64, address(i, j));
    }

    /** The sub-matrix nr x nc at (r0, c0), sharing memory. */
    public SegmentMatrix view(int r0, int c0, int nr, int nc) {
        Checks.window(this, r0, c0, nr, nc);
        return new SegmentMatrix(segment, address(r0, c0), precision, nr, nc, stride);
    }

    /** Copies (widening float32 exactly) into {@code dst}, which must have the same shape. */
    public void copyTo(DMatrix dst) {
        Checks.sameShape("dst", dst, "this", this);
        double[] out = dst.data();
        for (int i = 0; i < rows; i++) {
            int o = dst.index(i, 0);
            long a = address(i, 0);
            if (precision == Precision.FLOAT32) {
                for (int j = 0; j < cols; j++) {
                    out[o + j] = segment.get(F32, a + 4L * j);
                }
            } else {
                MemorySegment.copy(segment, F64, a, out, o, cols);
            }
        }
    }

    /** Copies (narrowing float64 to nearest) into {@code dst}, which must have the same shape. */
    public void copyTo(FMatrix dst) {
        Checks.sameShape("dst", dst, "this", this);
        float[] out = dst.data();
        for (int i = 0; i < rows; i++) {
            int o = dst.index(i, 0);
            long a = address(i, 0);
            if (precision == Precision.FLOAT32) {
                MemorySegment.copy(segment, F32, a, out, o, cols);
            } else {
                for (int j = 0; j < cols; j++) {
                    out[o + j] = (float) segment.get(F64, a + 8L * j);
                }
            }
        }
    }

    @Override
    public DMatrix toDMatrix() {
        DMatrix m = DMatrix.zeros(rows, cols);
        copyTo(m);
        return m;
    }

    /** A contiguous on-heap float32 copy. */
    public FMatrix toFMatrix() {
        FMatrix m = FMatrix.zeros(rows, cols);
        copyTo(m);
        return m;
    }

    @Override
    public String toString() {
        return "SegmentMatrix[" + shape() + ", " + precision + "]";
    }
}
