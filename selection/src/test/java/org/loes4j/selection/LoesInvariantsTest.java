package org.loes4j.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.io.Json;

/** Properties every LOES selection must have, whatever the numbers. */
class LoesInvariantsTest {
    /** Agreement of quantities that are equal up to a different order of the same roundings. */
    static final double SAME = 1e-10;

    private final Loes loes = new Loes(Linalg.get());

    private static LoesOptions.Builder full() {
        return LoesOptions.builder().calibrationFraction(1.0);
    }

    @Test
    void noLayerTwiceAndKClampedToL() {
        Fixtures f = Fixtures.structured(4, 50, 5, 6, 3);
        SelectionResult r = loes.select(f.stack(), Labels.ofIntegers(f.longLabels()), full().k(10).build());
        assertEquals(5, r.selected().length, "k = 10 is clamped to L = 5");
        Set<Integer> seen = new HashSet<>();
        for (int l : r.selected()) {
            assertTrue(seen.add(l), "layer " + l + " selected twice in " + Arrays.toString(r.selected()));
        }
        assertEquals(4, r.steps().size());
        assertEquals(5, ((Number) r.provenance().toMap().get("kUsed")).intValue());
    }

    @Test
    void selectionOrderIsThePickOrder() {
        Fixtures f = Fixtures.structured(8, 60, 6, 6, 4);
        SelectionResult r = loes.select(f.stack(), Labels.ofIntegers(f.longLabels()), full().k(4).build());
        int first = 0;
        for (int p = 1; p < r.layers().size(); p++) {
            if (r.layers().get(p).score0() < r.layers().get(first).score0()) {
                first = p;
            }
        }
        assertEquals(first, r.selected()[0], "the first pick is the argmin of score0");
        assertEquals(r.layers().get(first).score0(), r.stepScores()[0]);
        for (int s = 1; s < r.selected().length; s++) {
            SelectionResult.Step step = r.steps().get(s - 1);
            assertEquals(step.selected(), r.selected()[s]);
            assertEquals(step.score(), r.stepScores()[s]);
            double min = Double.POSITIVE_INFINITY;
            for (SelectionResult.Candidate c : step.candidates()) {
                min = Math.min(min, c.score());
                for (int earlier = 0; earlier < s; earlier++) {
                    assertNotEquals(r.selected()[earlier], c.layer(), "selected layers are not candidates again");
                }
            }
            assertEquals(min, step.score(), "the pick is the argmin of the step");
        }
    }

    @Test
    void relabellingTheClassesKeepsTheSelection() {
        Fixtures f = Fixtures.structured(12, 60, 5, 7, 4);
        long[] labels = f.longLabels();
        long[] relabelled = new long[labels.length];
        long[] map = {907, -3, 55, 12};
        for (int i = 0; i < labels.length; i++) {
            relabelled[i] = map[(int) labels[i]];
        }
        LoesOptions o = full().k(4).build();
        SelectionResult a = loes.select(f.stack(), Labels.ofIntegers(labels), o);
        SelectionResult b = loes.select(f.stack(), Labels.ofIntegers(relabelled), o);
        assertArrayEquals(a.selected(), b.selected());
        for (int s = 0; s < a.stepScores().length; s++) {
            assertEquals(a.stepScores()[s], b.stepScores()[s], SAME * Math.max(1, Math.abs(a.stepScores()[s])));
        }
    }

    @Test
    void permutingRowsKeepsTheSelectionWithTheFullCalibrationSet() {
        Fixtures f = Fixtures.structured(15, 48, 5, 6, 3);
        int n = f.labels.length;
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        List<DMatrix> permuted = new ArrayList<>();
        for (double[][] x : f.layers) {
            double[][] y = new double[n][];
            for (int i = 0; i < n; i++) {
                y[i] = x[perm[i]];
            }
            permuted.add(DMatrix.of(y));
        }
        long[] labels = f.longLabels();
        long[] permutedLabels = new long[n];
        for (int i = 0; i < n; i++) {
            permutedLabels[i] = labels[perm[i]];
        }
        LoesOptions o = full().k(4).build();
        SelectionResult a = loes.select(f.stack(), Labels.ofIntegers(labels), o);
        SelectionResult b = loes.select(LayeredEmbeddings.ofMatrices(permuted), Labels.ofIntegers(permutedLabels), o);
        assertArrayEquals(a.selected(), b.selected());
        for (int s = 0; s < a.stepScores().length; s++) {
            assertEquals(a.stepScores()[s], b.stepScores()[s], SAME * Math.max(1, Math.abs(a.stepScores()[s])));
        }
    }

    @Test
    void labelFreeUsesOnlyIsotropyAndRedundancy() {
        Fixtures f = Fixtures.structured(17, 40, 6, 5, 3);
        LoesOptions o = full().k(3).task(Task.LABEL_FREE).build();
        SelectionResult r = loes.select(f.stack(), null, o);
        assertEquals(3, r.selected().length);
        for (SelectionResult.LayerScore l : r.layers()) {
            assertEquals(1 - l.isotropy(), l.score0(), SAME);
        }
        for (SelectionResult.Step s : r.steps()) {
            for (SelectionResult.Candidate c : s.candidates()) {
                assertEquals((1 - c.isotropy()) + 0.5 * c.redundancy(), c.score(), SAME);
                assertEquals(0.0, c.triangle());
            }
        }
    }

    @Test
    void regressionHasNoTriangleTerm() {
        Fixtures f = Fixtures.structured(19, 50, 5, 6, 3);
        Labels t = Labels.regression(DMatrix.of(f.regressionTargets(3, 4)));
        SelectionResult r = loes.select(f.stack(), t, full().k(3).task(Task.REGRESSION).build());
        assertEquals(3, r.selected().length);
        for (SelectionResult.Step s : r.steps()) {
            for (SelectionResult.Candidate c : s.candidates()) {
                assertEquals(0.0, c.triangle());
                assertTrue(c.residualLoss() >= 0);
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> loes.select(f.stack(), t, full().k(3).task(Task.CLASSIFICATION).build()));
    }

    @Test
    void residualOnlyAblationScoresByResidualLoss() {
        Fixtures f = Fixtures.structured(23, 60, 6, 6, 4);
        LoesOptions o = full().k(4).alpha(0).gamma(0).eta(0).build();
        SelectionResult r = loes.select(f.stack(), Labels.ofIntegers(f.longLabels()), o);
        for (SelectionResult.LayerScore l : r.layers()) {
            assertEquals(l.fitLoss(), l.score0());
        }
        for (SelectionResult.Step s : r.steps()) {
            double best = Double.POSITIVE_INFINITY;
            for (SelectionResult.Candidate c : s.candidates()) {
                assertEquals(c.residualLoss(), c.score());
                best = Math.min(best, c.residualLoss());
            }
            assertEquals(best, s.score());
        }
    }

    /**
     * Paper accumulation double counts: the residual the later steps fit grows instead of shrinking. With the
     * default mu the orthogonalised candidate is orthogonal (up to mu) to everything the accumulation adds,
     * so the two modes shift every candidate's residual loss by the same amount and pick the same layers; with
     * a weak orthogonalisation (mu = 1) the picks differ. Both modes agree with the reference in both cases.
     */
    @Test
    void paperAndStagewiseAccumulationDiffer() {
        Fixtures f = Fixtures.structured(3, 40, 6, 5, 4);
        Labels t = Labels.ofIntegers(f.longLabels());
        LoesOptions paper = full().k(4).build();
        LoesOptions stagewise = paper.toBuilder().accumulation(Accumulation.STAGEWISE).build();
        SelectionResult a = loes.select(f.stack(), t, paper);
        SelectionResult b = loes.select(f.stack(), t, stagewise);
        assertEquals(a.steps().get(0).residual(), b.steps().get(0).residual(), 0.0, "identical until the 2nd pick");
        for (int s = 1; s < 3; s++) {
            double rp = a.steps().get(s).residual();
            double rs = b.steps().get(s).residual();
            assertTrue(rp > 2 * rs, "step " + (s + 1) + ": paper residual " + rp + " vs stagewise " + rs);
            double offset = a.steps().get(s).candidates().get(0).residualLoss()
                    - b.steps().get(s).candidates().get(0).residualLoss();
            assertTrue(offset > 0);
            for (int c = 0; c < a.steps().get(s).candidates().size(); c++) {
                double diff = a.steps().get(s).candidates().get(c).residualLoss()
                        - b.steps().get(s).candidates().get(c).residualLoss();
                assertEquals(offset, diff, 1e-6 * offset, "a common shift at step " + (s + 1));
            }
        }
        assertArrayEquals(a.selected(), b.selected());

        Fixtures g = Fixtures.structured(9, 40, 6, 5, 4);
        LoesOptions weakPaper = full().k(4).mu(1.0).build();
        LoesOptions weakStagewise = weakPaper.toBuilder().accumulation(Accumulation.STAGEWISE).build();
        Labels tg = Labels.ofIntegers(g.longLabels());
        SelectionResult c = loes.select(g.stack(), tg, weakPaper);
        SelectionResult d = loes.select(g.stack(), tg, weakStagewise);
        assertFalse(Arrays.equals(c.selected(), d.selected()),
                "paper " + Arrays.toString(c.selected()) + " vs stagewise " + Arrays.toString(d.selected()));
        double scale = LoesReferenceTest.meanSquare(g.oneHot());
        LoesReferenceTest.compare(ReferenceLoes.run(g.layers, g.labels, g.oneHot(), 4, 1, 0.5, 0.1, true, 1.0), c, scale);
        LoesReferenceTest.compare(ReferenceLoes.run(g.layers, g.labels, g.oneHot(), 4, 1, 0.5, 0.1, false, 1.0), d, scale);
    }

    /** The 4-layer toy of spec section 2: fit losses are tiny, so the isotropy term decides the first pick. */
    @Test
    void isotropyDominatesTheFirstPick() {
        SplittableRandom rng = new SplittableRandom(31);
        int n = 200;
        int d = 6;
        long[] labels = new long[n];
        List<DMatrix> layers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
        }
        for (int l = 0; l < 4; l++) {
            DMatrix x = DMatrix.zeros(n, d);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    // Layer 0 carries the labels almost perfectly in one dominant direction (anisotropic);
                    // layer 2 is isotropic noise; layers 1, 3 are anisotropic noise.
                    double noise = Fixtures.gaussian(rng);
                    double v = switch (l) {
                        case 0 -> (j == 0 ? 10 * labels[i] : 0.05 * noise);
                        case 2 -> noise;
                        default -> noise * (j + 1) * (j + 1);
                    };
                    x.set(i, j, v);
                }
            }
            layers.add(x);
        }
        SelectionResult r = loes.select(LayeredEmbeddings.ofMatrices(layers), Labels.ofIntegers(labels), full().k(2).build());
        assertEquals(2, r.selected()[0], "the isotropic layer wins the first pick");
        SelectionResult.LayerScore informative = r.layers().get(0);
        SelectionResult.LayerScore isotropic = r.layers().get(2);
        assertTrue(informative.fitLoss() < isotropic.fitLoss(), "layer 0 fits the labels better");
        assertTrue(isotropic.isotropy() - informative.isotropy() > isotropic.fitLoss() - informative.fitLoss(),
                "the isotropy gap outweighs the fit-loss gap");
    }

    @Test
    void anAllConstantLayerScoresBadlyWithoutCrashing() {
        for (int[] shape : new int[][] {{40, 6}, {10, 20}}) {
            Fixtures f = Fixtures.structured(41, shape[0], 4, shape[1], 3);
            List<DMatrix> layers = new ArrayList<>();
            for (double[][] x : f.layers) {
                layers.add(DMatrix.of(x));
            }
            DMatrix constant = DMatrix.zeros(shape[0], shape[1]);
            constant.fill(2.5);
            layers.add(1, constant);
            SelectionResult r = loes.select(LayeredEmbeddings.ofMatrices(layers), Labels.ofIntegers(f.longLabels()),
                    full().k(5).build());
            assertEquals(5, r.selected().length);
            assertEquals(0.0, r.layers().get(1).isotropy());
            assertNotEquals(1, r.selected()[0]);
            for (double s : r.stepScores()) {
                assertTrue(Double.isFinite(s));
            }
        }
    }

    /**
     * Duplicated rows at a large scale make the mu- and lambda-regularised systems singular below rounding:
     * Cholesky meets non-positive pivots and the clamped eigen-decomposition takes over.
     */
    @Test
    void rankDeficientLayersAtLargeScaleFallBackInsteadOfFailing() {
        for (int[] shape : new int[][] {{40, 60}, {80, 20}}) {
            Fixtures f = Fixtures.structured(5, shape[0], 5, shape[1], 3);
            List<DMatrix> layers = new ArrayList<>();
            for (double[][] x : f.layers) {
                DMatrix m = DMatrix.zeros(shape[0], shape[1]);
                for (int i = 0; i < shape[0]; i++) {
                    for (int j = 0; j < shape[1]; j++) {
                        m.set(i, j, 1e6 * x[i - i % 2][j]);
                    }
                }
                layers.add(m);
            }
            SelectionResult r = loes.select(LayeredEmbeddings.ofMatrices(layers), Labels.ofIntegers(f.longLabels()),
                    full().k(4).build());
            assertEquals(4, new HashSet<>(Arrays.stream(r.selected()).boxed().toList()).size());
            for (SelectionResult.Step s : r.steps()) {
                for (SelectionResult.Candidate c : s.candidates()) {
                    assertTrue(Double.isFinite(c.score()) && c.residualLoss() >= 0, c.toString());
                }
            }
            Object fallbacks = ((java.util.Map<?, ?>) r.provenance().toMap().get("candidateRoutes")).get("eigenFallbacks");
            assertTrue(((Number) fallbacks).intValue() > 0, "fallbacks " + fallbacks);
        }
    }

    @Test
    void sampledTriangleIsSeededAndDeterministic() {
        Fixtures f = Fixtures.structured(43, 60, 5, 6, 5);
        LoesOptions o = full().k(3).triangle(TriangleEstimator.parse("sampled:200")).build();
        Labels t = Labels.ofIntegers(f.longLabels());
        SelectionResult a = loes.select(f.stack(), t, o);
        SelectionResult b = loes.select(f.stack(), t, o);
        assertArrayEquals(a.stepScores(), b.stepScores());
        assertEquals(a.steps().get(0).candidates(), b.steps().get(0).candidates());
    }

    @Test
    void calibrationSplitIsSeededAndRecorded() {
        Fixtures f = Fixtures.structured(47, 100, 4, 5, 3);
        Labels t = Labels.ofIntegers(f.longLabels());
        LoesOptions o = LoesOptions.builder().k(2).calibrationFraction(0.5).seed(9).build();
        SelectionResult a = loes.select(f.stack(), t, o);
        SelectionResult b = loes.select(f.stack(), t, o);
        assertArrayEquals(a.stepScores(), b.stepScores());
        assertEquals(50, ((Number) a.provenance().toMap().get("calibrationRows")).intValue());
        assertEquals(9L, ((Number) a.provenance().toMap().get("seed")).longValue());
    }

    @Test
    void resultSerialisesToTheDocumentedJson() {
        Fixtures f = Fixtures.structured(53, 30, 4, 5, 3);
        SelectionResult r = loes.select(f.stack(), Labels.ofIntegers(f.longLabels()), full().k(3).build(),
                java.util.Map.of("embeddings", "abc"), true);
        Object parsed = Json.parse(Json.write(r.toJsonMap()));
        assertTrue(parsed instanceof java.util.Map<?, ?>);
        java.util.Map<?, ?> m = (java.util.Map<?, ?>) parsed;
        for (String key : List.of("selected", "stepScores", "layers", "steps", "provenance", "diagnostics")) {
            assertTrue(m.containsKey(key), "JSON has " + key);
        }
        assertEquals(3, ((List<?>) m.get("selected")).size());
        java.util.Map<?, ?> layer0 = (java.util.Map<?, ?>) ((List<?>) m.get("layers")).get(0);
        for (String key : List.of("layer", "fitLoss", "isotropy", "score0")) {
            assertTrue(layer0.containsKey(key), "layer entry has " + key);
        }
        SelectionResult.Diagnostics diag = r.diagnostics();
        double[][] viaCross = loes.select(f.stack(), Labels.ofIntegers(f.longLabels()), full().k(3).build(),
                java.util.Map.of(), true, 0, 0).diagnostics().redundancy();
        assertEquals(4, diag.layers().size());
        for (int a = 0; a < 4; a++) {
            assertTrue(diag.redundancy()[a][a] > 0 && diag.redundancy()[a][a] <= 1);
            for (int b = 0; b < 4; b++) {
                assertEquals(diag.redundancy()[a][b], diag.redundancy()[b][a]);
                assertEquals(ReferenceLoes.redundancy(f.layers[a], f.layers[b]), diag.redundancy()[a][b], 1e-9);
                assertEquals(diag.redundancy()[a][b], viaCross[a][b], 1e-9);
            }
            assertEquals(r.layers().get(a).isotropy(), diag.layers().get(a).isotropy());
            assertTrue(diag.layers().get(a).effectiveRank() >= 1 && diag.layers().get(a).effectiveRank() <= 5 + 1e-9);
        }
    }
}
