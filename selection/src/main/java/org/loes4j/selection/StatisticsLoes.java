package org.loes4j.selection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.loes4j.data.Provenance;
import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.Transpose;
import org.loes4j.selection.metrics.EffectiveRank;
import org.loes4j.selection.metrics.Isotropy;
import org.loes4j.selection.metrics.Redundancy;
import org.loes4j.selection.metrics.SpectrumSummary;
import org.loes4j.selection.metrics.TriangleArea;
import org.loes4j.selection.stats.LoesStatistics;

/**
 * LOES on {@link LoesStatistics} alone, the statistics route: the greedy loop, the score ({@link LoesScore}),
 * ties, the seeded triangle generators and the result of {@link Loes}, with every term taken from the merged
 * centred moments instead of the rows. Notation (all centred over the N calibration rows): {@code G_ab =
 * Xc_aT Xc_b}, {@code C_a = Xc_aT Tc}, S the selected layers in selection order ({@code G_SS}, {@code C_S},
 * {@code G_Sl} concatenate their blocks, p = sum of their widths), {@code ||Tc||^2 = tr(TcT Tc)}.
 *
 * <ul>
 * <li>Ridge of a centred X on a centred R, from {@code G = XcT Xc} and {@code H = XcT Rc}:
 *     {@code W = (G + lambda I)^-1 H}, and the fit loss, the mean over N c entries of the squared residual,
 *     {@code ||Rc - Xc W||^2 / (N c) = (||Rc||^2 - 2 <W, H> + <W, G W>) / (N c)} (the residual of a centred
 *     fit has mean 0, and {@code P - T = Xc W - Tc}).</li>
 * <li>Orthogonalisation: {@code B = (G_SS + mu I)^-1 G_Sl}, {@code X~ = Xc_l - Sc B}. With {@code A = G_SS +
 *     mu I = L LT}, {@code Y = L^-1 G_Sl}: {@code X~T X~ = G_ll - 2 G_lS B + BT G_SS B = G_ll - YT Y - mu BT B}
 *     (as {@code G_SS B = G_Sl - mu B}), {@code X~T Tc = C_l - BT C_S}, and {@code ScT X~ = mu B}: the
 *     orthogonalised candidate meets every selected layer only through mu.</li>
 * <li>Residual: every prediction LOES adds is linear in selected layers, so the centred residual is
 *     {@code rc = Tc - Sc V} for a p x c coefficient matrix V kept in selection order. Paper mode adds the raw
 *     fit {@code Xc_l W_l + 1 mean(T)} of each pick (V gains the block W_l, mean(r) loses mean(T)); stagewise
 *     adds the pick's fit to the residual, {@code 1 mean(r) + X~ W~} ({@code V <- [V - B W~ ; W~]}, mean(r)
 *     becomes 0). Then {@code ||rc||^2 = ||Tc||^2 - 2 <V, C_S> + <V, G_SS V>},
 *     {@code X~T rc = X~T Tc - mu BT V}, and the step's mean square of r is
 *     {@code (||rc||^2 + N |mean(r)|^2) / (N c)}.</li>
 * <li>Triangle: with one-hot T, column k of {@code X~T Tc} is {@code n_k} times the class-k centroid of X~
 *     (X~ has mean 0), so the centroids come from the cross moments; they are centred over the classes and
 *     their Gram goes to {@link TriangleArea} as in the in-memory route.</li>
 * <li>Redundancy on raw features: {@code ||X_aT X_b||_F = ||G_ab + N m_aT m_b||_F},
 *     {@code ||X_a||_F^2 = tr G_aa + N |m_a|^2}; isotropy {@link Isotropy#fromGram} of {@code G_ll}.</li>
 * </ul>
 * Losses are clamped at 0 (they are sums of squares; the identities can round a perfect fit to -1e-16). The
 * route needs {@code N >= sum d_l}: every system is then the primal d x d or p x p one of the in-memory feature
 * side. Diagnostics come from the Grams too, except the dataset entropy, which needs the rows (NaN here).
 */
final class StatisticsLoes {
    private StatisticsLoes() {
    }

    /**
     * @param timings phases measured before the selection (accumulation), recorded first in the provenance
     * @throws IllegalArgumentException when the statistics were drawn with another task, calibration fraction or
     *                                  seed than {@code o}, or do not yet hold every calibration row
     */
    static SelectionResult select(Linalg linalg, LoesStatistics stats, LoesOptions o, Map<String, String> inputDigests,
                                  boolean diagnostics, Map<String, Double> timings) {
        if (stats == null) {
            throw new IllegalArgumentException("statistics: null");
        }
        requireSameRun(stats.options(), o);
        if (stats.accumulatedRows() != stats.calibrationRows()) {
            throw new IllegalArgumentException("statistics: " + stats.accumulatedRows() + " of the "
                    + stats.calibrationRows() + " calibration rows accumulated; add the missing blocks or merge every part");
        }
        if (stats.calibrationRows() < stats.totalWidth()) {
            throw new IllegalArgumentException("statistics route (--streaming): N = " + stats.calibrationRows()
                    + " calibration rows < " + stats.totalWidth() + " = sum of d_l; it needs N >= sum of d_l");
        }
        long t0 = System.nanoTime();
        Provenance.Builder prov = Provenance.builder("loes", linalg).seed(o.seed()).hyperParameters(o.asMap());
        if (timings != null) {
            for (Map.Entry<String, Double> e : timings.entrySet()) {
                prov.timing(e.getKey(), e.getValue());
            }
        }
        Run run = new Run(linalg, stats, o, prov);
        run.greedy();
        SelectionResult.Diagnostics diag = null;
        if (diagnostics) {
            long td = System.nanoTime();
            diag = run.diagnostics();
            prov.timingSince("diagnosticsMs", td);
        }
        prov.timingSince("totalMs", t0);
        int[] widths = stats.widths();
        boolean uniform = true;
        for (int w : widths) {
            uniform &= w == widths[0];
        }
        List<Integer> dims = new ArrayList<>();
        for (int w : widths) {
            dims.add(w);
        }
        prov.detail("kRequested", o.k())
                .detail("kUsed", run.k)
                .detail("rows", stats.streamRows())
                .detail("calibrationRows", stats.calibrationRows())
                .detail("dim", uniform ? (Object) widths[0] : dims)
                .detail("candidateLayers", stats.layerIndices())
                .detail("classes", run.classes)
                .detail("targetColumns", run.c)
                .detail("side", "feature (N >= sum d_l: d x d blocks of merged centred moments)")
                .detail("route", "statistics")
                .detail("statisticsBytes", stats.bytes())
                .detail("statisticsBlocks", stats.blocks());
        Map<String, Object> routes = new LinkedHashMap<>();
        routes.put("explicitCandidates", 0);
        routes.put("implicitDualCandidates", 0);
        routes.put("statisticsCandidates", run.candidates);
        routes.put("eigenFallbacks", run.factors.fallbacks());
        prov.detail("candidateRoutes", routes).inputs(inputDigests);
        return new SelectionResult("loes", run.selectedLayers(), run.stepScores(), run.layerScores(), run.steps, diag,
                prov.build());
    }

    /**
     * The statistics must come from the calibration rows this selector would draw: same task, same fraction, and
     * the same seed unless every row is used (the seed then only seeds the sampled triangle, which is the
     * selector's).
     */
    private static void requireSameRun(LoesOptions drawn, LoesOptions o) {
        if (drawn.task() != o.task()) {
            throw new IllegalArgumentException("statistics: accumulated for task " + drawn.task().cliName()
                    + ", the selector's task is " + o.task().cliName());
        }
        boolean allRows = drawn.calibrationFraction() == 1.0 && o.calibrationFraction() == 1.0;
        if (drawn.calibrationFraction() != o.calibrationFraction() || (!allRows && drawn.seed() != o.seed())) {
            throw new IllegalArgumentException("statistics: accumulated with calibrationFraction "
                    + drawn.calibrationFraction() + " and seed " + drawn.seed() + ", the selector has "
                    + o.calibrationFraction() + " and " + o.seed() + " (another calibration split); accumulate with "
                    + "the selector's options");
        }
    }

    /** One greedy selection on the statistics (spec section 2, the loop of {@link Loes}). */
    private static final class Run {
        final Linalg linalg;
        final LoesStatistics stats;
        final LoesOptions o;
        final LoesScore score;
        final ShiftedInverse.Counting factors;
        final Provenance.Builder prov;
        final boolean labelled;
        final int layerCount;
        final int k;
        final int n;
        /** c (0 label-free). */
        final int c;
        /** C (0 unless classification). */
        final int classes;
        final int[] classCounts;

        final DMatrix[] gram;
        /** C_l = Xc_lT Tc (labelled). */
        final DMatrix[] targetCross;
        final double[][] mean;
        final double[] normSq;
        final double[] iso;
        final double targetSq;
        final double[] targetMean;

        final double[] fitLoss;
        final double[] score0;
        /** The raw ridge coefficients W_l of every layer on T (labelled). */
        final DMatrix[] rawFit;
        final List<Integer> selected = new ArrayList<>();
        final List<Double> scores = new ArrayList<>();
        final List<SelectionResult.Step> steps = new ArrayList<>();
        /** rc = Tc - Sc V: the coefficients of the running prediction over the selected layers, p x c. */
        DMatrix coefficients;
        /** mean(r). */
        double[] residualMean;
        int candidates;

        Run(Linalg linalg, LoesStatistics stats, LoesOptions o, Provenance.Builder prov) {
            this.linalg = linalg;
            this.stats = stats;
            this.o = o;
            this.prov = prov;
            this.factors = new ShiftedInverse.Counting(linalg);
            this.labelled = o.task() != Task.LABEL_FREE;
            this.score = LoesScore.of(o, labelled);
            this.layerCount = stats.layerCount();
            this.k = Math.min(o.k(), layerCount);
            this.n = stats.calibrationRows();
            this.c = labelled ? stats.targetColumns() : 0;
            this.classCounts = o.task() == Task.CLASSIFICATION ? stats.classCounts() : null;
            this.classes = classCounts == null ? 0 : classCounts.length;
            gram = new DMatrix[layerCount];
            targetCross = new DMatrix[layerCount];
            mean = new double[layerCount][];
            normSq = new double[layerCount];
            iso = new double[layerCount];
            fitLoss = new double[layerCount];
            score0 = new double[layerCount];
            rawFit = new DMatrix[layerCount];
            targetSq = labelled ? trace(stats.targetMoment()) : Double.NaN;
            targetMean = labelled ? stats.targetMean() : null;
        }

        void greedy() {
            long t1 = System.nanoTime();
            for (int p = 0; p < layerCount; p++) {
                initialise(p);
            }
            prov.timingSince("layersMs", t1);
            for (int p = 0; p < layerCount; p++) {
                requireFinite(score0[p], "the initial score of layer " + stats.layerIndex(p));
            }
            int first = 0;
            for (int p = 1; p < layerCount; p++) {
                if (score0[p] < score0[first]) {
                    first = p;
                }
            }
            if (labelled) {
                coefficients = rawFit[first].copy();
                residualMean = new double[c];
            }
            select(first, score0[first]);
            for (int s = 1; s < k; s++) {
                long ts = System.nanoTime();
                Pick pick = step(s);
                steps.add(new SelectionResult.Step(s, stats.layerIndex(pick.position), pick.score, pick.residualMeanSquare,
                        pick.candidates));
                if (labelled) {
                    accumulate(pick);
                }
                select(pick.position, pick.score);
                prov.timingSince("step" + s + "Ms", ts);
            }
        }

        /** Mean, Gram, raw norm and isotropy of layer p; with targets, its raw ridge on T: fitLoss, W_l. */
        private void initialise(int p) {
            int d = stats.width(p);
            mean[p] = stats.mean(p);
            gram[p] = stats.moment(p, p);
            double mm = 0;
            for (double v : mean[p]) {
                mm += v * v;
            }
            normSq[p] = trace(gram[p]) + n * mm;
            iso[p] = Isotropy.fromGram(gram[p], n, d, o.isotropyEps());
            if (labelled) {
                targetCross[p] = stats.targetCross(new int[] {p});
                DMatrix w = factors.of(gram[p], o.lambda()).solve(targetCross[p]);
                rawFit[p] = w;
                fitLoss[p] = fitLoss(targetSq, w, targetCross[p], gram[p]);
            } else {
                fitLoss[p] = Double.NaN;
            }
            score0[p] = score.initial(fitLoss[p], targetSq / ((double) n * c), iso[p]);
        }

        /** The winner of a step, and what the accumulation needs of it. */
        private record Pick(int position, double score, double residualMeanSquare, DMatrix orthogonaliser,
                            DMatrix residualFit, List<SelectionResult.Candidate> candidates) {
        }

        private Pick step(int s) {
            int[] sel = positions(selected);
            DMatrix gss = null;
            ShiftedInverse fs = null;
            DMatrix cs = null;
            double rr = Double.NaN;
            double residualMeanSquare = Double.NaN;
            if (labelled) {
                gss = stats.moment(sel, sel);
                fs = factors.of(gss, o.mu());
                cs = stats.targetCross(sel);
                DMatrix gv = linalg.multiply(gss, coefficients);
                rr = Math.max(0, targetSq - 2 * linalg.dot(coefficients, cs) + linalg.dot(coefficients, gv));
                double mm = 0;
                for (double v : residualMean) {
                    mm += v * v;
                }
                residualMeanSquare = (rr + n * mm) / ((double) n * c);
            }
            List<SelectionResult.Candidate> table = new ArrayList<>();
            int best = -1;
            double bestScore = Double.POSITIVE_INFINITY;
            DMatrix bestB = null;
            DMatrix bestW = null;
            for (int p = 0; p < layerCount; p++) {
                if (selected.contains(p)) {
                    continue;
                }
                double red = 0;
                for (int j : selected) {
                    red = Math.max(red, rawRatio(stats.moment(j, p), j, p));
                }
                double resLoss = Double.NaN;
                double tri = 0;
                double triangleBound = 0;
                DMatrix b = null;
                DMatrix w = null;
                if (labelled) {
                    candidates++;
                    DMatrix gsl = stats.moment(sel, new int[] {p});
                    DMatrix y = fs.apply(gsl);
                    b = fs.solve(gsl);
                    // X~T X~ = G_ll - YT Y - mu BT B
                    DMatrix gt = gram[p].copy();
                    linalg.gemm(Transpose.YES, Transpose.NO, -1.0, y, y, 1.0, gt);
                    linalg.gemm(Transpose.YES, Transpose.NO, -o.mu(), b, b, 1.0, gt);
                    symmetrise(gt);
                    // X~T Tc = C_l - BT C_S; X~T rc = X~T Tc - mu BT V
                    DMatrix xtT = targetCross[p].copy();
                    linalg.gemm(Transpose.YES, Transpose.NO, -1.0, b, cs, 1.0, xtT);
                    DMatrix h = xtT.copy();
                    linalg.gemm(Transpose.YES, Transpose.NO, -o.mu(), b, coefficients, 1.0, h);
                    w = factors.of(gt, o.lambda()).solve(h);
                    resLoss = fitLoss(rr, w, h, gt);
                    if (classes >= 3) {
                        DMatrix cg = centroidGram(xtT);
                        tri = o.triangle().isExact() ? TriangleArea.exact(cg)
                                : TriangleArea.sampled(cg, o.triangle().draws(), triangleRandom(s, p));
                        triangleBound = TriangleArea.bound(cg);
                    }
                }
                double candidateScore = score.step(resLoss, rr / ((double) n * c), iso[p], red, tri, triangleBound);
                requireFinite(candidateScore, "step " + s + ", candidate layer " + stats.layerIndex(p));
                table.add(new SelectionResult.Candidate(stats.layerIndex(p), resLoss, iso[p], red, tri, candidateScore));
                if (candidateScore < bestScore || best < 0) {
                    best = p;
                    bestScore = candidateScore;
                    bestB = b;
                    bestW = w;
                }
            }
            return new Pick(best, bestScore, residualMeanSquare, bestB, bestW, List.copyOf(table));
        }

        /**
         * The coefficients after the pick: paper mode appends the raw fit W_l (and mean(r) loses mean(T));
         * stagewise appends the residual fit W~ and takes {@code B W~} off the selected layers' coefficients.
         */
        private void accumulate(Pick pick) {
            int p0 = coefficients.rows();
            int d = stats.width(pick.position);
            DMatrix next = DMatrix.zeros(p0 + d, c);
            DMatrix top = next.view(0, 0, p0, c);
            top.copyFrom(coefficients);
            if (o.accumulation() == Accumulation.PAPER) {
                next.view(p0, 0, d, c).copyFrom(rawFit[pick.position]);
                for (int j = 0; j < c; j++) {
                    residualMean[j] -= targetMean[j];
                }
            } else {
                linalg.gemm(Transpose.NO, Transpose.NO, -1.0, pick.orthogonaliser, pick.residualFit, 1.0, top);
                next.view(p0, 0, d, c).copyFrom(pick.residualFit);
                residualMean = new double[c];
            }
            coefficients = next;
        }

        private void select(int p, double stepScore) {
            selected.add(p);
            scores.add(stepScore);
        }

        /**
         * {@code (||Rc||^2 - 2 <W, H> + <W, G W>) / (N c)}, clamped at 0: the fit loss of the ridge W of R on X from
         * {@code rr = ||Rc||^2}, {@code H = XcT Rc} and {@code G = XcT Xc}.
         */
        private double fitLoss(double rr, DMatrix w, DMatrix h, DMatrix g) {
            DMatrix gw = linalg.multiply(g, w);
            double sq = rr - 2 * linalg.dot(w, h) + linalg.dot(w, gw);
            return Math.max(0, sq) / ((double) n * c);
        }

        /**
         * The Gram of the class centroids of X~, centred over the classes, from {@code X~T Tc} (d x C): centroid k
         * is column k over n_k.
         */
        private DMatrix centroidGram(DMatrix xtT) {
            int d = xtT.rows();
            DMatrix centroids = DMatrix.zeros(classes, d);
            double[] centre = new double[d];
            for (int kk = 0; kk < classes; kk++) {
                double inv = 1.0 / classCounts[kk];
                for (int j = 0; j < d; j++) {
                    double v = xtT.get(j, kk) * inv;
                    centroids.set(kk, j, v);
                    centre[j] += v / classes;
                }
            }
            linalg.subtractRow(centroids, centre);
            DMatrix g = linalg.gramN(centroids);
            symmetrise(g);
            return g;
        }

        /** Raw-feature redundancy of positions a and b from {@code g = Xc_aT Xc_b}: {@code ||g + N m_aT m_b||_F}. */
        private double rawRatio(DMatrix g, int a, int b) {
            double[] ma = mean[a];
            double[] mb = mean[b];
            double sq = 0;
            for (int i = 0; i < g.rows(); i++) {
                double s = n * ma[i];
                for (int j = 0; j < g.cols(); j++) {
                    double v = g.get(i, j) + s * mb[j];
                    sq += v * v;
                }
            }
            return Redundancy.ratio(Math.sqrt(Math.max(0, sq)), Math.sqrt(normSq[a]), Math.sqrt(normSq[b]));
        }

        /** The layer diagnostics from the Grams; the dataset entropy needs the rows and is NaN. */
        SelectionResult.Diagnostics diagnostics() {
            List<SelectionResult.LayerDiagnostics> out = new ArrayList<>();
            for (int p = 0; p < layerCount; p++) {
                double[] e = linalg.eigenvalues(gram[p]);
                double[] s = new double[e.length];
                for (int i = 0; i < e.length; i++) {
                    s[i] = e[i] / n;
                }
                out.add(new SelectionResult.LayerDiagnostics(stats.layerIndex(p), iso[p],
                        EffectiveRank.ofGramEigenvalues(e), Double.NaN, SpectrumSummary.of(s, stats.width(p))));
            }
            double[][] red = new double[layerCount][layerCount];
            for (int a = 0; a < layerCount; a++) {
                red[a][a] = normSq[a] > 0 ? rawRatio(gram[a], a, a) : 0;
                for (int b = a + 1; b < layerCount; b++) {
                    double v = rawRatio(stats.moment(a, b), a, b);
                    red[a][b] = v;
                    red[b][a] = v;
                }
            }
            return new SelectionResult.Diagnostics(out, red);
        }

        private void requireFinite(double value, String where) {
            GreedyPicks.requireFinite(o, value, where);
        }

        private SplittableRandom triangleRandom(int s, int p) {
            return GreedyPicks.triangleRandom(o, s, stats.layerIndex(p));
        }

        int[] selectedLayers() {
            return GreedyPicks.layerIndices(selected, stats::layerIndex);
        }

        double[] stepScores() {
            return GreedyPicks.stepScores(scores);
        }

        List<SelectionResult.LayerScore> layerScores() {
            return GreedyPicks.layerScores(layerCount, stats::layerIndex, fitLoss, p -> iso[p], score0);
        }
    }

    private static int[] positions(List<Integer> list) {
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    private static double trace(DMatrix a) {
        double s = 0;
        for (int i = 0; i < a.rows(); i++) {
            s += a.get(i, i);
        }
        return s;
    }

    private static void symmetrise(DMatrix a) {
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < i; j++) {
                double v = 0.5 * (a.get(i, j) + a.get(j, i));
                a.set(i, j, v);
                a.set(j, i, v);
            }
        }
    }
}
