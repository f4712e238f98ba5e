package org.loes4j.linalg.regression;

import org.loes4j.linalg.Checks;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.Transpose;
import org.loes4j.linalg.decomp.SymmetricEigen;

/**
 * The whole lambda path of one ridge fit from ONE symmetric eigen-decomposition. With the standardised
 * training block X (n x d, columns centred), the centred targets Tc = T - 1 mean(T) (n x c) and the held-out
 * block X' (m x d, standardised with the training statistics, see {@link Standardiser}):
 * <ul>
 *   <li>primal, d &lt;= n: {@code XT X = V diag(s) VT}, {@code W(lambda) = V diag(1/(s+lambda)) VT XT Tc};
 *       so {@code Z = X' V} (m x d) and {@code B = VT XT Tc} (d x c);</li>
 *   <li>dual, d &gt; n: {@code X XT = U diag(s) UT}, {@code W(lambda) = XT U diag(1/(s+lambda)) UT Tc};
 *       so {@code Z = X' XT U} (m x n) and {@code B = UT Tc} (n x c).</li>
 * </ul>
 * Either way the held-out prediction is {@code P(lambda) = Z diag(1/(s+lambda)) B + 1 mean(T)}: the
 * intercept is mean(T) because the features are centred. Z and B are computed once; each lambda costs one
 * diagonal scaling of B and one m x r x c product ({@link #predict}). The weights themselves at one lambda
 * ({@link #solution}) cost one more product. The eigenvalues are clamped at &gt;= 0 (a Gram matrix is positive
 * semi-definite; a negative value is rounding). Lambda is not scaled by n. All arithmetic is float64.
 *
 * <p>Used by the cross-validated layer probe ({@code selection.probe.LayerProbe}) through {@link RidgeCv}, and
 * by the closed-form ridge probe of {@code training}, which refits at the chosen lambda on all its training rows.
 */
public final class RidgePath {
    private final Linalg linalg;
    private final double[] s;
    private final DMatrix v;
    private final DMatrix train;
    private final DMatrix z;
    private final DMatrix b;
    private final double[] tMean;
    private final boolean dual;
    private final DMatrix scaled;

    private RidgePath(Linalg linalg, double[] s, DMatrix v, DMatrix train, DMatrix z, DMatrix b, double[] tMean,
                      boolean dual) {
        this.linalg = linalg;
        this.s = s;
        this.v = v;
        this.train = train;
        this.z = z;
        this.b = b;
        this.tMean = tMean;
        this.dual = dual;
        this.scaled = DMatrix.zeros(b.rows(), b.cols());
    }

    /**
     * Decomposes once for the standardised {@code train} (n x d), its targets {@code targets} (n x c, not
     * centred; not modified) and the standardised {@code heldOut} rows (m x d), or none ({@code null}: only
     * {@link #solution} is then available). {@code train} is kept (not copied) for the dual solution: do not
     * modify it while this path is in use.
     *
     * @throws IllegalArgumentException naming the argument when one is null, has no rows, or the shapes disagree
     */
    public static RidgePath fit(Linalg linalg, DMatrix train, DMatrix targets, DMatrix heldOut) {
        if (linalg == null || train == null || targets == null) {
            throw new IllegalArgumentException((linalg == null ? "linalg" : train == null ? "train" : "targets")
                    + ": null");
        }
        if (train.rows() < 1) {
            throw new IllegalArgumentException("train: needs at least 1 row, has 0");
        }
        if (targets.rows() != train.rows()) {
            throw new IllegalArgumentException("targets: " + targets.rows() + " rows, train has " + train.rows());
        }
        if (heldOut != null) {
            Checks.dimension("heldOut columns", heldOut.cols(), train.cols());
        }
        int n = train.rows();
        int d = train.cols();
        double[] tMean = linalg.columnMeans(targets);
        DMatrix tc = targets.copy();
        linalg.subtractRow(tc, tMean);
        boolean dual = d > n;
        SymmetricEigen eig = linalg.eigen(dual ? linalg.gramN(train) : linalg.gramT(train), true);
        DMatrix v = eig.vectors();
        DMatrix z = null;
        DMatrix b;
        if (dual) {
            b = linalg.multiply(Transpose.YES, v, Transpose.NO, tc);
            if (heldOut != null) {
                z = linalg.multiply(linalg.multiply(Transpose.NO, heldOut, Transpose.YES, train), v);
            }
        } else {
            b = linalg.multiply(Transpose.YES, v, Transpose.NO, linalg.multiply(Transpose.YES, train, Transpose.NO, tc));
            if (heldOut != null) {
                z = linalg.multiply(heldOut, v);
            }
        }
        double[] s = eig.values().clone();
        for (int k = 0; k < s.length; k++) {
            s[k] = Math.max(s[k], 0);
        }
        return new RidgePath(linalg, s, v, dual ? train : null, z, b, tMean, dual);
    }

    /** True when the fit went through the n x n kernel (d &gt; n). */
    public boolean dual() {
        return dual;
    }

    /** c, the number of target columns. */
    public int targets() {
        return b.cols();
    }

    /**
     * Writes the held-out prediction {@code P(lambda)} (m x c) into {@code out}.
     *
     * @throws IllegalStateException    when the path was fitted without held-out rows
     * @throws IllegalArgumentException naming {@code lambda} (not finite and &gt; 0) or {@code out} (not m x c)
     */
    public void predict(double lambda, DMatrix out) {
        if (z == null) {
            throw new IllegalStateException("predict: this path was fitted without held-out rows");
        }
        checkLambda(lambda);
        Checks.dimension("out rows", out.rows(), z.rows());
        Checks.dimension("out columns", out.cols(), b.cols());
        scaleB(lambda, scaled);
        linalg.gemm(Transpose.NO, Transpose.NO, 1.0, z, scaled, 0.0, out);
        int c = b.cols();
        double[] o = out.data();
        for (int i = 0; i < out.rows(); i++) {
            int oi = out.index(i, 0);
            for (int j = 0; j < c; j++) {
                o[oi + j] += tMean[j];
            }
        }
    }

    /**
     * The ridge at {@code lambda} on the standardised features: weights {@code W(lambda)} (d x c) and intercept
     * mean(T), as a {@link RidgeFit} whose {@link RidgeFit#predict} applies to rows standardised like the
     * training rows.
     *
     * @throws IllegalArgumentException naming {@code lambda} when it is not finite and &gt; 0
     */
    public RidgeFit solution(double lambda) {
        checkLambda(lambda);
        DMatrix coefficients = DMatrix.zeros(b.rows(), b.cols());
        scaleB(lambda, coefficients);
        DMatrix w = dual
                ? linalg.multiply(Transpose.YES, train, Transpose.NO, linalg.multiply(v, coefficients))
                : linalg.multiply(v, coefficients);
        return new RidgeFit(w, tMean.clone(), dual ? Ridge.Form.DUAL : Ridge.Form.PRIMAL, lambda);
    }

    /** {@code dst = diag(1/(s+lambda)) B}. */
    private void scaleB(double lambda, DMatrix dst) {
        double[] bd = b.data();
        double[] sd = dst.data();
        int c = b.cols();
        for (int k = 0; k < s.length; k++) {
            double f = 1 / (s[k] + lambda);
            int ob = b.index(k, 0);
            int os = dst.index(k, 0);
            for (int j = 0; j < c; j++) {
                sd[os + j] = bd[ob + j] * f;
            }
        }
    }

    private static void checkLambda(double lambda) {
        if (!(lambda > 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda: " + lambda + " must be finite and > 0");
        }
    }
}
