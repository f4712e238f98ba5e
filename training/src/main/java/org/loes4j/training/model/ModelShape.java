package org.loes4j.training.model;

import java.util.Arrays;

/**
 * Everything needed to build a {@link ProbeNetwork} with the right parameter shapes.
 *
 * @param architecture the fusion
 * @param inputWidths  d_k, the width of each per-layer input k (K inputs; L for the learnable-weights
 *                     baseline); the layers may differ in width
 * @param adapterDim   p (256 in the paper; unused without adapters)
 * @param outputs      C (1 for regression)
 * @param dropout      the probe's dropout probability (0.2 in the paper)
 */
public record ModelShape(Architecture architecture, int[] inputWidths, int adapterDim, int outputs, double dropout) {
    public ModelShape {
        if (architecture == null) {
            throw new IllegalArgumentException("architecture: null");
        }
        if (inputWidths == null || inputWidths.length < 1) {
            throw new IllegalArgumentException("inputWidths: at least one input is needed");
        }
        inputWidths = inputWidths.clone();
        for (int k = 0; k < inputWidths.length; k++) {
            if (inputWidths[k] < 1) {
                throw new IllegalArgumentException("inputWidths: input " + k + " has width " + inputWidths[k]
                        + ", must be >= 1");
            }
        }
        if (adapterDim < 1) {
            throw new IllegalArgumentException("adapterDim: " + adapterDim + " must be >= 1");
        }
        if (outputs < 1) {
            throw new IllegalArgumentException("outputs: " + outputs + " must be >= 1");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout: " + dropout + " must be in [0, 1)");
        }
    }

    /** K inputs all of width {@code inputDim}. */
    public ModelShape(Architecture architecture, int inputs, int inputDim, int adapterDim, int outputs, double dropout) {
        this(architecture, uniform(inputs, inputDim), adapterDim, outputs, dropout);
    }

    private static int[] uniform(int inputs, int inputDim) {
        if (inputs < 1) {
            throw new IllegalArgumentException("inputs: " + inputs + " must be >= 1");
        }
        if (inputDim < 1) {
            throw new IllegalArgumentException("inputDim: " + inputDim + " must be >= 1");
        }
        int[] w = new int[inputs];
        Arrays.fill(w, inputDim);
        return w;
    }

    /** K. */
    public int inputs() {
        return inputWidths.length;
    }

    /** d_k (a copy of the widths is {@link #inputWidths()}). */
    public int inputWidth(int k) {
        return inputWidths[k];
    }

    @Override
    public int[] inputWidths() {
        return inputWidths.clone();
    }

    /** True when every input has the same width. */
    public boolean uniformWidth() {
        for (int w : inputWidths) {
            if (w != inputWidths[0]) {
                return false;
            }
        }
        return true;
    }

    /**
     * d, the common width of the inputs.
     *
     * @throws IllegalStateException when the inputs differ in width (use {@link #inputWidths()})
     */
    public int inputDim() {
        if (!uniformWidth()) {
            throw new IllegalStateException("inputDim: the inputs have widths " + Arrays.toString(inputWidths));
        }
        return inputWidths[0];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelShape s && s.architecture == architecture && Arrays.equals(s.inputWidths, inputWidths)
                && s.adapterDim == adapterDim && s.outputs == outputs && Double.compare(s.dropout, dropout) == 0;
    }

    @Override
    public int hashCode() {
        return (architecture.hashCode() * 31 + Arrays.hashCode(inputWidths)) * 31 + adapterDim * 17 + outputs;
    }

    @Override
    public String toString() {
        return "ModelShape[" + architecture.id() + ", inputWidths " + Arrays.toString(inputWidths) + ", adapterDim "
                + adapterDim + ", outputs " + outputs + ", dropout " + dropout + "]";
    }
}
