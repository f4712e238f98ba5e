package org.loes4j.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.selection.metrics.TriangleArea;

/**
 * The calibrated score ({@link ScoreScale#CALIBRATED}): every term in its documented range, the terms and the picks
 * unchanged when a layer or the targets are rescaled, and the isotropic-noise failure of the paper's score gone.
 * The paper's score itself is pinned by {@link LoesReferenceTest} and the route tests, untouched.
 */
class LoesCalibratedScoreTest {
    /** Relative change allowed when a layer is multiplied by 1000: the unscaled ridge lambda (1e-3) and
     *  orthogonalisation mu (1e-6) weigh 1e6 times less afterwards, which moves a fit by about lambda / eigenvalue. */
    static final double RESCALED_LAYER = 1e-4;
    /** Relative change allowed when only the targets are rescaled: the ridge is linear in them, only rounding moves. */
    static final double RESCALED_TARGETS = 1e-10;

    private final Loes loes = new Loes(Linalg.get());

    private static LoesOptions.Builder calibrated() {
        return LoesOptions.builder().calibrationFraction(1.0).score(ScoreScale.CALIBRATED);
    }

    @Test
    void theDefaultIsThePaperScoreAndTheScaleIsInTheProvenance() {
        assertEquals(ScoreScale.PAPER, LoesOptions.builder().build().score());
        assertEquals("paper", LoesOptions.builder().build().asMap().get("score"));
        LoesOptions o = calibrated().k(3).build();
        assertEquals(o, Loes.builder().options(o).build().options(), "Loes.Builder.options keeps the score");
        assertEquals(ScoreScale.CALIBRATED, Loes.builder().score(ScoreScale.CALIBRATED).build().options().score());
        Fixtures f = Fixtures.structured(8, 60, 5, 6, 4);
        SelectionResult r = loes.select(f.stack(), Labels.ofIntegers(f.longLabels()), calibrated().k(3).build());
        assertEquals("calibrated", ((java.util.Map<?, ?>) r.provenance().toMap().get("hyperParameters")).get("score"));
    }

    @Test
    void termsAreInTheirDocumentedRanges() {
        assertEquals(0.0, LoesScore.relativeLoss(0.3, 0.0));
        assertEquals(0.25, LoesScore.relativeLoss(0.5, 2.0));
        assertEquals(1.0, LoesScore.calibratedIsotropy(0.0));
        assertTrue(LoesScore.calibratedIsotropy(1e9) > 0 && LoesScore.calibratedIsotropy(1e9) < 1e-8);
        assertEquals(0.0, LoesScore.calibratedTriangle(0.0, 0.0));
        for (long seed = 1; seed <= 6; seed++) {
            Fixtures f = Fixtures.structured(seed, 60, 5, 6, 3 + (int) seed % 3);
            SelectionResult r = loes.select(f.stack(), Labels.ofIntegers(f.longLabels()), calibrated().k(4).build());
            LoesScore score = LoesScore.of(calibrated().build(), true);
            for (SelectionResult.LayerScore l : r.layers()) {
                double fit = l.score0() - score.alpha() * LoesScore.calibratedIsotropy(l.isotropy());
                assertTrue(fit >= -1e-12 && fit <= 1 + 1e-12, "1 - R^2 of layer " + l.layer() + ": " + fit);
            }
            for (SelectionResult.Step s : r.steps()) {
                for (SelectionResult.Candidate c : s.candidates()) {
                    double iso = LoesScore.calibratedIsotropy(c.isotropy());
                    assertTrue(iso > 0 && iso <= 1, "isotropy term " + iso);
                    assertTrue(c.redundancy() >= 0 && c.redundancy() <= 1 + 1e-12, "redundancy " + c.redundancy());
                    double rest = c.score() - iso - 0.5 * c.redundancy();
                    // rest = resLoss / v(r) - 0.1 tri / bound, with the first in [0, 1] and the second in [0, 1]
                    assertTrue(rest >= -0.1 - 1e-12 && rest <= 1 + 1e-12, "residual and triangle terms " + rest);
                }
            }
        }
    }

    /** Weitzenboeck: the exact triangle term never exceeds the bound, and a regular simplex reaches it. */
    @Test
    void theTriangleBoundHoldsAndIsReachedByARegularSimplex() {
        for (int c = 3; c <= 6; c++) {
            DMatrix simplex = DMatrix.zeros(c, c);
            for (int i = 0; i < c; i++) {
                simplex.set(i, i, 2.5);
            }
            DMatrix g = gram(simplex);
            assertEquals(1.0, TriangleArea.exact(g) / TriangleArea.bound(g), 1e-12, "regular simplex, C = " + c);
        }
        SplittableRandom rng = new SplittableRandom(5);
        for (int t = 0; t < 50; t++) {
            int c = 3 + rng.nextInt(6);
            DMatrix m = DMatrix.of(Fixtures.gaussian(rng, c, 1 + rng.nextInt(5), 1 + rng.nextDouble() * 100));
            DMatrix g = gram(m);
            double ratio = LoesScore.calibratedTriangle(TriangleArea.exact(g), TriangleArea.bound(g));
            assertTrue(ratio >= 0 && ratio <= 1 + 1e-12, "tri / bound " + ratio);
            DMatrix big = gram(scaled(m, 1000));
            // Collinear centroids (one column) have areas that are square roots of rounding noise, ~1e-8 of the scale.
            assertEquals(ratio, LoesScore.calibratedTriangle(TriangleArea.exact(big), TriangleArea.bound(big)), 1e-7,
                    "scale-free");
        }
        assertEquals(0.0, TriangleArea.bound(gram(DMatrix.of(new double[][] {{1, 2}, {3, 4}}))), "fewer than 3 classes");
    }

    @Test
    void multiplyingALayerBy1000ChangesNeitherItsTermsNorThePicks() {
        Fixtures f = Fixtures.structured(21, 80, 6, 6, 4);
        Labels labels = Labels.ofIntegers(f.longLabels());
        for (Accumulation a : Accumulation.values()) {
            LoesOptions o = calibrated().k(4).accumulation(a).build();
            SelectionResult before = loes.select(f.stack(), labels, o);
            for (int layer = 0; layer < f.layers.length; layer++) {
                SelectionResult after = loes.select(rescaled(f, layer, 1000), labels, o);
                assertArrayEquals(before.selected(), after.selected(), a + ", layer " + layer + " x 1000");
                for (int p = 0; p < f.layers.length; p++) {
                    assertEquals(before.layers().get(p).score0(), after.layers().get(p).score0(),
                            RESCALED_LAYER * Math.abs(before.layers().get(p).score0()), "score0 of layer " + p);
                }
                for (int s = 0; s < before.stepScores().length; s++) {
                    assertEquals(before.stepScores()[s], after.stepScores()[s],
                            RESCALED_LAYER * Math.max(1, Math.abs(before.stepScores()[s])), "step " + s);
                }
            }
        }
        // The paper's triangle term scales with the square of the features: there, rescaling a layer is felt.
        SelectionResult paper = loes.select(f.stack(), labels, LoesOptions.builder().calibrationFraction(1.0).k(4).build());
        SelectionResult paperScaled = loes.select(rescaled(f, 1, 1000), labels,
                LoesOptions.builder().calibrationFraction(1.0).k(4).build());
        assertNotEquals(paper.stepScores()[1], paperScaled.stepScores()[1]);
    }

    @Test
    void rescalingRegressionTargetsChangesNothing() {
        Fixtures f = Fixtures.structured(77, 50, 5, 6, 3);
        double[][] t = f.regressionTargets(2, 5);
        double[][] big = new double[t.length][];
        for (int i = 0; i < t.length; i++) {
            big[i] = t[i].clone();
            for (int j = 0; j < big[i].length; j++) {
                big[i][j] *= 1000;
            }
        }
        for (Accumulation a : Accumulation.values()) {
            LoesOptions o = calibrated().k(3).task(Task.REGRESSION).accumulation(a).build();
            SelectionResult r1 = loes.select(f.stack(), Labels.regression(DMatrix.of(t)), o);
            SelectionResult r2 = loes.select(f.stack(), Labels.regression(DMatrix.of(big)), o);
            assertArrayEquals(r1.selected(), r2.selected());
            for (int p = 0; p < r1.layers().size(); p++) {
                assertEquals(r1.layers().get(p).score0(), r2.layers().get(p).score0(), RESCALED_TARGETS);
            }
            for (int s = 0; s < r1.stepScores().length; s++) {
                assertEquals(r1.stepScores()[s], r2.stepScores()[s], RESCALED_TARGETS);
            }
        }
    }

    /**
     * The failure: one layer carries every bit of the class signal, the others are isotropic noise. The
     * paper's score picks a noise layer first (its isotropy term is ~-10 against a fit loss below 0.2); the
     * calibrated score picks the signal layer.
     */
    @Test
    void aSignalLayerAmongIsotropicNoiseLayersIsPickedFirst() {
        int n = 2000;
        int d = 16;
        int classes = 4;
        int signalLayer = 3;
        SplittableRandom rng = new SplittableRandom(2024);
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % classes;
        }
        double[][] proto = Fixtures.gaussian(rng, classes, d, 1.0);
        List<DMatrix> layers = new ArrayList<>();
        for (int l = 0; l < 5; l++) {
            double[][] x = Fixtures.gaussian(rng, n, d, 1.0);
            if (l == signalLayer) {
                for (int i = 0; i < n; i++) {
                    for (int b = 0; b < d; b++) {
                        x[i][b] = (0.2 + 0.2 * b) * x[i][b] + 2 * proto[(int) y[i]][b];
                    }
                }
            }
            layers.add(DMatrix.of(x));
        }
        LayeredEmbeddings stack = LayeredEmbeddings.ofMatrices(layers);
        Labels labels = Labels.ofIntegers(y);
        SelectionResult paper = loes.select(stack, labels, LoesOptions.builder().calibrationFraction(1.0).k(2).build());
        SelectionResult cal = loes.select(stack, labels, calibrated().k(2).build());
        assertNotEquals(signalLayer, paper.selected()[0], "the paper's score ranks by isotropy here");
        assertEquals(signalLayer, cal.selected()[0]);
    }

    private static DMatrix gram(DMatrix m) {
        DMatrix g = DMatrix.zeros(m.rows(), m.rows());
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.rows(); j++) {
                double s = 0;
                for (int k = 0; k < m.cols(); k++) {
                    s += m.get(i, k) * m.get(j, k);
                }
                g.set(i, j, s);
            }
        }
        return g;
    }

    private static DMatrix scaled(DMatrix m, double factor) {
        DMatrix out = m.copy();
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                out.set(i, j, factor * m.get(i, j));
            }
        }
        return out;
    }

    private static LayeredEmbeddings rescaled(Fixtures f, int layer, double factor) {
        List<DMatrix> list = new ArrayList<>();
        for (int l = 0; l < f.layers.length; l++) {
            DMatrix x = DMatrix.of(f.layers[l]);
            list.add(l == layer ? scaled(x, factor) : x);
        }
        return LayeredEmbeddings.ofMatrices(list);
    }
}
