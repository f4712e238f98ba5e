package org.loes4j.selection.baselines;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Provenance;
import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.selection.LayerSelector;
import org.loes4j.selection.LoesOptions;
import org.loes4j.selection.SelectionResult;
import org.loes4j.selection.data.CalibrationSplit;
import org.loes4j.selection.metrics.Curvature;
import org.loes4j.selection.metrics.IntrinsicDimension;
import org.loes4j.selection.metrics.MatrixEntropy;

/**
 * Runs the baselines of spec section 3 over the same inputs as LOES (calibration rows drawn with the same
 * fraction and seed), returning the same {@link SelectionResult} shape: the chosen layers, the per-layer
 * metric the choice was made by (in {@code layers[].metrics}), and the provenance. Layers may have different
 * widths. As a {@link LayerSelector}: {@link #selector(Baseline, LoesOptions)}.
 */
public final class Baselines {
    /** Folds of the cross-validated probe that scores subsets in the exhaustive search. */
    public static final int FOLDS = 5;
    /** Largest number of k-subsets the exhaustive search accepts. */
    public static final long MAX_SUBSETS = 20_000;

    private final Linalg linalg;

    /** Baselines computing through {@code linalg} (null: the process-wide {@link Linalg#get()}). */
    public Baselines(Linalg linalg) {
        this.linalg = linalg == null ? Linalg.get() : linalg;
    }

    /**
     * {@code baseline} as a {@link LayerSelector} with {@code options} (null: the defaults) on the process-wide
     * {@link Linalg}; no input digests are recorded.
     */
    public static LayerSelector selector(Baseline baseline, LoesOptions options) {
        if (baseline == null) {
            throw new IllegalArgumentException("baseline: null");
        }
        LoesOptions o = options == null ? LoesOptions.builder().build() : options;
        return (layers, labels) -> new Baselines(null).run(baseline, layers, labels, o, Map.of());
    }

    /**
     * Runs {@code baseline} with {@code options.k()} (clamped to L), {@code options.seed()} and the calibration
     * fraction of {@code options}.
     *
     * @param labels       required for {@link Baseline#EXHAUSTIVE}; otherwise unused (may be null)
     * @param inputDigests recorded in the provenance (null: none)
     */
    public SelectionResult run(Baseline baseline, LayeredEmbeddings layers, Labels labels, LoesOptions options,
                               Map<String, String> inputDigests) {
        if (baseline == null) {
            throw new IllegalArgumentException("baseline: null");
        }
        if (layers == null) {
            throw new IllegalArgumentException("layers: null");
        }
        if (options == null) {
            throw new IllegalArgumentException("options: null");
        }
        long t0 = System.nanoTime();
        int count = layers.layerCount();
        int k = Math.min(options.k(), count);
        int[] rows = CalibrationSplit.rows(layers.rows(), options.calibrationFraction(), options.seed());
        int[] positions;
        double[] stepScores;
        Map<Integer, Map<String, Double>> metrics = new LinkedHashMap<>();
        switch (baseline) {
            case LAST -> {
                positions = new int[] {count - 1};
                stepScores = new double[] {Double.NaN};
            }
            case LAST_K -> {
                positions = new int[k];
                for (int i = 0; i < k; i++) {
                    positions[i] = count - k + i;
                }
                stepScores = nan(k);
            }
            case RANDOM -> {
                int[] perm = new int[count];
                for (int i = 0; i < count; i++) {
                    perm[i] = i;
                }
                SplittableRandom rng = new SplittableRandom(options.seed());
                for (int i = 0; i < k; i++) {
                    int j = i + rng.nextInt(count - i);
                    int t = perm[i];
                    perm[i] = perm[j];
                    perm[j] = t;
                }
                positions = java.util.Arrays.copyOf(perm, k);
                stepScores = nan(k);
            }
            case ENTROPY, CURVATURE, INTRINSIC -> {
                double[] value = new double[count];
                String name = switch (baseline) {
                    case ENTROPY -> "datasetEntropy";
                    case CURVATURE -> "curvature";
                    default -> "intrinsicDimension";
                };
                for (int p = 0; p < count; p++) {
                    DMatrix x = layers.load(p, rows);
                    value[p] = switch (baseline) {
                        case ENTROPY -> MatrixEntropy.dataset(linalg, x, true);
                        case CURVATURE -> Curvature.ofRows(x);
                        default -> IntrinsicDimension.twoNN(linalg, x);
                    };
                    metrics.put(p, Map.of(name, value[p]));
                }
                positions = topK(value, k, baseline != Baseline.CURVATURE);
                stepScores = new double[k];
                for (int i = 0; i < k; i++) {
                    stepScores[i] = value[positions[i]];
                }
            }
            case EXHAUSTIVE -> {
                if (labels == null || options.task() == Task.LABEL_FREE) {
                    throw new IllegalArgumentException("baseline: exhaustive search scores subsets with a probe and needs labels");
                }
                if (labels.size() != layers.rows()) {
                    throw new IllegalArgumentException("labels: " + labels.size() + " rows, the layers have " + layers.rows());
                }
                ExhaustiveSearch search = new ExhaustiveSearch(linalg, layers, rows, CalibrationSplit.labels(labels, rows),
                        options, FOLDS);
                positions = search.best(k);
                stepScores = new double[] {search.bestScore()};
            }
            default -> throw new IllegalStateException("unhandled baseline " + baseline);
        }
        int[] selected = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            selected[i] = layers.layerIndex(positions[i]);
        }
        List<SelectionResult.LayerScore> scores = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            scores.add(new SelectionResult.LayerScore(layers.layerIndex(p), Double.NaN, Double.NaN, Double.NaN,
                    metrics.getOrDefault(p, Map.of())));
        }
        Provenance.Builder prov = Provenance.builder(baseline.cliName(), linalg).seed(options.seed())
                .hyperParameters(options.asMap())
                .detail("kUsed", baseline == Baseline.LAST ? 1 : k)
                .detail("rows", layers.rows())
                .detail("calibrationRows", rows.length)
                .detail("dim", layers.uniformWidth() ? (Object) layers.width(0) : layers.widths())
                .detail("candidateLayers", layers.layerIndices());
        if (baseline == Baseline.EXHAUSTIVE) {
            prov.detail("folds", FOLDS).detail("probeScore", labels.isClassification() ? "mean cross-validated accuracy"
                    : "minus mean cross-validated squared error");
        }
        prov.inputs(inputDigests).timingSince("totalMs", t0);
        return new SelectionResult(baseline.cliName(), selected, stepScores, scores, List.of(), null, prov.build());
    }

    private static double[] nan(int k) {
        double[] v = new double[k];
        java.util.Arrays.fill(v, Double.NaN);
        return v;
    }

    /** Positions of the k largest (or smallest) values, best first; ties to the lowest position. */
    static int[] topK(double[] value, int k, boolean largest) {
        boolean[] used = new boolean[value.length];
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            int best = -1;
            for (int p = 0; p < value.length; p++) {
                if (used[p]) {
                    continue;
                }
                if (best < 0 || (largest ? value[p] > value[best] : value[p] < value[best])) {
                    best = p;
                }
            }
            used[best] = true;
            out[i] = best;
        }
        return out;
    }
}
