package org.loes4j.selection.probe;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.Transpose;
import org.loes4j.linalg.decomp.SymmetricEigen;

/**
 * The whole lambda path of one ridge fit from ONE symmetric eigen-decomposition. With the standardised
 * training block X (n x d, columns centred), the centred targets Tc = T - 1 mean(T) (n x c) and the held-out
 * block X' (m x d, standardised with the training statistics):
 * <ul>
 *   <li>primal, d &lt;= n: {@code XT X = V diag(s) VT}, {@code W(lambda) = V diag(1/(s+lambda)) VT XT Tc};
 *       so {@code Z = X' V} (m x d) and {@code B = VT XT Tc} (d x c);</li>
 *   <li>dual, d &gt; n: {@code X XT = U diag(s) UT}, {@code W(lambda) = XT U diag(1/(s+lambda)) UT Tc};
 *       so {@code Z = X' XT U} (m x n) and {@code B = UT Tc} (n x c).</li>
 * </ul>
 * Either way the held-out prediction is {@code P(lambda) = Z diag(1/(s+lambda)) B + 1 mean(T)}: the
 * intercept is mean(T) because the features are centred. Z and B are computed once; each lambda costs one
 * diagonal scaling of B and one m x r x c product. The eigenvalues are clamped at &gt;= 0 (a Gram matrix is
 * positive semi-definite; a negative value is rounding).
 */
final class RidgePath {
    /**
     * A training column whose standard deviation is at most this fraction of its mean's magnitude (or exactly
     * 0) is constant up to rounding: it is standardised to 0, in the training and the held-out rows alike,
     * instead of magnifying rounding noise by 1/std.
     */
    static final double CONSTANT_COLUMN_RELATIVE = 1e-12;

    private final Linalg linalg;
    private final double[] s;
    private final DMatrix z;
    private final DMatrix b;
    private final double[] tMean;
    private final boolean dual;
    private final DMatrix scaled;

    private RidgePath(Linalg linalg, double[] s, DMatrix z, DMatrix b, double[] tMean, boolean dual) {
        this.linalg = linalg;
        this.s = s;
        this.z = z;
        this.b = b;
        this.tMean = tMean;
        this.dual = dual;
        this.scaled = DMatrix.zeros(b.rows(), b.cols());
    }

    /**
     * Standardises {@code train} and {@code heldOut} in place by the training rows' column means and
     * population standard deviations (divide by n), a constant column becoming 0 (see
     * {@link #CONSTANT_COLUMN_RELATIVE}). Both must be contiguous with the same width.
     */
    static void standardise(DMatrix train, DMatrix heldOut) {
        int n = train.rows();
        int d = train.cols();
        double[] mean = new double[d];
        double[] scale = new double[d];
        double[] x = train.data();
        for (int i = 0; i < n; i++) {
            int o = train.index(i, 0);
            for (int j = 0; j < d; j++) {
                mean[j] += x[o + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            int o = train.index(i, 0);
            for (int j = 0; j < d; j++) {
                double e = x[o + j] - mean[j];
                scale[j] += e * e;
            }
        }
        for (int j = 0; j < d; j++) {
            double std = Math.sqrt(scale[j] / n);
            scale[j] = std == 0 || std <= CONSTANT_COLUMN_RELATIVE * Math.abs(mean[j]) ? 0 : 1 / std;
        }
        apply(train, mean, scale);
        apply(heldOut, mean, scale);
    }

    private static void apply(DMatrix m, double[] mean, double[] scale) {
        double[] x = m.data();
        for (int i = 0; i < m.rows(); i++) {
            int o = m.index(i, 0);
            for (int j = 0; j < m.cols(); j++) {
                x[o + j] = (x[o + j] - mean[j]) * scale[j];
            }
        }
    }

    /**
     * Decomposes once for the standardised {@code train} (n x d), its targets {@code targets} (n x c, not
     * centred; not modified) and the standardised {@code heldOut} rows (m x d).
     */
    static RidgePath fit(Linalg linalg, DMatrix train, DMatrix targets, DMatrix heldOut) {
        int n = train.rows();
        int d = train.cols();
        double[] tMean = linalg.columnMeans(targets);
        DMatrix tc = targets.copy();
        linalg.subtractRow(tc, tMean);
        boolean dual = d > n;
        SymmetricEigen eig = linalg.eigen(dual ? linalg.gramN(train) : linalg.gramT(train), true);
        DMatrix v = eig.vectors();
        DMatrix z;
        DMatrix b;
        if (dual) {
            b = linalg.multiply(Transpose.YES, v, Transpose.NO, tc);
            z = linalg.multiply(linalg.multiply(Transpose.NO, heldOut, Transpose.YES, train), v);
        } else {
            b = linalg.multiply(Transpose.YES, v, Transpose.NO, linalg.multiply(Transpose.YES, train, Transpose.NO, tc));
            z = linalg.multiply(heldOut, v);
        }
        double[] s = eig.values().clone();
        for (int k = 0; k < s.length; k++) {
            s[k] = Math.max(s[k], 0);
        }
        return new RidgePath(linalg, s, z, b, tMean, dual);
    }

    /** True when the fit went through the n x n kernel (d &gt; n). */
    boolean dual() {
        return dual;
    }

    /** Writes the held-out prediction {@code P(lambda)} (m x c) into {@code out}; {@code lambda > 0}. */
    void predict(double lambda, DMatrix out) {
        double[] bd = b.data();
        double[] sd = scaled.data();
        int c = b.cols();
        for (int k = 0; k < s.length; k++) {
            double f = 1 / (s[k] + lambda);
            int ob = b.index(k, 0);
            int os = scaled.index(k, 0);
            for (int j = 0; j < c; j++) {
                sd[os + j] = bd[ob + j] * f;
            }
        }
        linalg.gemm(Transpose.NO, Transpose.NO, 1.0, z, scaled, 0.0, out);
        double[] o = out.data();
        for (int i = 0; i < out.rows(); i++) {
            int oi = out.index(i, 0);
            for (int j = 0; j < c; j++) {
                o[oi + j] += tMean[j];
            }
        }
    }
}
