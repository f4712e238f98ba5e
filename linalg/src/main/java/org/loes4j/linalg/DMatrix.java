package org.loes4j.linalg;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A float64 row-major matrix over an on-heap {@code double[]}: element (i, j) is
 * {@code data[offset + i * stride + j]}, with {@code stride >= cols}. Instances are views: {@link #view}
 * shares storage; {@link #copy} does not.
 */
public final class DMatrix implements Matrix {
    private final double[] data;
    private final int offset;
    private final int rows;
    private final int cols;
    private final int stride;

    /** Wraps {@code data} as a view; checks that every element lies inside the array. */
    public DMatrix(double[] data, int offset, int rows, int cols, int stride) {
        Checks.storage("data", data == null ? -1 : data.length, offset, rows, cols, stride);
        this.data = data;
        this.offset = offset;
        this.rows = rows;
        this.cols = cols;
        this.stride = stride;
    }

    /** A contiguous rows x cols matrix of zeros. */
    public static DMatrix zeros(int rows, int cols) {
        Checks.dims("rows", rows, "cols", cols);
        return new DMatrix(new double[Math.multiplyExact(rows, cols)], 0, rows, cols, cols);
    }

    /** Wraps a contiguous row-major array of exactly rows * cols elements (no copy). */
    public static DMatrix wrap(double[] data, int rows, int cols) {
        Checks.dims("rows", rows, "cols", cols);
        if (data == null || data.length != (long) rows * cols) {
            throw new IllegalArgumentException("data: length " + (data == null ? "null" : data.length)
                    + " does not match " + rows + " x " + cols);
        }
        return new DMatrix(data, 0, rows, cols, cols);
    }

    /** Copies a rectangular {@code double[][]} (rows of equal length). */
    public static DMatrix of(double[][] values) {
        int rows = values.length;
        int cols = rows == 0 ? 0 : values[0].length;
        DMatrix m = zeros(rows, cols);
        for (int i = 0; i < rows; i++) {
            if (values[i].length != cols) {
                throw new IllegalArgumentException("values: row " + i + " has " + values[i].length
                        + " entries, row 0 has " + cols);
            }
            System.arraycopy(values[i], 0, m.data, i * cols, cols);
        }
        return m;
    }

    /** The n x n identity. */
    public static DMatrix identity(int n) {
        DMatrix m = zeros(n, n);
        for (int i = 0; i < n; i++) {
            m.data[i * n + i] = 1.0;
        }
        return m;
    }

    /** Entries drawn uniformly from [-1, 1) with the given generator. */
    public static DMatrix random(int rows, int cols, SplittableRandom rng) {
        DMatrix m = zeros(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = rng.nextDouble(-1.0, 1.0);
        }
        return m;
    }

    public double[] data() {
        return data;
    }

    public int offset() {
        return offset;
    }

    public int stride() {
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
        return Precision.FLOAT64;
    }

    /** Index of element (i, j) in {@link #data()}. */
    public int index(int i, int j) {
        return offset + i * stride + j;
    }

    public double get(int i, int j) {
        return data[offset + i * stride + j];
    }

    public void set(int i, int j, double v) {
        data[offset + i * stride + j] = v;
    }

    @Override
    public double getDouble(int i, int j) {
        return get(i, j);
    }

    /** True when rows follow each other without gaps ({@code stride == cols}). */
    public boolean isContiguous() {
        return stride == cols || rows <= 1;
    }

    /** The sub-matrix of nr x nc starting at (r0, c0), sharing storage. */
    public DMatrix view(int r0, int c0, int nr, int nc) {
        Checks.window(this, r0, c0, nr, nc);
        return new DMatrix(data, offset + r0 * stride + c0, nr, nc, stride);
    }

    /** Row i as a 1 x cols view. */
    public DMatrix row(int i) {
        return view(i, 0, 1, cols);
    }

    /** A contiguous copy. */
    public DMatrix copy() {
        DMatrix m = zeros(rows, cols);
        for (int i = 0; i < rows; i++) {
            System.arraycopy(data, offset + i * stride, m.data, i * cols, cols);
        }
        return m;
    }

    @Override
    public DMatrix toDMatrix() {
        return copy();
    }

    /** A contiguous float32 copy (rounded to nearest). */
    public FMatrix toFMatrix() {
        FMatrix m = FMatrix.zeros(rows, cols);
        float[] out = m.data();
        for (int i = 0; i < rows; i++) {
            int src = offset + i * stride;
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = (float) data[src + j];
            }
        }
        return m;
    }

    /** A contiguous copy of the transpose. */
    public DMatrix transposeCopy() {
        DMatrix m = zeros(cols, rows);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m.data[j * rows + i] = data[offset + i * stride + j];
            }
        }
        return m;
    }

    /** Copies {@code src} (same shape) into this matrix. */
    public void copyFrom(DMatrix src) {
        Checks.sameShape("src", src, "this", this);
        for (int i = 0; i < rows; i++) {
            System.arraycopy(src.data, src.offset + i * src.stride, data, offset + i * stride, cols);
        }
    }

    /** Sets every element to v. */
    public void fill(double v) {
        for (int i = 0; i < rows; i++) {
            int o = offset + i * stride;
            Arrays.fill(data, o, o + cols, v);
        }
    }

    /** A {@code double[][]} copy, for tests and messages. */
    public double[][] toArray() {
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(data, offset + i * stride, out[i], 0, cols);
        }
        return out;
    }

    @Override
    public String toString() {
        return "DMatrix[" + shape() + "]";
    }
}
