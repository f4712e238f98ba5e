package org.loes4j.linalg.decomp;

/**
 * The row-level primitives the symmetric eigen-solver spends its O(n^2) and O(n^3) time in, over
 * contiguous slices of {@code double[]}. The scalar backend implements them as plain loops, the Vector
 * API backend with SIMD; {@link SymmetricEigenSolver} is written once on top of them.
 *
 * <p>Implementations trust their arguments (the solver only passes in-bounds slices) and must not keep
 * references to the arrays.
 */
public interface RowOps {

    /** {@code sum_k x[xo + k] * y[yo + k]}, k &lt; n. */
    double dot(int n, double[] x, int xo, double[] y, int yo);

    /** {@code y[yo + k] += alpha * x[xo + k]}, k &lt; n. */
    void axpy(int n, double alpha, double[] x, int xo, double[] y, int yo);

    /**
     * One row of a symmetric matrix-vector product from the lower triangle, fused into one pass over the
     * row: {@code y[yo + k] += alpha * row[ro + k]} for k &lt; n, and returns
     * {@code sum_k row[ro + k] * v[vo + k]}. {@code y} and {@code row} do not overlap.
     */
    double dotAndAxpy(int n, double[] row, int ro, double[] v, int vo, double alpha, double[] y, int yo);

    /** Rank-2 row update {@code y[yo + k] += a1 * x1[x1o + k] + a2 * x2[x2o + k]}, k &lt; n. */
    void axpy2(int n, double a1, double[] x1, int x1o, double a2, double[] x2, int x2o, double[] y, int yo);

    /**
     * The fused row step of the tridiagonal reduction: first the pending rank-2 update
     * {@code row[ro + k] += a1 * x1[x1o + k] + a2 * x2[x2o + k]}, then, on the updated row, the symmetric
     * matrix-vector step of {@link #dotAndAxpy}: {@code y[yo + k] += alpha * row[ro + k]} and returns
     * {@code sum_k row[ro + k] * v[vo + k]}, k &lt; n. One pass over the row instead of two.
     */
    double updateDotAndAxpy(int n, double[] row, int ro, double a1, double[] x1, int x1o, double a2, double[] x2,
            int x2o, double[] v, int vo, double alpha, double[] y, int yo);

    /**
     * {@link #updateDotAndAxpy} on two rows at once (at offsets {@code r0} and {@code r1} of {@code a},
     * not overlapping each other or y), sharing the loads of x1, x2, v and y:
     * {@code row_q[k] += b_q x1[x1o + k] + c_q x2[x2o + k]} for q = 0, 1, then
     * {@code dots[q] = sum_k row_q[k] v[vo + k]} and {@code y[yo + k] += alpha0 row_0[k] + alpha1 row_1[k]},
     * k &lt; n.
     */
    void updateDotAndAxpy2(int n, double[] a, int r0, int r1, double b0, double c0, double b1, double c1,
            double[] x1, int x1o, double[] x2, int x2o, double[] v, int vo, double alpha0, double alpha1,
            double[] y, int yo, double[] dots);

    /**
     * Applies the rotations of {@code count} QL sweeps, in order, to the rows of {@code zt} (each row n
     * long, row r at offset {@code r * n}): for sweep b and i = hi[b] - 1 down to lo[b], rows (i, i+1)
     * get {@code (zi, zi1) <- (c[b][i] zi - s[b][i] zi1, s[b][i] zi + c[b][i] zi1)}. Columns are
     * independent, so an implementation may run all sweeps over one strip of columns before the next.
     */
    void rotateSweeps(int n, int count, int[] lo, int[] hi, double[][] c, double[][] s, double[] zt);

    /**
     * How many tasks the O(n^2)-per-step passes of the solver may be split into on the library executor
     * ({@link org.loes4j.linalg.concurrent.LinalgExecutor}); 1 means run on the calling thread.
     */
    int parallelTasks();
}
