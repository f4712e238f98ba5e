package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.linalg.io.Json;

/**
 * Whole commands on the LibTorch backend against the CPU (Vector API) backend: {@code loes select} picks
 * the same layers in the same order with the same step scores within {@link #SCORE_TOL}, and {@code loes
 * train} gives a probe whose predicted probabilities agree within {@link #PROBABILITY_TOL}. Each run is its
 * own JVM, because {@code --backend} chooses the process-wide chain once.
 */
class TorchBackendCliTest {
    /**
     * Relative agreement of step scores: both backends compute the same ridge fits and spectra with
     * different summation orders (MKL vs the Vector API), so they agree to a few ulps of the conditioning.
     */
    static final double SCORE_TOL = 1e-8;
    /**
     * Absolute agreement of predicted class probabilities after 3 epochs of float64 training: the GEMMs of
     * every step differ in rounding only (measured: 2.2e-16 on this data), and the optimiser carries those
     * differences forward without amplifying them anywhere near this bound.
     */
    static final double PROBABILITY_TOL = 1e-9;

    /** Runs {@code loes ARGS --backend BACKEND} in a fresh JVM; returns its output (stdout and stderr). */
    private static String loes(Path dir, String backend, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--backend", backend));
        Path log = Files.createTempFile(dir, args[0] + "-" + backend, ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "loes " + args[0] + " --backend " + backend + " did not finish");
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("loes4j linalg backend: " + backend), "the run must announce its backend:\n" + out);
        return out;
    }

    private static Map<String, Object> select(Path dir, String backend) throws IOException, InterruptedException {
        Path json = dir.resolve("selection-" + backend + ".json");
        loes(dir, backend, "select", "--embeddings", dir.resolve("embeddings.npy").toString(),
                "--labels", dir.resolve("labels.npy").toString(), "--json", json.toString(), "--k", "4");
        return Json.parseObject(Files.readString(json));
    }

    /** Trains on the selected layers with {@code backend}, then predicts in this JVM; returns the CSV lines. */
    private static List<String> trainAndPredict(Path dir, String layers, String backend)
            throws IOException, InterruptedException {
        Path model = dir.resolve("model-" + backend + ".safetensors");
        loes(dir, backend, "train", "--embeddings", dir.resolve("embeddings.npy").toString(),
                "--labels", dir.resolve("labels.npy").toString(), "--layers", layers, "--epochs", "3",
                "--batch", "32", "--seed", "5", "--quiet", "--out", model.toString());
        Path csv = dir.resolve("pred-" + backend + ".csv");
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"predict", "--model", model.toString(), "--embeddings",
                dir.resolve("embeddings.npy").toString(), "--out", csv.toString()},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        return Files.readAllLines(csv);
    }

    private static void synth(Path dir) {
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"synth", "--out", dir.toString(), "--n", "400", "--layers", "8", "--dim",
                "24", "--classes", "4", "--seed", "11"}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
    }

    @Test
    void torchSelectsLikeTheCpuBackend(@TempDir Path dir) throws IOException, InterruptedException {
        synth(dir);

        Map<String, Object> cpu = select(dir, "vector");
        Map<String, Object> torch = select(dir, "torch");
        assertEquals(cpu.get("selected"), torch.get("selected"), "the same layers in the same order");
        List<?> a = (List<?>) cpu.get("stepScores");
        List<?> b = (List<?>) torch.get("stepScores");
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            double x = ((Number) a.get(i)).doubleValue();
            double y = ((Number) b.get(i)).doubleValue();
            assertEquals(x, y, SCORE_TOL * Math.max(1, Math.abs(x)), "step score " + i);
        }
        assertEquals("torch", ((Map<?, ?>) torch.get("provenance")).get("backend").toString().split("[ ,(]")[0]);
    }

    @Test
    void torchTrainsLikeTheCpuBackend(@TempDir Path dir) throws IOException, InterruptedException {
        synth(dir);
        String layers = "6,2,4";
        List<String> pv = trainAndPredict(dir, layers, "vector");
        List<String> pt = trainAndPredict(dir, layers, "torch");
        assertEquals(pv.size(), pt.size());
        assertEquals(pv.getFirst(), pt.getFirst());
        double worst = 0;
        for (int i = 1; i < pv.size(); i++) {
            String[] fv = pv.get(i).split(",");
            String[] ft = pt.get(i).split(",");
            for (int c = 2; c < fv.length; c++) {
                worst = Math.max(worst, Math.abs(Double.parseDouble(fv[c]) - Double.parseDouble(ft[c])));
            }
        }
        assertTrue(worst <= PROBABILITY_TOL, "largest probability difference after training: " + worst);
    }
}
