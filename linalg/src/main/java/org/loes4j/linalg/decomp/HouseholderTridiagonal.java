package org.loes4j.linalg.decomp;

/**
 * Reduction of a symmetric matrix to tridiagonal form by Householder reflections,
 * {@code A = Q T QT} with {@code Q = H_0 H_1 ... H_{n-3}} and {@code H_k = I - tau_k v_k v_kT}.
 *
 * <p>Step k chooses {@code v_k} (zero in entries 0..k, one in entry k+1) so that {@code H_k} maps the
 * part of column k below the diagonal onto a multiple of the unit vector, then updates the trailing
 * block as {@code A22 <- H A22 H = A22 - v wT - w vT} with {@code p = tau A22 v} and
 * {@code w = p - (tau / 2)(pT v) v}. Only the lower triangle is read and written; that halves the memory
 * traffic of the two passes per step (a fused symmetric matrix-vector product and the rank-2 update),
 * which are where the O(n^3) time goes and which are delegated to {@link RowOps}.
 *
 * <p>Storage: a contiguous row-major n x n {@code double[]}. On return the tails of the reflectors
 * ({@code v_k} entries k+2..n-1) are kept in column k below the sub-diagonal, which the accumulation of
 * Q reads; the rest of the array is scratch.
 */
public final class HouseholderTridiagonal {
    private HouseholderTridiagonal() {
    }

    /**
     * Reduces the symmetric {@code a} (n x n, lower triangle read) to tridiagonal {@code T}.
     *
     * @param d   receives the n diagonal entries of T
     * @param e   receives the n - 1 off-diagonal entries of T ({@code e[i] = T[i+1][i]}); length >= n
     * @param tau receives the n reflector scales ({@code tau[k] = 0} means {@code H_k = I}); length >= n
     */
    public static void reduce(RowOps ops, double[] a, int n, double[] d, double[] e, double[] tau) {
        double[] v = new double[n];
        double[] w = new double[n];
        for (int k = 0; k + 2 < n; k++) {
            int m = n - k - 1;
            int base = k + 1;
            d[k] = a[k * n + k];
            // The reflector from x = A[k+1.., k].
            double alpha = a[base * n + k];
            double tail = 0;
            for (int j = 1; j < m; j++) {
                double x = a[(base + j) * n + k];
                tail += x * x;
            }
            if (tail == 0) {
                tau[k] = 0;
                e[k] = alpha;
                continue;
            }
            double beta = -Math.copySign(Math.sqrt(alpha * alpha + tail), alpha);
            double t = (beta - alpha) / beta;
            double scale = 1.0 / (alpha - beta);
            v[0] = 1.0;
            for (int j = 1; j < m; j++) {
                int idx = (base + j) * n + k;
                a[idx] *= scale;
                v[j] = a[idx];
            }
            tau[k] = t;
            e[k] = beta;

            // p = tau A22 v, A22 the trailing m x m block, from its lower triangle row by row.
            java.util.Arrays.fill(w, 0, m, 0.0);
            for (int i = 0; i < m; i++) {
                int row = (base + i) * n + base;
                double s = ops.dotAndAxpy(i, a, row, v, 0, v[i], w, 0);
                w[i] += s + a[row + i] * v[i];
            }
            double pv = 0;
            for (int i = 0; i < m; i++) {
                w[i] *= t;
                pv += w[i] * v[i];
            }
            double half = -0.5 * t * pv;
            for (int i = 0; i < m; i++) {
                w[i] += half * v[i];
            }
            // A22 -= v wT + w vT, lower triangle including the diagonal.
            for (int i = 0; i < m; i++) {
                int row = (base + i) * n + base;
                ops.axpy2(i + 1, -v[i], w, 0, -w[i], v, 0, a, row);
            }
        }
        if (n >= 2) {
            d[n - 2] = a[(n - 2) * n + n - 2];
            e[n - 2] = a[(n - 1) * n + n - 2];
            tau[n - 2] = 0;
        }
        if (n >= 1) {
            d[n - 1] = a[(n - 1) * n + n - 1];
            tau[n - 1] = 0;
        }
    }

    /**
     * Forms {@code QT} (n x n, row-major, into {@code qt}) from the reflectors {@link #reduce} left in
     * {@code a} and {@code tau}: {@code QT = H_{n-3} ... H_1 H_0}, built by right-multiplying
     * {@code X <- X H_k} for k descending, which touches only the trailing block of X and, row-major,
     * is a dot product and an axpy per row. Row i of QT is the i-th column of Q.
     */
    public static void formQTransposed(RowOps ops, double[] a, int n, double[] tau, double[] qt) {
        java.util.Arrays.fill(qt, 0, n * n, 0.0);
        for (int i = 0; i < n; i++) {
            qt[i * n + i] = 1.0;
        }
        double[] v = new double[n];
        for (int k = n - 3; k >= 0; k--) {
            double t = tau[k];
            if (t == 0) {
                continue;
            }
            int base = k + 1;
            int m = n - base;
            v[0] = 1.0;
            for (int j = 1; j < m; j++) {
                v[j] = a[(base + j) * n + k];
            }
            // Rows above k+1 of X are still unit rows with zeros in columns >= k+1.
            for (int r = base; r < n; r++) {
                int o = r * n + base;
                double s = ops.dot(m, qt, o, v, 0);
                if (s != 0) {
                    ops.axpy(m, -t * s, v, 0, qt, o);
                }
            }
        }
    }
}
