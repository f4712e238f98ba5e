package org.loes4j.training.model;

import java.util.List;

import org.loes4j.linalg.DMatrix;

/**
 * What a {@link org.loes4j.training.Probe} evaluates on the selected layers: the paper's adapter network
 * ({@link ProbeNetwork}) or the closed-form ridge ({@link RidgeModel}).
 */
public sealed interface ProbeModel permits ProbeNetwork, RidgeModel {

    /** d_k, the width of each input layer, in input order. */
    int[] inputWidths();

    /** C for classification, 1 for regression. */
    int outputs();

    /**
     * The outputs for one batch in evaluation mode, B x {@link #outputs()}: logits (network) or least-squares
     * class scores (ridge) for classification; for regression the network's standardised target or the ridge's
     * value in target units (the {@link org.loes4j.training.Probe} maps both to target units).
     *
     * @param layers h_k, B x d_k each, in input order
     */
    DMatrix evaluate(List<DMatrix> layers);
}
