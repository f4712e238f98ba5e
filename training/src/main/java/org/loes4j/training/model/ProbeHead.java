package org.loes4j.training.model;

import java.util.List;
import java.util.SplittableRandom;

import org.loes4j.linalg.DMatrix;
import org.loes4j.training.nn.Dropout;
import org.loes4j.training.nn.LayerNorm;
import org.loes4j.training.nn.Linear;
import org.loes4j.training.nn.Parameter;

/** The probe: {@code logits = Linear_{D_f -> C}(Dropout_p(LayerNorm_{D_f}(F)))}; F is B x D_f, logits B x C. */
public final class ProbeHead {
    private final LayerNorm norm;
    private final Dropout dropout;
    private final Linear linear;

    /** Parameters named {@code probe.norm.*} and {@code probe.linear.*}. */
    public ProbeHead(int fusedDim, int outputs, double dropout, SplittableRandom rng) {
        this.norm = new LayerNorm("probe.norm", fusedDim);
        this.dropout = new Dropout(dropout);
        this.linear = new Linear("probe.linear", fusedDim, outputs, rng);
    }

    public int outputs() {
        return linear.out();
    }

    /** {@code dropoutRng} null means evaluation mode. */
    public DMatrix forward(DMatrix fused, SplittableRandom dropoutRng) {
        return linear.forward(dropout.forward(norm.forward(fused), dropoutRng));
    }

    /** Adds parameter gradients and returns dL/dF. */
    public DMatrix backward(DMatrix dLogits) {
        return norm.backward(dropout.backward(linear.backward(dLogits, true)), true);
    }

    public List<Parameter> parameters() {
        return List.of(norm.gamma(), norm.beta(), linear.weight(), linear.bias());
    }
}
