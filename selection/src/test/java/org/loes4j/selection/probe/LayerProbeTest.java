package org.loes4j.selection.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;

/** The probe's contract: the signal layer wins, determinism, defaults, and messages naming the argument. */
class LayerProbeTest {

    /** Five layers of width 20, Gaussian noise; layer {@code signalLayer} adds a class (or target) signal. */
    static LayeredEmbeddings layers(int n, int signalLayer, int[] cls, double[] target, SplittableRandom rng) {
        List<DMatrix> out = new ArrayList<>();
        double[][] centroid = new double[4][20];
        for (double[] c : centroid) {
            for (int j = 0; j < 20; j++) {
                c[j] = rng.nextGaussian();
            }
        }
        for (int l = 0; l < 5; l++) {
            DMatrix m = DMatrix.zeros(n, 20);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < 20; j++) {
                    double v = rng.nextGaussian();
                    if (l == signalLayer) {
                        v += cls != null ? 0.8 * centroid[cls[i]][j] : (j == 0 ? target[i] : 0);
                    }
                    m.set(i, j, v);
                }
            }
            out.add(m);
        }
        return LayeredEmbeddings.ofMatrices(out, new int[] {1, 2, 3, 4, 5});
    }

    static int[] classes(int n, int c) {
        int[] cls = new int[n];
        for (int i = 0; i < n; i++) {
            cls[i] = i % c;
        }
        return cls;
    }

    @Test
    void aLayerWithClassSignalBeatsTheNoiseLayers() {
        int[] cls = classes(150, 3);
        LayeredEmbeddings e = layers(150, 2, cls, null, new SplittableRandom(5));
        ProbeSweep s = LayerProbe.builder().build().sweep(e, Labels.ofCodes(cls, List.of("x", "y", "z")));
        assertEquals(3, s.best().layer(), "hidden state of position 2");
        for (ProbeResult r : s.layers()) {
            if (r.layer() != 3) {
                assertTrue(r.meanScore() < s.best().meanScore() - 0.3, r.label() + ": " + r.meanScore());
            }
        }
        assertTrue(s.best().meanScore() > 0.9, "accuracy " + s.best().meanScore());
        assertTrue(s.best().macroF1() > 0.9, "macro-F1 " + s.best().macroF1());
        assertEquals("accuracy", s.scoreName());
    }

    @Test
    void aLayerWithTargetSignalBeatsTheNoiseLayersInRegression() {
        SplittableRandom rng = new SplittableRandom(9);
        double[] t = new double[100];
        for (int i = 0; i < t.length; i++) {
            t[i] = 2 * rng.nextGaussian();
        }
        LayeredEmbeddings e = layers(100, 4, null, t, rng);
        ProbeSweep s = LayerProbe.builder().build().sweep(e, Labels.regression(t));
        assertEquals(5, s.best().layer());
        assertTrue(s.best().meanScore() > 0.6, "R^2 " + s.best().meanScore());
        assertTrue(Double.isNaN(s.best().macroF1()));
        assertEquals("r2", s.scoreName());
    }

    @Test
    void theSameSeedGivesTheSameSweep() {
        int[] cls = classes(60, 3);
        LayeredEmbeddings e = layers(60, 1, cls, null, new SplittableRandom(2));
        Labels y = Labels.ofCodes(cls, List.of("a", "b", "c"));
        ProbeSweep a = LayerProbe.builder().seed(3L).build().sweep(e, y);
        ProbeSweep b = LayerProbe.builder().seed(3).build().sweep(e, y);
        for (int l = 0; l < 5; l++) {
            assertArrayEquals(a.layers().get(l).lambdaScores(), b.layers().get(l).lambdaScores(), 0.0);
        }
        assertEquals(3L, a.provenance().seed());
    }

    @Test
    void nullMeansTheDefaultAndTheDefaultGridIsHalfDecades() {
        LayerProbe p = LayerProbe.builder().folds(null).lambdas(null).seed((Long) null).linalg(null).build();
        assertEquals(5, p.folds());
        assertEquals(42, p.seed());
        assertEquals(Linalg.get(), p.linalg());
        double[] g = p.lambdas();
        assertEquals(17, g.length);
        assertEquals(1e-4, g[0], 0.0);
        assertEquals(1e4, g[16], 0.0);
        for (int i = 1; i < g.length; i++) {
            assertEquals(Math.sqrt(10), g[i] / g[i - 1], 1e-12);
        }
        assertArrayEquals(new double[] {0.5}, LayerProbe.logGrid(0.5, 0.5, 1), 0.0);
    }

    @Test
    void badArgumentsAreNamed() {
        assertMessage("folds: 1 must be >= 2", () -> LayerProbe.builder().folds(1).build());
        assertMessage("lambdas: empty", () -> LayerProbe.builder().lambdas(new double[0]).build());
        assertMessage("lambdas: entry 1 is -1.0", () -> LayerProbe.builder().lambdas(new double[] {1, -1}).build());
        assertMessage("lambdas: entry 0 is NaN", () -> LayerProbe.builder().lambdas(new double[] {Double.NaN}).build());
        assertMessage("lambdas: range", () -> LayerProbe.logGrid(0, 1, 3));
        assertMessage("lambdas: range 10.0 to 1.0 is decreasing", () -> LayerProbe.logGrid(10, 1, 3));
        assertMessage("lambdas: 1 point(s)", () -> LayerProbe.logGrid(1, 10, 1));

        int[] cls = classes(30, 3);
        LayeredEmbeddings e = layers(30, 1, cls, null, new SplittableRandom(1));
        LayerProbe p = LayerProbe.builder().build();
        Labels y = Labels.ofCodes(cls, List.of("a", "b", "c"));
        assertMessage("embeddings: null", () -> p.sweep(null, y));
        assertMessage("labels: null", () -> p.sweep(e, null));
        assertMessage("labels: 29 labels for 30 rows", () -> p.sweep(e, Labels.ofCodes(new int[29], List.of("a"))));
        assertMessage("labels: only one class ('b') present",
                () -> p.sweep(e, Labels.ofCodes(new int[30], List.of("b", "c"))));
        assertMessage("subsets: entry 1 names hidden state 9, not among [1, 2, 3, 4, 5]",
                () -> p.sweep(e, y, List.of(new int[] {1, 2}, new int[] {9})));
        assertMessage("subsets: entry 0 names hidden state 2 twice", () -> p.sweep(e, y, List.of(new int[] {2, 2})));
        assertMessage("subsets: entry 0 is empty", () -> p.sweep(e, y, List.of(new int[0])));
    }

    @Test
    void aClassWithFewerRowsThanFoldsNamesTheClassAndFolds() {
        int[] cls = classes(30, 3);
        cls[0] = 3;
        cls[1] = 3;
        cls[2] = 3;
        LayeredEmbeddings e = layers(30, 1, classes(30, 3), null, new SplittableRandom(1));
        Labels y = Labels.ofCodes(cls, List.of("a", "b", "c", "rare"));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> LayerProbe.builder().build().sweep(e, y));
        assertTrue(ex.getMessage().startsWith("folds: 5 folds, but class 'rare' has only 3 rows"), ex.getMessage());
        assertEquals(3, LayerProbe.builder().folds(3).build().sweep(e, y).folds());
    }

    @Test
    void aNonFiniteValueIsNamedByLayerRowAndColumn() {
        DMatrix good = DMatrix.zeros(20, 3);
        DMatrix bad = DMatrix.zeros(20, 4);
        bad.set(13, 2, Double.NaN);
        LayeredEmbeddings e = LayeredEmbeddings.ofMatrices(List.of(good, bad), new int[] {0, 7});
        Labels y = Labels.ofCodes(classes(20, 2), List.of("a", "b"));
        assertMessage("embeddings: NaN at layer 7, row 13, column 2", () -> LayerProbe.builder().build().sweep(e, y));
    }

    @Test
    void theJsonFormHasTheBestLayerAndEveryLayer() {
        int[] cls = classes(60, 3);
        LayeredEmbeddings e = layers(60, 3, cls, null, new SplittableRandom(4));
        ProbeSweep s = LayerProbe.builder().folds(4).build().sweep(e, Labels.ofCodes(cls, List.of("a", "b", "c")),
                List.of(new int[] {4, 1}));
        Map<String, Object> m = s.toMap();
        assertEquals(4, ((Map<?, ?>) m.get("best")).get("layer"));
        assertEquals(5, ((List<?>) m.get("layers")).size());
        assertEquals(1, ((List<?>) m.get("subsets")).size());
        assertEquals(4, m.get("folds"));
        assertEquals(3, m.get("classes"));
        Map<?, ?> layer0 = (Map<?, ?>) ((List<?>) m.get("layers")).getFirst();
        for (String k : List.of("layer", "width", "lambda", "score", "std", "foldScores", "macroF1", "lambdaScores",
                "route")) {
            assertTrue(layer0.containsKey(k), "layer entry has " + k + ": " + layer0.keySet());
        }
        Map<?, ?> prov = (Map<?, ?>) m.get("provenance");
        assertEquals("probe", prov.get("method"));
        assertEquals(42L, prov.get("seed"));
        assertTrue(((Map<?, ?>) prov.get("hyperParameters")).containsKey("lambdas"));
        assertFalse(s.subsets().getFirst().toMap().containsKey("layer"));
    }

    private static void assertMessage(String prefix, org.junit.jupiter.api.function.Executable ex) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ex);
        assertTrue(e.getMessage().startsWith(prefix), "'" + e.getMessage() + "' should start with '" + prefix + "'");
    }
}
