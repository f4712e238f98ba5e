package org.loes4j.selection.metrics;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;

/**
 * Isotropy of a layer (spec section 1): with {@code S = XcT Xc / N} (d x d) and its eigenvalues clamped at
 * {@code >= 0}, {@code e_1..e_m} (m = d), {@code iso = mean(e) / (std(e) + eps)} with the population std.
 * Higher means a flatter spectrum; scale invariant; a rank-1 S gives {@code 1/sqrt(m-1)}. When d &gt; N the
 * d - N zero eigenvalues still count (paper mode).
 *
 * <p>{@link #fromGram} needs no eigen-decomposition: {@code sum e = tr S} and
 * {@code sum (e - mean)^2 = ||S - mean I||_F^2} (the eigenvalues of S - mean I are e - mean), summed
 * entry by entry so there is no {@code E[e^2] - mean^2} cancellation. For a PSD matrix the clamp only
 * removes rounding noise, so this agrees with {@link #ofEigenvalues} (the test oracle) to rounding.
 */
public final class Isotropy {
    /** The eps of the spec. */
    public static final double DEFAULT_EPS = 1e-9;

    private Isotropy() {
    }

    /**
     * Isotropy from a Gram matrix of the centred layer: either {@code G = XcT Xc} (d x d) or
     * {@code K = Xc XcT} (N x N), which share their non-zero spectrum.
     *
     * @param gram the Gram (g x g, not modified)
     * @param n    rows N the Gram was built from (S = gram / n)
     * @param m    the dimension d whose eigenvalues count ({@code m >= g}; the m - g missing ones are 0)
     */
    public static double fromGram(DMatrix gram, int n, int m, double eps) {
        int g = gram.rows();
        if (gram.cols() != g) {
            throw new IllegalArgumentException("gram: " + gram.shape() + " is not square");
        }
        if (n < 1) {
            throw new IllegalArgumentException("n: " + n + " must be >= 1");
        }
        if (m < g || m < 1) {
            throw new IllegalArgumentException("m: " + m + " must be >= the Gram size " + g + " and >= 1");
        }
        double trace = 0;
        for (int i = 0; i < g; i++) {
            trace += gram.get(i, i);
        }
        double mean = trace / n / m;
        double dev = 0;
        double[] a = gram.data();
        for (int i = 0; i < g; i++) {
            int o = gram.index(i, 0);
            for (int j = 0; j < g; j++) {
                double v = a[o + j] / n;
                if (i == j) {
                    v -= mean;
                }
                dev += v * v;
            }
        }
        dev += (double) (m - g) * mean * mean;
        double std = Math.sqrt(dev / m);
        return mean / (std + eps);
    }

    /** {@code mean(e) / (std(e) + eps)} of the given eigenvalues of S, each clamped at 0 first. */
    public static double ofEigenvalues(double[] eigenvalues, double eps) {
        int m = eigenvalues.length;
        if (m == 0) {
            throw new IllegalArgumentException("eigenvalues: empty");
        }
        double sum = 0;
        for (double e : eigenvalues) {
            sum += Math.max(0, e);
        }
        double mean = sum / m;
        double dev = 0;
        for (double e : eigenvalues) {
            double t = Math.max(0, e) - mean;
            dev += t * t;
        }
        return mean / (Math.sqrt(dev / m) + eps);
    }

    /** Isotropy of the raw layer x (N x d): centres it and uses the smaller Gram. */
    public static double of(Linalg linalg, DMatrix x, double eps) {
        if (x.rows() < 1) {
            throw new IllegalArgumentException("x: needs at least 1 row");
        }
        DMatrix xc = linalg.center(x);
        DMatrix gram = x.cols() <= x.rows() ? linalg.gramT(xc) : linalg.gramN(xc);
        return fromGram(gram, x.rows(), x.cols(), eps);
    }
}
