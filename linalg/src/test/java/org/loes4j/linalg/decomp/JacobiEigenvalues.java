package org.loes4j.linalg.decomp;

import java.util.Arrays;

import org.loes4j.linalg.DMatrix;

/**
 * Independent test oracle: eigenvalues of a symmetric matrix by the cyclic Jacobi method, which shares
 * nothing with the Householder + QL kernels under test. Each rotation in the plane (p, q) zeroes
 * {@code A[p][q]}: with {@code theta = (a_qq - a_pp) / (2 a_pq)}, {@code t = sign(theta) /
 * (|theta| + sqrt(theta^2 + 1))}, {@code c = 1 / sqrt(t^2 + 1)}, {@code s = t c}, then
 * {@code A <- JT A J}. Sweeps over all pairs repeat until the off-diagonal mass is negligible.
 * O(n^3) per sweep: meant for n up to about 100.
 */
final class JacobiEigenvalues {
    private static final int MAX_SWEEPS = 100;

    private JacobiEigenvalues() {
    }

    /** Eigenvalues of the symmetric {@code a} (full matrix read, lower triangle used), ascending. */
    static double[] of(DMatrix a) {
        int n = a.rows();
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                m[i][j] = a.get(i, j);
                m[j][i] = a.get(i, j);
            }
        }
        double total = 0;
        for (double[] row : m) {
            for (double x : row) {
                total += x * x;
            }
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += m[p][q] * m[p][q];
                }
            }
            if (off <= 1e-32 * total) {
                return sortedDiagonal(m);
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (m[p][q] != 0) {
                        rotate(m, p, q);
                    }
                }
            }
        }
        throw new AssertionError("Jacobi oracle did not converge in " + MAX_SWEEPS + " sweeps");
    }

    private static void rotate(double[][] m, int p, int q) {
        int n = m.length;
        double theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta == 0) {
            t = 1;
        }
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        for (int k = 0; k < n; k++) {
            double kp = m[k][p];
            double kq = m[k][q];
            m[k][p] = c * kp - s * kq;
            m[k][q] = s * kp + c * kq;
        }
        for (int k = 0; k < n; k++) {
            double pk = m[p][k];
            double qk = m[q][k];
            m[p][k] = c * pk - s * qk;
            m[q][k] = s * pk + c * qk;
        }
    }

    private static double[] sortedDiagonal(double[][] m) {
        double[] d = new double[m.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = m[i][i];
        }
        Arrays.sort(d);
        return d;
    }
}
