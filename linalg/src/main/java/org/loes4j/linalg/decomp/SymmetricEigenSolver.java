package org.loes4j.linalg.decomp;

import org.loes4j.linalg.Checks;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Matrix;

/**
 * The symmetric eigen-solver behind the CPU backends' {@code EigenKernel}s: {@code A = V diag(w) VT}.
 * Steps: copy the lower triangle into a contiguous float64 work array and scale it by a power of two
 * (exact) so its largest entry lies in [1, 2), which keeps squares of the entries far from overflow and
 * underflow whatever the input's magnitude; reduce to tridiagonal form
 * ({@link HouseholderTridiagonal}); when eigenvectors are wanted form {@code QT}; diagonalise with
 * implicit QL ({@link TridiagonalQL}), rotating the rows of {@code QT}; undo the scaling; sort the
 * eigenvalues ascending and write the matching vectors as columns.
 *
 * <p>The row primitives come from a {@link RowOps}, so one algorithm serves the scalar reference and the
 * Vector API backend. Work: about {@code 4/3 n^3} flops for the reduction, {@code 4/3 n^3} to form Q
 * and about {@code 6 n^3} for the rotations (two QL sweeps per eigenvalue on average); eigenvalues
 * alone need only the reduction (the QL on T is O(n^2)).
 */
public final class SymmetricEigenSolver {
    private SymmetricEigenSolver() {
    }

    /**
     * Float64: eigenvalues of the symmetric {@code a} (n x n, lower triangle read, not modified) into
     * {@code w} (length n, ascending) and, when {@code vectors != null}, the unit eigenvectors into its
     * columns (n x n; column j belongs to {@code w[j]}).
     *
     * @throws IllegalArgumentException when {@code a} holds a NaN or infinity
     * @throws ArithmeticException when the QL iteration does not converge (see {@link TridiagonalQL})
     */
    public static void solve(RowOps ops, DMatrix a, double[] w, DMatrix vectors) {
        checkShapes(a, w.length, vectors);
        int n = a.rows();
        if (n == 0) {
            return;
        }
        double[] work = new double[n * n];
        double[] src = a.data();
        for (int i = 0; i < n; i++) {
            System.arraycopy(src, a.index(i, 0), work, i * n, i + 1);
        }
        double[] values = new double[n];
        double[] qt = solveWork(ops, work, n, values, vectors != null);
        int[] order = ascending(values);
        for (int j = 0; j < n; j++) {
            w[j] = values[order[j]];
        }
        if (vectors != null) {
            double[] out = vectors.data();
            for (int j = 0; j < n; j++) {
                int from = order[j] * n;
                for (int i = 0; i < n; i++) {
                    out[vectors.index(i, j)] = qt[from + i];
                }
            }
        }
    }

    /**
     * Float32 twin of {@link #solve(RowOps, DMatrix, double[], DMatrix)}: computes in float64 and rounds
     * the eigenvalues and eigenvectors to float32 at the end.
     */
    public static void solve(RowOps ops, FMatrix a, float[] w, FMatrix vectors) {
        checkShapes(a, w.length, vectors);
        int n = a.rows();
        if (n == 0) {
            return;
        }
        double[] work = new double[n * n];
        float[] src = a.data();
        for (int i = 0; i < n; i++) {
            int o = a.index(i, 0);
            for (int j = 0; j <= i; j++) {
                work[i * n + j] = src[o + j];
            }
        }
        double[] values = new double[n];
        double[] qt = solveWork(ops, work, n, values, vectors != null);
        int[] order = ascending(values);
        for (int j = 0; j < n; j++) {
            w[j] = (float) values[order[j]];
        }
        if (vectors != null) {
            float[] out = vectors.data();
            for (int j = 0; j < n; j++) {
                int from = order[j] * n;
                for (int i = 0; i < n; i++) {
                    out[vectors.index(i, j)] = (float) qt[from + i];
                }
            }
        }
    }

    private static void checkShapes(Matrix a, int wLength, Matrix vectors) {
        Checks.square("a", a);
        if (wLength != a.rows()) {
            throw new IllegalArgumentException("w: length " + wLength + ", expected " + a.rows());
        }
        if (vectors != null) {
            Checks.sameShape("vectors", vectors, "a", a);
        }
    }

    /**
     * Eigenvalues (unsorted) of the lower triangle in {@code work} (destroyed) into {@code values};
     * returns {@code ZT} (row i is the unit eigenvector of {@code values[i]}) or null.
     */
    private static double[] solveWork(RowOps ops, double[] work, int n, double[] values, boolean wantVectors) {
        double max = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double x = Math.abs(work[i * n + j]);
                if (!(x <= Double.MAX_VALUE)) {
                    throw new IllegalArgumentException("a: entry (" + i + ", " + j + ") is " + work[i * n + j]
                            + "; eigenvalues need finite entries");
                }
                max = Math.max(max, x);
            }
        }
        double[] qt = wantVectors ? new double[n * n] : null;
        if (max == 0) {
            if (qt != null) {
                for (int i = 0; i < n; i++) {
                    qt[i * n + i] = 1.0;
                }
            }
            return qt;
        }
        int exponent = Math.getExponent(max);
        if (exponent != 0) {
            double down = Math.scalb(1.0, -exponent);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    work[i * n + j] *= down;
                }
            }
        }
        double[] e = new double[n];
        double[] tau = new double[n];
        HouseholderTridiagonal.reduce(ops, work, n, values, e, tau);
        if (qt != null) {
            HouseholderTridiagonal.formQTransposed(ops, work, n, tau, qt);
        }
        TridiagonalQL.diagonalize(ops, values, e, n, qt);
        if (exponent != 0) {
            for (int i = 0; i < n; i++) {
                values[i] = Math.scalb(values[i], exponent);
            }
        }
        return qt;
    }

    /** Indices that sort {@code values} ascending (insertion sort: stable, and QL output is nearly sorted). */
    private static int[] ascending(double[] values) {
        int n = values.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            int k = i;
            double x = values[i];
            while (k > 0 && values[order[k - 1]] > x) {
                order[k] = order[k - 1];
                k--;
            }
            order[k] = i;
        }
        return order;
    }
}
