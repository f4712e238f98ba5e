package org.loes4j.linalg.regression;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;

/**
 * One fold of a k-fold cross-validated ridge over a lambda grid, and the choice of lambda from the fold
 * scores: the shared core of the layer probe ({@code selection.probe.LayerProbe}) and of the closed-form ridge
 * probe ({@code training}).
 *
 * <p>A fold: standardise the training and held-out rows by the training rows' statistics ({@link Standardiser}),
 * ONE eigen-decomposition for the whole path ({@link RidgePath}), then every lambda scored on the held-out
 * rows:
 * <ul>
 *   <li>classification (one-hot targets): accuracy of the argmax, the lowest class on a tie, and macro-F1 over
 *       the classes present in the held-out truth or predictions;</li>
 *   <li>regression: R^2 = 1 - SSE/SST with SST around the held-out mean, averaged over target columns
 *       (scikit-learn's {@code r2_score}).</li>
 * </ul>
 * The CV score of a lambda is the unweighted mean of its fold scores, and {@link #choose} takes the largest
 * lambda whose CV score is within {@link #TIE_TOLERANCE} of the best (more regularisation on a tie).
 */
public final class RidgeCv {
    /**
     * Two CV scores closer than this (relative to the larger magnitude, at least absolute) are a tie: fold means of
     * the same accuracies summed in another order may differ in the last bits.
     */
    public static final double TIE_TOLERANCE = 1e-12;

    private RidgeCv() {
    }

    /**
     * The held-out scores of one fold, one per lambda of the grid.
     *
     * @param scores  accuracy (classification) or R^2 (regression) per lambda
     * @param macroF1 macro-F1 per lambda (classification), null for regression
     * @param dual    whether the fold went through the n x n kernel (width &gt; training rows)
     */
    public record FoldScores(double[] scores, double[] macroF1, boolean dual) {
    }

    /**
     * Scores every lambda of a one-hot least-squares classifier on one fold. Standardises {@code train} (n x d)
     * and {@code heldOut} (m x d) IN PLACE.
     *
     * @param oneHot         the training rows' one-hot classes, n x C (not modified)
     * @param heldOutClasses the held-out rows' class codes in [0, C)
     * @param lambdas        ridge strengths, each finite and &gt; 0
     */
    public static FoldScores classification(Linalg linalg, DMatrix train, DMatrix oneHot, DMatrix heldOut,
                                            int[] heldOutClasses, double[] lambdas) {
        if (heldOutClasses == null || heldOut == null || heldOutClasses.length != heldOut.rows()) {
            throw new IllegalArgumentException("heldOutClasses: " + (heldOutClasses == null ? "null"
                    : heldOutClasses.length + " classes for " + (heldOut == null ? "no" : heldOut.rows())
                    + " held-out rows"));
        }
        RidgePath path = path(linalg, train, oneHot, heldOut);
        int c = oneHot.cols();
        DMatrix pred = DMatrix.zeros(heldOut.rows(), c);
        int[] predicted = new int[heldOut.rows()];
        double[] s = new double[lambdas.length];
        double[] g = new double[lambdas.length];
        for (int l = 0; l < lambdas.length; l++) {
            path.predict(lambdas[l], pred);
            Scores.argmax(pred, predicted);
            s[l] = Scores.accuracy(predicted, heldOutClasses);
            g[l] = Scores.macroF1(predicted, heldOutClasses, c);
        }
        return new FoldScores(s, g, path.dual());
    }

    /**
     * Scores every lambda of a least-squares regression on one fold by R^2. Standardises {@code train} (n x d)
     * and {@code heldOut} (m x d) IN PLACE.
     *
     * @param targets        the training rows' targets, n x c (not modified)
     * @param heldOutTargets the held-out rows' targets, m x c
     * @param lambdas        ridge strengths, each finite and &gt; 0
     */
    public static FoldScores regression(Linalg linalg, DMatrix train, DMatrix targets, DMatrix heldOut,
                                        DMatrix heldOutTargets, double[] lambdas) {
        if (heldOutTargets == null || heldOut == null || heldOutTargets.rows() != heldOut.rows()
                || heldOutTargets.cols() != (targets == null ? -1 : targets.cols())) {
            throw new IllegalArgumentException("heldOutTargets: " + (heldOutTargets == null ? "null"
                    : heldOutTargets.rows() + " x " + heldOutTargets.cols()) + " for "
                    + (heldOut == null ? "no" : heldOut.rows()) + " held-out rows and "
                    + (targets == null ? "no" : targets.cols()) + " target columns");
        }
        RidgePath path = path(linalg, train, targets, heldOut);
        DMatrix pred = DMatrix.zeros(heldOut.rows(), targets.cols());
        double[] s = new double[lambdas.length];
        for (int l = 0; l < lambdas.length; l++) {
            path.predict(lambdas[l], pred);
            s[l] = Scores.r2(pred, heldOutTargets);
        }
        return new FoldScores(s, null, path.dual());
    }

    private static RidgePath path(Linalg linalg, DMatrix train, DMatrix targets, DMatrix heldOut) {
        if (train == null || heldOut == null) {
            throw new IllegalArgumentException((train == null ? "train" : "heldOut") + ": null");
        }
        Standardiser st = Standardiser.of(train);
        st.apply(train);
        st.apply(heldOut);
        return RidgePath.fit(linalg, train, targets, heldOut);
    }

    /**
     * The index of the chosen lambda: the largest index whose CV score {@code cvMean[l]} is within
     * {@link #TIE_TOLERANCE} (relative to the best's magnitude, at least absolute) of the best. With an ascending
     * grid that is the most regularised of the (tied) best.
     *
     * @throws IllegalArgumentException naming {@code cvMean} when it is null or empty
     */
    public static int choose(double[] cvMean) {
        if (cvMean == null || cvMean.length == 0) {
            throw new IllegalArgumentException("cvMean: " + (cvMean == null ? "null" : "empty"));
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double m : cvMean) {
            max = Math.max(max, m);
        }
        double floor = max - TIE_TOLERANCE * Math.max(1, Math.abs(max));
        int best = 0;
        for (int l = 0; l < cvMean.length; l++) {
            if (cvMean[l] >= floor) {
                best = l;
            }
        }
        return best;
    }

    /**
     * {@code points} values log-spaced from {@code from} to {@code to} (both included, exactly):
     * {@code 10^(log10(from) + i (log10(to) - log10(from)) / (points - 1))}.
     *
     * @throws IllegalArgumentException naming {@code lambdas} when from or to is not finite and &gt; 0, to &lt;
     *         from, points &lt; 1, or one point is asked for a range
     */
    public static double[] logGrid(double from, double to, int points) {
        if (!(from > 0) || !Double.isFinite(from) || !(to > 0) || !Double.isFinite(to)) {
            throw new IllegalArgumentException("lambdas: range " + from + " to " + to + " must be finite and > 0");
        }
        if (to < from) {
            throw new IllegalArgumentException("lambdas: range " + from + " to " + to + " is decreasing");
        }
        if (points < 1 || points == 1 && from != to) {
            throw new IllegalArgumentException("lambdas: " + points + " point(s) for the range " + from + " to " + to
                    + "; need >= 2 (or from == to for one)");
        }
        double[] g = new double[points];
        double lo = Math.log10(from);
        double step = points == 1 ? 0 : (Math.log10(to) - lo) / (points - 1);
        for (int i = 0; i < points; i++) {
            g[i] = Math.pow(10, lo + i * step);
        }
        g[0] = from;
        g[points - 1] = to;
        return g;
    }
}
