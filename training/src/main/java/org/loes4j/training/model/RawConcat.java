package org.loes4j.training.model;

import java.util.List;

import org.loes4j.linalg.DMatrix;
import org.loes4j.training.nn.Parameter;

/** The no-adapter ablation: {@code F = [h_1 | h_2 | ... | h_K]}, D_f = K d, nothing to learn. */
public final class RawConcat implements Fusion {
    private final int layers;
    private final int inputDim;

    public RawConcat(int layers, int inputDim) {
        if (layers < 1 || inputDim < 1) {
            throw new IllegalArgumentException("layers, inputDim: " + layers + ", " + inputDim + " must be >= 1");
        }
        this.layers = layers;
        this.inputDim = inputDim;
    }

    @Override
    public int inputs() {
        return layers;
    }

    @Override
    public int outputDim() {
        return layers * inputDim;
    }

    @Override
    public DMatrix forward(List<DMatrix> in) {
        FusionChecks.inputs(in, layers, inputDim);
        int b = in.getFirst().rows();
        DMatrix fused = DMatrix.zeros(b, outputDim());
        for (int k = 0; k < layers; k++) {
            fused.view(0, k * inputDim, b, inputDim).copyFrom(in.get(k));
        }
        return fused;
    }

    @Override
    public void backward(DMatrix dFused) {
        // No parameters, and the inputs are data.
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }
}
