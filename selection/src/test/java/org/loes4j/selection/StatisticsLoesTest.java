package org.loes4j.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.selection.stats.LoesStatistics;

/**
 * The statistics route against the in-memory route on the fixtures of {@link LoesReferenceTest},
 * {@link LoesMixedWidthTest} and {@link LoesInvariantsTest} that have N &gt;= the total width (the others are the
 * kernel side's, which the statistics route refuses): the same selection and every term within
 * {@link RouteAgreement#REL}, with blocks of 1, 7 and 4096 rows and with blocks merged in a shuffled tree.
 */
class StatisticsLoesTest {

    @AfterAll
    static void report() {
        System.err.println("StatisticsLoesTest: " + RouteAgreement.summary());
    }

    private static Loes loes(LoesOptions o) {
        return Loes.builder().options(o).linalg(Linalg.get()).build();
    }

    @ParameterizedTest(name = "structured N={0} L={1} d={2} C={3} k={4} paper={5}")
    @CsvSource({"60, 5, 8, 4, 4, true", "60, 5, 8, 4, 4, false"})
    void classificationAsLoesReferenceTest(int n, int layers, int d, int classes, int k, boolean paper) {
        Fixtures f = Fixtures.structured(1000L + n * 7L + d, n, layers, d, classes);
        LoesOptions o = LoesOptions.builder().k(k).calibrationFraction(1.0)
                .accumulation(paper ? Accumulation.PAPER : Accumulation.STAGEWISE).build();
        Labels labels = Labels.ofIntegers(f.longLabels());
        RouteAgreement.checkAllWays("structured " + n + "/" + paper, loes(o), f.stack(), labels,
                LoesReferenceTest.meanSquare(f.oneHot()), n);
        // And against the plain reference implementation, which shares no code with either route.
        ReferenceLoes.Result ref = ReferenceLoes.run(f.layers, f.labels, f.oneHot(), k, 1.0, 0.5, 0.1, paper);
        LoesReferenceTest.compare(ref, loes(o).selectStreaming(f.stack(), labels, 7),
                LoesReferenceTest.meanSquare(f.oneHot()));
    }

    @Test
    void regressionAsLoesReferenceTest() {
        Fixtures f = Fixtures.structured(77, 50, 5, 6, 3);
        double[][] t = f.regressionTargets(2, 5);
        for (Accumulation a : Accumulation.values()) {
            LoesOptions o = LoesOptions.builder().k(3).task(Task.REGRESSION).calibrationFraction(1.0).accumulation(a)
                    .build();
            RouteAgreement.checkAllWays("regression " + a, loes(o), f.stack(), Labels.regression(DMatrix.of(t)),
                    LoesReferenceTest.meanSquare(t), 3);
        }
    }

    @Test
    void labelFreeAsLoesReferenceTest() {
        Fixtures f = Fixtures.structured(91, 40, 6, 6, 3);
        LoesOptions o = LoesOptions.builder().k(4).task(Task.LABEL_FREE).calibrationFraction(1.0).build();
        SelectionResult r = RouteAgreement.checkAllWays("label-free", loes(o), f.stack(), null, 1, 4);
        assertEquals(3, r.steps().size());
    }

    @ParameterizedTest(name = "mixed widths classification C={0} paper={1} draws={2}")
    @CsvSource({"4, true, 0", "4, false, 0", "5, true, 200", "3, false, 50"})
    void classificationAsLoesMixedWidthTest(int classes, boolean paper, int draws) {
        int n = 60;
        Fixtures f = Fixtures.mixed(500L + n + classes, n, LoesMixedWidthTest.WIDTHS, classes);
        LoesOptions o = LoesOptions.builder().k(4).calibrationFraction(1.0).seed(17)
                .accumulation(paper ? Accumulation.PAPER : Accumulation.STAGEWISE)
                .triangle(draws == 0 ? TriangleEstimator.exact() : TriangleEstimator.sampled(draws)).build();
        Loes loes = loes(o);
        SelectionResult r = RouteAgreement.checkAllWays("mixed C=" + classes + " " + paper + " " + draws, loes, f.stack(),
                Labels.ofIntegers(f.longLabels()), LoesReferenceTest.meanSquare(f.oneHot()), classes);
        LoesMixedWidthTest.assertValid(r, 4);
        SelectionResult viaStatistics = loes.selectStreaming(f.stack(), Labels.ofIntegers(f.longLabels()));
        assertEquals(List.of(5, 12, 3, 9, 20), viaStatistics.provenance().toMap().get("dim"), "provenance lists the widths");
    }

    @Test
    void regressionAndLabelFreeAsLoesMixedWidthTest() {
        Fixtures f = Fixtures.mixed(71, 60, LoesMixedWidthTest.WIDTHS, 3);
        double[][] t = f.regressionTargets(3, 5);
        for (boolean paper : new boolean[] {true, false}) {
            LoesOptions o = LoesOptions.builder().k(3).calibrationFraction(1.0).seed(17).task(Task.REGRESSION)
                    .accumulation(paper ? Accumulation.PAPER : Accumulation.STAGEWISE).build();
            RouteAgreement.checkAllWays("mixed regression " + paper, loes(o), f.stack(), Labels.regression(DMatrix.of(t)),
                    LoesReferenceTest.meanSquare(t), 5);
        }
        Fixtures g = Fixtures.mixed(93, 60, LoesMixedWidthTest.WIDTHS, 3);
        LoesOptions o = LoesOptions.builder().k(4).calibrationFraction(1.0).seed(17).task(Task.LABEL_FREE).build();
        RouteAgreement.checkAllWays("mixed label-free", loes(o), g.stack(), null, 1, 6);
    }

    /** The calibrated score ({@link ScoreScale#CALIBRATED}) on both routes: classification (both accumulations,
     *  exact and sampled triangle, uniform and mixed widths), regression and label-free. */
    @Test
    void calibratedScoreAsInMemory() {
        LoesOptions cal = LoesOptions.builder().calibrationFraction(1.0).score(ScoreScale.CALIBRATED).build();
        for (Accumulation a : Accumulation.values()) {
            check("calibrated " + a, Fixtures.structured(1067, 60, 5, 8, 4), cal.toBuilder().k(4).accumulation(a).build());
            check("calibrated sampled " + a, Fixtures.structured(43, 60, 5, 6, 5),
                    cal.toBuilder().k(3).accumulation(a).triangle(TriangleEstimator.sampled(200)).build());
            Fixtures m = Fixtures.mixed(565, 60, LoesMixedWidthTest.WIDTHS, 4);
            RouteAgreement.checkAllWays("calibrated mixed " + a, loes(cal.toBuilder().k(4).seed(17).accumulation(a).build()),
                    m.stack(), Labels.ofIntegers(m.longLabels()), LoesReferenceTest.meanSquare(m.oneHot()), 4);
            Fixtures f = Fixtures.structured(77, 50, 5, 6, 3);
            double[][] t = f.regressionTargets(2, 5);
            RouteAgreement.checkAllWays("calibrated regression " + a,
                    loes(cal.toBuilder().k(3).task(Task.REGRESSION).accumulation(a).build()), f.stack(),
                    Labels.regression(DMatrix.of(t)), LoesReferenceTest.meanSquare(t), 3);
        }
        check("calibrated split", Fixtures.structured(47, 100, 4, 5, 3),
                LoesOptions.builder().k(2).calibrationFraction(0.5).seed(9).score(ScoreScale.CALIBRATED).build());
        SelectionResult r = RouteAgreement.checkAllWays("calibrated label-free",
                loes(cal.toBuilder().k(4).task(Task.LABEL_FREE).build()), Fixtures.structured(91, 40, 6, 6, 3).stack(),
                null, 1, 4);
        assertEquals(3, r.steps().size());
    }

    /** Wider, strongly correlated layers with N just above the total width (300 rows, 6 x 48 = 288 columns). */
    @Test
    void widerLayersNearTheBoundary() {
        Fixtures f = Fixtures.structured(300, 300, 6, 48, 5);
        for (Accumulation a : Accumulation.values()) {
            LoesOptions o = LoesOptions.builder().k(4).calibrationFraction(1.0).accumulation(a).build();
            RouteAgreement.checkAllWays("wide " + a, loes(o), f.stack(), Labels.ofIntegers(f.longLabels()),
                    LoesReferenceTest.meanSquare(f.oneHot()), 300);
        }
    }

    /** The fixtures of {@link LoesInvariantsTest} with N &gt;= the total width, with the options they exercise. */
    @Test
    void invariantFixtures() {
        LoesOptions full = LoesOptions.builder().calibrationFraction(1.0).build();
        check("k clamped", Fixtures.structured(4, 50, 5, 6, 3), full.toBuilder().k(10).build());
        check("selection order", Fixtures.structured(8, 60, 6, 6, 4), full.toBuilder().k(4).build());
        check("residual only", Fixtures.structured(23, 60, 6, 6, 4),
                full.toBuilder().k(4).alpha(0).gamma(0).eta(0).build());
        Fixtures paper = Fixtures.structured(3, 40, 6, 5, 4);
        check("paper", paper, full.toBuilder().k(4).build());
        check("stagewise", paper, full.toBuilder().k(4).accumulation(Accumulation.STAGEWISE).build());
        Fixtures weak = Fixtures.structured(9, 40, 6, 5, 4);
        check("weak paper", weak, full.toBuilder().k(4).mu(1.0).build());
        check("weak stagewise", weak, full.toBuilder().k(4).mu(1.0).accumulation(Accumulation.STAGEWISE).build());
        check("sampled triangle", Fixtures.structured(43, 60, 5, 6, 5),
                full.toBuilder().k(3).triangle(TriangleEstimator.parse("sampled:200")).build());
        check("calibration split", Fixtures.structured(47, 100, 4, 5, 3),
                LoesOptions.builder().k(2).calibrationFraction(0.5).seed(9).build());
        check("relabelled", Fixtures.structured(12, 60, 5, 7, 4), full.toBuilder().k(4).build());
    }

    private static void check(String label, Fixtures f, LoesOptions o) {
        assertEquals(o, loes(o).options());
        RouteAgreement.checkAllWays(label, loes(o), f.stack(), Labels.ofIntegers(f.longLabels()),
                LoesReferenceTest.meanSquare(f.oneHot()), label.hashCode());
    }

    /** The isotropy toy of {@link LoesInvariantsTest}: layer 2 wins the first pick on both routes. */
    @Test
    void isotropyDominatesTheFirstPick() {
        SplittableRandom rng = new SplittableRandom(31);
        int n = 200;
        int d = 6;
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
        }
        List<DMatrix> layers = new ArrayList<>();
        for (int l = 0; l < 4; l++) {
            DMatrix x = DMatrix.zeros(n, d);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    double noise = Fixtures.gaussian(rng);
                    x.set(i, j, switch (l) {
                        case 0 -> j == 0 ? 10 * labels[i] : 0.05 * noise;
                        case 2 -> noise;
                        default -> noise * (j + 1) * (j + 1);
                    });
                }
            }
            layers.add(x);
        }
        LoesOptions o = LoesOptions.builder().calibrationFraction(1.0).k(2).build();
        SelectionResult r = RouteAgreement.checkAllWays("isotropy toy", loes(o), LayeredEmbeddings.ofMatrices(layers),
                Labels.ofIntegers(labels), 1.0 / 3, 31);
        assertEquals(2, r.selected()[0]);
    }

    /** A constant layer has a zero Gram: isotropy 0, never the first pick, finite scores on both routes. */
    @Test
    void anAllConstantLayer() {
        Fixtures f = Fixtures.structured(41, 40, 4, 6, 3);
        List<DMatrix> layers = new ArrayList<>();
        for (double[][] x : f.layers) {
            layers.add(DMatrix.of(x));
        }
        DMatrix constant = DMatrix.zeros(40, 6);
        constant.fill(2.5);
        layers.add(1, constant);
        LoesOptions o = LoesOptions.builder().calibrationFraction(1.0).k(5).build();
        SelectionResult r = RouteAgreement.checkAllWays("constant layer", loes(o), LayeredEmbeddings.ofMatrices(layers),
                Labels.ofIntegers(f.longLabels()), LoesReferenceTest.meanSquare(f.oneHot()), 41);
        assertTrue(r.selected()[0] != 1);
    }

    @Test
    void provenanceHasTheInMemoryShapeAndTheRoute() {
        Fixtures f = Fixtures.structured(53, 30, 4, 5, 3);
        Loes loes = Loes.builder().k(3).calibrationFraction(1.0).diagnostics(true)
                .inputDigests(Map.of("embeddings", "sha256:abc")).build();
        Labels labels = Labels.ofIntegers(f.longLabels());
        SelectionResult a = loes.select(f.stack(), labels);
        SelectionResult b = loes.selectStreaming(f.stack(), labels);
        Map<String, Object> pa = a.provenance().toMap();
        Map<String, Object> pb = b.provenance().toMap();
        for (String key : pa.keySet()) {
            assertTrue(pb.containsKey(key), "statistics provenance has " + key);
        }
        assertEquals("statistics", b.provenance().details().get("route"));
        assertEquals(a.provenance().details().keySet().stream().filter(k -> !b.provenance().details().containsKey(k)).toList(),
                List.of(), "every in-memory detail is recorded");
        assertEquals(Map.of("embeddings", "sha256:abc"), b.provenance().inputs());
        assertTrue(b.provenance().timingsMs().containsKey("accumulateMs"));
        assertEquals(pa.get("hyperParameters"), pb.get("hyperParameters"));
        // Diagnostics from the Grams: all but the dataset entropy, which needs the rows.
        for (int l = 0; l < 4; l++) {
            SelectionResult.LayerDiagnostics x = a.diagnostics().layers().get(l);
            SelectionResult.LayerDiagnostics y = b.diagnostics().layers().get(l);
            RouteAgreement.close("diagnostic isotropy " + l, x.isotropy(), y.isotropy(), 1);
            RouteAgreement.close("effective rank " + l, x.effectiveRank(), y.effectiveRank(), 1);
            assertTrue(Double.isNaN(y.datasetEntropy()));
            for (int m = 0; m < 4; m++) {
                RouteAgreement.close("redundancy " + l + "," + m, a.diagnostics().redundancy()[l][m],
                        b.diagnostics().redundancy()[l][m], 1);
            }
        }
    }

    @Test
    void refusesStatisticsOfAnotherSplitOrNotYetComplete() {
        Fixtures f = Fixtures.structured(5, 60, 4, 5, 3);
        Labels labels = Labels.ofIntegers(f.longLabels());
        LoesOptions o = LoesOptions.builder().calibrationFraction(1.0).k(2).build();
        LoesStatistics stats = LoesStatistics.accumulate(f.stack(), labels, o, 16);
        IllegalArgumentException fraction = assertThrows(IllegalArgumentException.class,
                () -> loes(o.toBuilder().calibrationFraction(0.9).build()).select(stats));
        assertTrue(fraction.getMessage().contains("calibrationFraction"), fraction.getMessage());
        LoesOptions half = o.toBuilder().calibrationFraction(0.5).build();
        LoesStatistics halfStats = LoesStatistics.accumulate(f.stack(), labels, half, 16);
        IllegalArgumentException seed = assertThrows(IllegalArgumentException.class,
                () -> loes(half.toBuilder().seed(7).build()).select(halfStats));
        assertTrue(seed.getMessage().contains("seed"), seed.getMessage());
        // With every row calibrating, the seed only seeds the sampled triangle: the selector's is used.
        loes(o.toBuilder().seed(7).build()).select(stats);
        IllegalArgumentException task = assertThrows(IllegalArgumentException.class,
                () -> loes(o.toBuilder().task(Task.LABEL_FREE).build()).select(stats));
        assertTrue(task.getMessage().contains("task"), task.getMessage());
        // The hyper-parameters that do not decide the rows may differ.
        loes(o.toBuilder().k(3).alpha(0.5).build()).select(stats);

        LoesStatistics part = LoesStatistics.empty(f.stack(), labels, o, 60);
        f.stack().forEachBlock(16, b -> {
            if (b.firstRow() < 32) {
                part.add(b);
            }
        });
        IllegalArgumentException partial = assertThrows(IllegalArgumentException.class, () -> loes(o).select(part));
        assertTrue(partial.getMessage().contains("32 of the 60 calibration rows"), partial.getMessage());
    }

    @Test
    void refusesFewerCalibrationRowsThanTheTotalWidth() {
        Fixtures f = Fixtures.structured(6, 30, 5, 12, 3);
        LoesOptions o = LoesOptions.builder().calibrationFraction(1.0).k(2).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loes(o).selectStreaming(f.stack(), Labels.ofIntegers(f.longLabels())));
        assertTrue(e.getMessage().contains("N >= sum of d_l") && e.getMessage().contains("N = 30 < 60")
                && e.getMessage().contains("--streaming"), e.getMessage());
    }
}
