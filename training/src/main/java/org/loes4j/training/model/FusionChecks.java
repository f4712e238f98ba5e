package org.loes4j.training.model;

import java.util.Arrays;
import java.util.List;

import org.loes4j.linalg.DMatrix;

final class FusionChecks {
    private FusionChecks() {
    }

    /** Checks K inputs, input k of shape B x widths[k], one B for all. */
    static void inputs(List<DMatrix> layers, int[] widths) {
        if (layers.size() != widths.length) {
            throw new IllegalArgumentException("layers: " + layers.size() + " inputs, the model takes " + widths.length);
        }
        int b = layers.getFirst().rows();
        for (int k = 0; k < widths.length; k++) {
            DMatrix h = layers.get(k);
            if (h.rows() != b || h.cols() != widths[k]) {
                throw new IllegalArgumentException("layers: input " + k + " is " + h.shape() + ", expected " + b
                        + " x " + widths[k]);
            }
        }
    }

    static int[] widths(int layers, int inputDim) {
        if (layers < 1 || inputDim < 1) {
            throw new IllegalArgumentException("layers, inputDim: " + layers + ", " + inputDim + " must be >= 1");
        }
        int[] w = new int[layers];
        Arrays.fill(w, inputDim);
        return w;
    }

    static int[] checkWidths(int[] widths) {
        if (widths == null || widths.length < 1) {
            throw new IllegalArgumentException("inputWidths: at least one layer is needed");
        }
        for (int k = 0; k < widths.length; k++) {
            if (widths[k] < 1) {
                throw new IllegalArgumentException("inputWidths: layer " + k + " has width " + widths[k] + ", must be >= 1");
            }
        }
        return widths.clone();
    }
}
