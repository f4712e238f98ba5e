package org.loes4j.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.loes4j.data.Folds;
import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.io.Safetensors;
import org.loes4j.training.model.RidgeModel;

/**
 * The closed-form ridge probe against its definition: a plain scalar twin (concatenate, standardise by the
 * training rows, solve the normal equations {@code (ZT Z + lambda I) W = ZT Tc} by its own Cholesky in double
 * loops, predict {@code Z' W + mean(T)}) shares no code with the eigen-decomposition path of
 * {@link RidgeTrainer}; its predictions at the chosen lambda, and its CV scores at every lambda on the same
 * folds, must agree.
 */
class RidgeProbeTest {
    /** Relative agreement of the production path with the scalar twin (both float64; different algorithms). */
    private static final double TOL = 1e-9;
    private static final int[] WIDTHS = {5, 9, 3, 7};

    @TempDir
    Path dir;

    /** Mixed widths; the informative layers carry {@code signal * mean_class} plus noise. */
    private static LayeredEmbeddings layers(int n, int[] classes, double[] target, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<DMatrix> out = new ArrayList<>();
        for (int l = 0; l < WIDTHS.length; l++) {
            double[][] means = new double[4][WIDTHS[l]];
            double[] dir = new double[WIDTHS[l]];
            for (int j = 0; j < WIDTHS[l]; j++) {
                dir[j] = rng.nextDouble(-1, 1);
                for (int c = 0; c < 4; c++) {
                    means[c][j] = rng.nextDouble(-1, 1);
                }
            }
            DMatrix m = DMatrix.zeros(n, WIDTHS[l]);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < WIDTHS[l]; j++) {
                    double signal = l == 1 || l == 3 ? (classes != null ? means[classes[i]][j] : 0.1 * target[i] * dir[j]) : 0;
                    m.set(i, j, 3.0 + 2.0 * j + signal + rng.nextDouble(-1, 1));
                }
            }
            out.add(m);
        }
        // A constant column: the standardiser must zero it, in the production path and in the twin alike.
        for (int i = 0; i < n; i++) {
            out.get(2).set(i, 1, 4.25);
        }
        return LayeredEmbeddings.ofMatrices(out, new int[] {0, 3, 5, 7});
    }

    private static int[] classes(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(3);
        }
        return y;
    }

    private static double[] targets(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1900 + 50 * rng.nextDouble(-1, 1);
        }
        return t;
    }

    /** N = 120 trains primal (D = 24 &lt;= 90 rows per fold); N = 20 trains dual (D = 24 &gt; 15 rows per fold). */
    @ParameterizedTest
    @CsvSource({"120, classification", "120, regression", "20, classification", "20, regression"})
    void predictionsEqualAPlainScalarRidgeAtTheChosenLambda(int n, String task) {
        boolean cls = task.equals("classification");
        int[] y = cls ? classes(n + 40, 3) : null;
        double[] t = cls ? null : targets(n + 40, 3);
        LayeredEmbeddings all = layers(n + 40, y, t, 11);
        Labels labels = cls ? Labels.ofCodes(y, List.of("a", "b", "c")) : Labels.regression(t);
        int[] train = range(0, n);
        int[] test = range(n, n + 40);
        int[] read = {7, 3, 0, 5};
        RidgeConfig config = RidgeConfig.defaults().withFolds(4).withLambdas(new double[] {0.01, 0.3, 3, 30, 300});
        RidgeResult r = new RidgeTrainer(config).train(all.rows(train), labels.rows(train), read, "mean");
        Probe probe = r.probe();
        assertEquals(ProbeType.RIDGE, probe.type());
        assertArrayEquals(read, probe.layers());
        assertArrayEquals(new int[] {7, 9, 5, 3}, probe.inputWidths());

        double[][] x = concat(all, read);
        double[][] xtr = pick(x, train);
        double[][] ttr = targetRows(labels, train, cls);
        double[][] want = Twin.predict(xtr, ttr, pick(x, test), r.lambda());
        DMatrix got = probe.predict(all.rows(test)).scores();
        assertClose(want, got, "predictions at lambda " + r.lambda());

        // The CV score of every lambda, recomputed by the twin on the same folds.
        int[] fold = Folds.of(labels.rows(train), config.folds(), config.seed());
        double[] grid = config.lambdas();
        for (int l = 0; l < grid.length; l++) {
            double sum = 0;
            for (int f = 0; f < config.folds(); f++) {
                int[] in = Folds.rows(fold, f, false);
                int[] out = Folds.rows(fold, f, true);
                double[][] p = Twin.predict(pick(xtr, in), pick(ttr, in), pick(xtr, out), grid[l]);
                sum += cls ? Twin.accuracy(p, pick(ttr, out)) : Twin.r2(p, pick(ttr, out));
            }
            assertEquals(sum / config.folds(), r.cvScores()[l], TOL, "CV score at lambda " + grid[l]);
        }
        int best = 0;
        for (int l = 0; l < grid.length; l++) {
            if (r.cvScores()[l] >= r.cvScores()[best]) {
                best = l;
            }
        }
        assertEquals(grid[best], r.lambda(), "the largest lambda of the best CV score");
        assertEquals(n < 24, "dual".equals(probe.training().get("route")), "route " + probe.training().get("route"));
        if (cls) {
            Predictions p = probe.predict(all.rows(test));
            assertFalse(p.probabilities());
            for (int i = 0; i < p.size(); i++) {
                double s = 0;
                for (int c = 0; c < 3; c++) {
                    s += p.scores().get(i, c);
                }
                assertEquals(1.0, s, 1e-9, "one-hot least-squares scores sum to 1 (row " + i + ")");
            }
        }
    }

    @Test
    void saveLoadRoundTripGivesTheSameModelAndPredictions() throws IOException {
        int[] y = classes(200, 5);
        LayeredEmbeddings e = layers(200, y, null, 9);
        Labels labels = Labels.ofCodes(y, List.of("x", "y", "z"));
        Probe probe = Probe.builder().type(ProbeType.RIDGE).layers(3, 7).folds(3).seed(7).pooling("cls")
                .model("bge-small").fit(e.rows(range(0, 150)), labels.rows(range(0, 150)));
        Path file = dir.resolve("ridge.safetensors");
        probe.save(file);
        try (Safetensors st = Safetensors.open(file)) {
            assertEquals("ridge", st.metadata().get("probeType"));
            assertEquals(Probe.FORMAT, st.metadata().get("format"));
            assertEquals(List.of(RidgeModel.MEAN, RidgeModel.SCALE, RidgeModel.WEIGHT, RidgeModel.BIAS).stream()
                    .sorted().toList(), st.names().stream().sorted().toList());
        }
        Probe loaded = Probe.load(file);
        assertEquals(ProbeType.RIDGE, loaded.type());
        RidgeModel a = (RidgeModel) probe.model();
        RidgeModel b = (RidgeModel) loaded.model();
        assertArrayEquals(a.weight().data(), b.weight().data(), 0.0);
        assertArrayEquals(a.bias(), b.bias(), 0.0);
        assertArrayEquals(a.standardiser().mean(), b.standardiser().mean(), 0.0);
        assertArrayEquals(a.standardiser().scale(), b.standardiser().scale(), 0.0);
        assertEquals(a.lambda(), b.lambda());
        LayeredEmbeddings test = e.rows(range(150, 200));
        assertArrayEquals(probe.predict(test).scores().data(), loaded.predict(test).scores().data(), 0.0);
        assertEquals(probe.predict(test).labels(), loaded.predict(test).labels());
        assertEquals(List.of("x", "y", "z"), loaded.classes());
        assertEquals("cls", loaded.pooling());
        assertEquals("bge-small", loaded.inputMeta().get("model"));
        assertEquals(probe.training().get("lambda"), loaded.training().get("lambda"));
        assertEquals(7L, loaded.provenance().seed());
        assertEquals(4, loaded.encoderLayers());
        assertArrayEquals(new int[] {3, 7}, loaded.layers());
    }

    @Test
    void regressionRoundTripAndMetrics() throws IOException {
        double[] t = targets(160, 8);
        LayeredEmbeddings e = layers(160, null, t, 4);
        Labels labels = Labels.regression(t);
        Probe probe = Probe.builder().type(ProbeType.RIDGE).fit(e.rows(range(0, 120)), labels.rows(range(0, 120)));
        assertArrayEquals(new int[] {0, 3, 5, 7}, probe.layers(), "every layer when none is named");
        Path file = dir.resolve("reg.safetensors");
        probe.save(file);
        Probe loaded = Probe.load(file);
        LayeredEmbeddings test = e.rows(range(120, 160));
        assertArrayEquals(probe.predict(test).values(), loaded.predict(test).values(), 0.0);
        double r2 = loaded.evaluateRegression(test, labels.rows(range(120, 160))).r2();
        assertTrue(r2 > 0.5, "the signal is linear in layers 3 and 7: R^2 " + r2);
        assertEquals(Task.REGRESSION, loaded.task());
    }

    @Test
    void whatARidgeProbeDoesNotHaveIsRefusedByName() {
        int[] y = classes(60, 1);
        Probe probe = Probe.builder().type(ProbeType.RIDGE).layers(0).fit(layers(60, y, null, 2),
                Labels.ofCodes(y, List.of("a", "b", "c")));
        assertTrue(assertThrows(IllegalStateException.class, () -> probe.predictProba(layers(5, null, new double[5], 2)))
                .getMessage().contains("not probabilities"));
        assertTrue(assertThrows(IllegalStateException.class, probe::network).getMessage().contains("ridge"));
        assertTrue(assertThrows(IllegalStateException.class, probe::architecture).getMessage().contains("ridge"));
        assertThrows(IllegalStateException.class, () -> Probe.builder().type(ProbeType.RIDGE)
                .train(layers(60, y, null, 2), Labels.ofCodes(y, List.of("a", "b", "c"))));
        assertTrue(probe.toString().contains("ridge"));
    }

    @Test
    void aClassWithFewerRowsThanFoldsNamesFolds() {
        int[] y = new int[30];
        y[0] = 1;
        y[1] = 1;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Probe.builder()
                .type(ProbeType.RIDGE).fit(layers(30, y, null, 2), Labels.ofCodes(y, List.of("a", "b"))));
        assertTrue(e.getMessage().startsWith("folds: 5 folds, but class 'b' has only 2 rows"), e.getMessage());
    }

    @Test
    void aClassAbsentFromTrainingKeepsItsColumnAndIsNeverPredicted() {
        int[] y = classes(90, 6);
        LayeredEmbeddings e = layers(90, y, null, 3);
        Labels labels = Labels.ofCodes(y, List.of("a", "b", "c", "never"));
        Probe probe = Probe.builder().type(ProbeType.RIDGE).layers(3, 7).fit(e, labels);
        Predictions p = probe.predict(e);
        assertEquals(4, p.scores().cols());
        for (int i = 0; i < p.size(); i++) {
            assertTrue(p.classes()[i] < 3);
            assertEquals(0.0, p.scores().get(i, 3), 0.0);
        }
    }

    @Test
    void aHeaderThatDoesNotAccountForItsTensorsIsRefusedBeforeAllocating() throws IOException {
        int[] y = classes(60, 1);
        Probe probe = Probe.builder().type(ProbeType.RIDGE).layers(0, 3).fit(layers(60, y, null, 2),
                Labels.ofCodes(y, List.of("a", "b", "c")));
        Path good = dir.resolve("good.safetensors");
        probe.save(good);
        Map<String, String> meta;
        Map<String, double[]> tensors = new HashMap<>();
        Map<String, long[]> shapes = new HashMap<>();
        try (Safetensors st = Safetensors.open(good)) {
            meta = new HashMap<>(st.metadata());
            for (String name : st.names()) {
                tensors.put(name, st.doubles(name));
                shapes.put(name, st.info(name).shape());
            }
        }
        String ridge = meta.get("ridge");
        String hostile = ridge.replaceFirst("\"inputWidths\": ?\\[5, ?9\\]", "\"inputWidths\":[5,2000000000]");
        assertFalse(hostile.equals(ridge), ridge);
        meta.put("ridge", hostile);
        Safetensors.Writer w = Safetensors.writer();
        meta.forEach(w::metadata);
        tensors.forEach((k, v) -> w.add(k, shapes.get(k), v));
        Path bad = dir.resolve("bad.safetensors");
        w.write(bad);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Probe.load(bad));
        assertTrue(e.getMessage().startsWith(bad.toString()) && e.getMessage().contains("the file holds"),
                e.getMessage());
    }

    // ------------------------------------------------------------------ the twin

    private static void assertClose(double[][] want, DMatrix got, String what) {
        double scale = 1;
        for (double[] row : want) {
            for (double v : row) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        for (int i = 0; i < want.length; i++) {
            for (int j = 0; j < want[i].length; j++) {
                assertEquals(want[i][j], got.get(i, j), TOL * scale, what + " (" + i + ", " + j + ")");
            }
        }
    }

    private static double[][] concat(LayeredEmbeddings e, int[] layers) {
        double[][] x = new double[e.rows()][];
        List<DMatrix> m = new ArrayList<>();
        int width = 0;
        for (int l : layers) {
            DMatrix d = e.load(e.positionOf(l));
            m.add(d);
            width += d.cols();
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[width];
            int c0 = 0;
            for (DMatrix d : m) {
                for (int j = 0; j < d.cols(); j++) {
                    x[i][c0 + j] = d.get(i, j);
                }
                c0 += d.cols();
            }
        }
        return x;
    }

    private static double[][] targetRows(Labels labels, int[] rows, boolean cls) {
        double[][] t = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            if (cls) {
                t[i] = new double[labels.classCount()];
                t[i][labels.code(rows[i])] = 1;
            } else {
                t[i] = new double[] {labels.targetValues()[rows[i]]};
            }
        }
        return t;
    }

    private static double[][] pick(double[][] a, int[] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = a[rows[i]].clone();
        }
        return out;
    }

    private static int[] range(int from, int to) {
        return SyntheticLayers.range(from, to);
    }

    /** Standardise, normal equations, Cholesky: the definition as written, in double loops. */
    private static final class Twin {
        static double[][] predict(double[][] xtr, double[][] ttr, double[][] xte, double lambda) {
            int n = xtr.length;
            int d = xtr[0].length;
            int c = ttr[0].length;
            double[] mean = new double[d];
            double[] inv = new double[d];
            for (int j = 0; j < d; j++) {
                for (double[] r : xtr) {
                    mean[j] += r[j];
                }
                mean[j] /= n;
                double ss = 0;
                for (double[] r : xtr) {
                    ss += (r[j] - mean[j]) * (r[j] - mean[j]);
                }
                double std = Math.sqrt(ss / n);
                inv[j] = std == 0 || std <= 1e-12 * Math.abs(mean[j]) ? 0 : 1 / std;
            }
            double[][] z = standardise(xtr, mean, inv);
            double[][] zte = standardise(xte, mean, inv);
            double[] tMean = new double[c];
            for (double[] r : ttr) {
                for (int k = 0; k < c; k++) {
                    tMean[k] += r[k] / n;
                }
            }
            double[][] a = new double[d][d];
            double[][] rhs = new double[d][c];
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < d; p++) {
                    for (int q = 0; q < d; q++) {
                        a[p][q] += z[i][p] * z[i][q];
                    }
                    for (int k = 0; k < c; k++) {
                        rhs[p][k] += z[i][p] * (ttr[i][k] - tMean[k]);
                    }
                }
            }
            for (int p = 0; p < d; p++) {
                a[p][p] += lambda;
            }
            double[][] l = new double[d][d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j <= i; j++) {
                    double s = a[i][j];
                    for (int k = 0; k < j; k++) {
                        s -= l[i][k] * l[j][k];
                    }
                    l[i][j] = i == j ? Math.sqrt(s) : s / l[j][j];
                }
            }
            double[][] w = new double[d][c];
            for (int k = 0; k < c; k++) {
                double[] yv = new double[d];
                for (int i = 0; i < d; i++) {
                    double s = rhs[i][k];
                    for (int j = 0; j < i; j++) {
                        s -= l[i][j] * yv[j];
                    }
                    yv[i] = s / l[i][i];
                }
                for (int i = d - 1; i >= 0; i--) {
                    double s = yv[i];
                    for (int j = i + 1; j < d; j++) {
                        s -= l[j][i] * w[j][k];
                    }
                    w[i][k] = s / l[i][i];
                }
            }
            double[][] p = new double[zte.length][c];
            for (int i = 0; i < zte.length; i++) {
                for (int k = 0; k < c; k++) {
                    double s = tMean[k];
                    for (int j = 0; j < d; j++) {
                        s += zte[i][j] * w[j][k];
                    }
                    p[i][k] = s;
                }
            }
            return p;
        }

        private static double[][] standardise(double[][] x, double[] mean, double[] inv) {
            double[][] z = new double[x.length][mean.length];
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < mean.length; j++) {
                    z[i][j] = (x[i][j] - mean[j]) * inv[j];
                }
            }
            return z;
        }

        static double accuracy(double[][] p, double[][] oneHot) {
            int ok = 0;
            for (int i = 0; i < p.length; i++) {
                int best = 0;
                int truth = 0;
                for (int k = 1; k < p[i].length; k++) {
                    best = p[i][k] > p[i][best] ? k : best;
                    truth = oneHot[i][k] > oneHot[i][truth] ? k : truth;
                }
                ok += best == truth ? 1 : 0;
            }
            return (double) ok / p.length;
        }

        static double r2(double[][] p, double[][] t) {
            double mean = 0;
            for (double[] r : t) {
                mean += r[0] / t.length;
            }
            double sse = 0;
            double sst = 0;
            for (int i = 0; i < t.length; i++) {
                sse += (t[i][0] - p[i][0]) * (t[i][0] - p[i][0]);
                sst += (t[i][0] - mean) * (t[i][0] - mean);
            }
            return 1 - sse / sst;
        }
    }
}
