package org.loes4j.linalg;

/**
 * Argument checks for the public boundary. Every message names the argument and the offending value;
 * kernels behind the boundary trust their inputs.
 */
public final class Checks {
    private Checks() {
    }

    public static void dims(String rowsName, int rows, String colsName, int cols) {
        if (rows < 0) {
            throw new IllegalArgumentException(rowsName + ": " + rows + " is negative");
        }
        if (cols < 0) {
            throw new IllegalArgumentException(colsName + ": " + cols + " is negative");
        }
    }

    static void storage(String name, int length, int offset, int rows, int cols, int stride) {
        if (length < 0) {
            throw new IllegalArgumentException(name + ": null");
        }
        dims("rows", rows, "cols", cols);
        if (stride < cols) {
            throw new IllegalArgumentException("stride: " + stride + " is smaller than cols " + cols);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset: " + offset + " is negative");
        }
        if (rows == 0 || cols == 0) {
            return; // an empty view touches no element, wherever it starts
        }
        long end = offset + (long) (rows - 1) * stride + cols;
        if (end > length) {
            throw new IllegalArgumentException(name + ": length " + length + " too short for " + rows + " x "
                    + cols + " with stride " + stride + " at offset " + offset);
        }
    }

    static void window(Matrix m, int r0, int c0, int nr, int nc) {
        if (r0 < 0 || c0 < 0 || nr < 0 || nc < 0 || r0 + nr > m.rows() || c0 + nc > m.cols()) {
            throw new IllegalArgumentException("view: window " + nr + " x " + nc + " at (" + r0 + ", " + c0
                    + ") is outside " + m.shape());
        }
    }

    /** Requires a and b to have identical shapes. */
    public static void sameShape(String aName, Matrix a, String bName, Matrix b) {
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw new IllegalArgumentException(aName + ": shape " + a.shape() + " differs from " + bName + " "
                    + b.shape());
        }
    }

    /** Requires a square matrix. */
    public static void square(String name, Matrix a) {
        if (a.rows() != a.cols()) {
            throw new IllegalArgumentException(name + ": must be square, is " + a.shape());
        }
    }

    /** Requires a dimension to equal an expected value. */
    public static void dimension(String what, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(what + ": is " + actual + ", expected " + expected);
        }
    }

    /** Requires every element to be finite; names the first bad element. */
    public static void finite(String name, Matrix m) {
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                double v = m.getDouble(i, j);
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(name + ": element (" + i + ", " + j + ") is " + v);
                }
            }
        }
    }

    /** Requires a finite scalar. */
    public static void finite(String name, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(name + ": " + v + " is not finite");
        }
    }

    /** Requires the two matrices not to share storage (outputs must not alias inputs). */
    public static void noAlias(String outName, Matrix out, String inName, Matrix in) {
        Object a = storageOf(out);
        if (a != null && a == storageOf(in)) {
            throw new IllegalArgumentException(outName + ": shares storage with " + inName);
        }
    }

    private static Object storageOf(Matrix m) {
        return switch (m) {
            case DMatrix d -> d.data();
            case FMatrix f -> f.data();
            case SegmentMatrix s -> null;
        };
    }
}
