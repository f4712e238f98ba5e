package org.loes4j.training.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.loes4j.linalg.DMatrix;
import org.loes4j.training.nn.Parameter;

/**
 * The paper's fusion: one {@link Adapter} per selected layer (each from its layer's
 * own width d_k to p), outputs concatenated in selection order,
 * {@code F = [A_1(h_1) | A_2(h_2) | ... | A_K(h_K)]}, D_f = K p.
 */
public final class AdapterStack implements Fusion {
    private final List<Adapter> adapters;
    private final int adapterDim;
    private final int[] widths;

    /** K adapters d -> p named {@code adapters.<k>}, initialised in order from {@code rng}. */
    public AdapterStack(int layers, int inputDim, int adapterDim, SplittableRandom rng) {
        this(FusionChecks.widths(layers, inputDim), adapterDim, rng);
    }

    /** One adapter d_k -> p per entry of {@code inputWidths}, named {@code adapters.<k>}, initialised in order. */
    public AdapterStack(int[] inputWidths, int adapterDim, SplittableRandom rng) {
        int[] widths = FusionChecks.checkWidths(inputWidths);
        if (adapterDim < 1) {
            throw new IllegalArgumentException("adapterDim: " + adapterDim + " must be >= 1");
        }
        List<Adapter> a = new ArrayList<>();
        for (int k = 0; k < widths.length; k++) {
            a.add(new Adapter("adapters." + k, widths[k], adapterDim, rng));
        }
        this.adapters = List.copyOf(a);
        this.adapterDim = adapterDim;
        this.widths = widths;
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
        FusionChecks.inputs(layers, widths);
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
