package org.loes4j.linalg.decomp;

import java.util.SplittableRandom;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;

/** Test matrices with known structure and the measures the eigen tests assert on. */
public final class EigenTestSupport {
    private EigenTestSupport() {
    }

    /** A random symmetric n x n matrix, entries uniform in [-1, 1). */
    public static DMatrix randomSymmetric(int n, SplittableRandom rng) {
        DMatrix a = DMatrix.zeros(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double x = rng.nextDouble(-1.0, 1.0);
                a.set(i, j, x);
                a.set(j, i, x);
            }
        }
        return a;
    }

    /**
     * A random orthogonal n x n matrix: the product of n Householder reflectors {@code I - 2 u uT / uT u}
     * with Gaussian-like random u (each reflector is orthogonal, so the product is).
     */
    public static DMatrix randomOrthogonal(int n, SplittableRandom rng) {
        DMatrix q = DMatrix.identity(n);
        double[] u = new double[n];
        for (int r = 0; r < n; r++) {
            double uu = 0;
            for (int i = 0; i < n; i++) {
                u[i] = rng.nextDouble(-1.0, 1.0) + rng.nextDouble(-1.0, 1.0);
                uu += u[i] * u[i];
            }
            // Q <- Q (I - 2 u uT / uu): each row of Q loses its component along u, twice.
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += q.get(i, j) * u[j];
                }
                double f = 2 * s / uu;
                for (int j = 0; j < n; j++) {
                    q.set(i, j, q.get(i, j) - f * u[j]);
                }
            }
        }
        return q;
    }

    /** {@code Q diag(s) QT} for a random orthogonal Q: a symmetric matrix with spectrum s. */
    public static DMatrix withSpectrum(double[] s, SplittableRandom rng) {
        int n = s.length;
        DMatrix q = randomOrthogonal(n, rng);
        DMatrix a = DMatrix.zeros(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = 0;
                for (int k = 0; k < n; k++) {
                    v += q.get(i, k) * s[k] * q.get(j, k);
                }
                a.set(i, j, v);
                a.set(j, i, v);
            }
        }
        return a;
    }

    /** The Gram matrix {@code XT X} (dim x dim) of {@code samples} random rows: rank min(samples, dim). */
    public static DMatrix gram(int samples, int dim, SplittableRandom rng) {
        DMatrix x = DMatrix.random(samples, dim, rng);
        DMatrix g = DMatrix.zeros(dim, dim);
        for (int r = 0; r < samples; r++) {
            for (int i = 0; i < dim; i++) {
                double xi = x.get(r, i);
                for (int j = 0; j <= i; j++) {
                    g.set(i, j, g.get(i, j) + xi * x.get(r, j));
                }
            }
        }
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < i; j++) {
                g.set(j, i, g.get(i, j));
            }
        }
        return g;
    }

    /** {@code ||A||_F}. */
    public static double frobenius(DMatrix a) {
        double s = 0;
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                s += a.get(i, j) * a.get(i, j);
            }
        }
        return Math.sqrt(s);
    }

    /** {@code max_j ||A v_j - w_j v_j||_2 / ||A||_F} (0 for the zero matrix means absolute). */
    public static double worstResidual(DMatrix a, double[] w, DMatrix v) {
        int n = a.rows();
        double norm = frobenius(a);
        double worst = 0;
        for (int j = 0; j < n; j++) {
            double r2 = 0;
            for (int i = 0; i < n; i++) {
                double s = -w[j] * v.get(i, j);
                for (int k = 0; k < n; k++) {
                    s += a.get(i, k) * v.get(k, j);
                }
                r2 += s * s;
            }
            worst = Math.max(worst, Math.sqrt(r2) / (norm == 0 ? 1 : norm));
        }
        return worst;
    }

    /** {@code max_ij |(VT V - I)_ij|}. */
    public static double orthogonalityError(DMatrix v) {
        int n = v.cols();
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k < v.rows(); k++) {
                    s += v.get(k, i) * v.get(k, j);
                }
                worst = Math.max(worst, Math.abs(s - (i == j ? 1 : 0)));
            }
        }
        return worst;
    }

    /** {@code max_i |x_i - y_i|}. */
    public static double maxAbsDifference(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new AssertionError("lengths differ: " + x.length + " vs " + y.length);
        }
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(x[i] - y[i]));
        }
        return worst;
    }

    /** {@code max_i |x_i|}, 1 for an empty or zero vector (a scale for relative comparisons). */
    public static double scale(double[] x) {
        double m = 0;
        for (double v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m == 0 ? 1 : m;
    }

    /** A float64 copy of a float32 matrix. */
    public static DMatrix widen(FMatrix a) {
        DMatrix d = DMatrix.zeros(a.rows(), a.cols());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                d.set(i, j, a.get(i, j));
            }
        }
        return d;
    }
}
