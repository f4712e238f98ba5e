package org.loes4j.training;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.loes4j.data.Folds;
import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Provenance;
import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.concurrent.LinalgExecutor;
import org.loes4j.linalg.io.Json;
import org.loes4j.linalg.regression.RidgeCv;
import org.loes4j.linalg.regression.RidgeFit;
import org.loes4j.linalg.regression.RidgePath;
import org.loes4j.linalg.regression.Standardiser;
import org.loes4j.training.model.RidgeModel;

/**
 * Fits the closed-form ridge probe ({@link ProbeType#RIDGE}) on selected layers:
 * <pre>
 *   X = the selected layers side by side (N x D; widths may differ), T = one-hot classes (N x C) | targets (N x 1)
 *   folds = Folds.of(labels, k, seed)                   stratified by class | plain
 *   for every fold:                                      (in parallel on the library executor)
 *     standardise by the fold's training rows; ONE eigen-decomposition; every lambda scored on the held-out
 *     rows (accuracy of the argmax | R^2)                  -- RidgeCv, as the layer probe does
 *   lambda = the largest with the best mean CV score (within RidgeCv.TIE_TOLERANCE)
 *   refit on ALL rows at lambda: standardiser of all rows, W(lambda), b = mean(T)  -- RidgePath.solution
 * </pre>
 * Every training row is used: the cross-validation replaces a validation hold-out. The one-hot columns cover
 * every class of the label mapping (a class without a row gets a zero column and never wins the argmax), so
 * the scores' columns are the mapping's classes in order. Deterministic: the same data, config and thread count
 * give the same model.
 */
public final class RidgeTrainer {
    private final RidgeConfig config;
    private final Map<String, String> inputs;
    private final Map<String, String> inputMeta;
    private final Linalg linalg;

    public RidgeTrainer(RidgeConfig config) {
        this(config, Map.of(), Map.of());
    }

    /**
     * @param inputs    what the data came from (file names and digests), recorded under {@code provenance.inputs};
     *                  a value that is not a string is recorded as its JSON text; null means none
     * @param inputMeta what the input embeddings are ({@code pooling}, {@code model}, ...), saved with the model;
     *                  null means none
     */
    public RidgeTrainer(RidgeConfig config, Map<String, ?> inputs, Map<String, String> inputMeta) {
        if (config == null) {
            throw new IllegalArgumentException("config: null");
        }
        this.config = config;
        this.inputs = new LinkedHashMap<>();
        if (inputs != null) {
            inputs.forEach((k, v) -> this.inputs.put(k, v instanceof String str ? str : Json.write(v)));
        }
        this.inputMeta = inputMeta == null ? Map.of() : new LinkedHashMap<>(inputMeta);
        this.linalg = Linalg.get();
    }

    public RidgeConfig config() {
        return config;
    }

    /**
     * Fits a ridge probe on the layers {@code layers} (hidden-state indices, in order) of {@code train}.
     *
     * @param targets class labels or one column of regression targets, one per row
     * @param pooling how the embeddings were pooled, recorded only; null means {@code "unknown"}
     * @throws IllegalArgumentException naming the argument that is missing or inconsistent, a layer the
     *         embeddings lack or named twice, a non-finite embedding value, or {@code folds} when a class (or the
     *         data) has fewer rows than folds
     */
    public RidgeResult train(LayeredEmbeddings train, Labels targets, int[] layers, String pooling) {
        return train(train, targets, layers, pooling, train == null ? 0 : train.layerCount());
    }

    /** As the public one; {@code encoderLayers} is the L recorded in the probe (0: any embeddings holding its layers). */
    RidgeResult train(LayeredEmbeddings train, Labels targets, int[] layers, String pooling, int encoderLayers) {
        long t0 = System.nanoTime();
        int[] positions = checkInputs(train, targets, layers);
        Task task = targets.task();
        boolean classification = task == Task.CLASSIFICATION;
        int n = train.rows();
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        DMatrix x = train.concatenate(positions, all);
        checkFinite(x, train, positions);
        DMatrix t = classification ? targets.oneHot() : targets.targetMatrix();
        int[] codes = classification ? targets.codes() : null;

        int k = config.folds();
        double[] lambdas = config.lambdas();
        int[] fold = Folds.of(targets, k, config.seed());
        RidgeCv.FoldScores[] scores = new RidgeCv.FoldScores[k];
        LinalgExecutor.parallelFor(k, f -> {
            int[] tr = Folds.rows(fold, f, false);
            int[] te = Folds.rows(fold, f, true);
            scores[f] = classification
                    ? RidgeCv.classification(linalg, rows(x, tr), rows(t, tr), rows(x, te), pick(codes, te), lambdas)
                    : RidgeCv.regression(linalg, rows(x, tr), rows(t, tr), rows(x, te), rows(t, te), lambdas);
        });
        double[] mean = new double[lambdas.length];
        for (int l = 0; l < lambdas.length; l++) {
            for (int f = 0; f < k; f++) {
                mean[l] += scores[f].scores()[l];
            }
            mean[l] /= k;
        }
        int best = RidgeCv.choose(mean);
        double lambda = lambdas[best];
        double[] foldScores = new double[k];
        double ss = 0;
        for (int f = 0; f < k; f++) {
            foldScores[f] = scores[f].scores()[best];
            ss += (foldScores[f] - mean[best]) * (foldScores[f] - mean[best]);
        }
        double std = Math.sqrt(ss / k);
        boolean edge = lambdas.length > 1 && (best == 0 || best == lambdas.length - 1);

        Standardiser st = Standardiser.of(x);
        st.apply(x);
        RidgeFit fit = RidgePath.fit(linalg, x, t, null).solution(lambda);
        DMatrix weight = fit.weights().copy();
        DMatrix w = DMatrix.zeros(weight.cols(), weight.rows());
        for (int i = 0; i < weight.rows(); i++) {
            for (int j = 0; j < weight.cols(); j++) {
                w.set(j, i, weight.get(i, j));
            }
        }
        int[] widths = new int[positions.length];
        for (int p = 0; p < positions.length; p++) {
            widths[p] = train.width(positions[p]);
        }
        RidgeModel model = RidgeModel.of(widths, st, w, fit.bias(), lambda);

        String scoreName = classification ? "accuracy" : "r2";
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("lambda", lambda);
        summary.put("cvMetric", scoreName);
        summary.put("cvScore", mean[best]);
        summary.put("cvStd", std);
        summary.put("foldScores", foldScores);
        summary.put("lambdaScores", mean);
        summary.put("lambdaAtGridEdge", edge);
        summary.put("route", scores[0].dual() ? "dual" : "primal");
        summary.put("trainSamples", n);
        Provenance provenance = Provenance.builder("train", linalg)
                .seed(config.seed())
                .hyperParameters(config.toMap())
                .detail("folding", classification ? "stratified" : "plain")
                .detail("trainSamples", n)
                .inputs(inputs)
                .timingSince("train", t0)
                .build();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("layerNumbering", Probe.LAYER_NUMBERING);
        meta.putAll(inputMeta);
        Probe probe = new Probe(model, layers.clone(), encoderLayers, task,
                classification ? targets.names() : List.of(), 0.0, 1.0, pooling == null ? "unknown" : pooling,
                config.toMap(), provenance, summary, meta);
        return new RidgeResult(probe, lambda, lambdas, mean, foldScores, mean[best], std, scoreName, edge, seconds);
    }

    private static int[] checkInputs(LayeredEmbeddings train, Labels targets, int[] layers) {
        if (train == null) {
            throw new IllegalArgumentException("train: null embeddings");
        }
        if (targets == null) {
            throw new IllegalArgumentException("targets: null; a probe needs class labels or regression targets ("
                    + Task.LABEL_FREE.cliName() + " is for layer selection only)");
        }
        Trainer.checkTask("targets", targets);
        if (train.rows() != targets.size()) {
            throw new IllegalArgumentException("targets: " + targets.size() + " targets for " + train.rows()
                    + " samples");
        }
        if (layers == null || layers.length == 0) {
            throw new IllegalArgumentException("layers: at least one layer is needed");
        }
        int[] positions = new int[layers.length];
        for (int i = 0; i < layers.length; i++) {
            positions[i] = train.positionOf(layers[i]);
            if (positions[i] < 0) {
                throw new IllegalArgumentException("layers: " + layers[i] + " is not among the hidden states "
                        + Trainer.describeIndices(train) + " of the embeddings (" + Arrays.toString(layers) + ")");
            }
            for (int j = 0; j < i; j++) {
                if (layers[j] == layers[i]) {
                    throw new IllegalArgumentException("layers: " + layers[i] + " appears twice in "
                            + Arrays.toString(layers));
                }
            }
        }
        return positions;
    }

    /** Names layer, row and column of the first non-finite value of the concatenated {@code x}. */
    private static void checkFinite(DMatrix x, LayeredEmbeddings e, int[] positions) {
        double[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(d[i])) {
                int row = i / x.cols();
                int col = i % x.cols();
                int p = 0;
                while (col >= e.width(positions[p])) {
                    col -= e.width(positions[p]);
                    p++;
                }
                throw new IllegalArgumentException("embeddings: " + d[i] + " at layer " + e.layerIndex(positions[p])
                        + ", row " + row + ", column " + col);
            }
        }
    }

    private static DMatrix rows(DMatrix m, int[] ids) {
        DMatrix out = DMatrix.zeros(ids.length, m.cols());
        for (int i = 0; i < ids.length; i++) {
            out.view(i, 0, 1, m.cols()).copyFrom(m.view(ids[i], 0, 1, m.cols()));
        }
        return out;
    }

    private static int[] pick(int[] v, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = v[idx[i]];
        }
        return out;
    }
}
