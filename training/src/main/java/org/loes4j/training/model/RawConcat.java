package org.loes4j.training.model;

import java.util.List;

import org.loes4j.linalg.DMatrix;
import org.loes4j.training.nn.Parameter;

/**
 * The no-adapter ablation: {@code F = [h_1 | h_2 | ... | h_K]}, D_f = sum_k d_k, nothing to learn; the layers
 * may differ in width.
 */
public final class RawConcat implements Fusion {
    private final int[] widths;
    private final int[] offsets;
    private final int outputDim;

    /** K layers of width {@code inputDim}. */
    public RawConcat(int layers, int inputDim) {
        this(FusionChecks.widths(layers, inputDim));
    }

    /** One input per entry of {@code inputWidths}, of that width. */
    public RawConcat(int[] inputWidths) {
        this.widths = FusionChecks.checkWidths(inputWidths);
        this.offsets = new int[widths.length];
        int c = 0;
        for (int k = 0; k < widths.length; k++) {
            offsets[k] = c;
            c = Math.addExact(c, widths[k]);
        }
        this.outputDim = c;
    }

    @Override
    public int inputs() {
        return widths.length;
    }

    @Override
    public int outputDim() {
        return outputDim;
    }

    @Override
    public DMatrix forward(List<DMatrix> in) {
        FusionChecks.inputs(in, widths);
        int b = in.getFirst().rows();
        DMatrix fused = DMatrix.zeros(b, outputDim);
        for (int k = 0; k < widths.length; k++) {
            fused.view(0, offsets[k], b, widths[k]).copyFrom(in.get(k));
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
