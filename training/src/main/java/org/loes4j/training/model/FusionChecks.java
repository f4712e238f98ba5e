package org.loes4j.training.model;

import java.util.List;

import org.loes4j.linalg.DMatrix;

final class FusionChecks {
    private FusionChecks() {
    }

    static void inputs(List<DMatrix> layers, int count, int dim) {
        if (layers.size() != count) {
            throw new IllegalArgumentException("layers: " + layers.size() + " inputs, the model takes " + count);
        }
        int b = layers.getFirst().rows();
        for (int k = 0; k < count; k++) {
            DMatrix h = layers.get(k);
            if (h.rows() != b || h.cols() != dim) {
                throw new IllegalArgumentException("layers: input " + k + " is " + h.shape() + ", expected " + b
                        + " x " + dim);
            }
        }
    }
}
