package org.loes4j.selection.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;

/**
 * Acceptance: the eigen-path probe agrees with {@link ReferenceProbe}, an independent plain ridge solved per
 * fold and lambda, on every per-lambda CV score, the chosen lambda, the fold scores, their spread and the
 * macro-F1. Layers of widths 6, 15, 40 and 130 with N = 30 (24 training rows per fold: 40 and 130 go through
 * the dual n x n kernel) and N = 120 (96 training rows: only 130 is dual); one column is constant and the
 * columns have scales from 0.1 to 50, so the standardisation matters.
 */
class LayerProbeReferenceTest {
    /** Agreement of scores; the systems' condition numbers reach ~1e8 at lambda = 1e-4, far inside this. */
    static final double TOL = 1e-6;
    static final int[] WIDTHS = {6, 15, 40, 130};
    static final double[] SIGNAL = {0.4, 1.2, 0.6, 0.25};
    static final int FOLDS = 5;
    static final long SEED = 11;

    static double[][][] layers(int n, int[] cls, int classes, SplittableRandom rng) {
        double[][][] x = new double[WIDTHS.length][n][];
        for (int l = 0; l < WIDTHS.length; l++) {
            int d = WIDTHS[l];
            double[][] centroid = new double[classes][d];
            for (double[] row : centroid) {
                for (int j = 0; j < d; j++) {
                    row[j] = rng.nextGaussian();
                }
            }
            for (int i = 0; i < n; i++) {
                x[l][i] = new double[d];
                for (int j = 0; j < d; j++) {
                    double scale = (1 + j % 5) * Math.pow(10, j % 3 - 1);
                    double signal = cls == null ? 0 : SIGNAL[l] * centroid[cls[i]][j];
                    x[l][i][j] = scale * (rng.nextGaussian() + signal) + (j % 4 == 0 ? 3.0 : 0.0);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            x[1][i][0] = 3.0;
        }
        return x;
    }

    static LayeredEmbeddings embeddings(double[][][] x) {
        List<DMatrix> m = new ArrayList<>();
        for (double[][] layer : x) {
            m.add(DMatrix.of(layer));
        }
        return LayeredEmbeddings.ofMatrices(m);
    }

    static int[] balancedClasses(int n, int classes, SplittableRandom rng) {
        int[] cls = new int[n];
        for (int i = 0; i < n; i++) {
            cls[i] = i % classes;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = cls[i];
            cls[i] = cls[j];
            cls[j] = t;
        }
        return cls;
    }

    static List<String> names(int classes) {
        List<String> out = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            out.add("class-" + (char) ('a' + c));
        }
        return out;
    }

    /** Asserts that {@code r} is the twin's result for the features {@code x}. */
    static void assertMatchesTwin(ProbeResult r, double[][] x, int[] cls, int classes, double[][] t, int[] fold,
                                  double[] lambdas) {
        int nl = lambdas.length;
        double[][][] twin = new double[nl][][];
        double[] mean = new double[nl];
        double max = Double.NEGATIVE_INFINITY;
        for (int l = 0; l < nl; l++) {
            twin[l] = ReferenceProbe.foldScores(x, cls, classes, t, fold, FOLDS, lambdas[l]);
            for (int f = 0; f < FOLDS; f++) {
                mean[l] += twin[l][0][f];
            }
            mean[l] /= FOLDS;
            max = Math.max(max, mean[l]);
        }
        int best = 0;
        for (int l = 0; l < nl; l++) {
            if (mean[l] >= max - LayerProbe.TIE_TOLERANCE * Math.max(1, Math.abs(max))) {
                best = l;
            }
        }
        String what = "layers " + r.label() + " (width " + r.width() + ")";
        assertArrayEquals(mean, r.lambdaScores(), TOL, what + ": CV score per lambda");
        assertEquals(lambdas[best], r.bestLambda(), 0.0, what + ": chosen lambda");
        assertArrayEquals(twin[best][0], r.foldScores(), TOL, what + ": fold scores");
        assertEquals(mean[best], r.meanScore(), TOL, what);
        double ss = 0;
        for (double v : twin[best][0]) {
            ss += (v - mean[best]) * (v - mean[best]);
        }
        assertEquals(Math.sqrt(ss / FOLDS), r.stdScore(), TOL, what + ": std over folds");
        if (cls != null) {
            assertArrayEquals(twin[best][1], r.foldMacroF1(), TOL, what + ": macro-F1 per fold");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {30, 120})
    void classificationAgreesWithThePlainRidgeTwin(int n) {
        SplittableRandom rng = new SplittableRandom(n);
        int classes = n == 30 ? 3 : 4;
        int[] cls = balancedClasses(n, classes, rng);
        double[][][] x = layers(n, cls, classes, rng);
        Labels y = Labels.ofCodes(cls, names(classes));
        LayerProbe probe = LayerProbe.builder().folds(FOLDS).seed(SEED).linalg(Linalg.get()).build();
        ProbeSweep sweep = probe.sweep(embeddings(x), y);
        int[] fold = Folds.stratified(cls, classes, null, FOLDS, SEED);
        assertArrayEquals(fold, probe.foldAssignment(y));
        assertEquals(WIDTHS.length, sweep.layers().size());
        for (int l = 0; l < WIDTHS.length; l++) {
            ProbeResult r = sweep.layers().get(l);
            assertEquals(l, r.layer());
            assertEquals(WIDTHS[l], r.width());
            assertMatchesTwin(r, x[l], cls, classes, null, fold, probe.lambdas());
            boolean dual = WIDTHS[l] > n - n / FOLDS;
            assertEquals(dual ? FOLDS : 0, r.dualFolds(), "route of width " + WIDTHS[l] + " at N = " + n);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {30, 120})
    void regressionAgreesWithThePlainRidgeTwin(int n) {
        SplittableRandom rng = new SplittableRandom(100 + n);
        double[][][] x = layers(n, null, 0, rng);
        int columns = n == 30 ? 1 : 2;
        double[][] t = new double[n][columns];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < columns; j++) {
                double[] src = x[1 + j][i];
                t[i][j] = 5 + 0.8 * src[1] - 0.3 * src[2] + 0.05 * src[3] + 0.5 * rng.nextGaussian();
            }
        }
        Labels y = Labels.regression(DMatrix.of(t));
        LayerProbe probe = LayerProbe.builder().folds(FOLDS).seed(SEED).build();
        ProbeSweep sweep = probe.sweep(embeddings(x), y);
        int[] fold = Folds.plain(n, FOLDS, SEED);
        assertArrayEquals(fold, probe.foldAssignment(y));
        for (int l = 0; l < WIDTHS.length; l++) {
            assertMatchesTwin(sweep.layers().get(l), x[l], null, 0, t, fold, probe.lambdas());
        }
        assertTrue(sweep.best().layer() == 1 || sweep.best().layer() == 2, "a layer the targets come from wins: "
                + sweep.best().label());
    }

    @Test
    void aSubsetIsTheTwinOnTheConcatenatedLayers() {
        int n = 30;
        SplittableRandom rng = new SplittableRandom(7);
        int[] cls = balancedClasses(n, 3, rng);
        double[][][] x = layers(n, cls, 3, rng);
        LayerProbe probe = LayerProbe.builder().folds(FOLDS).seed(SEED).lambdas(new double[] {1e3, 1e-2, 1, 10})
                .build();
        assertArrayEquals(new double[] {1e-2, 1, 10, 1e3}, probe.lambdas(), "the grid is sorted ascending");
        ProbeSweep sweep = probe.sweep(embeddings(x), Labels.ofCodes(cls, names(3)),
                List.of(new int[] {2, 0}, new int[] {1, 3}));
        double[][] cat20 = new double[n][];
        double[][] cat13 = new double[n][];
        for (int i = 0; i < n; i++) {
            cat20[i] = concat(x[2][i], x[0][i]);
            cat13[i] = concat(x[1][i], x[3][i]);
        }
        int[] fold = Folds.stratified(cls, 3, null, FOLDS, SEED);
        assertEquals(2, sweep.subsets().size());
        assertArrayEquals(new int[] {2, 0}, sweep.subsets().get(0).layers());
        assertEquals("2+0", sweep.subsets().get(0).label());
        assertEquals(WIDTHS[2] + WIDTHS[0], sweep.subsets().get(0).width());
        assertMatchesTwin(sweep.subsets().get(0), cat20, cls, 3, null, fold, probe.lambdas());
        assertMatchesTwin(sweep.subsets().get(1), cat13, cls, 3, null, fold, probe.lambdas());
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = new double[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
