package org.loes4j.bench;

import java.util.SplittableRandom;

/**
 * Seeded benchmark inputs, row-major. Every generator takes the seed explicitly; the benchmarks use
 * {@link #SEED} so that every implementation of an operation sees identical data.
 */
public final class Inputs {
    /** The seed every benchmark input is drawn with. */
    public static final long SEED = 20261122L;

    private Inputs() {
    }

    /** rows x cols entries uniform in [-1, 1). */
    public static double[] uniform(int rows, int cols, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] a = new double[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextDouble(-1.0, 1.0);
        }
        return a;
    }

    /** Float32 twin of {@link #uniform}: the same draws rounded to float. */
    public static float[] uniformFloat(int rows, int cols, long seed) {
        double[] d = uniform(rows, cols, seed);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** A symmetric n x n matrix with entries uniform in [-1, 1) (a Wigner-type matrix). */
    public static double[] symmetric(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] a = new double[Math.multiplyExact(n, n)];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = rng.nextDouble(-1.0, 1.0);
                a[i * n + j] = v;
                a[j * n + i] = v;
            }
        }
        return a;
    }

    /**
     * A symmetric positive definite n x n matrix: off-diagonal entries uniform in [-1, 1), diagonal
     * {@code n + 1}, so every row is strictly diagonally dominant (hence positive definite by
     * Gershgorin, with eigenvalues in (1, 2n + 1)).
     */
    public static double[] spd(int n, long seed) {
        double[] a = symmetric(n, seed);
        for (int i = 0; i < n; i++) {
            a[i * n + i] = n + 1.0;
        }
        return a;
    }

    /**
     * A symmetric matrix with known eigenvalues {@code w}: {@code A = H diag(w) H} with the Householder
     * reflection {@code H = I - 2 u uT} (u a seeded random unit vector), which is orthogonal and symmetric.
     * Computed as {@code diag(w) - 2 u (Du)T - 2 (Du) uT + 4 (uT D u) u uT}.
     */
    public static double[] withSpectrum(double[] w, long seed) {
        int n = w.length;
        double[] u = uniform(1, n, seed);
        double norm = 0;
        for (double v : u) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        double udu = 0;
        double[] du = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] /= norm;
            du[i] = w[i] * u[i];
            udu += u[i] * du[i];
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = (i == j ? w[i] : 0.0) - 2 * u[i] * du[j] - 2 * du[i] * u[j] + 4 * udu * u[i] * u[j];
            }
        }
        return a;
    }

    /**
     * Ridge targets {@code T = X W* + 0.1 E} (N x c) for the N x p {@code x}, with W* and E uniform in
     * [-1, 1) drawn from {@code seed}.
     */
    public static double[] ridgeTargets(double[] x, int n, int p, int c, long seed) {
        double[] w = uniform(p, c, seed);
        double[] e = uniform(n, c, seed + 1);
        double[] t = new double[n * c];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < p; k++) {
                double xik = x[i * p + k];
                for (int j = 0; j < c; j++) {
                    t[i * c + j] += xik * w[k * c + j];
                }
            }
            for (int j = 0; j < c; j++) {
                t[i * c + j] += 0.1 * e[i * c + j];
            }
        }
        return t;
    }
}
