package org.loes4j.training.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.loes4j.linalg.DMatrix;
import org.loes4j.training.nn.Parameter;

/**
 * The paper's fusion: one {@link Adapter} per selected layer, outputs concatenated in selection order,
 * {@code F = [A_1(h_1) | A_2(h_2) | ... | A_K(h_K)]}, D_f = K p.
 */
public final class AdapterStack implements Fusion {
    private final List<Adapter> adapters;
    private final int adapterDim;

    /** K adapters d -> p named {@code adapters.<k>}, initialised in order from {@code rng}. */
    public AdapterStack(int layers, int inputDim, int adapterDim, SplittableRandom rng) {
        if (layers < 1) {
            throw new IllegalArgumentException("layers: " + layers + " must be >= 1");
        }
        if (adapterDim < 1) {
            throw new IllegalArgumentException("adapterDim: " + adapterDim + " must be >= 1");
        }
        List<Adapter> a = new ArrayList<>();
        for (int k = 0; k < layers; k++) {
            a.add(new Adapter("adapters." + k, inputDim, adapterDim, rng));
        }
        this.adapters = List.copyOf(a);
        this.adapterDim = adapterDim;
    }

    public List<Adapter> adapters() {
        return adapters;
    }

    @Override
    public int inputs() {
        return adapters.size();
    }

    @Override
    public int outputDim() {
        return adapters.size() * adapterDim;
    }

    @Override
    public DMatrix forward(List<DMatrix> layers) {
        FusionChecks.inputs(layers, adapters.size(), adapters.getFirst().inputDim());
        int b = layers.getFirst().rows();
        DMatrix fused = DMatrix.zeros(b, outputDim());
        for (int k = 0; k < adapters.size(); k++) {
            fused.view(0, k * adapterDim, b, adapterDim).copyFrom(adapters.get(k).forward(layers.get(k)));
        }
        return fused;
    }

    @Override
    public void backward(DMatrix dFused) {
        for (int k = 0; k < adapters.size(); k++) {
            adapters.get(k).backward(dFused.view(0, k * adapterDim, dFused.rows(), adapterDim));
        }
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> p = new ArrayList<>();
        for (Adapter a : adapters) {
            p.addAll(a.parameters());
        }
        return p;
    }
}
