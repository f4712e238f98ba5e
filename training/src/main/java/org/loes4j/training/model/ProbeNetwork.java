package org.loes4j.training.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.loes4j.linalg.DMatrix;
import org.loes4j.training.nn.Parameter;

/**
 * Fusion followed by the probe head, read top to bottom as in the paper:
 * <pre>
 *   F      = fusion(h_1, ..., h_K)             h_k: B x d_k, F: B x D_f
 *   logits = Linear(Dropout(LayerNorm(F)))     B x C
 * </pre>
 * {@link #backward} takes dL/dlogits and, optionally, an extra dL/dF (GeoReg's gradient on the fused
 * batch) that is added to what flows back from the head.
 */
public final class ProbeNetwork implements ProbeModel {
    private final ModelShape shape;
    private final Fusion fusion;
    private final ProbeHead head;
    private DMatrix fused;

    private ProbeNetwork(ModelShape shape, Fusion fusion, ProbeHead head) {
        this.shape = shape;
        this.fusion = fusion;
        this.head = head;
    }

    /**
     * The number of parameter values {@link #create} allocates for {@code shape}, computed without allocating
     * (so that a model file's declared shape can be checked against the file before it is built):
     * an adapter d -> p holds {@code 2d} (LayerNorm) + {@code d p + p} (Linear); the head over D_f holds
     * {@code 2 D_f + D_f C + C}; adapters: sum of adapters + head(K p); no-adapter: head(sum d_k);
     * learnable-weights: sum of adapters + L layer weights + head(p).
     *
     * @return the count, or {@link Long#MAX_VALUE} when it overflows a long
     */
    public static long parameterCount(ModelShape shape) {
        try {
            int p = shape.adapterDim();
            long adapters = 0;
            long widthSum = 0;
            for (int d : shape.inputWidths()) {
                adapters = Math.addExact(adapters, 2L * d + Math.addExact(Math.multiplyExact((long) d, p), p));
                widthSum += d;
            }
            return switch (shape.architecture()) {
                case ADAPTERS -> Math.addExact(adapters, headCount(Math.multiplyExact((long) shape.inputs(), p),
                        shape.outputs()));
                case NO_ADAPTER -> headCount(widthSum, shape.outputs());
                case LEARNABLE_WEIGHTS -> Math.addExact(Math.addExact(adapters, shape.inputs()),
                        headCount(p, shape.outputs()));
            };
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long headCount(long fusedDim, int outputs) {
        return Math.addExact(Math.addExact(Math.multiplyExact(2, fusedDim), Math.multiplyExact(fusedDim, outputs)),
                outputs);
    }

    /** Builds and initialises a network; parameters drawn from {@code rng} (fusion first, then head). */
    public static ProbeNetwork create(ModelShape shape, SplittableRandom rng) {
        Fusion f = switch (shape.architecture()) {
            case ADAPTERS -> new AdapterStack(shape.inputWidths(), shape.adapterDim(), rng);
            case NO_ADAPTER -> new RawConcat(shape.inputWidths());
            case LEARNABLE_WEIGHTS -> new LearnableWeightedSum(shape.inputWidths(), shape.adapterDim(), rng);
        };
        return new ProbeNetwork(shape, f, new ProbeHead(f.outputDim(), shape.outputs(), shape.dropout(), rng));
    }

    public ModelShape shape() {
        return shape;
    }

    public Fusion fusion() {
        return fusion;
    }

    public ProbeHead head() {
        return head;
    }

    @Override
    public int[] inputWidths() {
        return shape.inputWidths();
    }

    @Override
    public int outputs() {
        return shape.outputs();
    }

    /** Logits in evaluation mode: {@code forward(layers, null)}. */
    @Override
    public DMatrix evaluate(List<DMatrix> layers) {
        return forward(layers, null);
    }

    /** Logits for one batch; {@code dropoutRng} null means evaluation mode. */
    public DMatrix forward(List<DMatrix> layers, SplittableRandom dropoutRng) {
        fused = fusion.forward(layers);
        return head.forward(fused, dropoutRng);
    }

    /** The fused batch F of the last forward pass. */
    public DMatrix fused() {
        return fused;
    }

    /** Adds all parameter gradients; {@code dFusedExtra} (B x D_f) may be null. */
    public void backward(DMatrix dLogits, DMatrix dFusedExtra) {
        DMatrix dF = head.backward(dLogits);
        if (dFusedExtra != null) {
            double[] a = dF.data();
            double[] b = dFusedExtra.data();
            if (dFusedExtra.rows() != dF.rows() || dFusedExtra.cols() != dF.cols() || !dFusedExtra.isContiguous()) {
                throw new IllegalArgumentException("dFusedExtra: shape " + dFusedExtra.shape() + ", expected contiguous "
                        + dF.shape());
            }
            for (int i = 0; i < a.length; i++) {
                a[i] += b[dFusedExtra.offset() + i];
            }
        }
        fusion.backward(dF);
    }

    /** All parameters: fusion first, then head. */
    public List<Parameter> parameters() {
        List<Parameter> p = new ArrayList<>(fusion.parameters());
        p.addAll(head.parameters());
        return p;
    }

    /** Sets every gradient to zero. */
    public void zeroGrad() {
        for (Parameter p : parameters()) {
            p.zeroGrad();
        }
    }
}
