package org.loes4j.linalg.decomp;

/**
 * Eigenvalues (and optionally eigenvectors) of a symmetric tridiagonal matrix by the implicit QL
 * algorithm with Wilkinson shifts.
 *
 * <p>For the unreduced block {@code l..m} at the top of what remains, one QL step with shift sigma (the
 * eigenvalue of the leading 2 x 2 block {@code [d_l e_l; e_l d_{l+1}]} nearer {@code d_l}) is done
 * implicitly: a plane rotation in the plane (m-1, m) is chosen from {@code d_m - sigma} and the
 * resulting bulge is chased up to row l by rotations in planes (i, i+1), i = m-1 .. l. The recurrence
 * on d and e never reads the eigenvectors, so when they are wanted the rotations of up to
 * {@link #SWEEPS_PER_BATCH} sweeps are recorded and then applied together to the rows of the
 * accumulated {@code ZT} ({@link RowOps#rotateSweeps}): columns of ZT transform independently, so a
 * backend can run all the batch's sweeps over one strip of columns while it is in cache, instead of
 * streaming the whole of ZT through memory once per sweep. An off-diagonal {@code e_m} counts as zero, splitting
 * the matrix, once {@code |e_m| <= eps (|d_m| + |d_{m+1}|)} or {@code |e_m| <= eps ||T||} with
 * {@code ||T|| = max_i (|d_i| + |e_i|)}. The second, normwise, test is needed for clusters of eigenvalues
 * near zero (rank-deficient Gram matrices): there the rounding the bulge chase leaks in from the large
 * entries is of order {@code eps ||T||}, so the local test alone can never be met.
 *
 * <p>Every eigenvalue gets at most {@link #MAX_ITERATIONS} QL steps; a matrix that needs more (not met
 * in practice: convergence is cubic for almost all inputs) raises {@link ArithmeticException} naming the
 * index.
 */
public final class TridiagonalQL {
    /** QL steps allowed per eigenvalue; LAPACK's steqr allows 30 per eigenvalue on average. */
    public static final int MAX_ITERATIONS = 60;

    /**
     * Sweeps whose rotations are applied to ZT together. With n = 768 a strip of 16 columns of ZT is
     * 96 KiB and stays in L2 across the batch; 32 sweeps of n rotations are 400 KiB of cosines and sines.
     */
    public static final int SWEEPS_PER_BATCH = 32;

    private static final double EPS = Math.ulp(1.0) / 2;

    private TridiagonalQL() {
    }

    /**
     * Diagonalises T in place: on return {@code d} holds the eigenvalues (unsorted) and, when
     * {@code zt != null}, the rotations have been applied to the rows of zt so that row i of the
     * final zt belongs to {@code d[i]}.
     *
     * @param d  the n diagonal entries; overwritten with the eigenvalues
     * @param e  the n - 1 off-diagonal entries ({@code e[i] = T[i+1][i]}), length >= n; destroyed
     * @param zt null, or n x n row-major (each row n long) to which the rotations are applied
     * @throws ArithmeticException when eigenvalue {@code l} did not converge within the cap
     */
    public static void diagonalize(RowOps ops, double[] d, double[] e, int n, double[] zt) {
        HouseholderTridiagonal.checkLength("d", d.length, n);
        HouseholderTridiagonal.checkLength("e", e.length, n);
        if (zt != null) {
            HouseholderTridiagonal.checkLength("zt", zt.length, (long) n * n);
        }
        if (n <= 1) {
            return;
        }
        e[n - 1] = 0;
        double norm = 0;
        for (int i = 0; i < n; i++) {
            norm = Math.max(norm, Math.abs(d[i]) + Math.abs(e[i]));
        }
        double negligible = Math.max(EPS * norm, Double.MIN_NORMAL);
        Batch batch = zt == null ? null : new Batch(n);
        double[] cs = batch == null ? null : batch.c[0];
        double[] sn = batch == null ? null : batch.s[0];
        for (int l = 0; l < n; l++) {
            int iterations = 0;
            while (true) {
                int m = l;
                while (m < n - 1) {
                    double off = Math.abs(e[m]);
                    if (off <= EPS * (Math.abs(d[m]) + Math.abs(d[m + 1])) || off <= negligible) {
                        e[m] = 0;
                        break;
                    }
                    m++;
                }
                if (m == l) {
                    break;
                }
                if (++iterations > MAX_ITERATIONS) {
                    throw new ArithmeticException("symmetric eigen-solver: eigenvalue " + l
                            + " did not converge in " + MAX_ITERATIONS + " QL iterations");
                }
                // Wilkinson shift, written as g = d_m - sigma.
                double g = (d[l + 1] - d[l]) / (2 * e[l]);
                double r = hypot(g, 1.0);
                g = d[m] - d[l] + e[l] / (g + Math.copySign(r, g));
                double s = 1;
                double c = 1;
                double p = 0;
                boolean split = false;
                for (int i = m - 1; i >= l; i--) {
                    double f = s * e[i];
                    double b = c * e[i];
                    r = hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0) {
                        // The bulge vanished: T split at i + 1; undo the pending shift and start over.
                        d[i + 1] -= p;
                        e[m] = 0;
                        split = true;
                        if (batch != null && i + 1 < m) {
                            batch.add(ops, i + 1, m, zt);
                            cs = batch.c[batch.count];
                            sn = batch.s[batch.count];
                        }
                        break;
                    }
                    double inv = 1 / r;
                    s = f * inv;
                    c = g * inv;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2 * c * b;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                    if (zt != null) {
                        cs[i] = c;
                        sn[i] = s;
                    }
                }
                if (split) {
                    continue;
                }
                if (batch != null) {
                    batch.add(ops, l, m, zt);
                    cs = batch.c[batch.count];
                    sn = batch.s[batch.count];
                }
                d[l] -= p;
                e[l] = g;
                e[m] = 0;
            }
        }
        if (batch != null) {
            batch.flush(ops, zt);
        }
    }

    /** Recorded sweeps not yet applied to ZT: sweep b rotated planes (i, i+1), i = hi[b]-1 .. lo[b]. */
    private static final class Batch {
        final int n;
        final double[][] c;
        final double[][] s;
        final int[] lo = new int[SWEEPS_PER_BATCH];
        final int[] hi = new int[SWEEPS_PER_BATCH];
        int count;

        Batch(int n) {
            this.n = n;
            c = new double[SWEEPS_PER_BATCH][n];
            s = new double[SWEEPS_PER_BATCH][n];
        }

        /** Records the sweep just written into {@code c[count]}, {@code s[count]}; applies a full batch. */
        void add(RowOps ops, int from, int to, double[] zt) {
            lo[count] = from;
            hi[count] = to;
            count++;
            if (count == SWEEPS_PER_BATCH) {
                flush(ops, zt);
            }
        }

        void flush(RowOps ops, double[] zt) {
            if (count > 0) {
                ops.rotateSweeps(n, count, lo, hi, c, s, zt);
                count = 0;
            }
        }
    }

    /**
     * {@code sqrt(x^2 + y^2)}: the plain formula when it neither overflows nor loses the result to
     * underflow, else {@link Math#hypot} (which is careful, and an order of magnitude slower: with it
     * the O(n^2) values-only QL cost as much as the O(n^3) reduction at n = 768).
     */
    private static double hypot(double x, double y) {
        double r = Math.sqrt(x * x + y * y);
        if (r > 1e-150 && r < 1e150) {
            return r;
        }
        return Math.hypot(x, y);
    }
}
