package org.loes4j.linalg.decomp;

import org.loes4j.linalg.Checks;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.Transpose;

/**
 * A Cholesky factor {@code A = L LT} (L lower triangular, strict upper part zero) and the solves it
 * enables. Made by {@link Linalg#cholesky(DMatrix)}.
 */
public final class CholeskyFactor {
    private final Linalg linalg;
    private final DMatrix l;

    public CholeskyFactor(Linalg linalg, DMatrix l) {
        Checks.square("l", l);
        this.linalg = linalg;
        this.l = l;
    }

    /** The factor L (shared, not copied). */
    public DMatrix lower() {
        return l;
    }

    /** Solves {@code A X = B} in place in {@code b} (n x m). */
    public void solveInPlace(DMatrix b) {
        linalg.solveTriangular(Transpose.NO, l, b);
        linalg.solveTriangular(Transpose.YES, l, b);
    }

    /** A new X with {@code A X = B}. */
    public DMatrix solve(DMatrix b) {
        DMatrix x = b.copy();
        solveInPlace(x);
        return x;
    }

    /** {@code ln det A = 2 sum ln L_ii}. */
    public double logDeterminant() {
        double s = 0;
        for (int i = 0; i < l.rows(); i++) {
            s += Math.log(l.get(i, i));
        }
        return 2 * s;
    }
}
