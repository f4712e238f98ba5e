package org.loes4j.linalg.scalar;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.NotPositiveDefiniteException;
import org.loes4j.linalg.Transpose;
import org.loes4j.linalg.spi.CholeskyKernel;
import org.loes4j.linalg.spi.GemmKernel;
import org.loes4j.linalg.spi.GramKernel;
import org.loes4j.linalg.spi.VectorKernel;

/**
 * Reference kernels written straight from the definitions. Products accumulate each output element in
 * one sum in the storage precision (float32 products accumulate in float32, as BLAS does).
 */
final class ScalarKernels implements GemmKernel, GramKernel, CholeskyKernel, VectorKernel {

    // ------------------------------------------------------------------ GEMM

    @Override
    public void dgemm(Transpose ta, Transpose tb, double alpha, DMatrix a, DMatrix b, double beta, DMatrix c) {
        int m = c.rows();
        int n = c.cols();
        int k = ta == Transpose.NO ? a.cols() : a.rows();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double x = ta == Transpose.NO ? a.get(i, p) : a.get(p, i);
                    double y = tb == Transpose.NO ? b.get(p, j) : b.get(j, p);
                    s += x * y;
                }
                c.set(i, j, beta == 0 ? alpha * s : alpha * s + beta * c.get(i, j));
            }
        }
    }

    @Override
    public void sgemm(Transpose ta, Transpose tb, float alpha, FMatrix a, FMatrix b, float beta, FMatrix c) {
        int m = c.rows();
        int n = c.cols();
        int k = ta == Transpose.NO ? a.cols() : a.rows();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int p = 0; p < k; p++) {
                    float x = ta == Transpose.NO ? a.get(i, p) : a.get(p, i);
                    float y = tb == Transpose.NO ? b.get(p, j) : b.get(j, p);
                    s += x * y;
                }
                c.set(i, j, beta == 0 ? alpha * s : alpha * s + beta * c.get(i, j));
            }
        }
    }

    // ------------------------------------------------------------------ Gram (syrk)

    @Override
    public void dsyrk(Transpose trans, double alpha, DMatrix a, double beta, DMatrix c) {
        int n = c.rows();
        int k = trans == Transpose.YES ? a.rows() : a.cols();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += trans == Transpose.YES ? a.get(p, i) * a.get(p, j) : a.get(i, p) * a.get(j, p);
                }
                double v = beta == 0 ? alpha * s : alpha * s + beta * c.get(i, j);
                c.set(i, j, v);
                c.set(j, i, v);
            }
        }
    }

    @Override
    public void ssyrk(Transpose trans, float alpha, FMatrix a, float beta, FMatrix c) {
        int n = c.rows();
        int k = trans == Transpose.YES ? a.rows() : a.cols();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                float s = 0;
                for (int p = 0; p < k; p++) {
                    s += trans == Transpose.YES ? a.get(p, i) * a.get(p, j) : a.get(i, p) * a.get(j, p);
                }
                float v = beta == 0 ? alpha * s : alpha * s + beta * c.get(i, j);
                c.set(i, j, v);
                c.set(j, i, v);
            }
        }
    }

    // ------------------------------------------------------------------ Cholesky

    /** Unblocked Cholesky-Crout, column by column: {@code L_jj = sqrt(A_jj - sum_k L_jk^2)}. */
    @Override
    public void dpotrf(DMatrix a) {
        int n = a.rows();
        for (int j = 0; j < n; j++) {
            double d = a.get(j, j);
            for (int k = 0; k < j; k++) {
                d -= a.get(j, k) * a.get(j, k);
            }
            if (!(d > 0)) {
                throw new NotPositiveDefiniteException(j, d);
            }
            double ljj = Math.sqrt(d);
            a.set(j, j, ljj);
            for (int i = j + 1; i < n; i++) {
                double s = a.get(i, j);
                for (int k = 0; k < j; k++) {
                    s -= a.get(i, k) * a.get(j, k);
                }
                a.set(i, j, s / ljj);
            }
            for (int i = 0; i < j; i++) {
                a.set(i, j, 0.0);
            }
        }
    }

    @Override
    public void spotrf(FMatrix a) {
        int n = a.rows();
        for (int j = 0; j < n; j++) {
            float d = a.get(j, j);
            for (int k = 0; k < j; k++) {
                d -= a.get(j, k) * a.get(j, k);
            }
            if (!(d > 0)) {
                throw new NotPositiveDefiniteException(j, d);
            }
            float ljj = (float) Math.sqrt(d);
            a.set(j, j, ljj);
            for (int i = j + 1; i < n; i++) {
                float s = a.get(i, j);
                for (int k = 0; k < j; k++) {
                    s -= a.get(i, k) * a.get(j, k);
                }
                a.set(i, j, s / ljj);
            }
            for (int i = 0; i < j; i++) {
                a.set(i, j, 0.0f);
            }
        }
    }

    /** Forward substitution (L X = B) or back substitution (LT X = B), one right-hand side column at a time. */
    @Override
    public void dtrsm(Transpose trans, DMatrix l, DMatrix b) {
        int n = l.rows();
        int m = b.cols();
        for (int c = 0; c < m; c++) {
            if (trans == Transpose.NO) {
                for (int i = 0; i < n; i++) {
                    double s = b.get(i, c);
                    for (int k = 0; k < i; k++) {
                        s -= l.get(i, k) * b.get(k, c);
                    }
                    b.set(i, c, s / l.get(i, i));
                }
            } else {
                for (int i = n - 1; i >= 0; i--) {
                    double s = b.get(i, c);
                    for (int k = i + 1; k < n; k++) {
                        s -= l.get(k, i) * b.get(k, c);
                    }
                    b.set(i, c, s / l.get(i, i));
                }
            }
        }
    }

    @Override
    public void strsm(Transpose trans, FMatrix l, FMatrix b) {
        int n = l.rows();
        int m = b.cols();
        for (int c = 0; c < m; c++) {
            if (trans == Transpose.NO) {
                for (int i = 0; i < n; i++) {
                    float s = b.get(i, c);
                    for (int k = 0; k < i; k++) {
                        s -= l.get(i, k) * b.get(k, c);
                    }
                    b.set(i, c, s / l.get(i, i));
                }
            } else {
                for (int i = n - 1; i >= 0; i--) {
                    float s = b.get(i, c);
                    for (int k = i + 1; k < n; k++) {
                        s -= l.get(k, i) * b.get(k, c);
                    }
                    b.set(i, c, s / l.get(i, i));
                }
            }
        }
    }

    // ------------------------------------------------------------------ level 1

    @Override
    public double ddot(int n, double[] x, int xo, double[] y, int yo) {
        double s = 0;
        for (int k = 0; k < n; k++) {
            s += x[xo + k] * y[yo + k];
        }
        return s;
    }

    @Override
    public double sdot(int n, float[] x, int xo, float[] y, int yo) {
        double s = 0;
        for (int k = 0; k < n; k++) {
            s += (double) x[xo + k] * y[yo + k];
        }
        return s;
    }

    @Override
    public void daxpy(int n, double alpha, double[] x, int xo, double[] y, int yo) {
        for (int k = 0; k < n; k++) {
            y[yo + k] += alpha * x[xo + k];
        }
    }

    @Override
    public void saxpy(int n, float alpha, float[] x, int xo, float[] y, int yo) {
        for (int k = 0; k < n; k++) {
            y[yo + k] += alpha * x[xo + k];
        }
    }

    @Override
    public void dscal(int n, double alpha, double[] x, int xo) {
        for (int k = 0; k < n; k++) {
            x[xo + k] *= alpha;
        }
    }

    @Override
    public void sscal(int n, float alpha, float[] x, int xo) {
        for (int k = 0; k < n; k++) {
            x[xo + k] *= alpha;
        }
    }
}
