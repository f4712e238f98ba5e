package org.loes4j.training.geo;

import org.loes4j.linalg.DMatrix;

/**
 * One evaluation of {@link GeoReg} on a batch.
 *
 * @param value         {@code w (isoLoss - ln(area + 1e-6))}, or 0 when inactive
 * @param isotropyLoss  unbiased variance of the eigenvalues of the jittered covariance (NaN when inactive)
 * @param triangleArea  floored area of the sampled centroid triangle (NaN when inactive)
 * @param triplet       the three distinct class indices drawn, or an empty array when inactive
 * @param gradient      {@code d value / d F}, B x D_f (zeros when inactive)
 */
public record GeoRegResult(double value, double isotropyLoss, double triangleArea, int[] triplet, DMatrix gradient) {

    /** True when the term was computed (weight > 0 and at least three classes in the batch). */
    public boolean active() {
        return triplet.length == 3;
    }
}
