package org.loes4j.selection;

/**
 * The scale the LOES score's terms are put on before they are weighted and added ({@link LoesOptions#score()}).
 * The README's "Calibrated score" section derives {@link #CALIBRATED}.
 */
public enum ScoreScale {
    /**
     * The paper's score (spec section 2), raw terms: {@code fitLoss + alpha (1 - iso)}, then
     * {@code resLoss + alpha (1 - iso) + gamma red - eta tri}. The fit losses are means over N c target entries
     * (tiny for one-hot targets, the targets' units squared for regression), iso is unbounded and tri scales
     * with the square of the features, so on real layers the isotropy term usually decides the first pick.
     */
    PAPER,
    /**
     * Every term scale-free and in [0, 1]: {@code fitLoss / var(T) + alpha / (1 + iso)}, then
     * {@code resLoss / var(r) + alpha / (1 + iso) + gamma red - eta tri / B}, with var the mean per-entry variance
     * of the centred targets (of the residual at that step), and B the largest value the exact triangle term can
     * take for the class centroids' mean squared distance (a regular simplex reaches it). The fit terms are
     * {@code 1 - R^2}.
     */
    CALIBRATED
}
