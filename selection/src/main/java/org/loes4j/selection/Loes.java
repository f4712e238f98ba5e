package org.loes4j.selection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.loes4j.data.EmbeddingStream;
import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Provenance;
import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.Transpose;
import org.loes4j.selection.data.CalibrationSplit;
import org.loes4j.selection.metrics.TriangleArea;
import org.loes4j.selection.stats.LoesStatistics;

/**
 * LOES, the greedy layer selection of spec section 2, in paper mode by default.
 *
 * <ol>
 * <li>Initialisation: for every layer, the ridge of raw X_l on T gives fitLoss_l and
 *     {@code score0(l) = fitLoss_l + alpha (1 - iso_l)}; the argmin is the first pick, its prediction Yhat.</li>
 * <li>While fewer than k are selected: with {@code r = T - Yhat}, every unselected layer is orthogonalised
 *     against the selected ones (ridge mu), its residual fit loss on r computed, and
 *     {@code score(l) = resLoss + alpha (1 - iso_l) + gamma red(l, S) - eta tri(X~_l)}; the argmin wins.</li>
 * <li>Yhat accumulates the raw fit of the winner on the original T (paper) or the winner's residual fit
 *     (stagewise).</li>
 * </ol>
 * The score is {@link LoesScore}; the per-layer quantities and the redundancy are {@link LayerGeometry}; the
 * orthogonalisation is {@link Orthogonaliser}; the diagnostics {@link LoesDiagnostics}. Layers may have
 * different widths d_l: every quantity is per layer, and the orthogonalisation concatenates the selected
 * layers ({@code p = sum of their widths}). Ties go to the lowest position. The {@code sampled:T} triangle
 * estimator draws each candidate's triplets from its own generator,
 * {@code new SplittableRandom(seed ^ (step << 32 | layer))}, so an estimate does not depend on the order
 * candidates are evaluated in (the authors' code used one global stream).
 *
 * <p>All arithmetic is float64 through {@link Linalg}; a layer's calibration rows are copied to the heap when
 * needed and dropped after; the N x sum(d_l) array is never copied. Provenance counts the candidates of each
 * route ({@code candidateRoutes}). Every route is checked against a plain reference implementation to 1e-9.
 *
 * <p>Statistics route ({@link #selectStreaming}, {@link #select(LoesStatistics)}): every term also follows from
 * merged centred moments of the calibration rows ({@link LoesStatistics}: one pass over an
 * {@link EmbeddingStream}, mergeable across blocks and partitions, memory {@code 8 (D + c)(D + c + 1)} bytes with
 * D = sum d_l, c target columns, i.e. O(L^2 d^2), independent of N). It needs N &gt;= D calibration rows and gives
 * the same selection and scores as the in-memory route (to rounding, checked to 1e-9).
 *
 * <p>Use: {@code Loes.builder().k(4).task(Task.CLASSIFICATION).build().select(layers, labels)}; the builder
 * holds every option of {@link LoesOptions}, the input digests recorded in the provenance, whether to compute
 * the diagnostics, and the {@link Linalg} to compute with; a null given to it means the default.
 */
public final class Loes implements LayerSelector {
    /**
     * Largest total size of the per-layer N x N kernels kept on the feature side (max d_l &lt;= N) for
     * redundancy and the projector route; above it (large calibration sets) cross blocks {@code Xc_jT Xc_l} are
     * used instead.
     */
    static final long KERNEL_BUDGET_BYTES = 512L << 20;
    /**
     * Largest {@code tr(K~) / lambda} for which the implicit dual route is taken: the series then gains at least
     * a factor 10 per term (about 17 terms to full precision in the worst case, 2-3 on typical layers where
     * p &gt;= N leaves X~ ~ mu / sigma^2 small).
     */
    static final double IMPLICIT_LIMIT = 0.1;

    /** Rows per block that {@link #selectStreaming} folds into the statistics at a time. */
    public static final int STREAMING_BLOCK_ROWS = 4096;

    private final Linalg linalg;
    private final LoesOptions options;
    private final Map<String, String> inputDigests;
    private final boolean diagnostics;

    private Loes(Linalg linalg, LoesOptions options, Map<String, String> inputDigests, boolean diagnostics) {
        this.linalg = linalg == null ? Linalg.get() : linalg;
        this.options = options == null ? LoesOptions.builder().build() : options;
        this.inputDigests = Map.copyOf(inputDigests == null ? Map.of() : inputDigests);
        this.diagnostics = diagnostics;
    }

    /** LOES with the paper's defaults on {@code linalg} (tests). */
    Loes(Linalg linalg) {
        this(linalg, null, null, false);
    }

    /** A builder with the paper's defaults (k = 4, classification), the process-wide {@link Linalg}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The options this selector was built with. */
    public LoesOptions options() {
        return options;
    }

    /** Runs LOES with the options, digests and diagnostics setting this selector was built with. */
    @Override
    public SelectionResult select(LayeredEmbeddings layers, Labels labels) {
        return select(layers, labels, options, inputDigests, diagnostics);
    }

    /**
     * Runs LOES with per-call settings (a command that parses its options once per run).
     *
     * @param layers       the candidate layers (all rows; the calibration rows are drawn here), any widths
     * @param labels       labels for every row of {@code layers}, of the options' task; ignored (may be null)
     *                     for label-free
     * @param options      hyper-parameters ({@code k} is clamped to the number of layers); null: this selector's
     * @param inputDigests names and SHA-256 digests of the input files, recorded in the provenance; null: none
     * @param diagnostics  whether to compute the layer diagnostics (eigen-decompositions: slower)
     */
    public SelectionResult select(LayeredEmbeddings layers, Labels labels, LoesOptions options,
                                  Map<String, String> inputDigests, boolean diagnostics) {
        return select(layers, labels, options == null ? this.options : options, inputDigests, diagnostics,
                KERNEL_BUDGET_BYTES, IMPLICIT_LIMIT);
    }

    /**
     * LOES on the statistics route: one pass over {@code stream} in blocks of {@link #STREAMING_BLOCK_ROWS} rows
     * accumulates the {@link LoesStatistics} of its calibration rows (within half the maximum heap), then the
     * selection runs on them alone ({@link #select(LoesStatistics)}). Same result as {@link #select} on the same
     * rows, with {@code route: statistics} in the provenance.
     *
     * @param labels labels of every row of the stream (ignored, may be null, for label-free)
     * @throws IllegalArgumentException naming the condition when N &lt; sum d_l, or when the statistics
     *                                  ({@code 8 (D + c)(D + c + 1)} bytes) exceed the budget
     */
    public SelectionResult selectStreaming(EmbeddingStream stream, Labels labels) {
        return selectStreaming(stream, labels, STREAMING_BLOCK_ROWS);
    }

    /** {@link #selectStreaming(EmbeddingStream, Labels)} with {@code blockRows} rows per block. */
    public SelectionResult selectStreaming(EmbeddingStream stream, Labels labels, int blockRows) {
        return selectStreaming(stream, labels, blockRows, LoesStatistics.defaultBudgetBytes());
    }

    /**
     * {@link #selectStreaming(EmbeddingStream, Labels)} with {@code blockRows} rows per block, within
     * {@code budgetBytes} ({@link LoesStatistics#accumulationBytes}) instead of half the maximum heap.
     */
    public SelectionResult selectStreaming(EmbeddingStream stream, Labels labels, int blockRows, long budgetBytes) {
        long t0 = System.nanoTime();
        LoesStatistics stats = LoesStatistics.accumulate(linalg, stream, labels, options, blockRows, budgetBytes);
        double ms = Math.round((System.nanoTime() - t0) / 1e4) / 100.0;
        return StatisticsLoes.select(linalg, stats, options, inputDigests, diagnostics, Map.of("accumulateMs", ms));
    }

    /**
     * LOES from statistics accumulated (and merged) elsewhere, with this selector's options, digests and
     * diagnostics setting (the dataset entropy is NaN: it needs the rows).
     *
     * @throws IllegalArgumentException when the statistics were drawn with another task, calibration fraction or
     *                                  seed, or do not hold every calibration row yet
     */
    public SelectionResult select(LoesStatistics statistics) {
        return StatisticsLoes.select(linalg, statistics, options, inputDigests, diagnostics, Map.of());
    }

    /**
     * An estimate of the heap the in-memory route ({@link #select(LayeredEmbeddings, Labels)}) holds at its peak,
     * in bytes, from the shapes alone, counting every float64 array it keeps or forms (N = calibration rows, d_l
     * the widths, dmax the widest, c target columns, k layers to select, p the total width of the k - 1 widest
     * layers, the most a step orthogonalises against):
     * <ul>
     * <li>per layer: its Gram on the chosen side (d_l^2, or N^2 on the kernel side d &gt; N), its raw prediction
     *     (N c); on the feature side the N x N kernel of every layer too while L N^2 fits
     *     {@link #KERNEL_BUDGET_BYTES}, else the cross blocks of the selected layers (k L dmax^2);</li>
     * <li>the centred calibration rows of the selected layers (N times the k widest widths) and the targets,
     *     centred targets, prediction and residuals (5 N c);</li>
     * <li>the largest step: a candidate's rows three times over (N dmax: loaded, orthogonalised, re-centred) and
     *     its Gram; the selected layers concatenated (N p) with, for the projector, two N x N matrices, or the
     *     p x p cross-block system; on the dual side (p &gt;= N) four N x N matrices and, without kept kernels,
     *     the N x N kernel of each selected layer.</li>
     * </ul>
     * Transients of the linalg backend (packing panels) and the JVM itself are not counted. For the in-memory
     * route N is the calibration split, not the file: 0.2 of 200,000 rows of 13 layers of width 384 with k = 4
     * and 6 classes is about 1.3 GB (1.26 GiB), the statistics of the same ({@link LoesStatistics#accumulationBytes},
     * blocks of 4096 rows) 0.34 GiB whatever N.
     *
     * @param calibrationRows N, the calibration rows ({@link CalibrationSplit#size})
     * @param widths          d_l of every candidate layer
     * @param targetColumns   c (classes or regression columns; 0 label-free)
     * @param k               layers to select (clamped to the layer count)
     */
    public static long inMemoryBytes(int calibrationRows, int[] widths, int targetColumns, int k) {
        if (calibrationRows < 1 || widths == null || widths.length == 0 || targetColumns < 0 || k < 1) {
            throw new IllegalArgumentException("calibrationRows, widths, targetColumns, k: " + calibrationRows + ", "
                    + (widths == null ? null : Arrays.toString(widths)) + ", " + targetColumns + ", " + k
                    + " (need N >= 1, at least one width, c >= 0, k >= 1)");
        }
        double n = calibrationRows;
        int count = widths.length;
        int kk = Math.min(k, count);
        int[] sorted = widths.clone();
        Arrays.sort(sorted);
        double dmax = sorted[count - 1];
        double topK = 0;
        double p = 0;
        for (int i = 0; i < kk; i++) {
            topK += sorted[count - 1 - i];
            if (i < kk - 1) {
                p += sorted[count - 1 - i];
            }
        }
        double sumSq = 0;
        double sumWidths = 0;
        for (int w : widths) {
            sumSq += (double) w * w;
            sumWidths += w;
        }
        boolean featureSide = dmax <= n;
        boolean kernels = !featureSide || count * n * n * 8 <= KERNEL_BUDGET_BYTES;
        double doubles = (featureSide ? sumSq : count * n * n) + (count + 5) * n * targetColumns + n * topK;
        if (featureSide && kernels) {
            doubles += count * n * n + count * n;
        }
        if (!kernels) {
            doubles += kk * sumWidths * dmax;
        }
        double step = 3 * n * dmax + Math.min(dmax, n) * Math.min(dmax, n);
        if (p > 0 && p < n) {
            boolean projector = kernels || n * n < 2.0 * p * p + n * p;
            step += n * p + (projector ? 2 * n * n + p * n : p * p + p * dmax);
        } else if (p >= n) {
            step += 4 * n * n + (kernels ? 0 : (kk - 1) * n * n);
        }
        return (long) Math.min(Long.MAX_VALUE / 2.0, 8 * (doubles + step));
    }

    /** Without digests or diagnostics (tests). */
    SelectionResult select(LayeredEmbeddings layers, Labels labels, LoesOptions options) {
        return select(layers, labels, options, Map.of(), false);
    }

    /**
     * As above with explicit routing limits: tests force the cross-block route with a kernel budget of 0 and
     * the explicit dual route with an implicit limit of 0.
     */
    SelectionResult select(LayeredEmbeddings layers, Labels labels, LoesOptions options,
                           Map<String, String> inputDigests, boolean diagnostics, long kernelBudgetBytes,
                           double implicitLimit) {
        if (layers == null) {
            throw new IllegalArgumentException("layers: null");
        }
        boolean labelled = options.task() != Task.LABEL_FREE;
        if (labelled) {
            requireLabels(labels, layers, options.task());
        }
        long t0 = System.nanoTime();
        Provenance.Builder prov = Provenance.builder("loes", linalg).seed(options.seed())
                .hyperParameters(options.asMap());
        int[] rows = CalibrationSplit.rows(layers.rows(), options.calibrationFraction(), options.seed());
        Labels cal = labelled ? CalibrationSplit.labels(labels, rows) : null;
        prov.timingSince("calibrationSplitMs", t0);

        LayerGeometry geometry = new LayerGeometry(linalg, layers, rows, options.isotropyEps(), kernelBudgetBytes);
        Run run = new Run(geometry, cal, options, implicitLimit, prov);
        run.greedy();
        SelectionResult.Diagnostics diag = null;
        if (diagnostics) {
            long td = System.nanoTime();
            diag = LoesDiagnostics.of(linalg, geometry);
            prov.timingSince("diagnosticsMs", td);
        }
        prov.timingSince("totalMs", t0);

        prov.detail("kRequested", options.k())
                .detail("kUsed", run.k)
                .detail("rows", layers.rows())
                .detail("calibrationRows", rows.length)
                .detail("dim", layers.uniformWidth() ? (Object) layers.width(0) : layers.widths())
                .detail("candidateLayers", layers.layerIndices())
                .detail("classes", cal != null && cal.isClassification() ? cal.classCount() : 0)
                .detail("targetColumns", cal == null ? 0 : cal.columns())
                .detail("side", geometry.featureSide
                        ? "feature (d <= N: d x d Grams" + (geometry.useCross ? ", cross blocks)" : ", N x N kernels)")
                        : "kernel (d > N: N x N Grams)");
        Map<String, Object> routes = new LinkedHashMap<>();
        routes.put("explicitCandidates", run.explicitCandidates);
        routes.put("implicitDualCandidates", run.implicitCandidates);
        routes.put("eigenFallbacks", run.factors.fallbacks());
        prov.detail("candidateRoutes", routes).detail("route", "in-memory").inputs(inputDigests);
        return new SelectionResult("loes", run.selectedLayers(), run.stepScores(), run.layerScores(), run.steps,
                diag, prov.build());
    }

    private static void requireLabels(Labels labels, LayeredEmbeddings layers, Task task) {
        if (labels == null) {
            throw new IllegalArgumentException("labels: null, but the task is " + task.cliName());
        }
        if (labels.size() != layers.rows()) {
            throw new IllegalArgumentException("labels: " + labels.size() + " rows, the layers have " + layers.rows());
        }
        if (task == Task.CLASSIFICATION && !labels.isClassification()) {
            throw new IllegalArgumentException("labels: regression values given for a classification task");
        }
        if (task == Task.REGRESSION && labels.isClassification()) {
            throw new IllegalArgumentException("labels: class labels given for a regression task");
        }
    }

    /** One greedy selection over the calibration rows (spec section 2). */
    private final class Run {
        final LayerGeometry geometry;
        final LoesOptions o;
        final LoesScore score;
        final ShiftedInverse.Counting factors = new ShiftedInverse.Counting(linalg);
        final Provenance.Builder prov;
        final double implicitLimit;
        final boolean labelled;
        final int layerCount;
        final int k;
        /** Calibration targets T (N x c), null label-free. */
        final DMatrix t;
        final int[] classOf;
        final int classes;

        final double[] fitLoss;
        final double[] score0;
        /** The mean square of the centred targets, v(T) of the calibrated score (labelled). */
        double targetMeanSquare;
        /** The raw ridge prediction P_l of every layer on T (labelled). */
        final DMatrix[] prediction;
        final List<Integer> selected = new ArrayList<>();
        final List<Double> scores = new ArrayList<>();
        final List<SelectionResult.Step> steps = new ArrayList<>();
        int implicitCandidates;
        int explicitCandidates;

        Run(LayerGeometry geometry, Labels cal, LoesOptions o, double implicitLimit, Provenance.Builder prov) {
            this.geometry = geometry;
            this.o = o;
            this.prov = prov;
            this.implicitLimit = implicitLimit;
            this.labelled = cal != null;
            this.score = LoesScore.of(o, labelled);
            this.layerCount = geometry.count;
            this.k = Math.min(o.k(), layerCount);
            this.t = labelled ? cal.targetMatrix() : null;
            this.classOf = labelled && cal.isClassification() ? cal.codes() : null;
            this.classes = classOf == null ? 0 : cal.classCount();
            fitLoss = new double[layerCount];
            score0 = new double[layerCount];
            prediction = new DMatrix[layerCount];
        }

        void greedy() {
            // 1. Initialisation: score0 of every layer, the argmin is the first pick.
            long t1 = System.nanoTime();
            DMatrix tc = labelled ? linalg.center(t) : null;
            targetMeanSquare = labelled ? meanSquare(tc) : Double.NaN;
            for (int p = 0; p < layerCount; p++) {
                initialise(p, tc);
            }
            prov.timingSince("layersMs", t1);
            for (int p = 0; p < layerCount; p++) {
                requireFinite(score0[p], "the initial score of layer " + geometry.layerIndex(p));
            }
            int first = 0;
            for (int p = 1; p < layerCount; p++) {
                if (score0[p] < score0[first]) {
                    first = p;
                }
            }
            DMatrix yhat = labelled ? prediction[first].copy() : null;
            select(first, score0[first]);
            // 2. While |S| < K: score every unselected layer against the residual, pick the argmin.
            for (int s = 1; s < k; s++) {
                long ts = System.nanoTime();
                DMatrix r = labelled ? minus(t, yhat) : null;
                Pick pick = step(s, r);
                steps.add(new SelectionResult.Step(s, geometry.layerIndex(pick.position), pick.score,
                        labelled ? meanSquare(r) : Double.NaN, pick.candidates));
                select(pick.position, pick.score);
                // 3. Accumulate.
                if (labelled) {
                    yhat = accumulate(yhat, r, pick);
                }
                prov.timingSince("step" + s + "Ms", ts);
            }
        }

        /** Geometry of layer p; with targets, the ridge of raw X_p on T: fitLoss, prediction; then score0. */
        private void initialise(int p, DMatrix tc) {
            DMatrix xc = geometry.measure(p);
            if (labelled) {
                DMatrix r = ridgeResidual(xc, geometry.gram(p), geometry.featureSide, tc);
                fitLoss[p] = meanSquare(r);
                DMatrix pred = t.copy();
                subtractInPlace(pred, r);
                prediction[p] = pred;
            } else {
                fitLoss[p] = Double.NaN;
            }
            score0[p] = score.initial(fitLoss[p], targetMeanSquare, geometry.isotropy(p));
        }

        /**
         * The winner of a step, its score, the residual of its ridge on r (labelled; r minus its fit) and every
         * candidate's terms.
         */
        private record Pick(int position, double score, DMatrix residual, List<SelectionResult.Candidate> candidates) {
        }

        /** Scores every unselected layer against the residual r (null label-free) and returns the argmin. */
        private Pick step(int s, DMatrix r) {
            DMatrix rc = null;
            Orthogonaliser orth = null;
            double residualMeanSquare = Double.NaN;
            if (labelled) {
                rc = linalg.center(r);
                residualMeanSquare = meanSquare(rc);
                orth = Orthogonaliser.against(selected, geometry, linalg, factors, o.mu(), o.lambda(), implicitLimit,
                        classOf, classes);
            }
            List<SelectionResult.Candidate> table = new ArrayList<>();
            int best = -1;
            double bestScore = Double.POSITIVE_INFINITY;
            DMatrix bestResidual = null;
            for (int p = 0; p < layerCount; p++) {
                if (selected.contains(p)) {
                    continue;
                }
                DMatrix xc = geometry.prepareCandidate(p, selected);
                double red = 0;
                for (int j : selected) {
                    red = Math.max(red, geometry.redundancy(j, p));
                }
                double resLoss = Double.NaN;
                double tri = 0;
                double triangleBound = 0;
                DMatrix resid = null;
                if (labelled) {
                    DMatrix cg = null;
                    resid = orth.implicitResidual(p, rc);
                    if (resid != null) {
                        implicitCandidates++;
                        if (classes >= 3) {
                            cg = orth.implicitCentroidGram(p);
                        }
                    } else {
                        explicitCandidates++;
                        DMatrix xt = orth.apply(xc == null ? geometry.loadCentred(p) : xc, p);
                        linalg.subtractRow(xt, linalg.columnMeans(xt));
                        boolean primal = xt.cols() <= xt.rows();
                        DMatrix g = primal ? linalg.gramT(xt) : linalg.gramN(xt);
                        resid = ridgeResidual(xt, g, primal, rc);
                        if (classes >= 3) {
                            cg = TriangleArea.centroidGram(xt, classOf, classes);
                        }
                    }
                    resLoss = meanSquare(resid);
                    if (cg != null) {
                        tri = o.triangle().isExact() ? TriangleArea.exact(cg)
                                : TriangleArea.sampled(cg, o.triangle().draws(), triangleRandom(s, p));
                        triangleBound = TriangleArea.bound(cg);
                    }
                }
                double candidateScore = score.step(resLoss, residualMeanSquare, geometry.isotropy(p), red, tri,
                        triangleBound);
                requireFinite(candidateScore, "step " + s + ", candidate layer " + geometry.layerIndex(p));
                table.add(new SelectionResult.Candidate(geometry.layerIndex(p), resLoss, geometry.isotropy(p), red, tri,
                        candidateScore));
                if (candidateScore < bestScore || best < 0) {
                    best = p;
                    bestScore = candidateScore;
                    bestResidual = resid;
                }
            }
            return new Pick(best, bestScore, bestResidual, List.copyOf(table));
        }

        private void select(int p, double stepScore) {
            selected.add(p);
            scores.add(stepScore);
            geometry.markSelected(p);
        }

        /**
         * The next Yhat: paper mode adds the raw fit of the winner on the original T (double counting on
         * purpose), stagewise the winner's fit to the residual ({@code r - its ridge residual}).
         */
        private DMatrix accumulate(DMatrix yhat, DMatrix r, Pick pick) {
            DMatrix next = yhat.copy();
            if (o.accumulation() == Accumulation.PAPER) {
                addInPlace(next, prediction[pick.position]);
            } else {
                addInPlace(next, r);
                subtractInPlace(next, pick.residual);
            }
            return next;
        }

        /**
         * The residual {@code Tc - Xc W} of the ridge of tc (centred, N x c) on xc (centred, N x q), with
         * {@code gram} the q x q {@code XcT Xc} ({@code primal}) or the N x N {@code Xc XcT} (dual, where the
         * residual is exactly {@code lambda (K + lambda I)^-1 Tc}). Neither argument is modified.
         */
        private DMatrix ridgeResidual(DMatrix xc, DMatrix gram, boolean primal, DMatrix tc) {
            ShiftedInverse f = factors.of(gram, o.lambda());
            if (primal) {
                DMatrix w = f.solve(linalg.multiply(Transpose.YES, xc, Transpose.NO, tc));
                DMatrix r = tc.copy();
                linalg.gemm(Transpose.NO, Transpose.NO, -1.0, xc, w, 1.0, r);
                return r;
            }
            DMatrix alphaDual = f.solve(tc);
            Orthogonaliser.scaleInPlace(alphaDual, o.lambda());
            return alphaDual;
        }

        private void requireFinite(double value, String where) {
            GreedyPicks.requireFinite(o, value, where);
        }

        private SplittableRandom triangleRandom(int s, int p) {
            return GreedyPicks.triangleRandom(o, s, geometry.layerIndex(p));
        }

        int[] selectedLayers() {
            return GreedyPicks.layerIndices(selected, geometry::layerIndex);
        }

        double[] stepScores() {
            return GreedyPicks.stepScores(scores);
        }

        List<SelectionResult.LayerScore> layerScores() {
            return GreedyPicks.layerScores(layerCount, geometry::layerIndex, fitLoss, geometry::isotropy, score0);
        }
    }

    private static DMatrix minus(DMatrix a, DMatrix b) {
        DMatrix c = a.copy();
        subtractInPlace(c, b);
        return c;
    }

    private static double meanSquare(DMatrix r) {
        double s = 0;
        for (int i = 0; i < r.rows(); i++) {
            for (int j = 0; j < r.cols(); j++) {
                double v = r.get(i, j);
                s += v * v;
            }
        }
        return s / ((double) r.rows() * r.cols());
    }

    private static void subtractInPlace(DMatrix a, DMatrix b) {
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                a.set(i, j, a.get(i, j) - b.get(i, j));
            }
        }
    }

    private static void addInPlace(DMatrix a, DMatrix b) {
        Orthogonaliser.addInPlace(a, b);
    }

    /**
     * Builds a {@link Loes}: every option of {@link LoesOptions} (validated by {@link #build()}, messages name
     * the option), the input digests for the provenance, the diagnostics switch and the {@link Linalg}. A null
     * argument means the default.
     */
    public static final class Builder {
        private static final LoesOptions DEFAULTS = LoesOptions.builder().build();

        private final LoesOptions.Builder options = LoesOptions.builder();
        private Linalg linalg;
        private Map<String, String> inputDigests = Map.of();
        private boolean diagnostics;

        private Builder() {
        }

        /** Starts from {@code o} (null: the defaults), replacing every option set so far. */
        public Builder options(LoesOptions o) {
            LoesOptions v = o == null ? DEFAULTS : o;
            options.k(v.k()).task(v.task()).alpha(v.alpha()).gamma(v.gamma()).eta(v.eta()).lambda(v.lambda()).mu(v.mu())
                    .isotropyEps(v.isotropyEps()).accumulation(v.accumulation()).triangle(v.triangle())
                    .calibrationFraction(v.calibrationFraction()).seed(v.seed()).score(v.score());
            return this;
        }

        /** Budget: layers to select (default 4; clamped to the number of layers). */
        public Builder k(Integer v) {
            options.k(v == null ? DEFAULTS.k() : v);
            return this;
        }

        /** Default classification. */
        public Builder task(Task v) {
            options.task(v);
            return this;
        }

        /** Isotropy weight (default 1.0). */
        public Builder alpha(Double v) {
            options.alpha(v == null ? DEFAULTS.alpha() : v);
            return this;
        }

        /** Redundancy weight (default 0.5). */
        public Builder gamma(Double v) {
            options.gamma(v == null ? DEFAULTS.gamma() : v);
            return this;
        }

        /** Triangle weight (default 0.1). */
        public Builder eta(Double v) {
            options.eta(v == null ? DEFAULTS.eta() : v);
            return this;
        }

        /** Ridge strength of the probes (default 1e-3). */
        public Builder lambda(Double v) {
            options.lambda(v == null ? DEFAULTS.lambda() : v);
            return this;
        }

        /** Ridge strength of the orthogonalisation (default 1e-6). */
        public Builder mu(Double v) {
            options.mu(v == null ? DEFAULTS.mu() : v);
            return this;
        }

        /** eps of the isotropy ratio (default 1e-9). */
        public Builder isotropyEps(Double v) {
            options.isotropyEps(v == null ? DEFAULTS.isotropyEps() : v);
            return this;
        }

        /** Default paper. */
        public Builder accumulation(Accumulation v) {
            options.accumulation(v);
            return this;
        }

        /** Default exact. */
        public Builder triangle(TriangleEstimator v) {
            options.triangle(v);
            return this;
        }

        /** The scale of the score's terms (default paper; {@link ScoreScale}). */
        public Builder score(ScoreScale v) {
            options.score(v);
            return this;
        }

        /** Fraction of rows in the calibration set (default 0.2; 1.0 uses every row). */
        public Builder calibrationFraction(Double v) {
            options.calibrationFraction(v == null ? DEFAULTS.calibrationFraction() : v);
            return this;
        }

        /** Seed of the calibration split and the sampled triangle estimator (default 42). */
        public Builder seed(Long v) {
            options.seed(v == null ? DEFAULTS.seed() : v);
            return this;
        }

        /** {@link #seed(Long)} for a literal ({@code seed(7)}: an int widens to long, it does not box to Long). */
        public Builder seed(long v) {
            options.seed(v);
            return this;
        }

        /** Whether {@link Loes#select(LayeredEmbeddings, Labels)} computes the layer diagnostics (default off). */
        public Builder diagnostics(Boolean v) {
            diagnostics = v != null && v;
            return this;
        }

        /** Input names to "sha256:..." digests for the provenance (default none). */
        public Builder inputDigests(Map<String, String> v) {
            inputDigests = v == null ? Map.of() : new LinkedHashMap<>(v);
            return this;
        }

        /** The linear algebra to compute with (default the process-wide {@link Linalg#get()}). */
        public Builder linalg(Linalg v) {
            linalg = v;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid option and its value
         */
        public Loes build() {
            return new Loes(linalg, options.build(), inputDigests, diagnostics);
        }
    }
}
