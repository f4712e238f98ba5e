package org.loes4j.training.model;

/**
 * Everything needed to build a {@link ProbeNetwork} with the right parameter shapes.
 *
 * @param architecture the fusion
 * @param inputs       number of per-layer inputs K (L for the learnable-weights baseline)
 * @param inputDim     d, the width of every layer
 * @param adapterDim   p (256 in the paper; unused without adapters)
 * @param outputs      C (1 for regression)
 * @param dropout      the probe's dropout probability (0.2 in the paper)
 */
public record ModelShape(Architecture architecture, int inputs, int inputDim, int adapterDim, int outputs,
                         double dropout) {
    public ModelShape {
        if (architecture == null) {
            throw new IllegalArgumentException("architecture: null");
        }
        if (inputs < 1) {
            throw new IllegalArgumentException("inputs: " + inputs + " must be >= 1");
        }
        if (inputDim < 1) {
            throw new IllegalArgumentException("inputDim: " + inputDim + " must be >= 1");
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
}
