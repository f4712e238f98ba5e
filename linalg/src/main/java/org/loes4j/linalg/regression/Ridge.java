package org.loes4j.linalg.regression;

import org.loes4j.linalg.Checks;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.Transpose;
import org.loes4j.linalg.decomp.CholeskyFactor;

/**
 * Multi-output ridge regression with intercept:
 * {@code W = (XcT Xc + lambda I)^-1 XcT Tc} (primal, p x p system) or, identically,
 * {@code W = XcT (Xc XcT + lambda I_N)^-1 Tc} (dual / Woodbury, N x N system); intercept
 * {@code b = mean(T) - mean(X) W}. Xc, Tc are the column-centred X (N x p) and T (N x c). Lambda is not
 * scaled by N.
 */
public final class Ridge {

    /** Which linear system a fit solves. */
    public enum Form {
        /** Choose by shape: primal when p &lt;= N, dual otherwise. */
        AUTO,
        /** The p x p system. */
        PRIMAL,
        /** The N x N system. */
        DUAL
    }

    private Ridge() {
    }

    /**
     * Fits a ridge of {@code t} (N x c) on {@code x} (N x p).
     *
     * @param lambda ridge strength, {@code > 0} (it also keeps the system positive definite)
     * @throws IllegalArgumentException naming the argument when shapes disagree, x has no rows, lambda is
     *         not finite and positive, x or t holds a NaN or infinity, or form is null
     */
    public static RidgeFit fit(Linalg linalg, DMatrix x, DMatrix t, double lambda, Form form) {
        if (form == null) {
            throw new IllegalArgumentException("form: null; use Form.AUTO to choose by shape");
        }
        if (x.rows() != t.rows()) {
            throw new IllegalArgumentException("t: has " + t.rows() + " rows, x has " + x.rows());
        }
        if (x.rows() < 1) {
            throw new IllegalArgumentException("x: needs at least 1 row, has 0");
        }
        if (!(lambda > 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda: " + lambda + " must be finite and > 0");
        }
        // A NaN would otherwise surface as a "not positive definite" pivot far from its cause.
        Checks.finite("x", x);
        Checks.finite("t", t);
        int n = x.rows();
        int p = x.cols();
        Form used = form == Form.AUTO ? (p <= n ? Form.PRIMAL : Form.DUAL) : form;
        double[] xMean = linalg.columnMeans(x);
        double[] tMean = linalg.columnMeans(t);
        DMatrix xc = x.copy();
        linalg.subtractRow(xc, xMean);
        DMatrix tc = t.copy();
        linalg.subtractRow(tc, tMean);
        DMatrix w;
        if (used == Form.PRIMAL) {
            DMatrix g = linalg.gramT(xc);
            addDiagonal(g, lambda);
            DMatrix rhs = linalg.multiply(Transpose.YES, xc, Transpose.NO, tc);
            w = linalg.cholesky(g).solve(rhs);
        } else {
            DMatrix k = linalg.gramN(xc);
            addDiagonal(k, lambda);
            CholeskyFactor f = linalg.cholesky(k);
            DMatrix alpha = f.solve(tc);
            w = linalg.multiply(Transpose.YES, xc, Transpose.NO, alpha);
        }
        double[] bias = tMean.clone();
        for (int j = 0; j < p; j++) {
            double m = xMean[j];
            if (m != 0) {
                for (int c = 0; c < bias.length; c++) {
                    bias[c] -= m * w.get(j, c);
                }
            }
        }
        return new RidgeFit(w, bias, used, lambda);
    }

    /** Adds {@code v} to the diagonal of the square {@code a}. */
    public static void addDiagonal(DMatrix a, double v) {
        Checks.square("a", a);
        for (int i = 0; i < a.rows(); i++) {
            a.set(i, i, a.get(i, i) + v);
        }
    }
}
