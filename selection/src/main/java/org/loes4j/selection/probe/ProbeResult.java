package org.loes4j.selection.probe;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cross-validated ridge probe of one layer, or of one subset of layers concatenated. Scores are
 * held-out: accuracy (classification) or R^2 (regression), see {@link LayerProbe}. Arrays are copied in and
 * out.
 *
 * @param layers       the hidden-state indices probed: one for a layer, several (concatenated in that order)
 *                     for a subset
 * @param width        number of features: the sum of the layers' widths
 * @param bestLambda   the lambda of the grid with the best mean score (ties to the larger lambda)
 * @param meanScore    mean over folds of the held-out score at {@code bestLambda}
 * @param stdScore     population standard deviation (divide by k) over folds of that score
 * @param foldScores   the score of every fold at {@code bestLambda}, in fold order
 * @param macroF1      mean over folds of the held-out macro-F1 at {@code bestLambda}; NaN for regression
 * @param macroF1Std   population standard deviation over folds of the macro-F1; NaN for regression
 * @param foldMacroF1  the macro-F1 of every fold at {@code bestLambda}; empty for regression
 * @param lambdaScores the mean score over folds at every lambda of the grid (ascending lambdas)
 * @param dualFolds    how many folds were solved through the n x n kernel (width &gt; training rows)
 */
public record ProbeResult(int[] layers, int width, double bestLambda, double meanScore, double stdScore,
                          double[] foldScores, double macroF1, double macroF1Std, double[] foldMacroF1,
                          double[] lambdaScores, int dualFolds) {

    public ProbeResult {
        if (layers == null || layers.length == 0) {
            throw new IllegalArgumentException("layers: at least one layer is needed");
        }
        if (foldScores == null || foldMacroF1 == null || lambdaScores == null) {
            throw new IllegalArgumentException("foldScores, foldMacroF1, lambdaScores: null");
        }
        layers = layers.clone();
        foldScores = foldScores.clone();
        foldMacroF1 = foldMacroF1.clone();
        lambdaScores = lambdaScores.clone();
    }

    @Override
    public int[] layers() {
        return layers.clone();
    }

    @Override
    public double[] foldScores() {
        return foldScores.clone();
    }

    @Override
    public double[] foldMacroF1() {
        return foldMacroF1.clone();
    }

    @Override
    public double[] lambdaScores() {
        return lambdaScores.clone();
    }

    /** True for a concatenation of several layers. */
    public boolean isSubset() {
        return layers.length > 1;
    }

    /**
     * The hidden-state index of a single layer.
     *
     * @throws IllegalStateException for a subset
     */
    public int layer() {
        if (isSubset()) {
            throw new IllegalStateException("a subset of layers " + Arrays.toString(layers) + " has no single layer");
        }
        return layers[0];
    }

    /** {@code "5"} for a layer, {@code "1+2"} for a subset. */
    public String label() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < layers.length; i++) {
            b.append(i == 0 ? "" : "+").append(layers[i]);
        }
        return b.toString();
    }

    /**
     * The JSON form: {@code layer} (or {@code layers} for a subset), {@code width, lambda, score, std,
     * foldScores}, for classification {@code macroF1, macroF1Std, foldMacroF1}, then {@code lambdaScores} and
     * {@code route} ({@code primal}, {@code dual}, or {@code primal+dual} when the folds differ).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (isSubset()) {
            m.put("layers", layers.clone());
        } else {
            m.put("layer", layers[0]);
        }
        m.put("width", width);
        m.put("lambda", bestLambda);
        m.put("score", meanScore);
        m.put("std", stdScore);
        m.put("foldScores", foldScores.clone());
        if (!Double.isNaN(macroF1)) {
            m.put("macroF1", macroF1);
            m.put("macroF1Std", macroF1Std);
            m.put("foldMacroF1", foldMacroF1.clone());
        }
        m.put("lambdaScores", lambdaScores.clone());
        m.put("route", dualFolds == 0 ? "primal" : dualFolds == foldScores.length ? "dual" : "primal+dual");
        return m;
    }
}
