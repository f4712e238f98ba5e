package org.loes4j.linalg.scalar;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.decomp.RowOps;
import org.loes4j.linalg.decomp.SymmetricEigenSolver;
import org.loes4j.linalg.spi.EigenKernel;

/**
 * Reference symmetric eigen-decomposition: Householder tridiagonalisation, then implicit QL with
 * Wilkinson shifts, eigenvalues ascending (see {@link SymmetricEigenSolver}), with the row primitives as
 * plain loops. {@link #ssyev} computes in float64 internally and rounds the results to float32.
 */
public final class ScalarEigen implements EigenKernel {

    /** Plain-loop row primitives. */
    private static final RowOps OPS = new PlainRowOps();

    @Override
    public void dsyev(DMatrix a, double[] w, DMatrix vectors) {
        SymmetricEigenSolver.solve(OPS, a, w, vectors);
    }

    /** Float32 twin: the work is done in float64 and the eigenvalues and vectors rounded to float32. */
    @Override
    public void ssyev(FMatrix a, float[] w, FMatrix vectors) {
        SymmetricEigenSolver.solve(OPS, a, w, vectors);
    }

    private static final class PlainRowOps implements RowOps {
        @Override
        public double dot(int n, double[] x, int xo, double[] y, int yo) {
            double s = 0;
            for (int k = 0; k < n; k++) {
                s += x[xo + k] * y[yo + k];
            }
            return s;
        }

        @Override
        public void axpy(int n, double alpha, double[] x, int xo, double[] y, int yo) {
            for (int k = 0; k < n; k++) {
                y[yo + k] += alpha * x[xo + k];
            }
        }

        @Override
        public double dotAndAxpy(int n, double[] row, int ro, double[] v, int vo, double alpha, double[] y, int yo) {
            double s = 0;
            for (int k = 0; k < n; k++) {
                double r = row[ro + k];
                s += r * v[vo + k];
                y[yo + k] += alpha * r;
            }
            return s;
        }

        @Override
        public void axpy2(int n, double a1, double[] x1, int x1o, double a2, double[] x2, int x2o, double[] y, int yo) {
            for (int k = 0; k < n; k++) {
                y[yo + k] += a1 * x1[x1o + k] + a2 * x2[x2o + k];
            }
        }

        @Override
        public double updateDotAndAxpy(int n, double[] row, int ro, double a1, double[] x1, int x1o, double a2,
                double[] x2, int x2o, double[] v, int vo, double alpha, double[] y, int yo) {
            double s = 0;
            for (int k = 0; k < n; k++) {
                double r = row[ro + k] + a1 * x1[x1o + k] + a2 * x2[x2o + k];
                row[ro + k] = r;
                s += r * v[vo + k];
                y[yo + k] += alpha * r;
            }
            return s;
        }

        @Override
        public void updateDotAndAxpy2(int n, double[] a, int r0, int r1, double b0, double c0, double b1,
                double c1, double[] x1, int x1o, double[] x2, int x2o, double[] v, int vo, double alpha0,
                double alpha1, double[] y, int yo, double[] dots) {
            double s0 = 0;
            double s1 = 0;
            for (int k = 0; k < n; k++) {
                double u = x1[x1o + k];
                double w = x2[x2o + k];
                double p = a[r0 + k] + b0 * u + c0 * w;
                double q = a[r1 + k] + b1 * u + c1 * w;
                a[r0 + k] = p;
                a[r1 + k] = q;
                s0 += p * v[vo + k];
                s1 += q * v[vo + k];
                y[yo + k] += alpha0 * p + alpha1 * q;
            }
            dots[0] = s0;
            dots[1] = s1;
        }

        @Override
        public void rotateSweeps(int n, int count, int[] lo, int[] hi, double[][] c, double[][] s, double[] zt) {
            for (int b = 0; b < count; b++) {
                for (int i = hi[b] - 1; i >= lo[b]; i--) {
                    int io = i * n;
                    int jo = io + n;
                    double ci = c[b][i];
                    double si = s[b][i];
                    for (int k = 0; k < n; k++) {
                        double zi = zt[io + k];
                        double zj = zt[jo + k];
                        zt[io + k] = ci * zi - si * zj;
                        zt[jo + k] = si * zi + ci * zj;
                    }
                }
            }
        }

        @Override
        public int parallelTasks() {
            return 1;
        }
    }
}
