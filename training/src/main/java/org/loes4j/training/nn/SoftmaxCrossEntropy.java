package org.loes4j.training.nn;

import org.loes4j.linalg.DMatrix;

/**
 * Softmax cross-entropy averaged over the batch (PyTorch's {@code nn.CrossEntropyLoss}, mean reduction):
 * {@code L = (1/B) sum_i (logsumexp(z_i) - z_i[y_i])}, gradient {@code (softmax(z) - onehot(y)) / B}.
 * Shapes: logits B x C, labels B class indices in [0, C).
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    /** Loss and gradient; the logsumexp is shifted by the row maximum. */
    public static Loss of(DMatrix logits, int[] labels) {
        int b = logits.rows();
        int c = logits.cols();
        if (labels.length != b) {
            throw new IllegalArgumentException("labels: " + labels.length + " entries for " + b + " rows of logits");
        }
        if (b == 0) {
            throw new IllegalArgumentException("logits: empty batch");
        }
        DMatrix grad = DMatrix.zeros(b, c);
        double[] z = logits.data();
        double[] g = grad.data();
        double total = 0;
        for (int i = 0; i < b; i++) {
            int y = labels[i];
            if (y < 0 || y >= c) {
                throw new IllegalArgumentException("labels: entry " + i + " is " + y + ", outside [0, " + c + ")");
            }
            int o = logits.index(i, 0);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, z[o + j]);
            }
            double sum = 0;
            for (int j = 0; j < c; j++) {
                double e = Math.exp(z[o + j] - max);
                g[i * c + j] = e;
                sum += e;
            }
            total += Math.log(sum) + max - z[o + y];
            for (int j = 0; j < c; j++) {
                g[i * c + j] /= sum * b;
            }
            g[i * c + y] -= 1.0 / b;
        }
        return new Loss(total / b, grad);
    }

    /** Row-wise softmax probabilities (new matrix). */
    public static DMatrix softmax(DMatrix logits) {
        int b = logits.rows();
        int c = logits.cols();
        DMatrix p = DMatrix.zeros(b, c);
        double[] z = logits.data();
        double[] pd = p.data();
        for (int i = 0; i < b; i++) {
            int o = logits.index(i, 0);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, z[o + j]);
            }
            double sum = 0;
            for (int j = 0; j < c; j++) {
                double e = Math.exp(z[o + j] - max);
                pd[i * c + j] = e;
                sum += e;
            }
            for (int j = 0; j < c; j++) {
                pd[i * c + j] /= sum;
            }
        }
        return p;
    }
}
