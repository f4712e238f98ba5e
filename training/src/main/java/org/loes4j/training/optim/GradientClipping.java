package org.loes4j.training.optim;

import java.util.List;

import org.loes4j.training.nn.Parameter;

/**
 * Gradient-norm clipping as PyTorch's {@code clip_grad_norm_} (L2): the total norm over all given
 * gradients; if {@code maxNorm / (norm + 1e-6) < 1}, every gradient is multiplied by that factor.
 */
public final class GradientClipping {
    private static final double NORM_EPS = 1e-6;

    private GradientClipping() {
    }

    /** The L2 norm of all gradients together. */
    public static double totalNorm(List<Parameter> params) {
        double s = 0;
        for (Parameter p : params) {
            for (double g : p.grad().data()) {
                s += g * g;
            }
        }
        return Math.sqrt(s);
    }

    /** Clips in place; returns the norm before clipping. */
    public static double clip(List<Parameter> params, double maxNorm) {
        if (!(maxNorm > 0) || !Double.isFinite(maxNorm)) {
            throw new IllegalArgumentException("maxNorm: " + maxNorm + " must be finite and > 0");
        }
        double norm = totalNorm(params);
        double coef = maxNorm / (norm + NORM_EPS);
        if (coef < 1.0) {
            for (Parameter p : params) {
                double[] g = p.grad().data();
                for (int i = 0; i < g.length; i++) {
                    g[i] *= coef;
                }
            }
        }
        return norm;
    }
}
