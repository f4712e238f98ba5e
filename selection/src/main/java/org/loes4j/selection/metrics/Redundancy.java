package org.loes4j.selection.metrics;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.Transpose;

/**
 * Redundancy of two layers on RAW (uncentred) features (spec section 1):
 * {@code ||XaT Xb||_F / (||Xa||_F ||Xb||_F)}, in [0, 1]; equivalently
 * {@code sqrt(<Ka, Kb>_F / (tr Ka tr Kb))} with {@code K = X XT}. The redundancy of a candidate against a
 * selected set is the maximum over the set.
 */
public final class Redundancy {
    private Redundancy() {
    }

    /** Redundancy of xa (N x da) and xb (N x db), from the da x db cross product. */
    public static double of(Linalg linalg, DMatrix xa, DMatrix xb) {
        if (xa.rows() != xb.rows()) {
            throw new IllegalArgumentException("xb: " + xb.rows() + " rows, xa has " + xa.rows());
        }
        double na = linalg.frobeniusNorm(xa);
        double nb = linalg.frobeniusNorm(xb);
        if (na == 0 || nb == 0) {
            return 0;
        }
        DMatrix cross = linalg.multiply(Transpose.YES, xa, Transpose.NO, xb);
        return linalg.frobeniusNorm(cross) / (na * nb);
    }

    /** {@code min(1, max(0, crossNorm / (normA normB)))}, 0 when a norm is 0 (an all-zero layer). */
    public static double ratio(double crossNorm, double normA, double normB) {
        if (normA == 0 || normB == 0) {
            return 0;
        }
        return Math.min(1.0, Math.max(0.0, crossNorm / (normA * normB)));
    }
}
