package org.loes4j.selection;

/**
 * The LOES score of spec section 2, written once.
 * <ul>
 * <li>Initial pick: {@code score0(l) = fitLoss_l + alpha (1 - iso_l)}; label-free {@code alpha (1 - iso_l)}.</li>
 * <li>Later steps: {@code score(l) = resLoss_l + alpha (1 - iso_l) + gamma red(l, S) - eta tri(X~_l)};
 *     label-free without the residual loss (and the triangle term is then 0).</li>
 * </ul>
 * iso and red are taken on the raw layer, resLoss and tri on the orthogonalised one. Lower is better.
 *
 * @param labelled false for the label-free variant
 */
record LoesScore(double alpha, double gamma, double eta, boolean labelled) {

    static LoesScore of(LoesOptions o, boolean labelled) {
        return new LoesScore(o.alpha(), o.gamma(), o.eta(), labelled);
    }

    /** {@code score0 = fitLoss + alpha (1 - iso)} ({@code alpha (1 - iso)} label-free; fitLoss ignored). */
    double initial(double fitLoss, double isotropy) {
        return labelled ? fitLoss + isotropyTerm(isotropy) : isotropyTerm(isotropy);
    }

    /** {@code score = resLoss + alpha (1 - iso) + gamma red - eta tri} (resLoss ignored label-free). */
    double step(double residualLoss, double isotropy, double redundancy, double triangle) {
        return (labelled ? residualLoss : 0) + isotropyTerm(isotropy) + gamma * redundancy - eta * triangle;
    }

    private double isotropyTerm(double isotropy) {
        return alpha * (1 - isotropy);
    }
}
