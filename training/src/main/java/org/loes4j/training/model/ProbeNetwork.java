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
public final class ProbeNetwork {
    private final ModelShape shape;
    private final Fusion fusion;
    private final ProbeHead head;
    private DMatrix fused;

    private ProbeNetwork(ModelShape shape, Fusion fusion, ProbeHead head) {
        this.shape = shape;
        this.fusion = fusion;
        this.head = head;
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
