package org.loes4j.selection.metrics;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;

/**
 * Matrix-based (von Neumann, alpha = 1) entropy of a PSD matrix K (spec section 6): with the eigenvalues
 * {@code e_i > 0} and {@code p_i = e_i / sum e}, {@code S = -sum p_i ln p_i}. K = I_N gives ln N, a
 * rank-1 K gives 0. Layer-by-Layer normalises S by {@code min(ln N, ln D)}.
 */
public final class MatrixEntropy {
    private MatrixEntropy() {
    }

    /** {@code -sum p ln p} over the positive eigenvalues (0 when none is positive). */
    public static double ofEigenvalues(double[] eigenvalues) {
        double sum = 0;
        for (double e : eigenvalues) {
            if (e > 0) {
                sum += e;
            }
        }
        if (sum == 0) {
            return 0;
        }
        double s = 0;
        for (double e : eigenvalues) {
            if (e > 0) {
                double p = e / sum;
                s -= p * Math.log(p);
            }
        }
        return s;
    }

    /**
     * Entropy of the symmetric PSD {@code k} (not modified). With {@code clampEntries} every entry is first
     * clamped at {@code >= 0}, as the authors' metric code does (fidelity default).
     */
    public static double of(Linalg linalg, DMatrix k, boolean clampEntries) {
        DMatrix m = k.copy();
        if (clampEntries) {
            double[] a = m.data();
            for (int i = 0; i < a.length; i++) {
                if (a[i] < 0) {
                    a[i] = 0;
                }
            }
        }
        return ofEigenvalues(linalg.eigenvalues(m));
    }

    /**
     * Dataset entropy of pooled vectors x (N x D): rows of the column-centred x are L2-normalised (zero rows
     * stay zero), then the entropy of their Gram is normalised by {@code min(ln N, ln D)}. With
     * {@code clampEntries} the N x N Gram {@code Z ZT} is used (its entries are what the authors clamp);
     * without, the smaller of {@code Z ZT} and {@code ZT Z} (same non-zero spectrum).
     */
    public static double dataset(Linalg linalg, DMatrix x, boolean clampEntries) {
        int n = x.rows();
        int d = x.cols();
        if (n < 2 || d < 2) {
            throw new IllegalArgumentException("x: " + x.shape() + ", dataset entropy needs at least 2 x 2");
        }
        DMatrix z = linalg.center(x);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += z.get(i, j) * z.get(i, j);
            }
            if (s > 0) {
                double inv = 1.0 / Math.sqrt(s);
                for (int j = 0; j < d; j++) {
                    z.set(i, j, z.get(i, j) * inv);
                }
            }
        }
        DMatrix k = clampEntries || n <= d ? linalg.gramN(z) : linalg.gramT(z);
        return of(linalg, k, clampEntries) / Math.min(Math.log(n), Math.log(d));
    }
}
