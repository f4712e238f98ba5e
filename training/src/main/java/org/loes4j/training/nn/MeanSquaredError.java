package org.loes4j.training.nn;

import org.loes4j.linalg.DMatrix;

/**
 * Mean squared error over all entries (PyTorch's {@code nn.MSELoss}, mean reduction):
 * {@code L = (1/(B C)) sum (p - t)^2}, gradient {@code 2 (p - t) / (B C)}. Shapes: predictions and
 * targets B x C.
 */
public final class MeanSquaredError {
    private MeanSquaredError() {
    }

    public static Loss of(DMatrix predictions, DMatrix targets) {
        if (predictions.rows() != targets.rows() || predictions.cols() != targets.cols()) {
            throw new IllegalArgumentException("targets: shape " + targets.shape() + " differs from predictions "
                    + predictions.shape());
        }
        int b = predictions.rows();
        int c = predictions.cols();
        if (b == 0 || c == 0) {
            throw new IllegalArgumentException("predictions: empty " + predictions.shape());
        }
        double n = (double) b * c;
        DMatrix grad = DMatrix.zeros(b, c);
        double[] g = grad.data();
        double total = 0;
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < c; j++) {
                double r = predictions.get(i, j) - targets.get(i, j);
                total += r * r;
                g[i * c + j] = 2.0 * r / n;
            }
        }
        return new Loss(total / n, grad);
    }
}
