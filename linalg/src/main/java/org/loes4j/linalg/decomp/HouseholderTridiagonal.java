package org.loes4j.linalg.decomp;

import java.util.Arrays;

import org.loes4j.linalg.concurrent.LinalgExecutor;

/**
 * Reduction of a symmetric matrix to tridiagonal form by Householder reflections,
 * {@code A = Q T QT} with {@code Q = H_0 H_1 ... H_{n-3}} and {@code H_k = I - tau_k v_k v_kT}.
 *
 * <p>Step k chooses {@code v_k} (zero in entries 0..k, one in entry k+1) so that {@code H_k} maps the
 * part of column k below the diagonal onto a multiple of the first unit vector, then updates the
 * trailing block as {@code A22 <- H A22 H = A22 - v wT - w vT} with {@code p = tau A22 v} and
 * {@code w = p - (tau / 2)(pT v) v}. Only the lower triangle is read and written.
 *
 * <p>The O(n^3) time is in streaming the trailing block, so each step makes a single pass over it: the
 * rank-2 update of step k-1 is applied to a row and, while the row is in cache, the product
 * {@code A22 v_k} of step k is accumulated from it ({@link RowOps#updateDotAndAxpy}); only column k is
 * updated ahead of the pass, because {@code v_k} is built from it. Above {@link #PARALLEL_ROWS} rows the
 * pass is split into tasks of equal triangle area, each accumulating its own partial {@code A22 v}.
 *
 * <p>Storage: a contiguous row-major n x n {@code double[]}. On return the tails of the reflectors
 * ({@code v_k} entries k+2..n-1) are kept in column k below the sub-diagonal, which
 * {@link #formQTransposed} reads; the rest of the array is scratch.
 */
public final class HouseholderTridiagonal {
    /**
     * Trailing blocks with fewer rows run the pass on the calling thread: one pass over a few hundred rows
     * costs tens of microseconds, the order of handing tasks to the executor. Measured with
     * {@code bench/run-jmh.sh EigenBench} (n = 768, 2026-11-22): with 384 here, 2 threads took 50.4 ms
     * against 39.6 ms on 1; with 1024, 38.5 ms on both.
     */
    public static final int PARALLEL_ROWS = 1024;

    /**
     * Reflectors applied per pass over QT when it is formed: 32 reflectors of n = 768 are 192 KiB (in
     * L2), while one row of QT (6 KiB) stays in L1 through all of them.
     */
    public static final int Q_BLOCK = 32;

    private HouseholderTridiagonal() {
    }

    /**
     * Reduces the symmetric {@code a} (n x n, lower triangle read; destroyed) to tridiagonal {@code T}.
     *
     * @param d   receives the n diagonal entries of T
     * @param e   receives the n - 1 off-diagonal entries of T ({@code e[i] = T[i+1][i]}); length >= n
     * @param tau receives the n reflector scales ({@code tau[k] = 0} means {@code H_k = I}); length >= n
     */
    public static void reduce(RowOps ops, double[] a, int n, double[] d, double[] e, double[] tau) {
        checkLength("a", a.length, (long) n * n);
        checkLength("d", d.length, n);
        checkLength("e", e.length, n);
        checkLength("tau", tau.length, n);
        Arrays.fill(tau, 0, n, 0.0);
        int tasks = Math.max(1, ops.parallelTasks());
        double[] v = new double[n];
        double[] w = new double[n];
        double[] pendingV = new double[n];
        double[] pendingW = new double[n];
        double[][] partial = tasks > 1 && n > PARALLEL_ROWS ? new double[tasks][n] : null;
        boolean pending = false;
        for (int k = 0; k + 2 < n; k++) {
            int m = n - k - 1;
            int base = k + 1;
            if (pending) {
                // Column k, ahead of the pass: the reflector of this step is built from it.
                for (int i = k; i < n; i++) {
                    a[i * n + k] -= pendingV[i - k] * pendingW[0] + pendingW[i - k] * pendingV[0];
                }
            }
            d[k] = a[k * n + k];
            double alpha = a[base * n + k];
            double tail = 0;
            for (int j = 1; j < m; j++) {
                double x = a[(base + j) * n + k];
                tail += x * x;
            }
            boolean reflect = tail != 0;
            double t = 0;
            if (reflect) {
                double beta = -Math.copySign(Math.sqrt(alpha * alpha + tail), alpha);
                t = (beta - alpha) / beta;
                double scale = 1.0 / (alpha - beta);
                v[0] = 1.0;
                for (int j = 1; j < m; j++) {
                    int idx = (base + j) * n + k;
                    a[idx] *= scale;
                    v[j] = a[idx];
                }
                tau[k] = t;
                e[k] = beta;
            } else {
                e[k] = alpha;
            }
            if (!pending && !reflect) {
                continue;
            }
            Arrays.fill(w, 0, m, 0.0);
            if (partial != null && m >= PARALLEL_ROWS) {
                passInParallel(ops, a, n, base, m, pending, pendingV, pendingW, reflect ? v : null, w, partial);
            } else {
                pass(ops, a, n, base, 0, m, pending, pendingV, pendingW, reflect ? v : null, w);
            }
            if (reflect) {
                double pv = 0;
                for (int i = 0; i < m; i++) {
                    w[i] *= t;
                    pv += w[i] * v[i];
                }
                double half = -0.5 * t * pv;
                for (int i = 0; i < m; i++) {
                    w[i] += half * v[i];
                }
                double[] swap = pendingV;
                pendingV = v;
                v = swap;
                swap = pendingW;
                pendingW = w;
                w = swap;
            }
            pending = reflect;
        }
        if (pending) {
            // The last rank-2 update, on the final 2 x 2 block (rows and columns n-2, n-1).
            a[(n - 2) * n + n - 2] -= 2 * pendingV[0] * pendingW[0];
            a[(n - 1) * n + n - 2] -= pendingV[1] * pendingW[0] + pendingW[1] * pendingV[0];
            a[(n - 1) * n + n - 1] -= 2 * pendingV[1] * pendingW[1];
        }
        if (n >= 2) {
            d[n - 2] = a[(n - 2) * n + n - 2];
            e[n - 2] = a[(n - 1) * n + n - 2];
        }
        if (n >= 1) {
            d[n - 1] = a[(n - 1) * n + n - 1];
        }
    }

    /**
     * Rows {@code [r0, r1)} of the trailing block (its row r is matrix row {@code base + r}, columns
     * base..base+r): applies the pending rank-2 update (vectors indexed from base - 1) and, when
     * {@code v != null}, adds this rows' share of {@code A22 v} into {@code p}.
     */
    private static void pass(RowOps ops, double[] a, int n, int base, int r0, int r1, boolean pending,
            double[] pv, double[] pw, double[] v, double[] p) {
        int r = r0;
        if (pending && v != null) {
            // Two rows per call share the loads of pv, pw, v and p (the common case, so it gets its own
            // primitive): columns 0..r-1 together, then the entry (r+1, r) and both diagonals by hand.
            double[] dots = new double[2];
            for (; r + 1 < r1; r += 2) {
                int row0 = (base + r) * n + base;
                int row1 = row0 + n;
                double v0 = pv[r + 1];
                double w0 = pw[r + 1];
                double v1 = pv[r + 2];
                double w1 = pw[r + 2];
                ops.updateDotAndAxpy2(r, a, row0, row1, -v0, -w0, -v1, -w1, pw, 1, pv, 1, v, 0, v[r], v[r + 1],
                        p, 0, dots);
                a[row0 + r] -= 2 * v0 * w0;
                double sub = a[row1 + r] - v1 * pw[r + 1] - w1 * pv[r + 1];
                a[row1 + r] = sub;
                a[row1 + r + 1] -= 2 * v1 * w1;
                p[r] += dots[0] + a[row0 + r] * v[r] + sub * v[r + 1];
                p[r + 1] += dots[1] + sub * v[r] + a[row1 + r + 1] * v[r + 1];
            }
        }
        for (; r < r1; r++) {
            int row = (base + r) * n + base;
            double s = 0;
            if (pending) {
                double vr = pv[r + 1];
                double wr = pw[r + 1];
                a[row + r] -= 2 * vr * wr;
                if (v != null) {
                    s = ops.updateDotAndAxpy(r, a, row, -vr, pw, 1, -wr, pv, 1, v, 0, v[r], p, 0);
                } else {
                    ops.axpy2(r, -vr, pw, 1, -wr, pv, 1, a, row);
                }
            } else {
                s = ops.dotAndAxpy(r, a, row, v, 0, v[r], p, 0);
            }
            if (v != null) {
                p[r] += s + a[row + r] * v[r];
            }
        }
    }

    private static void passInParallel(RowOps ops, double[] a, int n, int base, int m, boolean pending,
            double[] pv, double[] pw, double[] v, double[] p, double[][] partial) {
        int tasks = partial.length;
        // Row r costs about r, so equal shares of the triangle end at m * sqrt(t / tasks).
        int[] bounds = new int[tasks + 1];
        for (int t = 1; t < tasks; t++) {
            bounds[t] = (int) Math.round(m * Math.sqrt((double) t / tasks));
        }
        bounds[tasks] = m;
        LinalgExecutor.parallelFor(tasks, t -> {
            double[] mine = partial[t];
            Arrays.fill(mine, 0, bounds[t + 1], 0.0);
            pass(ops, a, n, base, bounds[t], bounds[t + 1], pending, pv, pw, v, mine);
        });
        if (v != null) {
            for (int t = 0; t < tasks; t++) {
                ops.axpy(bounds[t + 1], 1.0, partial[t], 0, p, 0);
            }
        }
    }

    /**
     * Forms {@code QT} (n x n, row-major, into {@code qt}) from the reflectors {@link #reduce} left in
     * {@code a} and {@code tau}: {@code QT = H_{n-3} ... H_1 H_0}, built by right-multiplying
     * {@code X <- X H_k} for k descending. Row-major, that is {@code x <- x - tau (x . v) v} on each row
     * x of X (columns k+1..n-1), and rows are independent: so the reflectors are taken
     * {@link #Q_BLOCK} at a time and each row gets the whole block while it sits in L1, instead of X
     * being streamed through memory once per reflector. Rows are split over the executor when many.
     * A row r &lt;= k is still the unit row {@code e_r} when {@code H_k} comes, so it is skipped. Row i
     * of QT is the i-th column of Q.
     */
    public static void formQTransposed(RowOps ops, double[] a, int n, double[] tau, double[] qt) {
        checkLength("a", a.length, (long) n * n);
        checkLength("tau", tau.length, n);
        checkLength("qt", qt.length, (long) n * n);
        Arrays.fill(qt, 0, n * n, 0.0);
        for (int i = 0; i < n; i++) {
            qt[i * n + i] = 1.0;
        }
        int tasks = Math.max(1, ops.parallelTasks());
        double[][] panel = new double[Math.min(Q_BLOCK, Math.max(n - 2, 0))][n];
        for (int last = n - 3; last >= 0; last -= Q_BLOCK) {
            int first = Math.max(0, last - Q_BLOCK + 1);
            for (int k = first; k <= last; k++) {
                double[] v = panel[k - first];
                v[k + 1] = 1.0;
                for (int i = k + 2; i < n; i++) {
                    v[i] = a[i * n + k];
                }
            }
            int r0 = first + 1;
            int rows = n - r0;
            if (tasks > 1 && rows >= PARALLEL_ROWS) {
                int chunk = (rows + tasks - 1) / tasks;
                int from = first;
                int to = last;
                LinalgExecutor.parallelFor(tasks, t -> reflectRows(ops, qt, n, tau, panel, from, to,
                        r0 + t * chunk, Math.min(n, r0 + (t + 1) * chunk)));
            } else {
                reflectRows(ops, qt, n, tau, panel, first, last, r0, n);
            }
        }
    }

    /**
     * Rows {@code [r0, r1)} of X, each through reflectors {@code last} down to {@code first}
     * ({@code v_k = panel[k - first]}, entries k+1..n-1).
     */
    private static void reflectRows(RowOps ops, double[] x, int n, double[] tau, double[][] panel, int first,
            int last, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            for (int k = Math.min(last, r - 1); k >= first; k--) {
                double t = tau[k];
                if (t == 0) {
                    continue;
                }
                int o = r * n + k + 1;
                double[] v = panel[k - first];
                double s = ops.dot(n - k - 1, x, o, v, k + 1);
                if (s != 0) {
                    ops.axpy(n - k - 1, -t * s, v, k + 1, x, o);
                }
            }
        }
    }

    /** Requires an array of at least {@code needed} elements. */
    static void checkLength(String name, int length, long needed) {
        if (length < needed) {
            throw new IllegalArgumentException(name + ": length " + length + ", needs at least " + needed);
        }
    }
}
