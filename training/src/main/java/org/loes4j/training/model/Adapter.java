package org.loes4j.training.model;

import java.util.List;
import java.util.SplittableRandom;

import org.loes4j.linalg.DMatrix;
import org.loes4j.training.nn.Gelu;
import org.loes4j.training.nn.LayerNorm;
import org.loes4j.training.nn.Linear;
import org.loes4j.training.nn.Parameter;

/** One layer's adapter: {@code A(h) = GELU(Linear_{d -> p}(LayerNorm_d(h)))}; h is B x d, A(h) is B x p. */
public final class Adapter {
    private final LayerNorm norm;
    private final Linear linear;
    private final Gelu gelu = new Gelu();

    /** Parameters named {@code name.norm.*} and {@code name.linear.*}. */
    public Adapter(String name, int inputDim, int outputDim, SplittableRandom rng) {
        this.norm = new LayerNorm(name + ".norm", inputDim);
        this.linear = new Linear(name + ".linear", inputDim, outputDim, rng);
    }

    public int inputDim() {
        return norm.features();
    }

    public int outputDim() {
        return linear.out();
    }

    public DMatrix forward(DMatrix h) {
        return gelu.forward(linear.forward(norm.forward(h)));
    }

    /** Adds parameter gradients for {@code dy} (B x p, may be a strided view); no input gradient. */
    public void backward(DMatrix dy) {
        DMatrix dz = gelu.backward(dy);
        DMatrix dn = linear.backward(dz, true);
        norm.backward(dn, false);
    }

    public List<Parameter> parameters() {
        return List.of(norm.gamma(), norm.beta(), linear.weight(), linear.bias());
    }
}
