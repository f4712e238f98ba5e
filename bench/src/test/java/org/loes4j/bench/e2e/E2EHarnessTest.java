package org.loes4j.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.linalg.io.Json;

/**
 * Runs every end-to-end harness on a tiny configuration (seconds) so they cannot rot: each must finish, write
 * its markdown and JSON, and report sane values. No timing is asserted (this machine is noisy).
 */
class E2EHarnessTest {
    /** Closed form vs eigenvalue route of GeoReg's isotropy loss: both float64 computations of one quantity. */
    private static final double GEOREG_AGREEMENT = 1e-9;
    /** loes4j vs ONNX Runtime on the last hidden state (float32 end to end, 12 blocks). */
    private static final double ENCODER_AGREEMENT = 1e-3;
    private static final Path SENTENCES = Path.of("../encoders/src/test/resources/org/loes4j/encoders/sentences.txt");

    @TempDir
    Path out;

    @Test
    void selectionColdAndWarm() throws Exception {
        SelectionE2E.main(new String[] {"--shapes", "60x3x16x3", "--k", "2", "--cold-runs", "1", "--warm-runs", "1",
                "--warmup", "0", "--full-calibration-shape", "0", "--out", out.toString(), "--prefix", "test"});
        Map<String, Object> json = onlyResult("test-selection-");
        List<?> rows = (List<?>) json.get("rows");
        assertEquals(2, rows.size(), "one row at fraction 0.2, one at 1.0");
        for (Object o : rows) {
            Map<?, ?> r = (Map<?, ?>) o;
            assertTrue(((Number) r.get("coldWallMedianSeconds")).doubleValue() > 0);
            assertTrue(((Number) r.get("peakRssMedianMiB")).doubleValue() > 0, "peak RSS was read");
            assertTrue(((Number) r.get("warmMedianSeconds")).doubleValue() > 0);
            List<?> cold = (List<?>) r.get("coldSelected");
            assertEquals(1, cold.size());
            assertEquals(String.valueOf(r.get("warmSelected")).replace(" ", ""), String.valueOf(cold.getFirst())
                    .replace(" ", ""), "the CLI in a fresh JVM and the in-process API select the same layers");
            assertTrue(((Number) r.get("warmCommandMedianSeconds")).doubleValue() > 0);
            assertEquals(String.valueOf(cold.getFirst()).replace(" ", ""),
                    String.valueOf(r.get("warmCommandSelected")).replace(" ", ""),
                    "the command run in-process selects what it selects in a fresh JVM");
            Map<?, ?> phases = (Map<?, ?>) r.get("coldPhasesMedianMs");
            assertTrue(phases.containsKey("totalMs") && phases.containsKey("endToEndMs"), phases.toString());
        }
        assertTrue(markdown("test-selection-").contains("not measured by us"));
    }

    @Test
    void trainingWithAndWithoutGeoReg() throws Exception {
        TrainingE2E.main(new String[] {"--rows", "300", "--val-rows", "64", "--layers", "2", "--dim", "16", "--classes",
                "4", "--epochs", "1", "--batch", "64", "--repeats", "1", "--geo-batches", "2", "--eigen-batches", "1", "--out",
                out.toString(), "--prefix", "test"});
        Map<String, Object> json = onlyResult("test-training-");
        Map<?, ?> without = (Map<?, ?>) json.get("withoutGeoReg");
        Map<?, ?> with = (Map<?, ?>) json.get("withGeoReg");
        assertEquals(0.0, ((Number) without.get("geoRegSeconds")).doubleValue());
        assertTrue(((Number) with.get("geoRegSeconds")).doubleValue() > 0);
        assertEquals(5L, ((Number) with.get("steps")).longValue(), "ceil(300 / 64) steps in one epoch");
        Map<?, ?> geo = (Map<?, ?>) json.get("geoRegAlone");
        assertTrue(((Number) geo.get("maxRelativeDifference")).doubleValue() < GEOREG_AGREEMENT, geo.toString());
        assertTrue(markdown("test-training-").contains("GeoReg share of step time"));
    }

    @Test
    void encoderAgainstOnnxRuntime() throws Exception {
        EncoderE2E.main(new String[] {"--sentences", SENTENCES.toString(), "--lines", "6", "--batch", "4", "--threads",
                "1", "--passes", "1", "--warmup-passes", "0", "--out", out.toString(), "--prefix", "test"});
        Map<String, Object> json = onlyResult("test-encoder-");
        List<?> results = (List<?>) json.get("results");
        assertEquals(2, results.size(), "loes4j and ONNX Runtime");
        for (Object o : results) {
            Map<?, ?> r = (Map<?, ?>) o;
            assertTrue(((Number) r.get("tokensPerSecond")).doubleValue() > 0, r.toString());
            assertEquals(13, ((Number) r.get("hiddenStates")).intValue(), "embeddings + 12 blocks");
            String computed = "loes4j".equals(r.get("impl")) ? "realTokens" : "paddedTokens";
            assertEquals(((Number) r.get(computed)).longValue(), ((Number) r.get("computedRows")).longValue(),
                    r.get("impl") + " computes " + computed);
        }
        assertTrue(((Number) json.get("crossCheckMaxRelativeDifference")).doubleValue() < ENCODER_AGREEMENT);
        assertTrue(markdown("test-encoder-").contains("| threads | loes4j tokens/s | ONNX Runtime tokens/s"));
    }

    @Test
    void unknownOptionIsRejectedWithItsName() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Args(new String[] {"--colds", "3"}, List.of("cold-runs")));
        assertTrue(e.getMessage().contains("--colds"), e.getMessage());
    }

    @Test
    void medianAndTimeOutput() {
        assertEquals(2.0, Report.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Report.median(new double[] {4, 1, 3, 2}));
        assertEquals(12345, ChildJvm.parseTimeOutput("Command exited with non-zero status 2\n12345\n"));
    }

    private Map<String, Object> onlyResult(String prefix) throws IOException {
        Path f = only(prefix, ".json");
        Map<String, Object> json = Json.parseObject(Files.readString(f));
        assertTrue(json.containsKey("loadAverageStart") && json.containsKey("loadAverageEnd"), json.keySet().toString());
        assertTrue(json.containsKey("machine") && json.containsKey("command"));
        return json;
    }

    private String markdown(String prefix) throws IOException {
        String md = Files.readString(only(prefix, ".md"));
        assertTrue(md.contains("Load average (1/5/15 min) at start") && md.contains("at end"), md);
        return md;
    }

    private Path only(String prefix, String suffix) throws IOException {
        List<Path> found = new ArrayList<>();
        try (var s = Files.list(out)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith(prefix) && n.endsWith(suffix)) {
                    found.add(p);
                }
            }
        }
        assertEquals(1, found.size(), "files " + prefix + "*" + suffix + " in " + out);
        return found.getFirst();
    }
}
