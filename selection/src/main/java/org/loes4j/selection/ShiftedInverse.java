package org.loes4j.selection;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.NotPositiveDefiniteException;
import org.loes4j.linalg.Transpose;
import org.loes4j.linalg.decomp.SymmetricEigen;
import org.loes4j.linalg.regression.Ridge;

/**
 * {@code (A0 + shift I)^-1} for a positive semi-definite A0 (a Gram matrix) and {@code shift > 0}, as a factor F
 * with {@code (A0 + shift I)^-1 = FT F}. Normally F = L^-1 from the Cholesky factor L. When A0 is rank deficient
 * at a scale where rounding exceeds the shift (a duplicated row or a collinear feature in embeddings of large
 * norm), Cholesky meets a non-positive pivot; the fallback is the eigen-decomposition {@code A0 = V E VT}
 * with the eigenvalues clamped at 0 (their true value for a PSD matrix), {@code F = (E + shift)^-1/2 VT}. The
 * authors' code (a general LU solve) never fails there; this keeps the run going with the best-posed answer.
 */
final class ShiftedInverse {
    private final Linalg linalg;
    private final DMatrix lower;
    private final DMatrix vectors;
    private final double[] invSqrt;

    private ShiftedInverse(Linalg linalg, DMatrix lower, DMatrix vectors, double[] invSqrt) {
        this.linalg = linalg;
        this.lower = lower;
        this.vectors = vectors;
        this.invSqrt = invSqrt;
    }

    /** Factors {@code a0 + shift I}; {@code a0} (square, symmetric) is not modified. */
    static ShiftedInverse of(Linalg linalg, DMatrix a0, double shift) {
        DMatrix a = a0.copy();
        Ridge.addDiagonal(a, shift);
        try {
            linalg.choleskyInPlace(a);
            return new ShiftedInverse(linalg, a, null, null);
        } catch (NotPositiveDefiniteException e) {
            SymmetricEigen eig = linalg.eigen(a0, true);
            double[] s = new double[a0.rows()];
            for (int i = 0; i < s.length; i++) {
                s[i] = 1.0 / Math.sqrt(Math.max(0.0, eig.values()[i]) + shift);
            }
            return new ShiftedInverse(linalg, null, eig.vectors(), s);
        }
    }

    /** True when the eigen-decomposition fallback is in use. */
    boolean isFallback() {
        return lower == null;
    }

    /** A new {@code F b}. */
    DMatrix apply(DMatrix b) {
        if (lower != null) {
            DMatrix x = b.copy();
            linalg.solveTriangular(Transpose.NO, lower, x);
            return x;
        }
        DMatrix x = linalg.multiply(Transpose.YES, vectors, Transpose.NO, b);
        scaleRows(x, invSqrt);
        return x;
    }

    /** A new {@code (A0 + shift I)^-1 b = FT F b}. */
    DMatrix solve(DMatrix b) {
        if (lower != null) {
            DMatrix x = b.copy();
            linalg.solveTriangular(Transpose.NO, lower, x);
            linalg.solveTriangular(Transpose.YES, lower, x);
            return x;
        }
        DMatrix y = apply(b);
        scaleRows(y, invSqrt);
        return linalg.multiply(vectors, y);
    }

    /** Factors through one {@link Linalg} and counts the eigen fallbacks, for the provenance of a run. */
    static final class Counting {
        private final Linalg linalg;
        private int fallbacks;

        Counting(Linalg linalg) {
            this.linalg = linalg;
        }

        /** {@link ShiftedInverse#of}, counting a fallback. */
        ShiftedInverse of(DMatrix a0, double shift) {
            ShiftedInverse f = ShiftedInverse.of(linalg, a0, shift);
            if (f.isFallback()) {
                fallbacks++;
            }
            return f;
        }

        int fallbacks() {
            return fallbacks;
        }
    }

    private static void scaleRows(DMatrix x, double[] s) {
        for (int i = 0; i < x.rows(); i++) {
            double v = s[i];
            for (int j = 0; j < x.cols(); j++) {
                x.set(i, j, x.get(i, j) * v);
            }
        }
    }
}
