package org.loes4j.selection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import java.util.function.IntUnaryOperator;

/**
 * What both routes of the greedy loop share (the in-memory {@link Loes} and {@link StatisticsLoes}): the check
 * on non-finite scores, the per-candidate triangle generator, and turning the picks into a result.
 */
final class GreedyPicks {
    private GreedyPicks() {
    }

    /**
     * Rejects a non-finite score: with embeddings of very large magnitude (~1e9) the unscaled lambda and mu
     * of the spec fall below float64 rounding and the regularised systems carry no information.
     */
    static void requireFinite(LoesOptions o, double value, String where) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("embeddings: " + where + " scores " + value + "; values of this "
                    + "magnitude make the ridge systems (lambda " + o.lambda() + ", mu " + o.mu()
                    + ", not scaled) singular in float64; rescale the embeddings");
        }
    }

    /**
     * The sampled triangle estimator's generator for candidate {@code layerIndex} at step {@code step}:
     * {@code seed ^ (step << 32 | layer index)}, so an estimate does not depend on the order candidates are
     * evaluated in.
     */
    static SplittableRandom triangleRandom(LoesOptions o, int step, int layerIndex) {
        return new SplittableRandom(o.seed() ^ (((long) step << 32) | layerIndex));
    }

    /** The layer indices of the picked positions, in selection order. */
    static int[] layerIndices(List<Integer> positions, IntUnaryOperator layerIndex) {
        int[] out = new int[positions.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = layerIndex.applyAsInt(positions.get(i));
        }
        return out;
    }

    /** The winning score of every step, in order. */
    static double[] stepScores(List<Double> scores) {
        double[] out = new double[scores.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = scores.get(i);
        }
        return out;
    }

    /** fitLoss, isotropy and score0 of every candidate position. */
    static List<SelectionResult.LayerScore> layerScores(int count, IntUnaryOperator layerIndex, double[] fitLoss,
                                                        IntToDoubleFunction isotropy, double[] score0) {
        List<SelectionResult.LayerScore> out = new ArrayList<>(count);
        for (int p = 0; p < count; p++) {
            out.add(new SelectionResult.LayerScore(layerIndex.applyAsInt(p), fitLoss[p], isotropy.applyAsDouble(p),
                    score0[p], Map.of()));
        }
        return out;
    }
}
