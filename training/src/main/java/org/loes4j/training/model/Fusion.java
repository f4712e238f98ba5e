package org.loes4j.training.model;

import java.util.List;

import org.loes4j.linalg.DMatrix;
import org.loes4j.training.nn.Parameter;

/**
 * Turns the per-layer batches (B x d_k each, in selection order; the
 * widths may differ) into the fused batch F (B x D_f) the
 * probe reads, and back-propagates dL/dF into its own parameters (the inputs are data: no gradient
 * flows to them).
 */
public sealed interface Fusion permits AdapterStack, RawConcat, LearnableWeightedSum {

    /** Number of per-layer inputs expected. */
    int inputs();

    /** D_f. */
    int outputDim();

    /** Returns F (new B x D_f matrix); keeps what {@link #backward} needs. */
    DMatrix forward(List<DMatrix> layers);

    /** Adds the parameter gradients for {@code dFused} (B x D_f) of the last forward pass. */
    void backward(DMatrix dFused);

    List<Parameter> parameters();
}
