package org.loes4j.selection;

/**
 * The LOES score of spec section 2, written once, on the scale of {@link ScoreScale}. Lower is better.
 * <p>Paper ({@link ScoreScale#PAPER}):
 * <ul>
 * <li>Initial pick: {@code score0(l) = fitLoss_l + alpha (1 - iso_l)}; label-free {@code alpha (1 - iso_l)}.</li>
 * <li>Later steps: {@code score(l) = resLoss_l + alpha (1 - iso_l) + gamma red(l, S) - eta tri(X~_l)};
 *     label-free without the residual loss (and the triangle term is then 0).</li>
 * </ul>
 * Calibrated ({@link ScoreScale#CALIBRATED}), every term scale-free:
 * <ul>
 * <li>{@code score0(l) = fitLoss_l / v(T) + alpha / (1 + iso_l)};</li>
 * <li>{@code score(l) = resLoss_l / v(r) + alpha / (1 + iso_l) + gamma red(l, S) - eta tri(X~_l) / B_l},</li>
 * </ul>
 * with {@code v(.)} the mean square of the centred targets (residual) over its N c entries, so a fit term is
 * {@code 1 - R^2} in [0, 1] (a ridge fit never does worse than predicting the mean); {@code 1 / (1 + iso)} in
 * (0, 1]; and {@code B_l = TriangleArea.bound} the largest exact triangle term the class centroids of X~_l can have
 * for their mean squared distance (Weitzenboeck's inequality), so {@code tri / B} is in [0, 1] for the exact
 * estimator, 1 when the centroids form a regular simplex; scale-free, as tri and B both scale with the square of
 * the features.
 * iso and red are taken on the raw layer, resLoss and tri on the orthogonalised one.
 *
 * @param scale    paper or calibrated
 * @param labelled false for the label-free variant
 */
record LoesScore(ScoreScale scale, double alpha, double gamma, double eta, boolean labelled) {

    static LoesScore of(LoesOptions o, boolean labelled) {
        return new LoesScore(o.score(), o.alpha(), o.gamma(), o.eta(), labelled);
    }

    /**
     * {@code score0}. Paper: {@code fitLoss + alpha (1 - iso)} ({@code alpha (1 - iso)} label-free).
     * Calibrated: {@code fitLoss / targetMeanSquare + alpha / (1 + iso)}.
     *
     * @param fitLoss          mean over the N c entries of the squared ridge residual (ignored label-free)
     * @param targetMeanSquare mean over the N c entries of the squared centred targets (calibrated only)
     * @param isotropy         iso of the raw layer
     */
    double initial(double fitLoss, double targetMeanSquare, double isotropy) {
        if (scale == ScoreScale.PAPER) {
            return labelled ? fitLoss + isotropyTerm(isotropy) : isotropyTerm(isotropy);
        }
        double iso = alpha * calibratedIsotropy(isotropy);
        return labelled ? relativeLoss(fitLoss, targetMeanSquare) + iso : iso;
    }

    /**
     * The score of a candidate at a later step. Paper: {@code resLoss + alpha (1 - iso) + gamma red - eta tri}
     * (resLoss ignored label-free). Calibrated: {@code resLoss / residualMeanSquare + alpha / (1 + iso) + gamma red
     * - eta tri / triangleBound}.
     *
     * @param residualMeanSquare mean square of the centred residual r the candidate is fitted to (calibrated only)
     * @param triangleBound      {@code TriangleArea.bound} of the class centroids of X~ (calibrated only; 0 where
     *                           there is no triangle term)
     */
    double step(double residualLoss, double residualMeanSquare, double isotropy, double redundancy, double triangle,
                double triangleBound) {
        if (scale == ScoreScale.PAPER) {
            return (labelled ? residualLoss : 0) + isotropyTerm(isotropy) + gamma * redundancy - eta * triangle;
        }
        return (labelled ? relativeLoss(residualLoss, residualMeanSquare) : 0) + alpha * calibratedIsotropy(isotropy)
                + gamma * redundancy - eta * calibratedTriangle(triangle, triangleBound);
    }

    private double isotropyTerm(double isotropy) {
        return alpha * (1 - isotropy);
    }

    /**
     * {@code loss / meanSquare}, the share of the target's (residual's) variance a ridge leaves unexplained,
     * {@code 1 - R^2}, in [0, 1]; 0 when there is nothing left to explain ({@code meanSquare} 0).
     */
    static double relativeLoss(double loss, double meanSquare) {
        return meanSquare > 0 ? loss / meanSquare : 0;
    }

    /** {@code 1 / (1 + iso)}: in (0, 1], 1 for a rank-0 spectrum, falling as the spectrum flattens. */
    static double calibratedIsotropy(double isotropy) {
        return 1 / (1 + isotropy);
    }

    /**
     * {@code tri / bound}: the mean triangle area as a share of the largest the centroids' spread allows; in [0, 1]
     * for the exact estimator (a sampled one may exceed 1), 0 when the centroids coincide or there is no triangle
     * term.
     */
    static double calibratedTriangle(double triangle, double triangleBound) {
        return triangle > 0 && triangleBound > 0 ? triangle / triangleBound : 0;
    }
}
