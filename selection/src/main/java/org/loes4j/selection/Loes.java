package org.loes4j.selection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.LibraryInfo;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.Transpose;
import org.loes4j.linalg.regression.Ridge;
import org.loes4j.selection.data.CalibrationSplit;
import org.loes4j.selection.data.LayerStack;
import org.loes4j.selection.data.Targets;
import org.loes4j.selection.metrics.EffectiveRank;
import org.loes4j.selection.metrics.Isotropy;
import org.loes4j.selection.metrics.MatrixEntropy;
import org.loes4j.selection.metrics.Redundancy;
import org.loes4j.selection.metrics.SpectrumSummary;
import org.loes4j.selection.metrics.TriangleArea;

/**
 * LOES, the greedy layer selection of spec section 2, in paper mode by default.
 *
 * <ol>
 * <li>Initialisation: for every layer, the ridge of raw X_l on T gives fitLoss_l;
 *     {@code score0(l) = fitLoss_l + alpha (1 - iso_l)}; the argmin is the first pick, its prediction Yhat.</li>
 * <li>While fewer than k are selected: with {@code r = T - Yhat}, every unselected layer is orthogonalised
 *     against the selected ones (ridge mu), its residual fit loss on r computed, and
 *     {@code score(l) = resLoss + alpha (1 - iso_l) + gamma red(l, S) - eta tri(X~_l)}; argmin wins.</li>
 * <li>Yhat accumulates the raw fit of the winner on the original T (paper) or the winner's residual fit
 *     (stagewise).</li>
 * </ol>
 * Ties go to the lowest position in the layer stack. The {@code sampled:T} triangle estimator draws each
 * candidate's triplets from its own generator, {@code new SplittableRandom(seed ^ (step << 32 | layer))}, so an
 * estimate does not depend on the order candidates are evaluated in (the authors' code used one global stream).
 *
 * <h2>How it is computed</h2>
 * All arithmetic is float64 through {@link Linalg}; a layer is copied to the heap (calibration rows only)
 * when it is needed and dropped after; the N x L x d array is never copied. Each layer keeps its mean and the
 * Gram of its centred features on the smaller side: {@code G = XcT Xc} (d x d, "feature side", d &lt;= N) or
 * {@code K = Xc XcT} (N x N, "kernel side"); on the feature side K is kept too while all L of them fit in
 * {@link #KERNEL_BUDGET_BYTES}. From these: isotropy without eigenvalues ({@link Isotropy#fromGram}), the
 * initial ridge (primal on G; dual on K, where the residual is exactly {@code lambda (K + lambda I)^-1 Tc}), and
 * raw-feature redundancy: {@code <K_a, K_b> + 2N u_a.u_b + N^2 |m_a|^2 |m_b|^2} with {@code u = Xc mT} (this
 * is {@code ||X_aT X_b||_F^2} because {@code 1T Xc = 0}), or {@code ||G_ab + N m_aT m_b||_F^2} from cross blocks
 * {@code G_ab = Xc_aT Xc_b} when the kernels do not fit.
 *
 * <p>Orthogonalisation forms X~ explicitly (no Schur-complement identity, so no cancellation), on the side
 * where the system is well posed. With p = d |S| &lt; N (primal): the N x N projector
 * {@code M = I - Sc (ScT Sc + mu I)^-1 ScT} is formed once per step ({@code A = ScT Sc + mu I = L LT},
 * {@code Y = L^-1 ScT}, {@code M = I - YT Y}) and {@code X~ = M Xc_l} is one GEMM per candidate; for large N
 * (no kernels), while {@code 2 p^2 d + N p d < N^2 d}, {@code B = A^-1 [Xc_jT Xc_l]_j} from cross blocks
 * computed once, when j is selected, and reused in every later step and for redundancy, then
 * {@code X~ = Xc_l - Sc B}. With p &gt;= N (dual):
 * {@code X~ = Xc_l - K_S (K_S + mu I)^-1 Xc_l = Q Xc_l}, {@code Q = mu (K_S + mu I)^-1}, {@code K_S = sum K_j},
 * Q formed once per step. The mean of X_l that the spec adds back to X~ changes neither the ridge (which
 * centres) nor the centroid differences, so it is left out.
 *
 * <p>Implicit dual route: with p &gt;= N the orthogonalised candidate is usually tiny ({@code ~ mu / sigma^2}),
 * and then the residual ridge {@code lambda (K~ + lambda I)^-1 rc}, {@code K~ = Q K_l Q}, is summed as the
 * series {@code sum_m (-K~ / lambda)^m rc}, whose ratio is bounded by {@code tr K~ / lambda = <Q^2, K_l> /
 * lambda}; it is taken only when that bound is at most {@link #IMPLICIT_LIMIT}. The class centroids' Gram is
 * then {@code (E Q) K_l (E Q)T} (E: class averaging). Each candidate costs a few N x N by N x c products
 * instead of the N^2 d of forming X~. Provenance counts the candidates of each route. Both routes, the
 * projector and the cross-block route are checked against a plain reference implementation to 1e-9.
 */
public final class Loes {
    /**
     * Largest total size of the per-layer N x N kernels kept on the feature side (d &lt;= N) for redundancy and
     * the projector route; above it (large calibration sets) cross blocks {@code Xc_jT Xc_l} are used instead.
     */
    static final long KERNEL_BUDGET_BYTES = 512L << 20;
    /**
     * Largest {@code tr(K~) / lambda} for which the implicit dual route is taken: the series then gains at least
     * a factor 10 per term (about 17 terms to full precision in the worst case, 2-3 on typical layers where
     * p &gt;= N leaves X~ ~ mu / sigma^2 small).
     */
    static final double IMPLICIT_LIMIT = 0.1;
    /** The implicit series stops when a term is this small relative to the sum. */
    static final double IMPLICIT_TOLERANCE = 1e-17;
    /** Safety cap on the number of series terms (the explicit route is used if it is reached). */
    static final int IMPLICIT_MAX_TERMS = 60;

    private final Linalg linalg;

    public Loes(Linalg linalg) {
        if (linalg == null) {
            throw new IllegalArgumentException("linalg: null");
        }
        this.linalg = linalg;
    }

    /** LOES on the process-wide linear algebra. */
    public static Loes create() {
        return new Loes(Linalg.get());
    }

    /**
     * Runs LOES.
     *
     * @param layers       the candidate layers (all rows; the calibration rows are drawn here)
     * @param targets      targets for every row of {@code layers}; ignored (may be null) for label-free
     * @param options      hyper-parameters ({@code k} is clamped to the number of layers)
     * @param inputDigests names and SHA-256 digests of the input files, recorded in the provenance (may be empty)
     * @param diagnostics  whether to compute the layer diagnostics (eigen-decompositions: slower)
     */
    public SelectionResult select(LayerStack layers, Targets targets, LoesOptions options,
                                  Map<String, String> inputDigests, boolean diagnostics) {
        return select(layers, targets, options, inputDigests, diagnostics, KERNEL_BUDGET_BYTES, IMPLICIT_LIMIT);
    }

    /**
     * As above with explicit routing limits: tests force the cross-block route with a kernel budget of 0 and
     * the explicit dual route with an implicit limit of 0.
     */
    SelectionResult select(LayerStack layers, Targets targets, LoesOptions options, Map<String, String> inputDigests,
                           boolean diagnostics, long kernelBudgetBytes, double implicitLimit) {
        if (layers == null || options == null) {
            throw new IllegalArgumentException("layers and options must not be null");
        }
        boolean labelled = options.task() != Task.LABEL_FREE;
        if (labelled) {
            if (targets == null) {
                throw new IllegalArgumentException("targets: null, but the task is " + options.task());
            }
            if (targets.rows() != layers.rows()) {
                throw new IllegalArgumentException("targets: " + targets.rows() + " rows, the layers have " + layers.rows());
            }
            if (options.task() == Task.CLASSIFICATION && !targets.isClassification()) {
                throw new IllegalArgumentException("targets: regression values given for a classification task");
            }
            if (options.task() == Task.REGRESSION && targets.isClassification()) {
                throw new IllegalArgumentException("targets: class labels given for a regression task");
            }
        }
        long t0 = System.nanoTime();
        Map<String, Object> timings = new LinkedHashMap<>();
        int[] rows = CalibrationSplit.rows(layers.rows(), options.calibrationFraction(), options.seed());
        Targets cal = labelled ? targets.rows(rows) : null;
        timings.put("calibrationSplitMs", ms(t0));
        Run run = new Run(layers, rows, cal, options, timings, kernelBudgetBytes, implicitLimit);
        long td = System.nanoTime();
        SelectionResult.Diagnostics diag = diagnostics ? run.diagnostics() : null;
        if (diagnostics) {
            timings.put("diagnosticsMs", ms(td));
        }
        timings.put("totalMs", ms(t0));

        Map<String, Object> prov = new LinkedHashMap<>(LibraryInfo.environment());
        prov.put("method", "loes");
        prov.put("seed", options.seed());
        prov.put("hyperParameters", options.asMap());
        prov.put("kRequested", options.k());
        prov.put("kUsed", run.k);
        prov.put("rows", layers.rows());
        prov.put("calibrationRows", rows.length);
        prov.put("dim", layers.dim());
        prov.put("candidateLayers", layers.layerIndices());
        prov.put("classes", cal != null && cal.isClassification() ? cal.classCount() : 0);
        prov.put("targetColumns", cal == null ? 0 : cal.columns());
        prov.put("side", run.featureSide ? "feature (d <= N: d x d Grams" + (run.useCross ? ", cross blocks)" : ", N x N kernels)")
                : "kernel (d > N: N x N Grams)");
        Map<String, Object> routes = new LinkedHashMap<>();
        routes.put("explicitCandidates", run.explicitCandidates);
        routes.put("implicitDualCandidates", run.implicitCandidates);
        routes.put("eigenFallbacks", run.numericalFallbacks);
        prov.put("candidateRoutes", routes);
        prov.put("inputs", new LinkedHashMap<>(inputDigests == null ? Map.of() : inputDigests));
        prov.put("timings", timings);
        return new SelectionResult("loes", run.selectedLayers(), run.stepScores(), run.layerScores(), run.steps,
                diag, prov);
    }

    /** {@link #select(LayerStack, Targets, LoesOptions, Map, boolean)} without digests or diagnostics. */
    public SelectionResult select(LayerStack layers, Targets targets, LoesOptions options) {
        return select(layers, targets, options, Map.of(), false);
    }

    static double ms(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e4) / 100.0;
    }

    /** One LOES run over the calibration rows; the constructor does the work. */
    private final class Run {
        final LayerStack stack;
        final int[] rows;
        final LoesOptions o;
        final boolean labelled;
        final int layerCount;
        final int n;
        final int d;
        final int k;
        final boolean featureSide;
        final DMatrix t;
        final int c;
        final int[] classOf;
        final int classes;

        final double[][] mean;
        final double[] meanSq;
        final DMatrix[] gram;
        final double[] normSq;
        final double[][] u;
        final double[] iso;
        final double[] fitLoss;
        final double[] score0;
        final DMatrix[] prediction;
        /** Whether the centred N x N kernel of every layer is kept (always on the kernel side). */
        final boolean kernels;
        /** Feature side without kernels: cross blocks instead (large N). */
        final boolean useCross;
        /** {@code K_l = Xc_l Xc_lT} when {@link #kernels}. */
        final DMatrix[] kernel;
        /** With {@link #useCross}: {@code cross[j][l] = Xc_jT Xc_l} for every selected j, filled when needed. */
        final DMatrix[][] cross;
        /** Feature side, dual steps: {@code K_j = Xc_j Xc_jT} of selected layers. */
        final DMatrix[] kernelOfSelected;
        final DMatrix[] centredOfSelected;

        final double implicitLimit;
        int implicitCandidates;
        int explicitCandidates;
        int numericalFallbacks;
        final List<Integer> selected = new ArrayList<>();
        final List<Double> scores = new ArrayList<>();
        final List<SelectionResult.Step> steps = new ArrayList<>();

        Run(LayerStack stack, int[] rows, Targets cal, LoesOptions o, Map<String, Object> timings, long kernelBudget,
            double implicitLimit) {
            this.implicitLimit = implicitLimit;
            this.stack = stack;
            this.rows = rows;
            this.o = o;
            this.labelled = cal != null;
            this.layerCount = stack.layers();
            this.n = rows.length;
            this.d = stack.dim();
            this.k = Math.min(o.k(), layerCount);
            this.featureSide = d <= n;
            this.kernels = !featureSide || (long) layerCount * n * n * 8 <= kernelBudget;
            this.useCross = !kernels;
            this.t = labelled ? cal.values() : null;
            this.c = labelled ? cal.columns() : 0;
            this.classOf = labelled && cal.isClassification() && o.task() == Task.CLASSIFICATION ? cal.classOf() : null;
            this.classes = classOf == null ? 0 : cal.classCount();
            mean = new double[layerCount][];
            meanSq = new double[layerCount];
            gram = new DMatrix[layerCount];
            normSq = new double[layerCount];
            u = new double[layerCount][];
            iso = new double[layerCount];
            fitLoss = new double[layerCount];
            score0 = new double[layerCount];
            prediction = new DMatrix[layerCount];
            kernel = new DMatrix[layerCount];
            cross = new DMatrix[layerCount][];
            kernelOfSelected = new DMatrix[layerCount];
            centredOfSelected = new DMatrix[layerCount];

            long t1 = System.nanoTime();
            DMatrix tc = labelled ? centred(t) : null;
            for (int p = 0; p < layerCount; p++) {
                initialiseLayer(p, tc);
            }
            timings.put("layersMs", ms(t1));

            for (int p = 0; p < layerCount; p++) {
                requireFinite(score0[p], "the initial score of layer " + stack.layerIndex(p));
            }
            int first = 0;
            for (int p = 1; p < layerCount; p++) {
                if (score0[p] < score0[first]) {
                    first = p;
                }
            }
            DMatrix yhat = labelled ? prediction[first].copy() : null;
            select(first, score0[first]);
            for (int s = 1; s < k; s++) {
                long ts = System.nanoTime();
                yhat = step(s, yhat);
                timings.put("step" + s + "Ms", ms(ts));
            }
        }

        private void select(int p, double score) {
            selected.add(p);
            scores.add(score);
            if (featureSide) {
                centredOfSelected[p] = loadCentred(p);
                if (useCross) {
                    cross[p] = new DMatrix[layerCount];
                }
            }
        }

        private DMatrix loadCentred(int p) {
            DMatrix x = stack.load(p, rows);
            linalg.subtractRow(x, mean[p]);
            return x;
        }

        private DMatrix centred(DMatrix x) {
            return linalg.center(x);
        }

        private void initialiseLayer(int p, DMatrix tc) {
            DMatrix x = stack.load(p, rows);
            mean[p] = linalg.columnMeans(x);
            double a = 0;
            for (double v : mean[p]) {
                a += v * v;
            }
            meanSq[p] = a;
            linalg.subtractRow(x, mean[p]);
            gram[p] = featureSide ? linalg.gramT(x) : linalg.gramN(x);
            normSq[p] = trace(gram[p]) + n * meanSq[p];
            iso[p] = Isotropy.fromGram(gram[p], n, d, o.isotropyEps());
            if (kernels) {
                kernel[p] = featureSide ? linalg.gramN(x) : gram[p];
                DMatrix m = DMatrix.wrap(mean[p].clone(), d, 1);
                u[p] = linalg.multiply(x, m).data();
            }
            if (labelled) {
                DMatrix r = ridgeResidual(x, gram[p], tc);
                fitLoss[p] = meanSquare(r);
                DMatrix pred = t.copy();
                subtractInPlace(pred, r);
                prediction[p] = pred;
                score0[p] = fitLoss[p] + o.alpha() * (1 - iso[p]);
            } else {
                fitLoss[p] = Double.NaN;
                score0[p] = o.alpha() * (1 - iso[p]);
            }
        }

        /**
         * The residual {@code Tc - Xc W} of the ridge of tc (centred, N x c) on xc (centred, N x q), with
         * {@code gram} the q x q {@code XcT Xc} (q &lt;= N, primal) or the N x N {@code Xc XcT} (dual, where the
         * residual is exactly {@code lambda (K + lambda I)^-1 Tc}). Neither argument is modified.
         */
        private DMatrix ridgeResidual(DMatrix xc, DMatrix g, DMatrix tc) {
            ShiftedInverse f = factor(g, o.lambda());
            if (g.rows() == xc.cols() && xc.cols() <= xc.rows()) {
                DMatrix w = f.solve(linalg.multiply(Transpose.YES, xc, Transpose.NO, tc));
                DMatrix r = tc.copy();
                linalg.gemm(Transpose.NO, Transpose.NO, -1.0, xc, w, 1.0, r);
                return r;
            }
            DMatrix alphaDual = f.solve(tc);
            scaleInPlace(alphaDual, o.lambda());
            return alphaDual;
        }

        private DMatrix step(int s, DMatrix yhat) {
            DMatrix r = null;
            DMatrix rc = null;
            double residualMs = Double.NaN;
            Orthogonaliser orth = null;
            if (labelled) {
                r = t.copy();
                subtractInPlace(r, yhat);
                residualMs = meanSquare(r);
                rc = centred(r);
                orth = orthogonaliser();
            }
            List<SelectionResult.Candidate> table = new ArrayList<>();
            int best = -1;
            double bestScore = Double.POSITIVE_INFINITY;
            DMatrix bestResidual = null;
            for (int p = 0; p < layerCount; p++) {
                if (selected.contains(p)) {
                    continue;
                }
                DMatrix xc = useCross ? loadCentred(p) : null;
                if (useCross) {
                    for (int j : selected) {
                        if (cross[j][p] == null) {
                            cross[j][p] = linalg.multiply(Transpose.YES, centredOfSelected[j], Transpose.NO, xc);
                        }
                    }
                }
                double red = 0;
                for (int j : selected) {
                    red = Math.max(red, redundancy(j, p));
                }
                double resLoss = Double.NaN;
                double tri = 0;
                DMatrix resid = null;
                if (labelled) {
                    DMatrix cg = null;
                    resid = implicitResidual(orth, p, rc);
                    if (resid != null) {
                        implicitCandidates++;
                        if (classes >= 3) {
                            DMatrix w = linalg.multiply(orth.classMeansOfQ, kernel[p]);
                            cg = TriangleArea.centreGram(linalg.multiply(Transpose.NO, w, Transpose.YES,
                                    orth.classMeansOfQ));
                        }
                    } else {
                        explicitCandidates++;
                        DMatrix xt = orth.apply(xc == null ? loadCentred(p) : xc, p);
                        linalg.subtractRow(xt, linalg.columnMeans(xt));
                        DMatrix g = xt.cols() <= xt.rows() ? linalg.gramT(xt) : linalg.gramN(xt);
                        resid = ridgeResidual(xt, g, rc);
                        if (classes >= 3) {
                            cg = TriangleArea.centroidGram(xt, classOf, classes);
                        }
                    }
                    resLoss = meanSquare(resid);
                    if (cg != null) {
                        tri = o.triangle().isExact() ? TriangleArea.exact(cg)
                                : TriangleArea.sampled(cg, o.triangle().draws(), triangleRandom(s, p));
                    }
                }
                double score = (labelled ? resLoss : 0) + o.alpha() * (1 - iso[p]) + o.gamma() * red - o.eta() * tri;
                requireFinite(score, "step " + s + ", candidate layer " + stack.layerIndex(p));
                table.add(new SelectionResult.Candidate(stack.layerIndex(p), resLoss, iso[p], red, tri, score));
                if (score < bestScore || best < 0) {
                    best = p;
                    bestScore = score;
                    bestResidual = resid;
                }
            }
            steps.add(new SelectionResult.Step(s, stack.layerIndex(best), bestScore, residualMs, List.copyOf(table)));
            select(best, bestScore);
            if (!labelled) {
                return null;
            }
            DMatrix next = yhat.copy();
            if (o.accumulation() == Accumulation.PAPER) {
                addInPlace(next, prediction[best]);
            } else {
                addInPlace(next, r);
                subtractInPlace(next, bestResidual);
            }
            return next;
        }

        /**
         * Rejects a non-finite score: with embeddings of very large magnitude (~1e9) the unscaled lambda and mu
         * of the spec fall below float64 rounding and the regularised systems carry no information.
         */
        private void requireFinite(double score, String where) {
            if (!Double.isFinite(score)) {
                throw new IllegalArgumentException("embeddings: " + where + " scores " + score + "; values of this "
                        + "magnitude make the ridge systems (lambda " + o.lambda() + ", mu " + o.mu()
                        + ", not scaled) singular in float64; rescale the embeddings");
            }
        }

        /** {@code (a0 + shift I)^-1} as a factor, counting eigen fallbacks for the provenance. */
        private ShiftedInverse factor(DMatrix a0, double shift) {
            ShiftedInverse f = ShiftedInverse.of(linalg, a0, shift);
            if (f.isFallback()) {
                numericalFallbacks++;
            }
            return f;
        }

        private SplittableRandom triangleRandom(int s, int p) {
            return new SplittableRandom(o.seed() ^ (((long) s << 32) | stack.layerIndex(p)));
        }

        /** Raw-feature redundancy of positions j and l (see the class comment for the identities). */
        private double redundancy(int j, int l) {
            double sq;
            if (!kernels) {
                DMatrix g = cross[j][l];
                boolean swapped = g == null;
                if (swapped) {
                    g = cross[l][j];
                }
                double[] ma = swapped ? mean[l] : mean[j];
                double[] mb = swapped ? mean[j] : mean[l];
                sq = 0;
                for (int a = 0; a < d; a++) {
                    double s = n * ma[a];
                    int off = g.index(a, 0);
                    double[] gd = g.data();
                    for (int b = 0; b < d; b++) {
                        double v = gd[off + b] + s * mb[b];
                        sq += v * v;
                    }
                }
            } else {
                double uu = 0;
                for (int i = 0; i < n; i++) {
                    uu += u[j][i] * u[l][i];
                }
                sq = linalg.dot(kernel[j], kernel[l]) + 2.0 * n * uu + (double) n * n * meanSq[j] * meanSq[l];
            }
            return Redundancy.ratio(Math.sqrt(Math.max(0, sq)), Math.sqrt(normSq[j]), Math.sqrt(normSq[l]));
        }

        /**
         * X~ for the current selected set, by shape (see the class comment): p = d |S| &lt; N is solved on the
         * primal side, either through the cached cross blocks ({@code B = A^-1 ScT Xc_l}, large N) or through the
         * N x N projector {@code M = I - Sc A^-1 ScT} formed once per step with {@code A = ScT Sc + mu I =
         * L LT}, {@code M = I - YT Y}, {@code Y = L^-1 ScT}; p &gt;= N on the dual side with
         * {@code M = mu (K_S + mu I)^-1}. Then {@code X~ = M Xc_l}, one GEMM per candidate.
         */
        private Orthogonaliser orthogonaliser() {
            int p = d * selected.size();
            if (featureSide && p < n) {
                DMatrix sc = DMatrix.zeros(n, p);
                for (int bi = 0; bi < selected.size(); bi++) {
                    sc.view(0, bi * d, n, d).copyFrom(centredOfSelected[selected.get(bi)]);
                }
                // Per candidate the projector costs N^2 d multiply-adds, the cross-block solve 2 p^2 d + N p d;
                // without kernels (large N) the projector is still used once p has grown enough to lose.
                boolean projector = !useCross || (double) n * n * d < 2.0 * p * p * d + (double) n * p * d;
                if (projector) {
                    DMatrix y = factor(linalg.gramT(sc), o.mu()).apply(sc.transposeCopy());
                    DMatrix m = linalg.gramT(y);
                    scaleInPlace(m, -1.0);
                    Ridge.addDiagonal(m, 1.0);
                    return new Orthogonaliser((xc, l) -> linalg.multiply(m, xc), null, null, null);
                }
                DMatrix a = DMatrix.zeros(p, p);
                for (int bi = 0; bi < selected.size(); bi++) {
                    int i = selected.get(bi);
                    a.view(bi * d, bi * d, d, d).copyFrom(gram[i]);
                    for (int bj = bi + 1; bj < selected.size(); bj++) {
                        DMatrix block = cross[i][selected.get(bj)];
                        a.view(bi * d, bj * d, d, d).copyFrom(block);
                        a.view(bj * d, bi * d, d, d).copyFrom(block.transposeCopy());
                    }
                }
                ShiftedInverse f = factor(a, o.mu());
                return new Orthogonaliser((xc, l) -> {
                    DMatrix rhs = DMatrix.zeros(p, d);
                    for (int bi = 0; bi < selected.size(); bi++) {
                        rhs.view(bi * d, 0, d, d).copyFrom(cross[selected.get(bi)][l]);
                    }
                    DMatrix b = f.solve(rhs);
                    DMatrix xt = xc.copy();
                    linalg.gemm(Transpose.NO, Transpose.NO, -1.0, sc, b, 1.0, xt);
                    return xt;
                }, null, null, null);
            }
            DMatrix ks = DMatrix.zeros(n, n);
            for (int j : selected) {
                DMatrix kj;
                if (kernels) {
                    kj = kernel[j];
                } else {
                    if (kernelOfSelected[j] == null) {
                        kernelOfSelected[j] = linalg.gramN(centredOfSelected[j]);
                    }
                    kj = kernelOfSelected[j];
                }
                addInPlace(ks, kj);
            }
            DMatrix muI = DMatrix.identity(n);
            scaleInPlace(muI, o.mu());
            DMatrix q = factor(ks, o.mu()).solve(muI);
            DMatrix q2 = null;
            DMatrix eq = null;
            if (kernels) {
                q2 = linalg.multiply(q, q);
                if (classes >= 3) {
                    DMatrix e = DMatrix.zeros(classes, n);
                    int[] count = new int[classes];
                    for (int c : classOf) {
                        count[c]++;
                    }
                    for (int i = 0; i < n; i++) {
                        e.set(classOf[i], i, 1.0 / count[classOf[i]]);
                    }
                    eq = linalg.multiply(e, q);
                }
            }
            return new Orthogonaliser((xc, l) -> linalg.multiply(q, xc), q, q2, eq);
        }

        /**
         * The implicit dual route (see the class comment): with {@code K~ = Q K_l Q} and
         * {@code ||K~||_2 <= tr K~ = <Q^2, K_l>}, when {@code b = tr K~ / lambda <= IMPLICIT_LIMIT} the residual
         * {@code lambda (K~ + lambda I)^-1 rc = sum_m (-K~ / lambda)^m rc} converges geometrically (each term at
         * most b times the previous) and costs three N x N by N x c products per term instead of forming X~.
         *
         * @return the residual, or null when the route does not apply (primal step, no kernels, b too large)
         */
        private DMatrix implicitResidual(Orthogonaliser orth, int p, DMatrix rc) {
            if (orth.q == null || orth.qSquared == null) {
                return null;
            }
            double b = linalg.dot(orth.qSquared, kernel[p]) / o.lambda();
            if (!(b <= implicitLimit)) {
                return null;
            }
            DMatrix sum = rc.copy();
            DMatrix term = rc;
            double sumNorm = linalg.frobeniusNorm(sum);
            for (int m = 0; m < IMPLICIT_MAX_TERMS; m++) {
                DMatrix next = linalg.multiply(orth.q, linalg.multiply(kernel[p], linalg.multiply(orth.q, term)));
                scaleInPlace(next, -1.0 / o.lambda());
                addInPlace(sum, next);
                term = next;
                double tn = linalg.frobeniusNorm(term);
                sumNorm = linalg.frobeniusNorm(sum);
                if (tn <= IMPLICIT_TOLERANCE * sumNorm) {
                    return sum;
                }
            }
            return null;
        }

        int[] selectedLayers() {
            int[] out = new int[selected.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = stack.layerIndex(selected.get(i));
            }
            return out;
        }

        double[] stepScores() {
            double[] out = new double[scores.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = scores.get(i);
            }
            return out;
        }

        List<SelectionResult.LayerScore> layerScores() {
            List<SelectionResult.LayerScore> out = new ArrayList<>();
            for (int p = 0; p < layerCount; p++) {
                out.add(new SelectionResult.LayerScore(stack.layerIndex(p), fitLoss[p], iso[p], score0[p], Map.of()));
            }
            return out;
        }

        /** Per-layer diagnostics and the pairwise redundancy matrix, from the cached Grams. */
        SelectionResult.Diagnostics diagnostics() {
            List<SelectionResult.LayerDiagnostics> out = new ArrayList<>();
            for (int p = 0; p < layerCount; p++) {
                double[] e = linalg.eigenvalues(gram[p]);
                double[] s = new double[e.length];
                for (int i = 0; i < e.length; i++) {
                    s[i] = e[i] / n;
                }
                double entropy = n >= 2 && d >= 2
                        ? MatrixEntropy.dataset(linalg, stack.load(p, rows), true) : Double.NaN;
                out.add(new SelectionResult.LayerDiagnostics(stack.layerIndex(p), iso[p],
                        EffectiveRank.ofGramEigenvalues(e), entropy, SpectrumSummary.of(s, d)));
            }
            double[][] red = new double[layerCount][layerCount];
            for (int a = 0; a < layerCount; a++) {
                red[a][a] = normSq[a] > 0 ? redundancySelf(a) : 0;
                DMatrix xa = kernels ? null : loadCentred(a);
                for (int b = a + 1; b < layerCount; b++) {
                    double v;
                    if (!kernels) {
                        DMatrix g = cross[a] != null && cross[a][b] != null ? cross[a][b]
                                : linalg.multiply(Transpose.YES, xa, Transpose.NO, loadCentred(b));
                        v = rawRatio(g, a, b);
                    } else {
                        v = redundancy(a, b);
                    }
                    red[a][b] = v;
                    red[b][a] = v;
                }
            }
            return new SelectionResult.Diagnostics(out, red);
        }

        private double redundancySelf(int a) {
            if (!kernels) {
                return rawRatio(gram[a], a, a);
            }
            return redundancy(a, a);
        }

        private double rawRatio(DMatrix g, int a, int b) {
            double sq = 0;
            for (int i = 0; i < d; i++) {
                double s = n * mean[a][i];
                for (int j = 0; j < d; j++) {
                    double v = g.get(i, j) + s * mean[b][j];
                    sq += v * v;
                }
            }
            return Redundancy.ratio(Math.sqrt(sq), Math.sqrt(normSq[a]), Math.sqrt(normSq[b]));
        }
    }

    /** Maps a centred candidate layer to its orthogonalised X~ (a new matrix). */
    private interface Projection {
        DMatrix apply(DMatrix centredCandidate, int position);
    }

    /**
     * The orthogonalisation of one step: the explicit map to X~, and on the dual side the matrices of the
     * implicit route: {@code Q = mu (K_S + mu I)^-1}, {@code Q^2} and {@code E Q} (E: C x N class averaging).
     */
    private static final class Orthogonaliser {
        final Projection projection;
        final DMatrix q;
        final DMatrix qSquared;
        final DMatrix classMeansOfQ;

        Orthogonaliser(Projection projection, DMatrix q, DMatrix qSquared, DMatrix classMeansOfQ) {
            this.projection = projection;
            this.q = q;
            this.qSquared = qSquared;
            this.classMeansOfQ = classMeansOfQ;
        }

        DMatrix apply(DMatrix centredCandidate, int position) {
            return projection.apply(centredCandidate, position);
        }
    }

    private static double trace(DMatrix a) {
        double s = 0;
        for (int i = 0; i < a.rows(); i++) {
            s += a.get(i, i);
        }
        return s;
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
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                a.set(i, j, a.get(i, j) + b.get(i, j));
            }
        }
    }

    private static void scaleInPlace(DMatrix a, double s) {
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                a.set(i, j, a.get(i, j) * s);
            }
        }
    }
}
