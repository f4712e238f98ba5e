package org.loes4j.selection;

import java.util.LinkedHashMap;
import java.util.Map;

import org.loes4j.data.Task;
import org.loes4j.selection.metrics.Isotropy;

/**
 * Every hyper-parameter of a LOES run (spec sections 1 and 2), with the paper's defaults. Build with
 * {@link #builder()} (or {@link Loes#builder()}); all values are checked when the record is made, and a
 * message names the option and the value. A null given to a builder setter means the default.
 *
 * @param k                   budget: layers to select (clamped to the number of candidate layers)
 * @param task                classification, regression or label-free
 * @param alpha               isotropy weight (1.0)
 * @param gamma               redundancy weight (0.5)
 * @param eta                 triangle weight (0.1)
 * @param lambda              ridge strength of the probes (1e-3, not scaled by N)
 * @param mu                  ridge strength of the orthogonalisation (1e-6)
 * @param isotropyEps         eps of the isotropy ratio (1e-9)
 * @param accumulation        paper (default) or stagewise
 * @param triangle            exact (default) or sampled:T
 * @param calibrationFraction fraction of rows in the calibration set (0.2; 1.0 uses every row, undrawn)
 * @param seed                seed of the calibration split and of the sampled triangle estimator (42)
 * @param score               the scale of the score's terms: paper (default) or calibrated ({@link ScoreScale})
 */
public record LoesOptions(int k, Task task, double alpha, double gamma, double eta, double lambda, double mu,
                          double isotropyEps, Accumulation accumulation, TriangleEstimator triangle,
                          double calibrationFraction, long seed, ScoreScale score) {

    public LoesOptions {
        if (k < 1) {
            throw new IllegalArgumentException("k: " + k + " must be >= 1");
        }
        if (task == null) {
            throw new IllegalArgumentException("task: null");
        }
        if (accumulation == null) {
            throw new IllegalArgumentException("accumulation: null");
        }
        if (triangle == null) {
            throw new IllegalArgumentException("triangle: null");
        }
        if (score == null) {
            throw new IllegalArgumentException("score: null");
        }
        checkWeight("alpha", alpha);
        checkWeight("gamma", gamma);
        checkWeight("eta", eta);
        checkPositive("lambda", lambda);
        checkPositive("mu", mu);
        checkPositive("isotropyEps", isotropyEps);
        if (!(calibrationFraction > 0) || calibrationFraction > 1) {
            throw new IllegalArgumentException("calibrationFraction: " + calibrationFraction + " must be in (0, 1]");
        }
    }

    private static void checkWeight(String name, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(name + ": " + v + " must be finite");
        }
    }

    private static void checkPositive(String name, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + ": " + v + " must be finite and > 0");
        }
    }

    /** A builder with the paper's defaults (k = 4, classification). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.k = k;
        b.task = task;
        b.alpha = alpha;
        b.gamma = gamma;
        b.eta = eta;
        b.lambda = lambda;
        b.mu = mu;
        b.isotropyEps = isotropyEps;
        b.accumulation = accumulation;
        b.triangle = triangle;
        b.calibrationFraction = calibrationFraction;
        b.seed = seed;
        b.score = score;
        return b;
    }

    /** Every hyper-parameter by name, for provenance. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k", k);
        m.put("task", task.cliName());
        m.put("alpha", alpha);
        m.put("gamma", gamma);
        m.put("eta", eta);
        m.put("lambda", lambda);
        m.put("mu", mu);
        m.put("isotropyEps", isotropyEps);
        m.put("accumulation", accumulation.name().toLowerCase(java.util.Locale.ROOT));
        m.put("triangle", triangle.toString());
        m.put("calibrationFraction", calibrationFraction);
        m.put("seed", seed);
        m.put("score", score.name().toLowerCase(java.util.Locale.ROOT));
        return m;
    }

    /** Mutable builder; {@link #build()} validates. A null task, accumulation, triangle or score means the default. */
    public static final class Builder {
        private int k = 4;
        private Task task = Task.CLASSIFICATION;
        private double alpha = 1.0;
        private double gamma = 0.5;
        private double eta = 0.1;
        private double lambda = 1e-3;
        private double mu = 1e-6;
        private double isotropyEps = Isotropy.DEFAULT_EPS;
        private Accumulation accumulation = Accumulation.PAPER;
        private TriangleEstimator triangle = TriangleEstimator.exact();
        private double calibrationFraction = 0.2;
        private long seed = 42;
        private ScoreScale score = ScoreScale.PAPER;

        private Builder() {
        }

        public Builder k(int v) {
            k = v;
            return this;
        }

        public Builder task(Task v) {
            task = v == null ? Task.CLASSIFICATION : v;
            return this;
        }

        public Builder alpha(double v) {
            alpha = v;
            return this;
        }

        public Builder gamma(double v) {
            gamma = v;
            return this;
        }

        public Builder eta(double v) {
            eta = v;
            return this;
        }

        public Builder lambda(double v) {
            lambda = v;
            return this;
        }

        public Builder mu(double v) {
            mu = v;
            return this;
        }

        public Builder isotropyEps(double v) {
            isotropyEps = v;
            return this;
        }

        public Builder accumulation(Accumulation v) {
            accumulation = v == null ? Accumulation.PAPER : v;
            return this;
        }

        public Builder triangle(TriangleEstimator v) {
            triangle = v == null ? TriangleEstimator.exact() : v;
            return this;
        }

        public Builder calibrationFraction(double v) {
            calibrationFraction = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder score(ScoreScale v) {
            score = v == null ? ScoreScale.PAPER : v;
            return this;
        }

        public LoesOptions build() {
            return new LoesOptions(k, task, alpha, gamma, eta, lambda, mu, isotropyEps, accumulation, triangle,
                    calibrationFraction, seed, score);
        }
    }
}
