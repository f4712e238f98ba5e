package org.loes4j.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.loes4j.data.Labels;
import org.loes4j.data.Task;
import org.loes4j.linalg.Linalg;
import org.loes4j.selection.baselines.Baseline;
import org.loes4j.selection.baselines.Baselines;

/** The public surface: the builder (null means the default, bad options are named), the selector interface. */
class LoesBuilderTest {
    @Test
    void nullMeansTheDefault() {
        Loes all = Loes.builder().k(null).task(null).alpha(null).gamma(null).eta(null).lambda(null).mu(null)
                .isotropyEps(null).accumulation(null).triangle(null).calibrationFraction(null).seed(null)
                .diagnostics(null).inputDigests(null).linalg(null).options(null).build();
        assertEquals(LoesOptions.builder().build(), all.options());
        assertEquals(LoesOptions.builder().build(), Loes.builder().build().options());
        Fixtures f = Fixtures.structured(3, 50, 4, 5, 3);
        SelectionResult r = all.select(f.stack(), Labels.ofIntegers(f.longLabels()));
        assertEquals(4, r.selected().length);
        assertEquals(null, r.diagnostics(), "diagnostics are off by default");
        assertEquals(Map.of(), r.provenance().inputs());
        LoesOptions set = Loes.builder().k(3).seed(7L).alpha(0.5).build().options();
        assertEquals(LoesOptions.builder().k(3).seed(7).alpha(0.5).build(), set);
        assertEquals(set, Loes.builder().options(set).alpha(null).alpha(0.5).build().options());
        assertNotNull(new Baselines(null).run(Baseline.LAST, f.stack(), null, LoesOptions.builder().build(), null));
        assertArrayEquals(new int[] {3}, Baselines.selector(Baseline.LAST, null).select(f.stack(), null).selected());
    }

    @Test
    void badOptionsNameTheOption() {
        expect("k", () -> Loes.builder().k(0).build());
        expect("alpha", () -> Loes.builder().alpha(Double.NaN).build());
        expect("gamma", () -> Loes.builder().gamma(Double.POSITIVE_INFINITY).build());
        expect("eta", () -> Loes.builder().eta(Double.NaN).build());
        expect("lambda", () -> Loes.builder().lambda(-1.0).build());
        expect("mu", () -> Loes.builder().mu(0.0).build());
        expect("isotropyEps", () -> Loes.builder().isotropyEps(0.0).build());
        expect("calibrationFraction", () -> Loes.builder().calibrationFraction(1.5).build());
        expect("draws", () -> Loes.builder().triangle(TriangleEstimator.sampled(0)).build());
        expect("triangle", () -> Loes.builder().triangle(TriangleEstimator.parse("sometimes")).build());
    }

    private static void expect(String option, Supplier<Object> build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
        assertTrue(e.getMessage().startsWith(option + ":"), option + ": " + e.getMessage());
    }

    /** The builder's settings are what {@link LayerSelector#select} runs with; the result equals the explicit call. */
    @Test
    void theBuiltSelectorRunsWithItsSettings() {
        Fixtures f = Fixtures.structured(11, 40, 5, 6, 3);
        Labels labels = Labels.ofIntegers(f.longLabels());
        LayerSelector s = Loes.builder().k(3).calibrationFraction(1.0).diagnostics(true)
                .inputDigests(Map.of("embeddings", "sha256:abc")).linalg(Linalg.get()).build();
        SelectionResult a = s.select(f.stack(), labels);
        SelectionResult b = new Loes(Linalg.get()).select(f.stack(), labels,
                LoesOptions.builder().k(3).calibrationFraction(1.0).build(), Map.of(), false);
        assertArrayEquals(b.selected(), a.selected());
        assertArrayEquals(b.stepScores(), a.stepScores());
        assertNotNull(a.diagnostics());
        assertEquals("sha256:abc", a.provenance().inputs().get("embeddings"));
        assertEquals("loes", a.provenance().method());
        assertEquals(Linalg.get().backends().chosen().name(), a.provenance().environment().backend());
        for (String key : new String[] {"calibrationSplitMs", "layersMs", "step1Ms", "step2Ms", "diagnosticsMs", "totalMs"}) {
            assertTrue(a.provenance().timingsMs().containsKey(key), key);
        }
    }

    @Test
    void inputsThatDoNotFitAreNamed() {
        Fixtures f = Fixtures.structured(13, 30, 4, 5, 3);
        Loes loes = Loes.builder().calibrationFraction(1.0).build();
        expect("layers", () -> loes.select(null, Labels.ofIntegers(f.longLabels())));
        expect("labels", () -> loes.select(f.stack(), null));
        expect("labels", () -> loes.select(f.stack(), Labels.ofIntegers(new long[] {0, 1, 2})));
        expect("labels", () -> loes.select(f.stack(), Labels.regression(new double[30])));
        long[] oneClassFirst = new long[30];
        oneClassFirst[29] = 1;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Loes.builder()
                .calibrationFraction(0.1).seed(1L).build().select(f.stack(), Labels.ofIntegers(oneClassFirst)));
        assertTrue(e.getMessage().startsWith("calibration split: only class '0' among its 3 rows")
                && e.getMessage().contains("--calibration-fraction"), e.getMessage());
        assertEquals(4, Loes.builder().task(Task.LABEL_FREE).calibrationFraction(1.0).build()
                .select(f.stack(), null).selected().length, "label-free needs no labels");
    }
}
