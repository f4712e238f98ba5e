package org.loes4j.selection.metrics;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;

/**
 * TwoNN intrinsic dimension (Facco et al.): for every point the ratio {@code mu_i = r2 / r1} of its second
 * to first nearest-neighbour Euclidean distance follows a Pareto law with exponent d; the maximum-likelihood
 * estimate is {@code d = n' / sum ln mu_i} over the n' points with {@code r1 > 0} (exact duplicates carry no
 * ratio and are skipped).
 */
public final class IntrinsicDimension {
    private IntrinsicDimension() {
    }

    /**
     * TwoNN estimate for the rows of x (N x D, N &gt;= 3). Squared distances come from the Gram of the
     * column-centred rows ({@code |xi - xj|^2 = g_ii + g_jj - 2 g_ij}, clamped at 0).
     *
     * @return the estimate; 0 when no point has two distinct neighbours, +Infinity if every ratio is 1
     */
    public static double twoNN(Linalg linalg, DMatrix x) {
        int n = x.rows();
        if (n < 3) {
            throw new IllegalArgumentException("x: " + n + " rows, TwoNN needs at least 3");
        }
        DMatrix g = linalg.gramN(linalg.center(x));
        double sumLog = 0;
        int used = 0;
        for (int i = 0; i < n; i++) {
            double r1 = Double.POSITIVE_INFINITY;
            double r2 = Double.POSITIVE_INFINITY;
            double gii = g.get(i, i);
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                double d2 = Math.max(0.0, gii + g.get(j, j) - 2 * g.get(i, j));
                if (d2 <= 0) {
                    continue;
                }
                if (d2 < r1) {
                    r2 = r1;
                    r1 = d2;
                } else if (d2 < r2) {
                    r2 = d2;
                }
            }
            if (r2 < Double.POSITIVE_INFINITY) {
                sumLog += 0.5 * Math.log(r2 / r1);
                used++;
            }
        }
        if (used == 0) {
            return 0;
        }
        return used / sumLog;
    }
}
