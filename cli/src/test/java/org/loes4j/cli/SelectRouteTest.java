package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.loes4j.linalg.io.Json;
import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyArray;
import org.loes4j.selection.Loes;
import org.loes4j.selection.stats.LoesStatistics;

/**
 * The route of {@code loes select}: the automatic choice by memory budget, {@code --streaming} (the statistics
 * route) against the in-memory route on the same file, and the refusals, through {@link Main#run}.
 */
class SelectRouteTest {
    /** Relative agreement of the two routes' scores (the library checks them to 1e-9 on its own cases). */
    private static final double ROUTES_AGREE = 1e-9;
    /** Below this magnitude two scores are compared absolutely (a fit loss of 0 on both routes). */
    private static final double ZERO = 1e-12;
    /** The synthetic file: 300 rows, 4 layers of width 8 (D = 32), 3 classes. */
    private static final int ROWS = 300;
    private static final int[] WIDTHS = {8, 8, 8, 8};
    private static final int CLASSES = 3;

    @TempDir
    Path dir;

    Path emb;
    Path labels;


    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @BeforeEach
    void synth() {
        CliRun r = run("synth", "--out", dir.toString(), "--n", Integer.toString(ROWS), "--layers", "4", "--dim", "8",
                "--classes", Integer.toString(CLASSES), "--seed", "5");
        assertEquals(0, r.code(), r.err());
        emb = dir.resolve("embeddings.npy");
        labels = dir.resolve("labels.npy");
    }

    private CliRun select(Path json, List<String> labelArgs, String... extra) {
        List<String> args = new ArrayList<>(List.of("select", "--embeddings", emb.toString(), "--json", json.toString()));
        args.addAll(labelArgs);
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    private List<String> labelArgs(String task) throws IOException {
        return switch (task) {
            case "classification" -> List.of("--labels", labels.toString());
            case "regression" -> {
                long[] y;
                try (NpyArray a = Npy.map(labels)) {
                    y = a.toLongArray();
                }
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < y.length; i++) {
                    text.append(y[i] * 0.5 + 0.01 * (i % 7)).append('\n');
                }
                yield List.of("--labels", Files.writeString(dir.resolve("targets.txt"), text).toString(), "--task",
                        "regression");
            }
            default -> List.of("--task", "label-free");
        };
    }

    private static Map<String, Object> read(Path json) throws IOException {
        return Json.parseObject(Files.readString(json));
    }

    private static Map<?, ?> provenance(Map<String, Object> result) {
        return (Map<?, ?>) result.get("provenance");
    }

    /** --streaming gives the in-memory selection: the same layers, every score within 1e-9 relative. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"classification", "regression", "label-free", "stagewise"})
    void streamingEqualsTheInMemorySelection(String variant) throws IOException {
        List<String> args = new ArrayList<>(labelArgs(variant.equals("stagewise") ? "classification" : variant));
        if (variant.equals("stagewise")) {
            args.addAll(List.of("--accumulate", "stagewise"));
        }
        Path a = dir.resolve("memory.json");
        Path b = dir.resolve("streaming.json");
        CliRun memory = select(a, args, "--k", "3", "--calibration-fraction", "0.5");
        CliRun streaming = select(b, args, "--k", "3", "--calibration-fraction", "0.5", "--streaming");
        assertEquals(0, memory.code(), memory.err());
        assertEquals(0, streaming.code(), streaming.err());
        assertTrue(memory.out().contains("route: in-memory ("), memory.out());
        assertTrue(streaming.out().contains("route: statistics (--streaming given"), streaming.out());
        Map<String, Object> m = read(a);
        Map<String, Object> s = read(b);
        assertEquals("in-memory", provenance(m).get("route"));
        assertEquals("statistics", provenance(s).get("route"));
        assertEquals(Boolean.TRUE, ((Map<?, ?>) provenance(s).get("routeChoice")).get("forced"));
        assertEquals(m.get("selected"), s.get("selected"), variant);
        assertEquals(150L, provenance(s).get("calibrationRows"));
        assertClose("stepScores", (List<?>) m.get("stepScores"), (List<?>) s.get("stepScores"));
        List<?> lm = (List<?>) m.get("layers");
        List<?> ls = (List<?>) s.get("layers");
        for (int i = 0; i < lm.size(); i++) {
            for (String key : List.of("fitLoss", "isotropy", "score0")) {
                assertClose("layers[" + i + "]." + key, ((Map<?, ?>) lm.get(i)).get(key), ((Map<?, ?>) ls.get(i)).get(key));
            }
        }
        List<?> sm = (List<?>) m.get("steps");
        List<?> ss = (List<?>) s.get("steps");
        assertEquals(sm.size(), ss.size());
        for (int i = 0; i < sm.size(); i++) {
            List<?> cm = (List<?>) ((Map<?, ?>) sm.get(i)).get("candidates");
            List<?> cs = (List<?>) ((Map<?, ?>) ss.get(i)).get("candidates");
            assertEquals(cm.size(), cs.size());
            for (int j = 0; j < cm.size(); j++) {
                for (String key : List.of("layer", "residualLoss", "redundancy", "triangle", "score")) {
                    assertClose("steps[" + i + "].candidates[" + j + "]." + key, ((Map<?, ?>) cm.get(j)).get(key),
                            ((Map<?, ?>) cs.get(j)).get(key));
                }
            }
        }
    }

    /** The budget decides: within it in-memory, over it (when the statistics fit) the statistics route. */
    @Test
    void theAutomaticRouteFollowsTheMemoryBudget() throws IOException {
        int n = ROWS / 2;
        long inMemory = Loes.inMemoryBytes(n, WIDTHS, CLASSES, 3);
        long stats = LoesStatistics.accumulationBytes(32, CLASSES, n, Loes.STREAMING_BLOCK_ROWS);
        // Tiny data keeps the N x N kernels on the in-memory route, so there is room for a budget between the two.
        assertTrue(stats * 2 < inMemory, stats + " vs " + inMemory);
        List<String> y = labelArgs("classification");
        Path a = dir.resolve("roomy.json");
        Path b = dir.resolve("tight.json");
        CliRun roomy = select(a, y, "--k", "3", "--calibration-fraction", "0.5", "--memory-budget", "1g");
        CliRun tight = select(b, y, "--k", "3", "--calibration-fraction", "0.5", "--memory-budget",
                Long.toString(stats * 2));
        assertEquals(0, roomy.code(), roomy.err());
        assertEquals(0, tight.code(), tight.err());
        assertTrue(roomy.out().contains("route: in-memory (in-memory estimate"), roomy.out());
        assertTrue(tight.out().contains("route: statistics (in-memory estimate"), tight.out());
        assertTrue(tight.out().contains("over the budget"), tight.out());
        Map<?, ?> p = provenance(read(b));
        assertEquals("statistics", p.get("route"));
        Map<?, ?> choice = (Map<?, ?>) p.get("routeChoice");
        assertEquals(Boolean.FALSE, choice.get("forced"));
        assertEquals(stats * 2, choice.get("memoryBudgetBytes"));
        assertEquals(inMemory, choice.get("inMemoryEstimateBytes"));
        assertEquals("in-memory", provenance(read(a)).get("route"));
        assertEquals(read(a).get("selected"), read(b).get("selected"));
    }

    @Test
    void streamingWithFewerCalibrationRowsThanTheTotalWidthIsExit2() {
        Path json = dir.resolve("out.json");
        // 0.05 of 300 rows: N = 15 < D = 32.
        CliRun r = select(json, List.of("--labels", labels.toString()), "--streaming", "--calibration-fraction", "0.05");
        assertBadInput(r, json, "--streaming:", "N >= sum of d_l", "N = 15 < D = 32");
    }

    @Test
    void aBudgetNeitherRouteFitsNamesTheHeapAndTheLayers() {
        Path json = dir.resolve("out.json");
        List<String> y = List.of("--labels", labels.toString());
        CliRun auto = select(json, y, "--calibration-fraction", "0.5", "--memory-budget", "4k");
        assertBadInput(auto, json, "--memory-budget:", "8 (D + c)(D + c + 1)", "-Xmx", "LOES_JAVA_OPTS", "--layers");
        CliRun forced = select(json, y, "--calibration-fraction", "0.5", "--memory-budget", "4k", "--streaming");
        assertBadInput(forced, json, "--streaming:", "--memory-budget", "-Xmx", "LOES_JAVA_OPTS", "--layers");
    }

    /** Over the budget with N &lt; D the statistics route cannot serve: in-memory is tried, with a warning. */
    @Test
    void overTheBudgetWithFewerRowsThanTheWidthWarnsAndRunsInMemory() throws IOException {
        Path json = dir.resolve("out.json");
        CliRun r = select(json, List.of("--labels", labels.toString()), "--calibration-fraction", "0.05",
                "--memory-budget", "4k", "--k", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("loes: warning: the in-memory route needs about")
                && r.err().contains("N >= D (N = 15 < D = 32)") && r.err().contains("-Xmx"), r.err());
        assertEquals("in-memory", provenance(read(json)).get("route"));
    }

    @Test
    void badValuesAreExit2NamingTheOption() {
        Path json = dir.resolve("out.json");
        List<String> y = List.of("--labels", labels.toString());
        assertBadInput(select(json, y, "--memory-budget", "lots"), json, "--memory-budget: 'lots' is not a size");
        assertBadInput(select(json, y, "--memory-budget", "0"), json, "--memory-budget: '0' must be at least 1 byte");
        assertBadInput(select(json, y, "--streaming", "--baseline", "last"), json, "--streaming: applies to LOES only");
        assertEquals(512L << 20, SelectRoute.parseBytes("--memory-budget", "512m"));
        assertEquals(3L << 29, SelectRoute.parseBytes("--memory-budget", "1.5G"));
        assertEquals(2048, SelectRoute.parseBytes("--memory-budget", "2kb"));
        assertEquals(77, SelectRoute.parseBytes("--memory-budget", "77"));
    }

    /** Baselines read the rows in memory: no route is chosen or recorded. */
    @Test
    void baselinesRecordNoRoute() throws IOException {
        Path json = dir.resolve("out.json");
        CliRun r = select(json, List.of("--labels", labels.toString()), "--baseline", "last");
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().contains("route:"), r.out());
        assertNull(provenance(read(json)).get("routeChoice"));
    }

    private static void assertBadInput(CliRun r, Path json, String... expected) {
        assertEquals(2, r.code(), r.out() + r.err());
        List<String> lines = r.err().lines().filter(l -> !l.startsWith("[loes]")).toList();
        assertEquals(1, lines.size(), "one line: " + r.err());
        assertTrue(lines.getFirst().startsWith("loes: error: "), r.err());
        for (String e : expected) {
            assertTrue(lines.getFirst().contains(e), "'" + e + "' in: " + lines.getFirst());
        }
        assertFalse(Files.exists(json), "no output file on error");
    }

    private static void assertClose(String what, List<?> a, List<?> b) {
        assertEquals(a.size(), b.size(), what);
        for (int i = 0; i < a.size(); i++) {
            assertClose(what + "[" + i + "]", a.get(i), b.get(i));
        }
    }

    private static void assertClose(String what, Object a, Object b) {
        if (a == null || b == null) {
            assertEquals(a, b, what + " (NaN on one route only)");
            return;
        }
        double x = ((Number) a).doubleValue();
        double y = ((Number) b).doubleValue();
        double scale = Math.max(Math.abs(x), Math.abs(y));
        assertTrue(Math.abs(x - y) <= Math.max(ROUTES_AGREE * scale, ZERO),
                what + ": in-memory " + x + ", statistics " + y + " (" + Arrays.toString(new double[] {x, y}) + ")");
    }
}
