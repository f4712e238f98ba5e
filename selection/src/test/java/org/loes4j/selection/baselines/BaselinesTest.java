package org.loes4j.selection.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.regression.Ridge;
import org.loes4j.linalg.regression.RidgeFit;
import org.loes4j.selection.LoesOptions;
import org.loes4j.selection.SelectionResult;
import org.loes4j.selection.data.CalibrationSplit;
import org.loes4j.selection.metrics.Curvature;
import org.loes4j.selection.metrics.IntrinsicDimension;
import org.loes4j.selection.metrics.MatrixEntropy;

class BaselinesTest {
    /** Cross-validated scores from the kernel form against the feature-form ridge. */
    static final double CV_AGREEMENT = 1e-9;

    private final Linalg linalg = Linalg.get();
    private final Baselines baselines = new Baselines(linalg);

    /** Layers with a class signal of varying strength, N x d each, and labels in 0..classes-1. */
    static LayeredEmbeddings layers(long seed, int n, int count, int d, int classes, long[] labelsOut) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            labelsOut[i] = i < classes ? i : rng.nextInt(classes);
        }
        List<DMatrix> out = new ArrayList<>();
        for (int l = 0; l < count; l++) {
            DMatrix x = DMatrix.random(n, d, rng);
            for (int i = 0; i < n; i++) {
                x.set(i, (int) (labelsOut[i] % d), x.get(i, (int) (labelsOut[i] % d)) + 0.6 * l);
                x.set(i, 0, x.get(i, 0) * (1 + l));
            }
            out.add(x);
        }
        return LayeredEmbeddings.ofMatrices(out);
    }

    private static LoesOptions options(int k) {
        return LoesOptions.builder().k(k).calibrationFraction(1.0).seed(5).build();
    }

    @Test
    void lastAndLastK() {
        long[] y = new long[30];
        LayeredEmbeddings s = layers(1, 30, 6, 4, 3, y);
        assertArrayEquals(new int[] {5}, baselines.run(Baseline.LAST, s, null, options(3), Map.of()).selected());
        assertArrayEquals(new int[] {3, 4, 5}, baselines.run(Baseline.LAST_K, s, null, options(3), Map.of()).selected());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5},
                baselines.run(Baseline.LAST_K, s, null, options(9), Map.of()).selected(), "k clamped to L");
    }

    @Test
    void randomIsSeededDistinctAndInRange() {
        long[] y = new long[30];
        LayeredEmbeddings s = layers(2, 30, 8, 4, 3, y);
        int[] a = baselines.run(Baseline.RANDOM, s, null, options(4), Map.of()).selected();
        int[] b = baselines.run(Baseline.RANDOM, s, null, options(4), Map.of()).selected();
        assertArrayEquals(a, b);
        Set<Integer> seen = new HashSet<>();
        for (int l : a) {
            assertTrue(l >= 0 && l < 8 && seen.add(l));
        }
        Set<String> draws = new HashSet<>();
        for (long seed = 0; seed < 10; seed++) {
            LoesOptions o = LoesOptions.builder().k(4).seed(seed).calibrationFraction(1.0).build();
            draws.add(java.util.Arrays.toString(baselines.run(Baseline.RANDOM, s, null, o, Map.of()).selected()));
        }
        assertTrue(draws.size() > 5, "different seeds draw different layers: " + draws);
    }

    @Test
    void metricTopKFollowsTheMetric() {
        long[] y = new long[40];
        LayeredEmbeddings s = layers(3, 40, 6, 5, 3, y);
        int[] rows = CalibrationSplit.rows(40, 1.0, 5);
        double[] entropy = new double[6];
        double[] curvature = new double[6];
        double[] intrinsic = new double[6];
        for (int l = 0; l < 6; l++) {
            DMatrix x = s.load(l, rows);
            entropy[l] = MatrixEntropy.dataset(linalg, x, true);
            curvature[l] = Curvature.ofRows(x);
            intrinsic[l] = IntrinsicDimension.twoNN(linalg, x);
        }
        check(baselines.run(Baseline.ENTROPY, s, null, options(3), Map.of()), entropy, true, "datasetEntropy");
        check(baselines.run(Baseline.CURVATURE, s, null, options(3), Map.of()), curvature, false, "curvature");
        check(baselines.run(Baseline.INTRINSIC, s, null, options(3), Map.of()), intrinsic, true, "intrinsicDimension");
    }

    private static void check(SelectionResult r, double[] value, boolean largest, String name) {
        int[] sel = r.selected();
        for (int i = 0; i < sel.length; i++) {
            assertEquals(value[sel[i]], r.stepScores()[i], 0.0);
            assertEquals(value[sel[i]], r.layers().get(sel[i]).metrics().get(name), 0.0);
            if (i > 0) {
                assertTrue(largest ? value[sel[i - 1]] >= value[sel[i]] : value[sel[i - 1]] <= value[sel[i]]);
            }
            for (int l = 0; l < value.length; l++) {
                boolean chosen = false;
                for (int c : sel) {
                    chosen |= c == l;
                }
                if (!chosen) {
                    assertTrue(largest ? value[l] <= value[sel[sel.length - 1]] : value[l] >= value[sel[sel.length - 1]],
                            name + ": unchosen layer " + l + " beats a chosen one");
                }
            }
        }
    }

    /**
     * The kernel-form cross-validation equals a plain one: per fold, {@link Ridge#fit} on the concatenated raw
     * features of the training rows (primal), predictions on the held-out rows, argmax accuracy.
     */
    @Test
    void exhaustiveSearchScoresAgreeWithFeatureFormRidgeAndPickTheBest() {
        int n = 45;
        long[] y = new long[n];
        LayeredEmbeddings s = layers(4, n, 5, 3, 3, y);
        Labels t = Labels.ofIntegers(y);
        int[] rows = CalibrationSplit.rows(n, 1.0, 5);
        LoesOptions o = options(2);
        ExhaustiveSearch search = new ExhaustiveSearch(linalg, s, rows, t, o, Baselines.FOLDS);
        double best = Double.NEGATIVE_INFINITY;
        int[] bestSubset = null;
        for (int a = 0; a < 5; a++) {
            for (int b = a + 1; b < 5; b++) {
                int[] subset = {a, b};
                double plain = plainCv(s, rows, t, subset, search, o.lambda());
                assertEquals(plain, search.score(subset), CV_AGREEMENT, "subset " + a + "," + b);
                if (plain > best) {
                    best = plain;
                    bestSubset = subset;
                }
            }
        }
        SelectionResult r = baselines.run(Baseline.EXHAUSTIVE, s, t, o, Map.of());
        assertArrayEquals(bestSubset, r.selected());
        assertEquals(best, r.stepScores()[0], CV_AGREEMENT);
        assertThrows(IllegalArgumentException.class, () -> baselines.run(Baseline.EXHAUSTIVE, s, null,
                LoesOptions.builder().k(2).task(Task.LABEL_FREE).build(), Map.of()));
    }

    @Test
    void exhaustiveRegressionScoresAreMinusTheCrossValidatedError() {
        int n = 40;
        long[] y = new long[n];
        LayeredEmbeddings s = layers(6, n, 4, 3, 3, y);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.7 * s.load(2, new int[] {i}).get(0, 1) + 0.1 * y[i];
        }
        Labels t = Labels.regression(v);
        int[] rows = CalibrationSplit.rows(n, 1.0, 5);
        LoesOptions o = LoesOptions.builder().k(2).task(Task.REGRESSION).calibrationFraction(1.0).seed(5).build();
        ExhaustiveSearch search = new ExhaustiveSearch(linalg, s, rows, t, o, Baselines.FOLDS);
        for (int[] subset : new int[][] {{0, 1}, {1, 2}, {0, 3}}) {
            double plain = plainCv(s, rows, t, subset, search, o.lambda());
            assertTrue(plain < 0);
            assertEquals(plain, search.score(subset), CV_AGREEMENT * Math.abs(plain));
        }
    }

    /** Layers of widths {@code widths} with a class signal growing with depth, and labels in 0..classes-1. */
    static LayeredEmbeddings mixedLayers(long seed, int n, int[] widths, int classes, long[] labelsOut) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            labelsOut[i] = i < classes ? i : rng.nextInt(classes);
        }
        List<DMatrix> out = new ArrayList<>();
        for (int l = 0; l < widths.length; l++) {
            int d = widths[l];
            DMatrix x = DMatrix.random(n, d, rng);
            for (int i = 0; i < n; i++) {
                int j = (int) (labelsOut[i] % d);
                x.set(i, j, x.get(i, j) + 0.6 * l);
                x.set(i, 0, x.get(i, 0) * (1 + l));
            }
            out.add(x);
        }
        return LayeredEmbeddings.ofMatrices(out, new int[] {1, 2, 4, 6, 7, 9});
    }

    /**
     * Every baseline on layers of widths 5, 12, 3, 9, 20, 7: valid picks (k distinct candidate layers), the
     * expected layers for the deterministic ones, the metric order for the metric ones, the best subset of a
     * plain cross-validation for the exhaustive search; also through {@link Baselines#selector}.
     */
    @Test
    void everyBaselineRunsOnMixedWidths() {
        int n = 40;
        long[] y = new long[n];
        LayeredEmbeddings s = mixedLayers(8, n, new int[] {5, 12, 3, 9, 20, 7}, 3, y);
        Labels labels = Labels.ofIntegers(y);
        LoesOptions o = options(3);
        for (Baseline b : Baseline.values()) {
            SelectionResult r = baselines.run(b, s, labels, o, Map.of());
            int k = b == Baseline.LAST ? 1 : 3;
            assertEquals(k, r.selected().length, b.cliName());
            Set<Integer> seen = new HashSet<>();
            for (int l : r.selected()) {
                assertTrue(s.positionOf(l) >= 0 && seen.add(l), b.cliName() + ": layer " + l);
            }
            assertArrayEquals(r.selected(), Baselines.selector(b, o).select(s, labels).selected(), b.cliName());
            assertEquals(List.of(5, 12, 3, 9, 20, 7), r.provenance().toMap().get("dim"));
        }
        assertArrayEquals(new int[] {9}, baselines.run(Baseline.LAST, s, null, o, Map.of()).selected());
        assertArrayEquals(new int[] {6, 7, 9}, baselines.run(Baseline.LAST_K, s, null, o, Map.of()).selected());
        int[] rows = CalibrationSplit.rows(n, 1.0, 5);
        double[] entropy = new double[6];
        double[] curvature = new double[6];
        double[] intrinsic = new double[6];
        for (int l = 0; l < 6; l++) {
            DMatrix x = s.load(l, rows);
            entropy[l] = MatrixEntropy.dataset(linalg, x, true);
            curvature[l] = Curvature.ofRows(x);
            intrinsic[l] = IntrinsicDimension.twoNN(linalg, x);
        }
        checkPositions(s, baselines.run(Baseline.ENTROPY, s, null, o, Map.of()), entropy, true);
        checkPositions(s, baselines.run(Baseline.CURVATURE, s, null, o, Map.of()), curvature, false);
        checkPositions(s, baselines.run(Baseline.INTRINSIC, s, null, o, Map.of()), intrinsic, true);

        LoesOptions o2 = options(2);
        ExhaustiveSearch search = new ExhaustiveSearch(linalg, s, rows, labels, o2, Baselines.FOLDS);
        double best = Double.NEGATIVE_INFINITY;
        int[] bestLayers = null;
        for (int a = 0; a < 6; a++) {
            for (int c = a + 1; c < 6; c++) {
                double plain = plainCv(s, rows, labels, new int[] {a, c}, search, o2.lambda());
                assertEquals(plain, search.score(new int[] {a, c}), CV_AGREEMENT, "subset " + a + "," + c);
                if (plain > best) {
                    best = plain;
                    bestLayers = new int[] {s.layerIndex(a), s.layerIndex(c)};
                }
            }
        }
        assertArrayEquals(bestLayers, baselines.run(Baseline.EXHAUSTIVE, s, labels, o2, Map.of()).selected());
    }

    /** {@link #check} for layers numbered other than by position. */
    private static void checkPositions(LayeredEmbeddings s, SelectionResult r, double[] value, boolean largest) {
        int[] sel = r.selected();
        for (int i = 0; i < sel.length; i++) {
            int p = s.positionOf(sel[i]);
            assertEquals(value[p], r.stepScores()[i], 0.0);
            for (int q = 0; q < value.length; q++) {
                boolean chosen = false;
                for (int c : sel) {
                    chosen |= s.positionOf(c) == q;
                }
                if (!chosen) {
                    assertTrue(largest ? value[q] <= value[s.positionOf(sel[sel.length - 1])]
                            : value[q] >= value[s.positionOf(sel[sel.length - 1])], "unchosen position " + q);
                }
            }
        }
    }

    private double plainCv(LayeredEmbeddings s, int[] rows, Labels t, int[] subset, ExhaustiveSearch search, double lambda) {
        int n = rows.length;
        int width = 0;
        for (int l : subset) {
            width += s.width(l);
        }
        DMatrix x = DMatrix.zeros(n, width);
        int offset = 0;
        for (int l : subset) {
            x.view(0, offset, n, s.width(l)).copyFrom(s.load(l, rows));
            offset += s.width(l);
        }
        int[] classOf = t.isClassification() ? t.codes() : null;
        DMatrix values = t.targetMatrix();
        double correct = 0;
        for (int f = 0; f < Baselines.FOLDS; f++) {
            List<Integer> tr = new ArrayList<>();
            List<Integer> te = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                (search.foldOf(i) == f ? te : tr).add(i);
            }
            DMatrix xtr = DMatrix.zeros(tr.size(), x.cols());
            DMatrix ttr = DMatrix.zeros(tr.size(), t.columns());
            for (int i = 0; i < tr.size(); i++) {
                xtr.view(i, 0, 1, x.cols()).copyFrom(x.row(tr.get(i)));
                ttr.view(i, 0, 1, t.columns()).copyFrom(values.row(tr.get(i)));
            }
            RidgeFit fit = Ridge.fit(linalg, xtr, ttr, lambda, Ridge.Form.PRIMAL);
            for (int i : te) {
                DMatrix p = fit.predict(linalg, x.row(i));
                if (classOf == null) {
                    for (int c = 0; c < p.cols(); c++) {
                        double e = p.get(0, c) - values.get(i, c);
                        correct -= e * e / p.cols();
                    }
                    continue;
                }
                int arg = 0;
                for (int c = 1; c < p.cols(); c++) {
                    if (p.get(0, c) > p.get(0, arg)) {
                        arg = c;
                    }
                }
                correct += arg == classOf[i] ? 1 : 0;
            }
        }
        return correct / n;
    }
}
