package org.loes4j.nativebindings.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Transpose;

/**
 * Test matrices and comparison measures shared by the native backend tests. Product tolerances follow the
 * error bound of a k-term dot product, {@code |fl(s) - s| <= k u (|A||B|)_ij}; two implementations summing
 * in different orders may differ by twice that, plus the roundings of the alpha/beta update.
 */
public final class Checks {
    /** Unit roundoff of float32 and float64. */
    public static final double FLOAT_UNIT = Math.ulp(1.0f) / 2;
    public static final double DOUBLE_UNIT = Math.ulp(1.0) / 2;
    /** Margin over the worst-case product bound {@code 2 (k + 2) u}. */
    public static final double BOUND_FACTOR = 2.0;

    private Checks() {
    }

    /** A rows x cols view at (1, 2) inside a larger random matrix (stride > cols). */
    public static DMatrix stridedD(int rows, int cols, SplittableRandom rng) {
        return DMatrix.random(rows + 3, cols + 5, rng).view(1, 2, rows, cols);
    }

    public static FMatrix stridedF(int rows, int cols, SplittableRandom rng) {
        return FMatrix.random(rows + 3, cols + 5, rng).view(1, 2, rows, cols);
    }

    public static double op(DMatrix x, Transpose t, int i, int j) {
        return t == Transpose.NO ? x.get(i, j) : x.get(j, i);
    }

    public static double op(FMatrix x, Transpose t, int i, int j) {
        return t == Transpose.NO ? x.get(i, j) : x.get(j, i);
    }

    /** {@code (|alpha| |op(A)| |op(B)| + |beta| |C0|)_ij}, the magnitude the rounding bound scales with. */
    public static double[][] magnitude(Transpose ta, Transpose tb, double alpha, double[][] a, double[][] b,
                                       double beta, double[][] c0) {
        int m = c0.length;
        int n = m == 0 ? 0 : c0[0].length;
        int k = ta == Transpose.NO ? (a.length == 0 ? 0 : a[0].length) : a.length;
        double[][] out = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double x = ta == Transpose.NO ? a[i][p] : a[p][i];
                    double y = tb == Transpose.NO ? b[p][j] : b[j][p];
                    s += Math.abs(x * y);
                }
                out[i][j] = Math.abs(alpha) * s + (beta == 0 ? 0 : Math.abs(beta * c0[i][j]));
            }
        }
        return out;
    }

    /** Element-wise {@code |got - want| <= BOUND_FACTOR (k + 2) u mag_ij} (plus the smallest normal). */
    public static void assertClose(String what, double[][] got, double[][] want, double[][] mag, int k, double unit) {
        double scale = BOUND_FACTOR * (k + 2) * unit;
        for (int i = 0; i < want.length; i++) {
            for (int j = 0; j < want[i].length; j++) {
                double tol = scale * mag[i][j] + Double.MIN_NORMAL;
                double err = Math.abs(got[i][j] - want[i][j]);
                if (!(err <= tol)) {
                    fail(what + ": element (" + i + ", " + j + ") is " + got[i][j] + ", reference " + want[i][j]
                            + ", |diff| " + err + " > tolerance " + tol);
                }
            }
        }
    }

    public static double[][] widen(float[][] f) {
        double[][] d = new double[f.length][];
        for (int i = 0; i < f.length; i++) {
            d[i] = new double[f[i].length];
            for (int j = 0; j < f[i].length; j++) {
                d[i][j] = f[i][j];
            }
        }
        return d;
    }

    /** A well-conditioned SPD matrix {@code X XT / n + I} from a seeded random X. */
    public static DMatrix spd(int n, SplittableRandom rng) {
        DMatrix x = DMatrix.random(n, n, rng);
        DMatrix a = DMatrix.zeros(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += x.get(i, k) * x.get(j, k);
                }
                s /= Math.max(1, n);
                if (i == j) {
                    s += 1;
                }
                a.set(i, j, s);
                a.set(j, i, s);
            }
        }
        return a;
    }

    /** {@code Q diag(s) QT} with Q orthogonal (a product of n random Householder reflectors). */
    public static DMatrix withSpectrum(double[] s, SplittableRandom rng) {
        int n = s.length;
        DMatrix q = DMatrix.identity(n);
        double[] u = new double[n];
        for (int r = 0; r < n; r++) {
            double uu = 0;
            for (int i = 0; i < n; i++) {
                u[i] = rng.nextDouble(-1.0, 1.0);
                uu += u[i] * u[i];
            }
            for (int i = 0; i < n; i++) {
                double dot = 0;
                for (int j = 0; j < n; j++) {
                    dot += q.get(i, j) * u[j];
                }
                double f = 2 * dot / uu;
                for (int j = 0; j < n; j++) {
                    q.set(i, j, q.get(i, j) - f * u[j]);
                }
            }
        }
        DMatrix a = DMatrix.zeros(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = 0;
                for (int k = 0; k < n; k++) {
                    v += q.get(i, k) * s[k] * q.get(j, k);
                }
                a.set(i, j, v);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                a.set(j, i, a.get(i, j));
            }
        }
        return a;
    }

    public static double frobenius(DMatrix a) {
        double s = 0;
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                s += a.get(i, j) * a.get(i, j);
            }
        }
        return Math.sqrt(s);
    }

    /** {@code ||L LT - A||_F / ||A||_F}, L the lower triangle of {@code l}. */
    public static double reconstructionError(DMatrix l, DMatrix a) {
        int n = a.rows();
        double err = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k <= Math.min(i, j); k++) {
                    s += l.get(i, k) * l.get(j, k);
                }
                double d = s - a.get(i, j);
                err += d * d;
            }
        }
        double norm = frobenius(a);
        return Math.sqrt(err) / (norm == 0 ? 1 : norm);
    }

    /** {@code max_i ||A v_i - w_i v_i|| / ||A||_F} over the eigen-pairs (columns of v). */
    public static double eigenResidual(DMatrix a, double[] w, DMatrix v) {
        int n = a.rows();
        double norm = frobenius(a);
        double worst = 0;
        for (int c = 0; c < n; c++) {
            double r = 0;
            for (int i = 0; i < n; i++) {
                double s = -w[c] * v.get(i, c);
                for (int k = 0; k < n; k++) {
                    s += a.get(i, k) * v.get(k, c);
                }
                r += s * s;
            }
            worst = Math.max(worst, Math.sqrt(r) / (norm == 0 ? 1 : norm));
        }
        return worst;
    }

    /** {@code ||VT V - I||_max}. */
    public static double orthogonalityError(DMatrix v) {
        int n = v.cols();
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < v.rows(); k++) {
                    s += v.get(k, i) * v.get(k, j);
                }
                worst = Math.max(worst, Math.abs(s - (i == j ? 1 : 0)));
            }
        }
        return worst;
    }
}
