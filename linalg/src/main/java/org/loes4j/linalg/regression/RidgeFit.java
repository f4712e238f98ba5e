package org.loes4j.linalg.regression;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;

/**
 * A fitted ridge: weights W (p x c), intercept b (length c), the system that was solved, and lambda.
 * Prediction is {@code P = X W + 1 b}.
 */
public record RidgeFit(DMatrix weights, double[] bias, Ridge.Form form, double lambda) {

    /** {@code X W + 1 b} for x (M x p). */
    public DMatrix predict(Linalg linalg, DMatrix x) {
        DMatrix p = linalg.multiply(x, weights);
        for (int i = 0; i < p.rows(); i++) {
            for (int c = 0; c < bias.length; c++) {
                p.set(i, c, p.get(i, c) + bias[c]);
            }
        }
        return p;
    }

    /** Mean over all M*c entries of {@code (P - T)^2}, P the prediction for x. */
    public double meanSquaredError(Linalg linalg, DMatrix x, DMatrix t) {
        DMatrix p = predict(linalg, x);
        double s = 0;
        for (int i = 0; i < p.rows(); i++) {
            for (int c = 0; c < p.cols(); c++) {
                double d = p.get(i, c) - t.get(i, c);
                s += d * d;
            }
        }
        return s / ((double) p.rows() * p.cols());
    }
}
