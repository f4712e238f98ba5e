package org.loes4j.linalg.decomp;

import java.util.SplittableRandom;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Transpose;

/** SPD test matrices and the measures the Cholesky tests assert on. */
public final class CholeskyTestSupport {
    private CholeskyTestSupport() {
    }

    /** A well-conditioned SPD matrix {@code X XT / n + I} from a seeded random X (n x n). */
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

    /** {@code ||L LT - A||_F / ||A||_F}, L taken as the lower triangle of {@code l}. */
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
        double norm = EigenTestSupport.frobenius(a);
        return Math.sqrt(err) / (norm == 0 ? 1 : norm);
    }

    /** {@code ||op(A) X - B||_F / (||A||_F ||X||_F)}. */
    public static double solveResidual(DMatrix a, Transpose trans, DMatrix x, DMatrix b) {
        int n = a.rows();
        double err = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < b.cols(); c++) {
                double s = -b.get(i, c);
                for (int k = 0; k < n; k++) {
                    s += (trans == Transpose.NO ? a.get(i, k) : a.get(k, i)) * x.get(k, c);
                }
                err += s * s;
            }
        }
        double scale = EigenTestSupport.frobenius(a) * EigenTestSupport.frobenius(x);
        return Math.sqrt(err) / (scale == 0 ? 1 : scale);
    }
}
