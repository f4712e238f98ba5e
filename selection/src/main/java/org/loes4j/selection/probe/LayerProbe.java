package org.loes4j.selection.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Provenance;
import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.concurrent.LinalgExecutor;
import org.loes4j.linalg.regression.RidgeCv;

/**
 * A k-fold cross-validated ridge probe on every layer of a {@link LayeredEmbeddings} (and on given subsets of
 * layers, concatenated): which layers carry the task, measured the way a plain, well-tuned ridge would.
 *
 * <p>For every layer (or subset) and every fold:
 * <ol>
 *   <li>the features are standardised per column with the mean and population standard deviation of the
 *       fold's TRAINING rows, applied to its training and held-out rows alike (a constant training column
 *       becomes 0);</li>
 *   <li>the targets are the one-hot classes present (classification) or the raw target columns (regression),
 *       centred on the training rows; the intercept is their training mean;</li>
 *   <li>one symmetric eigen-decomposition, of {@code XT X} when the width d &lt;= the training rows n, else of
 *       {@code X XT}, gives the ridge {@code W(lambda) = (XT X + lambda I)^-1 XT T} for the whole lambda grid
 *       (see {@code RidgePath}); lambda is not scaled by n;</li>
 *   <li>every lambda is scored on the held-out rows: accuracy of the argmax (and macro-F1) for classification,
 *       R^2 = 1 - SSE/SST with SST around the held-out mean (scikit-learn's {@code r2_score}, averaged over
 *       target columns) for regression.</li>
 * </ol>
 * The CV score of a lambda is the unweighted mean of its fold scores; the chosen lambda is the largest one
 * whose CV score is within {@link #TIE_TOLERANCE} of the best (more regularisation on a tie), and the reported
 * score is its mean with the population standard deviation over folds. Folds are stratified for
 * classification and plain for regression, both seeded ({@link Folds}); every layer sees the same folds.
 *
 * <p>Cost per layer and fold: one Gram product, ONE eigen-decomposition of a min(d, n) square matrix, two
 * products to project the training targets and held-out rows, then per lambda one (held-out x min(d, n) x c)
 * product. Layers and folds run in parallel on the library executor. All arithmetic is float64.
 *
 * <p>Defaults: 5 folds, seed 42, 17 lambdas log-spaced over [1e-4, 1e4] (half a decade apart).
 */
public final class LayerProbe {
    public static final int DEFAULT_FOLDS = 5;
    public static final long DEFAULT_SEED = 42;
    public static final double DEFAULT_LAMBDA_MIN = 1e-4;
    public static final double DEFAULT_LAMBDA_MAX = 1e4;
    public static final int DEFAULT_LAMBDA_POINTS = 17;
    /**
     * Two CV scores closer than this (relative to the larger magnitude, at least absolute) are a tie: fold means of
     * the same accuracies summed in another order may differ in the last bits.
     */
    public static final double TIE_TOLERANCE = RidgeCv.TIE_TOLERANCE;

    private final int folds;
    private final double[] lambdas;
    private final long seed;
    private final Linalg linalg;

    private LayerProbe(int folds, double[] lambdas, long seed, Linalg linalg) {
        this.folds = folds;
        this.lambdas = lambdas;
        this.seed = seed;
        this.linalg = linalg;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The default grid: {@link #logGrid}(1e-4, 1e4, 17). */
    public static double[] defaultLambdas() {
        return logGrid(DEFAULT_LAMBDA_MIN, DEFAULT_LAMBDA_MAX, DEFAULT_LAMBDA_POINTS);
    }

    /**
     * {@code points} values log-spaced from {@code from} to {@code to} (both included, exactly): {@link
     * RidgeCv#logGrid}, {@code 10^(log10(from) + i (log10(to) - log10(from)) / (points - 1))}.
     *
     * @throws IllegalArgumentException naming {@code lambdas} when from or to is not finite and &gt; 0, to &lt;
     *         from, points &lt; 1, or one point is asked for a range
     */
    public static double[] logGrid(double from, double to, int points) {
        return RidgeCv.logGrid(from, to, points);
    }

    public int folds() {
        return folds;
    }

    /** The lambda grid, ascending. */
    public double[] lambdas() {
        return lambdas.clone();
    }

    public long seed() {
        return seed;
    }

    public Linalg linalg() {
        return linalg;
    }

    /** The hyper-parameters by name, for provenance. */
    public Map<String, Object> hyperParameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("folds", folds);
        m.put("lambdas", lambdas.clone());
        m.put("seed", seed);
        m.put("standardise", "per column, training-fold mean and population std");
        return m;
    }

    /**
     * The fold of every row for {@code labels}: {@link org.loes4j.data.Folds#of}, stratified over the classes
     * present for classification, plain for regression.
     *
     * @throws IllegalArgumentException naming {@code labels} (fewer than 2 classes) or {@code folds} (a class, or
     *         the data, with fewer rows than folds)
     */
    public int[] foldAssignment(Labels labels) {
        return org.loes4j.data.Folds.of(labels, folds, seed);
    }

    private static Labels presentClasses(Labels labels) {
        Labels y = labels.presentClassesOnly();
        if (y.classCount() < 2) {
            throw new IllegalArgumentException("labels: only one class ('" + y.names().getFirst()
                    + "') present; a probe needs at least 2");
        }
        return y;
    }

    /** Probes every layer of {@code embeddings}. */
    public ProbeSweep sweep(LayeredEmbeddings embeddings, Labels labels) {
        return sweep(embeddings, labels, List.of());
    }

    /**
     * Probes every layer of {@code embeddings} and every subset in {@code subsets} (each an array of hidden-state
     * indices, concatenated in that order; null means none).
     *
     * @throws IllegalArgumentException naming the argument: null inputs, a label count that differs from the
     *         rows, fewer than 2 classes, a class (or, for regression, the data) with fewer rows than folds, a
     *         subset naming a layer the embeddings lack or a layer twice, a non-finite embedding value
     */
    public ProbeSweep sweep(LayeredEmbeddings embeddings, Labels labels, List<int[]> subsets) {
        long t0 = System.nanoTime();
        if (embeddings == null) {
            throw new IllegalArgumentException("embeddings: null");
        }
        if (labels == null) {
            throw new IllegalArgumentException("labels: null");
        }
        if (labels.size() != embeddings.rows()) {
            throw new IllegalArgumentException("labels: " + labels.size() + " labels for " + embeddings.rows()
                    + " rows of embeddings");
        }
        boolean classification = labels.task() == Task.CLASSIFICATION;
        Labels y = classification ? presentClasses(labels) : labels;
        int[] fold = foldAssignment(y);
        List<int[]> units = new ArrayList<>();
        for (int p = 0; p < embeddings.layerCount(); p++) {
            units.add(new int[] {p});
        }
        int layerUnits = units.size();
        units.addAll(subsetPositions(embeddings, subsets));

        DMatrix targets = y.targetMatrix();
        int c = targets.cols();
        int[] codes = classification ? y.codes() : null;
        int[][] train = new int[folds][];
        int[][] heldOut = new int[folds][];
        for (int f = 0; f < folds; f++) {
            train[f] = org.loes4j.data.Folds.rows(fold, f, false);
            heldOut[f] = org.loes4j.data.Folds.rows(fold, f, true);
        }
        double[][][] score = new double[units.size()][folds][];
        double[][][] f1 = new double[units.size()][folds][];
        boolean[][] dual = new boolean[units.size()][folds];
        LinalgExecutor.parallelFor(units.size() * folds, task -> {
            int u = task / folds;
            int f = task % folds;
            int[] positions = units.get(u);
            DMatrix xtr = load(embeddings, positions, train[f]);
            DMatrix xte = load(embeddings, positions, heldOut[f]);
            RidgeCv.FoldScores fs = classification
                    ? RidgeCv.classification(linalg, xtr, rows(targets, train[f]), xte, pick(codes, heldOut[f]), lambdas)
                    : RidgeCv.regression(linalg, xtr, rows(targets, train[f]), xte, rows(targets, heldOut[f]), lambdas);
            dual[u][f] = fs.dual();
            score[u][f] = fs.scores();
            f1[u][f] = fs.macroF1();
        });

        List<ProbeResult> layerResults = new ArrayList<>(layerUnits);
        List<ProbeResult> subsetResults = new ArrayList<>(units.size() - layerUnits);
        for (int u = 0; u < units.size(); u++) {
            ProbeResult r = summarise(embeddings, units.get(u), score[u], f1[u], dual[u]);
            (u < layerUnits ? layerResults : subsetResults).add(r);
        }
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("task", labels.task().cliName());
        hyper.putAll(hyperParameters());
        int[] foldSizes = new int[folds];
        for (int f = 0; f < folds; f++) {
            foldSizes[f] = heldOut[f].length;
        }
        Provenance prov = Provenance.builder("probe", linalg).seed(seed).hyperParameters(hyper)
                .detail("folding", classification ? "stratified" : "plain")
                .detail("foldSizes", foldSizes)
                .detail("score", classification ? "accuracy (argmax of the one-hot ridge), macro-F1"
                        : "R^2 per fold (SST around the held-out mean), averaged over target columns")
                .timingSince("sweepMs", t0).build();
        return new ProbeSweep(labels.task(), embeddings.rows(), c, folds, seed, lambdas, layerResults, subsetResults,
                prov);
    }

    private ProbeResult summarise(LayeredEmbeddings e, int[] positions, double[][] score, double[][] f1,
                                  boolean[] dual) {
        int nl = lambdas.length;
        double[] mean = new double[nl];
        for (int l = 0; l < nl; l++) {
            for (int f = 0; f < folds; f++) {
                mean[l] += score[f][l];
            }
            mean[l] /= folds;
        }
        int best = RidgeCv.choose(mean);
        double[] foldScores = new double[folds];
        double[] foldF1 = new double[f1[0] == null ? 0 : folds];
        int dualFolds = 0;
        for (int f = 0; f < folds; f++) {
            foldScores[f] = score[f][best];
            if (foldF1.length > 0) {
                foldF1[f] = f1[f][best];
            }
            dualFolds += dual[f] ? 1 : 0;
        }
        int[] layers = new int[positions.length];
        int width = 0;
        for (int i = 0; i < positions.length; i++) {
            layers[i] = e.layerIndex(positions[i]);
            width += e.width(positions[i]);
        }
        return new ProbeResult(layers, width, lambdas[best], mean[best], std(foldScores, mean[best]), foldScores,
                foldF1.length > 0 ? mean(foldF1) : Double.NaN,
                foldF1.length > 0 ? std(foldF1, mean(foldF1)) : Double.NaN, foldF1, mean, dualFolds);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Population standard deviation (divide by the count). */
    private static double std(double[] v, double mean) {
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return Math.sqrt(s / v.length);
    }

    private static List<int[]> subsetPositions(LayeredEmbeddings e, List<int[]> subsets) {
        List<int[]> out = new ArrayList<>();
        if (subsets == null) {
            return out;
        }
        for (int s = 0; s < subsets.size(); s++) {
            int[] layers = subsets.get(s);
            if (layers == null || layers.length == 0) {
                throw new IllegalArgumentException("subsets: entry " + s + " is empty");
            }
            int[] pos = new int[layers.length];
            for (int i = 0; i < layers.length; i++) {
                pos[i] = e.positionOf(layers[i]);
                if (pos[i] < 0) {
                    throw new IllegalArgumentException("subsets: entry " + s + " names hidden state " + layers[i]
                            + ", not among " + Arrays.toString(e.layerIndices()));
                }
                for (int j = 0; j < i; j++) {
                    if (pos[j] == pos[i]) {
                        throw new IllegalArgumentException("subsets: entry " + s + " names hidden state " + layers[i]
                                + " twice");
                    }
                }
            }
            out.add(pos);
        }
        return out;
    }

    /**
     * The rows {@code rowIds} of the layers at {@code positions}, concatenated column-wise, as a new contiguous
     * matrix.
     *
     * @throws IllegalArgumentException naming the layer, row and column of a non-finite value
     */
    private static DMatrix load(LayeredEmbeddings e, int[] positions, int[] rowIds) {
        DMatrix x = e.concatenate(positions, rowIds);
        int width = x.cols();
        double[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(d[i])) {
                int row = i / width;
                int col = i % width;
                int layer = 0;
                while (col >= e.width(positions[layer])) {
                    col -= e.width(positions[layer]);
                    layer++;
                }
                throw new IllegalArgumentException("embeddings: " + d[i] + " at layer " + e.layerIndex(positions[layer])
                        + ", row " + rowIds[row] + ", column " + col);
            }
        }
        return x;
    }

    private static DMatrix rows(DMatrix m, int[] rowIds) {
        DMatrix out = DMatrix.zeros(rowIds.length, m.cols());
        for (int i = 0; i < rowIds.length; i++) {
            for (int j = 0; j < m.cols(); j++) {
                out.set(i, j, m.get(rowIds[i], j));
            }
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

    /** Mutable builder; {@link #build()} validates. A null argument means the default. */
    public static final class Builder {
        private Integer folds;
        private double[] lambdas;
        private Long seed;
        private Linalg linalg;

        private Builder() {
        }

        /** Number of folds, {@code >= 2} (default 5). */
        public Builder folds(Integer v) {
            folds = v;
            return this;
        }

        /** The lambda grid, every value finite and &gt; 0; sorted ascending, repeats dropped (default {@link #defaultLambdas()}). */
        public Builder lambdas(double[] v) {
            lambdas = v == null ? null : v.clone();
            return this;
        }

        /** Seed of the folds (default 42). */
        public Builder seed(Long v) {
            seed = v;
            return this;
        }

        /** Seed of the folds (default 42). */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** The linear algebra to compute on (default {@link Linalg#get()}). */
        public Builder linalg(Linalg v) {
            linalg = v;
            return this;
        }

        /** @throws IllegalArgumentException naming {@code folds} or {@code lambdas} and the bad value */
        public LayerProbe build() {
            int k = folds == null ? DEFAULT_FOLDS : folds;
            if (k < 2) {
                throw new IllegalArgumentException("folds: " + k + " must be >= 2");
            }
            double[] grid = lambdas == null ? defaultLambdas() : lambdas.clone();
            if (grid.length == 0) {
                throw new IllegalArgumentException("lambdas: empty; give at least one value");
            }
            for (int i = 0; i < grid.length; i++) {
                if (!(grid[i] > 0) || !Double.isFinite(grid[i])) {
                    throw new IllegalArgumentException("lambdas: entry " + i + " is " + grid[i] + ", must be finite and > 0");
                }
            }
            grid = Arrays.stream(grid).sorted().distinct().toArray();
            return new LayerProbe(k, grid, seed == null ? DEFAULT_SEED : seed, linalg == null ? Linalg.get() : linalg);
        }
    }
}
