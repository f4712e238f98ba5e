package org.loes4j.training.nn;

import java.util.SplittableRandom;

import org.loes4j.linalg.DMatrix;

/**
 * Inverted dropout: in training each entry is kept with probability {@code 1 - p} and scaled by
 * {@code 1/(1 - p)}, so evaluation is the identity. The mask comes from the generator passed to
 * {@link #forward}; passing null means evaluation mode.
 */
public final class Dropout {
    private final double p;
    private DMatrix mask;

    /** @param p drop probability in [0, 1) */
    public Dropout(double p) {
        if (!(p >= 0.0 && p < 1.0)) {
            throw new IllegalArgumentException("p: " + p + " must be in [0, 1)");
        }
        this.p = p;
    }

    public double p() {
        return p;
    }

    /**
     * Training ({@code rng != null}): returns {@code x * mask}, mask entries 0 or {@code 1/(1-p)} drawn in
     * row-major order. Evaluation ({@code rng == null}): returns x itself.
     */
    public DMatrix forward(DMatrix x, SplittableRandom rng) {
        if (rng == null || p == 0.0) {
            mask = null;
            return x;
        }
        int b = x.rows();
        int n = x.cols();
        double scale = 1.0 / (1.0 - p);
        DMatrix m = DMatrix.zeros(b, n);
        DMatrix y = DMatrix.zeros(b, n);
        double[] md = m.data();
        double[] yd = y.data();
        double[] xd = x.data();
        for (int i = 0; i < b; i++) {
            int o = x.index(i, 0);
            for (int j = 0; j < n; j++) {
                double keep = rng.nextDouble() >= p ? scale : 0.0;
                md[i * n + j] = keep;
                yd[i * n + j] = xd[o + j] * keep;
            }
        }
        mask = m;
        return y;
    }

    /** Returns {@code dL/dx = dy * mask} (dy itself after an evaluation-mode forward). */
    public DMatrix backward(DMatrix dy) {
        if (mask == null) {
            return dy;
        }
        if (dy.rows() != mask.rows() || dy.cols() != mask.cols()) {
            throw new IllegalArgumentException("dy: shape " + dy.shape() + ", expected " + mask.shape());
        }
        int b = dy.rows();
        int n = dy.cols();
        DMatrix dx = DMatrix.zeros(b, n);
        double[] dyd = dy.data();
        double[] md = mask.data();
        double[] dxd = dx.data();
        for (int i = 0; i < b; i++) {
            int o = dy.index(i, 0);
            for (int j = 0; j < n; j++) {
                dxd[i * n + j] = dyd[o + j] * md[i * n + j];
            }
        }
        return dx;
    }
}
