package org.loes4j.linalg;

/**
 * A Cholesky factorisation met a pivot that is not positive: the matrix is not (numerically) symmetric
 * positive definite. {@link #pivot()} is the zero-based row/column where it happened.
 */
public final class NotPositiveDefiniteException extends ArithmeticException {
    private final int pivot;
    private final double value;

    public NotPositiveDefiniteException(int pivot, double value) {
        super("matrix is not positive definite: pivot " + pivot + " is " + value
                + " (Cholesky needs every pivot > 0; add a ridge term or check the input)");
        this.pivot = pivot;
        this.value = value;
    }

    /** Zero-based index of the failing pivot. */
    public int pivot() {
        return pivot;
    }

    /** The value the pivot had before its square root. */
    public double value() {
        return value;
    }
}
