package org.loes4j.training.optim;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.loes4j.training.nn.Parameter;

/**
 * AdamW exactly as PyTorch's {@code torch.optim.AdamW} (non-amsgrad, non-fused) computes it, per element
 * at step t (1-based):
 * <pre>
 *   p  = p - lr * wd * p                       (decoupled weight decay, before the Adam update)
 *   m  = beta1 m + (1 - beta1) g
 *   v  = beta2 v + (1 - beta2) g^2
 *   p  = p - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * Defaults beta1 = 0.9, beta2 = 0.999, eps = 1e-8. The learning rate is passed to each {@link #step}
 * (the schedule lives outside); each parameter keeps its own moments and step count.
 */
public final class AdamW {
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPS = 1e-8;

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final Map<Parameter, State> states = new IdentityHashMap<>();

    private static final class State {
        final double[] m;
        final double[] v;
        long t;

        State(int n) {
            m = new double[n];
            v = new double[n];
        }
    }

    /** AdamW with the default betas and eps. */
    public AdamW() {
        this(DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS);
    }

    public AdamW(double beta1, double beta2, double eps) {
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1: " + beta1 + " must be in [0, 1)");
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2: " + beta2 + " must be in [0, 1)");
        }
        if (!(eps > 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("eps: " + eps + " must be finite and > 0");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /**
     * One update of every parameter in {@code params} from its current gradient; modifies the values and
     * this optimiser's moments, not the gradients.
     *
     * @param lr          learning rate of this step, >= 0
     * @param weightDecay decoupled weight decay, >= 0
     */
    public void step(List<Parameter> params, double lr, double weightDecay) {
        if (!(lr >= 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("lr: " + lr + " must be finite and >= 0");
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay: " + weightDecay + " must be finite and >= 0");
        }
        for (Parameter p : params) {
            State s = states.computeIfAbsent(p, q -> new State(q.size()));
            s.t++;
            double bc1 = 1.0 - Math.pow(beta1, s.t);
            double bc2Sqrt = Math.sqrt(1.0 - Math.pow(beta2, s.t));
            double stepSize = lr / bc1;
            double decay = 1.0 - lr * weightDecay;
            double[] w = p.value().data();
            double[] g = p.grad().data();
            double[] m = s.m;
            double[] v = s.v;
            for (int i = 0; i < w.length; i++) {
                double gi = g[i];
                w[i] *= decay;
                m[i] = beta1 * m[i] + (1.0 - beta1) * gi;
                v[i] = beta2 * v[i] + (1.0 - beta2) * gi * gi;
                double denom = Math.sqrt(v[i]) / bc2Sqrt + eps;
                w[i] -= stepSize * m[i] / denom;
            }
        }
    }

    /** Number of updates applied to {@code p} so far. */
    public long steps(Parameter p) {
        State s = states.get(p);
        return s == null ? 0 : s.t;
    }
}
