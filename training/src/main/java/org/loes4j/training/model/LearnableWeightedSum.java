package org.loes4j.training.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.loes4j.linalg.DMatrix;
import org.loes4j.training.nn.Parameter;

/**
 * The learnable-weights baseline: one adapter per layer and {@code F = sum_l softmax(w)_l A_l(h_l)}
 * (D_f = p), w (1 x L, named {@code layerWeights}) initialised to ones. Backward:
 * {@code dA_l = s_l dF}, {@code ds_l = <A_l, dF>_F}, {@code dw = s * (ds - <s, ds>)}.
 */
public final class LearnableWeightedSum implements Fusion {
    /** Name of the layer-weight parameter (trained with its own learning rate). */
    public static final String WEIGHTS = "layerWeights";

    private final List<Adapter> adapters;
    private final Parameter weights;
    private final int adapterDim;
    private final int[] widths;
    private List<DMatrix> outputs;
    private double[] softmax;

    /** L adapters d -> p. */
    public LearnableWeightedSum(int layers, int inputDim, int adapterDim, SplittableRandom rng) {
        this(FusionChecks.widths(layers, inputDim), adapterDim, rng);
    }

    /**
     * One adapter d_l -> p per entry of {@code inputWidths}: the sum is taken over adapter outputs (all p wide),
     * so the layers may differ in width.
     */
    public LearnableWeightedSum(int[] inputWidths, int adapterDim, SplittableRandom rng) {
        int[] widths = FusionChecks.checkWidths(inputWidths);
        int layers = widths.length;
        List<Adapter> a = new ArrayList<>();
        for (int k = 0; k < layers; k++) {
            a.add(new Adapter("adapters." + k, widths[k], adapterDim, rng));
        }
        this.widths = widths;
        this.adapters = List.copyOf(a);
        DMatrix w = DMatrix.zeros(1, layers);
        w.fill(1.0);
        this.weights = new Parameter(WEIGHTS, w);
        this.adapterDim = adapterDim;
    }

    public Parameter weights() {
        return weights;
    }

    /** softmax(w), the current mixing weights. */
    public double[] mixingWeights() {
        double[] w = weights.value().data();
        double max = Double.NEGATIVE_INFINITY;
        for (double v : w) {
            max = Math.max(max, v);
        }
        double[] s = new double[w.length];
        double sum = 0;
        for (int l = 0; l < w.length; l++) {
            s[l] = Math.exp(w[l] - max);
            sum += s[l];
        }
        for (int l = 0; l < w.length; l++) {
            s[l] /= sum;
        }
        return s;
    }

    @Override
    public int inputs() {
        return adapters.size();
    }

    @Override
    public int outputDim() {
        return adapterDim;
    }

    @Override
    public DMatrix forward(List<DMatrix> layers) {
        FusionChecks.inputs(layers, widths);
        double[] s = mixingWeights();
        int b = layers.getFirst().rows();
        DMatrix fused = DMatrix.zeros(b, adapterDim);
        double[] f = fused.data();
        List<DMatrix> outs = new ArrayList<>();
        for (int l = 0; l < adapters.size(); l++) {
            DMatrix a = adapters.get(l).forward(layers.get(l));
            outs.add(a);
            double[] ad = a.data();
            for (int i = 0; i < f.length; i++) {
                f[i] += s[l] * ad[i];
            }
        }
        outputs = outs;
        softmax = s;
        return fused;
    }

    @Override
    public void backward(DMatrix dFused) {
        int n = adapters.size();
        double[] ds = new double[n];
        DMatrix df = dFused.copy();
        double[] dfd = df.data();
        for (int l = 0; l < n; l++) {
            double[] ad = outputs.get(l).data();
            double dot = 0;
            for (int i = 0; i < dfd.length; i++) {
                dot += ad[i] * dfd[i];
            }
            ds[l] = dot;
            DMatrix da = DMatrix.zeros(df.rows(), df.cols());
            double[] dad = da.data();
            for (int i = 0; i < dfd.length; i++) {
                dad[i] = softmax[l] * dfd[i];
            }
            adapters.get(l).backward(da);
        }
        double sds = 0;
        for (int l = 0; l < n; l++) {
            sds += softmax[l] * ds[l];
        }
        double[] dw = weights.grad().data();
        for (int l = 0; l < n; l++) {
            dw[l] += softmax[l] * (ds[l] - sds);
        }
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> p = new ArrayList<>();
        for (Adapter a : adapters) {
            p.addAll(a.parameters());
        }
        p.add(weights);
        return p;
    }
}
