package org.loes4j.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.loes4j.data.Labels;
import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;

/**
 * LOES on layers of different widths against the plain {@link ReferenceLoes}: every per-layer term, every
 * candidate's terms and the selection agree to {@link LoesReferenceTest#REL}, on the feature side (max d_l
 * &lt;= N; N = 60 keeps every step primal, through the projector or the cross blocks assembled from d_i x d_j
 * blocks; N = 24 turns dual once the selected widths reach N) and on the kernel side (N = 12 &lt; max d_l = 20:
 * the narrow layer 2 (d = 3) is picked first, so a primal step runs on the kernel side, then dual steps, with
 * the implicit route), on every route.
 */
class LoesMixedWidthTest {
    static final int[] WIDTHS = {5, 12, 3, 9, 20};

    private final Loes loes = new Loes(Linalg.get());

    private static LoesOptions.Builder options(int k, boolean paper, int draws) {
        return LoesOptions.builder().k(k).calibrationFraction(1.0).seed(17)
                .accumulation(paper ? Accumulation.PAPER : Accumulation.STAGEWISE)
                .triangle(draws == 0 ? TriangleEstimator.exact() : TriangleEstimator.sampled(draws));
    }

    /** The result on the default routes, then forced onto cross blocks, then onto the explicit dual route. */
    private List<SelectionResult> allRoutes(Fixtures f, Labels labels, LoesOptions o) {
        return List.of(loes.select(f.stack(), labels, o),
                loes.select(f.stack(), labels, o, Map.of(), false, 0, Loes.IMPLICIT_LIMIT),
                loes.select(f.stack(), labels, o, Map.of(), false, Loes.KERNEL_BUDGET_BYTES, 0));
    }

    @ParameterizedTest(name = "classification N={0} C={1} paper={2} draws={3}")
    @CsvSource({
            "60, 4, true, 0", "60, 4, false, 0", "60, 5, true, 200", "60, 3, false, 50",
            "24, 4, true, 0", "24, 3, false, 200",   // feature side, dual once the selected widths reach N
            "12, 4, true, 0", "12, 4, false, 0", "12, 3, true, 200", "12, 5, false, 30"
    })
    void classificationMatchesReference(int n, int classes, boolean paper, int draws) {
        Fixtures f = Fixtures.mixed(500L + n + classes, n, WIDTHS, classes);
        LoesOptions o = options(4, paper, draws).build();
        ReferenceLoes.Result ref = ReferenceLoes.run(f.layers, f.labels, f.oneHot(), 4, 1.0, 0.5, 0.1, paper,
                ReferenceLoes.MU, draws, o.seed());
        for (SelectionResult got : allRoutes(f, Labels.ofIntegers(f.longLabels()), o)) {
            LoesReferenceTest.compare(ref, got, LoesReferenceTest.meanSquare(f.oneHot()));
            assertValid(got, 4);
        }
        assertEquals(List.of(5, 12, 3, 9, 20),
                loes.select(f.stack(), Labels.ofIntegers(f.longLabels()), o).provenance().toMap().get("dim"),
                "provenance lists the widths");
    }

    @ParameterizedTest(name = "regression N={0} paper={1}")
    @CsvSource({"60, true", "60, false", "12, true", "12, false"})
    void regressionMatchesReference(int n, boolean paper) {
        Fixtures f = Fixtures.mixed(71, n, WIDTHS, 3);
        double[][] t = f.regressionTargets(3, 5);
        ReferenceLoes.Result ref = ReferenceLoes.run(f.layers, null, t, 3, 1.0, 0.5, 0.1, paper);
        LoesOptions o = options(3, paper, 0).task(Task.REGRESSION).build();
        for (SelectionResult got : allRoutes(f, Labels.regression(DMatrix.of(t)), o)) {
            LoesReferenceTest.compare(ref, got, LoesReferenceTest.meanSquare(t));
            assertValid(got, 3);
        }
    }

    @ParameterizedTest(name = "label-free N={0}")
    @CsvSource({"60", "12"})
    void labelFreeMatchesReference(int n) {
        Fixtures f = Fixtures.mixed(93, n, WIDTHS, 3);
        ReferenceLoes.Result ref = ReferenceLoes.run(f.layers, null, null, 4, 1.0, 0.5, 0.1, true);
        LoesOptions o = options(4, true, 0).task(Task.LABEL_FREE).build();
        for (SelectionResult got : allRoutes(f, null, o)) {
            LoesReferenceTest.compare(ref, got, 1);
            assertValid(got, 4);
        }
    }

    /** Diagnostics per layer (spectrum dimension d_l) and the pairwise redundancy of layers of any widths. */
    @Test
    void diagnosticsOnMixedWidths() {
        for (int n : new int[] {60, 12}) {
            Fixtures f = Fixtures.mixed(5, n, WIDTHS, 3);
            LoesOptions o = options(3, true, 0).build();
            SelectionResult r = loes.select(f.stack(), Labels.ofIntegers(f.longLabels()), o, Map.of(), true);
            SelectionResult viaCross = loes.select(f.stack(), Labels.ofIntegers(f.longLabels()), o, Map.of(), true,
                    0, Loes.IMPLICIT_LIMIT);
            for (int a = 0; a < WIDTHS.length; a++) {
                SelectionResult.LayerDiagnostics d = r.diagnostics().layers().get(a);
                assertEquals(WIDTHS[a], d.spectrum().dimension());
                assertTrue(d.effectiveRank() >= 1 && d.effectiveRank() <= WIDTHS[a] + 1e-9);
                LoesReferenceTest.close("isotropy " + a, ReferenceLoes.isotropy(f.layers[a]), d.isotropy(), 1);
                for (int b = 0; b < WIDTHS.length; b++) {
                    double expected = ReferenceLoes.redundancy(f.layers[a], f.layers[b]);
                    LoesReferenceTest.close("redundancy " + a + "," + b, expected, r.diagnostics().redundancy()[a][b], 1);
                    LoesReferenceTest.close("redundancy via cross blocks " + a + "," + b, expected,
                            viaCross.diagnostics().redundancy()[a][b], 1);
                }
            }
        }
    }

    static void assertValid(SelectionResult r, int k) {
        assertEquals(k, r.selected().length);
        Set<Integer> seen = new HashSet<>();
        for (int l : r.selected()) {
            assertTrue(l >= 0 && l < WIDTHS.length && seen.add(l), "layer " + l + " in " + java.util.Arrays.toString(r.selected()));
        }
    }
}
