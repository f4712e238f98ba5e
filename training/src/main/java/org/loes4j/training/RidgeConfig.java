package org.loes4j.training;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.loes4j.linalg.regression.RidgeCv;

/**
 * Hyper-parameters of the closed-form ridge probe ({@link RidgeTrainer}).
 *
 * @param folds   k of the k-fold cross-validation that chooses lambda, &gt;= 2 (stratified by class for
 *                classification, plain for regression: {@link org.loes4j.data.Folds#of})
 * @param lambdas the ridge strengths tried, ascending, each finite and &gt; 0 (sorted and de-duplicated here)
 * @param seed    seed of the folds
 */
public record RidgeConfig(int folds, double[] lambdas, long seed) {
    /** Default k. */
    public static final int DEFAULT_FOLDS = 5;
    /** Default grid: {@code RidgeCv.logGrid(1e-2, 1e6, 17)}, half a decade apart. */
    public static final double DEFAULT_LAMBDA_MIN = 1e-2;
    public static final double DEFAULT_LAMBDA_MAX = 1e6;
    public static final int DEFAULT_LAMBDA_POINTS = 17;

    public RidgeConfig {
        if (folds < 2) {
            throw new IllegalArgumentException("folds: " + folds + " must be >= 2");
        }
        if (lambdas == null || lambdas.length == 0) {
            throw new IllegalArgumentException("lambdas: empty; give at least one value");
        }
        for (int i = 0; i < lambdas.length; i++) {
            if (!(lambdas[i] > 0) || !Double.isFinite(lambdas[i])) {
                throw new IllegalArgumentException("lambdas: entry " + i + " is " + lambdas[i]
                        + ", must be finite and > 0");
            }
        }
        lambdas = Arrays.stream(lambdas).sorted().distinct().toArray();
    }

    /**
     * 5 folds, seed 42, 17 lambdas log-spaced over [1e-2, 1e6] (half a decade apart). The grid is shifted up from
     * the layer probe's [1e-4, 1e4]: lambda is not scaled by n, so it grows with the rows and with the columns of
     * concatenated layers. On the three tasks of bench/RESULTS.md (900 to 1,260 training rows, 384 to 1,536
     * columns) the ridge probe chose 3.2e2 to 3.2e3, a decade below the layer probe's top, and the per-layer
     * sweeps never went below 3.2e1; 1e6 leaves room for larger sets, and a choice at either end of the grid is
     * reported ({@link RidgeResult#atGridEdge()}).
     */
    public static RidgeConfig defaults() {
        return new RidgeConfig(DEFAULT_FOLDS, defaultLambdas(), 42);
    }

    /** The default grid. */
    public static double[] defaultLambdas() {
        return RidgeCv.logGrid(DEFAULT_LAMBDA_MIN, DEFAULT_LAMBDA_MAX, DEFAULT_LAMBDA_POINTS);
    }

    @Override
    public double[] lambdas() {
        return lambdas.clone();
    }

    public RidgeConfig withFolds(int k) {
        return new RidgeConfig(k, lambdas, seed);
    }

    public RidgeConfig withLambdas(double[] grid) {
        return new RidgeConfig(folds, grid, seed);
    }

    public RidgeConfig withSeed(long s) {
        return new RidgeConfig(folds, lambdas, s);
    }

    /** All fields by name, for the saved model's metadata. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("probe", ProbeType.RIDGE.cliName());
        m.put("folds", folds);
        m.put("lambdas", lambdas.clone());
        m.put("seed", seed);
        m.put("standardise", "per column, training mean and population std; constant column -> 0");
        m.put("classification", "one-hot least squares, argmax");
        m.put("lambdaChoice", "largest lambda within " + RidgeCv.TIE_TOLERANCE + " of the best mean CV score "
                + "(accuracy | R^2)");
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RidgeConfig r && r.folds == folds && r.seed == seed && Arrays.equals(r.lambdas, lambdas);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * folds + Long.hashCode(seed)) + Arrays.hashCode(lambdas);
    }

    @Override
    public String toString() {
        return "RidgeConfig[folds=" + folds + ", lambdas=" + Arrays.toString(lambdas) + ", seed=" + seed + "]";
    }
}
