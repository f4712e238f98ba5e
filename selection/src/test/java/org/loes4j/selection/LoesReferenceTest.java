package org.loes4j.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.loes4j.data.Labels;
import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;

/**
 * The optimised LOES (Gram reuse, trace/Frobenius isotropy, kernel-side identities, primal/dual by shape)
 * against the plain {@link ReferenceLoes} on structured random inputs: every per-layer term and every
 * candidate's score in every step agree to {@link #REL} relative.
 */
class LoesReferenceTest {
    /** Relative agreement required between the two implementations. */
    static final double REL = 1e-9;

    /**
     * Compares with a relative tolerance; {@code scale} is the magnitude the quantity is naturally measured
     * against (1 for scores; the mean square of the targets for losses, which may be ~0 when p &gt;= N).
     */
    static void close(String what, double expected, double actual, double scale) {
        double tol = REL * Math.max(Math.max(Math.abs(expected), Math.abs(actual)), scale);
        assertTrue(Math.abs(expected - actual) <= tol,
                what + ": reference " + expected + ", optimised " + actual + " (|diff| " + Math.abs(expected - actual)
                        + " > " + tol + ")");
    }

    static double meanSquare(double[][] t) {
        double s = 0;
        for (double[] row : t) {
            for (double v : row) {
                s += v * v;
            }
        }
        return s / (t.length * (double) t[0].length);
    }

    static void compare(ReferenceLoes.Result ref, SelectionResult got, double targetScale) {
        int l = ref.iso.length;
        for (int i = 0; i < l; i++) {
            SelectionResult.LayerScore ls = got.layers().get(i);
            close("isotropy of layer " + i, ref.iso[i], ls.isotropy(), 1);
            if (!Double.isNaN(ref.fitLoss[i])) {
                close("fitLoss of layer " + i, ref.fitLoss[i], ls.fitLoss(), targetScale);
            }
            close("score0 of layer " + i, ref.score0[i], ls.score0(), 1);
        }
        assertArrayEquals(ref.selected.stream().mapToInt(Integer::intValue).toArray(), got.selected(), "selection");
        for (int s = 0; s < ref.stepScores.size(); s++) {
            close("step score " + s, ref.stepScores.get(s), got.stepScores()[s], 1);
        }
        assertEquals(ref.steps.size(), got.steps().size());
        for (int s = 0; s < ref.steps.size(); s++) {
            double[][] terms = ref.steps.get(s);
            for (SelectionResult.Candidate c : got.steps().get(s).candidates()) {
                double[] t = terms[c.layer()];
                String at = "step " + (s + 1) + " layer " + c.layer();
                if (!Double.isNaN(t[0])) {
                    close(at + " residual loss", t[0], c.residualLoss(), targetScale);
                }
                close(at + " redundancy", t[1], c.redundancy(), 1);
                close(at + " triangle", t[2], c.triangle(), 1);
                close(at + " score", t[3], c.score(), 1);
            }
        }
    }

    static Map<?, ?> routes(SelectionResult r) {
        return (Map<?, ?>) r.provenance().toMap().get("candidateRoutes");
    }

    @ParameterizedTest(name = "N={0} L={1} d={2} C={3} k={4} paper={5}")
    @CsvSource({
            "60, 5, 8, 4, 4, true",    // feature side, every step primal
            "60, 5, 8, 4, 4, false",
            "30, 5, 12, 3, 4, true",   // feature side, primal then dual (p = 36 >= N = 30)
            "30, 5, 12, 5, 4, false",
            "20, 4, 30, 3, 4, true",   // kernel side (d > N), dual
            "20, 4, 30, 4, 3, false",
            "24, 6, 24, 2, 4, true",   // d == N, two classes: no triangle term
            "80, 6, 40, 5, 4, true",   // feature side: projector (p = 40), then dual from p = 80 = N
            "40, 5, 64, 6, 4, false"   // kernel side, larger
    })
    void classificationMatchesReference(int n, int layers, int d, int classes, int k, boolean paper) {
        Fixtures f = Fixtures.structured(1000L + n * 7L + d, n, layers, d, classes);
        ReferenceLoes.Result ref = ReferenceLoes.run(f.layers, f.labels, f.oneHot(), k, 1.0, 0.5, 0.1, paper);
        LoesOptions o = LoesOptions.builder().k(k).calibrationFraction(1.0)
                .accumulation(paper ? Accumulation.PAPER : Accumulation.STAGEWISE).build();
        Labels t = Labels.ofIntegers(f.longLabels());
        SelectionResult got = new Loes(Linalg.get()).select(f.stack(), t, o);
        compare(ref, got, meanSquare(f.oneHot()));
        // The large-N route: no N x N kernels, cached cross blocks for redundancy and the primal solves.
        SelectionResult viaCross = new Loes(Linalg.get()).select(f.stack(), t, o, java.util.Map.of(), false, 0,
                Loes.IMPLICIT_LIMIT);
        compare(ref, viaCross, meanSquare(f.oneHot()));
        // The explicit dual route only (X~ = Q Xc formed for every candidate).
        SelectionResult explicit = new Loes(Linalg.get()).select(f.stack(), t, o, java.util.Map.of(), false,
                Loes.KERNEL_BUDGET_BYTES, 0);
        compare(ref, explicit, meanSquare(f.oneHot()));
        assertEquals(0, routes(explicit).get("implicitDualCandidates"));
        if (n <= d * (k - 1)) {
            assertTrue(((Number) routes(got).get("implicitDualCandidates")).intValue() > 0,
                    "the implicit dual route was exercised: " + routes(got));
        }
    }

    @ParameterizedTest(name = "regression N={0} d={1}")
    @CsvSource({"50, 6", "16, 20"})
    void regressionMatchesReference(int n, int d) {
        Fixtures f = Fixtures.structured(77, n, 5, d, 3);
        double[][] t = f.regressionTargets(2, 5);
        ReferenceLoes.Result ref = ReferenceLoes.run(f.layers, null, t, 3, 1.0, 0.5, 0.1, true);
        LoesOptions o = LoesOptions.builder().k(3).task(Task.REGRESSION).calibrationFraction(1.0).build();
        SelectionResult got = new Loes(Linalg.get()).select(f.stack(), Labels.regression(DMatrix.of(t)), o);
        compare(ref, got, meanSquare(t));
        compare(ref, new Loes(Linalg.get()).select(f.stack(), Labels.regression(DMatrix.of(t)), o, java.util.Map.of(),
                false, 0, Loes.IMPLICIT_LIMIT), meanSquare(t));
        compare(ref, new Loes(Linalg.get()).select(f.stack(), Labels.regression(DMatrix.of(t)), o, java.util.Map.of(),
                false, Loes.KERNEL_BUDGET_BYTES, 0), meanSquare(t));
    }

    @ParameterizedTest(name = "label-free N={0} d={1}")
    @CsvSource({"40, 6", "12, 20"})
    void labelFreeMatchesReference(int n, int d) {
        Fixtures f = Fixtures.structured(91, n, 6, d, 3);
        ReferenceLoes.Result ref = ReferenceLoes.run(f.layers, null, null, 4, 1.0, 0.5, 0.1, true);
        LoesOptions o = LoesOptions.builder().k(4).task(Task.LABEL_FREE).calibrationFraction(1.0).build();
        SelectionResult got = new Loes(Linalg.get()).select(f.stack(), null, o);
        compare(ref, got, 1);
        compare(ref, new Loes(Linalg.get()).select(f.stack(), null, o, java.util.Map.of(), false, 0, 0), 1);
        for (SelectionResult.LayerScore ls : got.layers()) {
            assertTrue(Double.isNaN(ls.fitLoss()), "label-free has no fit loss");
        }
        List<SelectionResult.Step> steps = got.steps();
        assertEquals(3, steps.size());
    }
}
