package org.loes4j.linalg.simd;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Transpose;

/**
 * Shared helpers for comparing a fast product with the scalar reference. The tolerance follows the
 * standard error bound of a k-term dot product, {@code |fl(s) - s| <= k u (|A||B|)_ij}: two
 * implementations summing in different orders may differ by twice that, plus the roundings of the
 * alpha/beta update.
 */
final class ProductCheck {
    /** Unit roundoff of float32 and float64. */
    static final double FLOAT_UNIT = Math.ulp(1.0f) / 2;
    static final double DOUBLE_UNIT = Math.ulp(1.0) / 2;
    /** Margin over the worst-case bound {@code 2 (k + 2) u}; the bound itself is already pessimistic. */
    static final double BOUND_FACTOR = 2.0;

    private ProductCheck() {
    }

    /** A rows x cols view at (1, 2) inside a larger random matrix with 5 spare columns (stride > cols). */
    static DMatrix stridedD(int rows, int cols, SplittableRandom rng) {
        return DMatrix.random(rows + 3, cols + 5, rng).view(1, 2, rows, cols);
    }

    static FMatrix stridedF(int rows, int cols, SplittableRandom rng) {
        return FMatrix.random(rows + 3, cols + 5, rng).view(1, 2, rows, cols);
    }

    static double opD(DMatrix x, Transpose t, int i, int j) {
        return t == Transpose.NO ? x.get(i, j) : x.get(j, i);
    }

    static double opF(FMatrix x, Transpose t, int i, int j) {
        return t == Transpose.NO ? x.get(i, j) : x.get(j, i);
    }

    /**
     * Checks {@code |got - want| <= tol} element-wise, with {@code tol = BOUND_FACTOR (k + 2) u (|alpha|
     * (|op(A)| |op(B)|)_ij + |beta c0_ij|)}, where c0 is C before the product (ignored when beta is 0).
     */
    static void assertProductClose(String what, double[][] got, double[][] want, double[][] absProduct,
                                   double alpha, double beta, double[][] c0, int k, double unit) {
        double scale = BOUND_FACTOR * (k + 2) * unit;
        for (int i = 0; i < want.length; i++) {
            for (int j = 0; j < want[i].length; j++) {
                double mag = Math.abs(alpha) * absProduct[i][j] + (beta == 0 ? 0 : Math.abs(beta * c0[i][j]));
                double tol = scale * mag + Double.MIN_NORMAL;
                double err = Math.abs(got[i][j] - want[i][j]);
                if (!(err <= tol)) {
                    fail(what + ": element (" + i + ", " + j + ") is " + got[i][j] + ", reference " + want[i][j]
                            + ", |diff| " + err + " > tolerance " + tol);
                }
            }
        }
    }

    /** {@code (|op(A)| |op(B)|)_ij} in float64, the scale of the rounding error of element (i, j). */
    static double[][] absProductD(Transpose ta, DMatrix a, Transpose tb, DMatrix b, int m, int n, int k) {
        double[][] out = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += Math.abs(opD(a, ta, i, p) * opD(b, tb, p, j));
                }
                out[i][j] = s;
            }
        }
        return out;
    }

    static double[][] absProductF(Transpose ta, FMatrix a, Transpose tb, FMatrix b, int m, int n, int k) {
        double[][] out = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += Math.abs(opF(a, ta, i, p) * opF(b, tb, p, j));
                }
                out[i][j] = s;
            }
        }
        return out;
    }

    static double[][] toDouble(FMatrix m) {
        double[][] out = new double[m.rows()][m.cols()];
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                out[i][j] = m.get(i, j);
            }
        }
        return out;
    }
}
