package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.linalg.io.Json;
import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyDType;
import org.loes4j.linalg.io.NpyWriter;
import org.loes4j.training.Probe;

/**
 * The commands chained as a user chains them: extract -> select -> train -> predict keeps extract's class
 * names and numbering; and layers of different widths go through select, every baseline, train, evaluate and
 * predict.
 */
class WorkflowTest {
    @TempDir
    Path dir;


    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void labelNamesFromExtractRoundTripThroughSelectTrainAndPredict() throws IOException {
        String[][] rows = {
            {"Taxes and tariffs fund the new federal government.", "early"},
            {"The militia and the frontier forts need supplies.", "early"},
            {"The treaty with France secures our commerce.", "early"},
            {"Nuclear arms talks continue with the Soviet Union.", "late, modern"},
            {"The internet economy creates jobs for millions.", "late, modern"},
            {"Climate and energy policy shape the next decade.", "late, modern"},
            {"Railroads now join the Atlantic to the Pacific.", "=middle"},
            {"The war between the states has ended at last.", "=middle"},
            {"Reconstruction of the southern states goes on.", "=middle"}};
        StringBuilder csv = new StringBuilder("text,era\n");
        for (String[] r : rows) {
            csv.append('"').append(r[0]).append("\",\"").append(r[1]).append("\"\n");
        }
        Path input = dir.resolve("speeches.csv");
        Files.writeString(input, csv);
        Path emb = dir.resolve("emb");
        CliRun ex = run("extract", "--model", "all-MiniLM-L6-v2", "--input", input.toString(), "--text-column", "text",
                "--label-column", "era", "--pooling", "cls", "--max-length", "16", "--out", emb.toString());
        assertEquals(0, ex.code(), ex.err());

        Path sel = dir.resolve("sel.json");
        CliRun s = run("select", "--embeddings", emb.resolve("embeddings.npy").toString(), "--labels",
                emb.resolve("labels.npy").toString(), "--k", "2", "--calibration-fraction", "1.0", "--json", sel.toString());
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("hidden-state indices"), s.out());
        Map<String, Object> selJson = Json.parseObject(Files.readString(sel));
        Map<?, ?> prov = (Map<?, ?>) selJson.get("provenance");
        assertTrue(prov.get("layerNumbering").toString().startsWith("hidden-state index"), prov.toString());
        assertEquals("all-MiniLM-L6-v2", ((Map<?, ?>) prov.get("extract")).get("model"));

        Path model = dir.resolve("probe.safetensors");
        CliRun t = run("train", "--embeddings", emb.resolve("embeddings.npy").toString(), "--labels",
                emb.resolve("labels.npy").toString(), "--selection", sel.toString(), "--epochs", "3", "--val-fraction", "0",
                "--quiet", "--out", model.toString());
        assertEquals(0, t.code(), t.err());
        Probe probe = Probe.load(model);
        assertEquals(List.of("=middle", "early", "late, modern"), probe.classes(), "extract's names, extract's coding");
        assertEquals("cls", probe.pooling(), "from meta.json");
        assertEquals("all-MiniLM-L6-v2", probe.inputMeta().get("model"));

        Path pred = dir.resolve("pred.csv");
        CliRun p = run("predict", "--model", model.toString(), "--embeddings", emb.resolve("embeddings.npy").toString(),
                "--out", pred.toString());
        assertEquals(0, p.code(), p.err());
        List<String> lines = Files.readAllLines(pred);
        assertEquals("index,label,p_=middle,p_early,\"p_late, modern\"", lines.getFirst(), "names, RFC 4180 quoting");
        for (String line : lines.subList(1, lines.size())) {
            String label = line.split(",")[1];
            assertTrue(!label.startsWith("=") && (!label.startsWith("'") || label.equals("'=middle")), line);
        }

        CliRun e = run("evaluate", "--model", model.toString(), "--embeddings", emb.resolve("embeddings.npy").toString(),
                "--labels", emb.resolve("labels.npy").toString(), "--json");
        assertEquals(0, e.code(), e.err());
        assertEquals(List.of("=middle", "early", "late, modern"), Json.parseObject(e.out()).get("labels"));
    }

    private static final int[] WIDTHS = {8, 20, 5, 12};
    private static final int N = 240;

    /** Per-layer files of different widths; the class signal is in hidden state 1 (width 20). */
    private Path mixedWidthDirectory(Path labels) throws IOException {
        Path d = Files.createDirectory(dir.resolve("layers"));
        SplittableRandom rng = new SplittableRandom(5);
        int[] cls = new int[N];
        StringBuilder lab = new StringBuilder();
        for (int i = 0; i < N; i++) {
            cls[i] = i % 3;
            lab.append(List.of("a", "b", "c").get(cls[i])).append('\n');
        }
        Files.writeString(labels, lab);
        for (int l = 0; l < WIDTHS.length; l++) {
            try (NpyWriter w = Npy.create(d.resolve("layer_" + l + ".npy"), NpyDType.FLOAT32, N, WIDTHS[l])) {
                for (int i = 0; i < N; i++) {
                    for (int j = 0; j < WIDTHS[l]; j++) {
                        double signal = l == 1 && j < 3 ? (cls[i] == j ? 3.0 : 0.0) : 0.0;
                        w.setDouble((long) i * WIDTHS[l] + j, signal + rng.nextGaussian());
                    }
                }
                w.commit();
            }
        }
        return d;
    }

    @Test
    void layersOfDifferentWidthsGoThroughEveryCommand() throws IOException {
        Path labels = dir.resolve("labels.txt");
        Path layers = mixedWidthDirectory(labels);
        Path sel = dir.resolve("sel.json");
        CliRun s = run("select", "--embeddings", layers.toString(), "--labels", labels.toString(), "--k", "2",
                "--json", sel.toString());
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("widths [8, 20, 5, 12]"), s.out());
        for (String baseline : List.of("last", "last-k", "random", "entropy", "curvature", "intrinsic", "exhaustive")) {
            CliRun b = run("select", "--embeddings", layers.toString(), "--labels", labels.toString(), "--k", "2",
                    "--baseline", baseline);
            assertEquals(0, b.code(), baseline + ": " + b.err());
        }
        CliRun last = run("select", "--embeddings", layers.toString(), "--labels", labels.toString(), "--k", "1",
                "--baseline", "last");
        assertTrue(last.out().contains("selected: [3]"), last.out());

        Path model = dir.resolve("mixed.safetensors");
        CliRun t = run("train", "--embeddings", layers.toString(), "--labels", labels.toString(), "--layers", "1,2",
                "--epochs", "200", "--lr", "3e-3", "--quiet", "--out", model.toString());
        assertEquals(0, t.code(), t.err());
        assertArrayEquals(new int[] {20, 5}, Probe.load(model).inputWidths());
        CliRun e = run("evaluate", "--model", model.toString(), "--embeddings", layers.toString(), "--labels",
                labels.toString(), "--json");
        assertEquals(0, e.code(), e.err());
        assertTrue(((Number) Json.parseObject(e.out()).get("accuracy")).doubleValue() > 0.8, e.out());
        Path pred = dir.resolve("mixed.csv");
        CliRun p = run("predict", "--model", model.toString(), "--embeddings", layers.toString(), "--out", pred.toString());
        assertEquals(0, p.code(), p.err());
        assertEquals(N + 1, Files.readAllLines(pred).size());
    }

    @Test
    void noCommandOverwritesItsOwnInput() throws IOException {
        Path labels = dir.resolve("labels.txt");
        Path layers = mixedWidthDirectory(labels);
        Path layer0 = layers.resolve("layer_0.npy");
        byte[] before = Files.readAllBytes(layer0);
        CliRun s = run("select", "--embeddings", layers.toString(), "--labels", labels.toString(), "--json", layer0.toString());
        assertEquals(2, s.code(), s.out());
        assertTrue(s.err().startsWith("loes: error: --json: ") && s.err().contains("is also the input"), s.err());
        CliRun t = run("train", "--embeddings", layers.toString(), "--labels", labels.toString(), "--layers", "1",
                "--quiet", "--out", labels.toString());
        assertEquals(2, t.code(), t.out());
        assertTrue(t.err().contains("--out: ") && t.err().contains("is also the input"), t.err());
        assertArrayEquals(before, Files.readAllBytes(layer0));
        assertTrue(Files.readString(labels).startsWith("a\nb\nc\n"), "labels untouched");
    }

    @Test
    void synthNeverReplacesExistingFiles() throws IOException {
        Path out = dir.resolve("synth");
        assertEquals(0, run("synth", "--out", out.toString(), "--n", "30", "--layers", "3", "--dim", "4").code());
        byte[] before = Files.readAllBytes(out.resolve("embeddings.npy"));
        CliRun again = run("synth", "--out", out.toString(), "--n", "30", "--layers", "3", "--dim", "4", "--seed", "8");
        assertEquals(2, again.code(), again.out());
        assertTrue(again.err().startsWith("loes: error: --out: ") && again.err().contains("already holds"), again.err());
        assertArrayEquals(before, Files.readAllBytes(out.resolve("embeddings.npy")));
    }

    /**
     * Fault injection: synth in a child JVM killed with SIGKILL at seeded random moments; whatever the moment,
     * the next run leaves no temporary file behind and the directory ends up with the complete, correct output.
     */
    @Test
    void synthKilledAtRandomMomentsLeavesNoPartialOutput() throws Exception {
        String[] args = {"--n", "40000", "--layers", "8", "--dim", "64", "--seed", "3"};
        Path clean = dir.resolve("clean");
        assertEquals(0, run(concat(new String[] {"synth", "--out", clean.toString()}, args)).code());
        byte[] want = Files.readAllBytes(clean.resolve("embeddings.npy"));
        SplittableRandom rng = new SplittableRandom(11);
        for (int k = 0; k < 4; k++) {
            Path out = dir.resolve("killed" + k);
            List<String> cmd = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                    "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                    "org.loes4j.cli.Main", "synth", "--out", out.toString()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            Thread.sleep(300 + rng.nextInt(1500));
            p.destroyForcibly().waitFor();
            CliRun again = run(concat(new String[] {"synth", "--out", out.toString()}, args));
            assertTrue(again.code() == 0 || again.err().contains("already holds"), again.err());
            try (var files = Files.list(out)) {
                List<String> names = files.map(f -> f.getFileName().toString()).toList();
                assertTrue(names.stream().noneMatch(n -> n.endsWith(".tmp")), "left behind: " + names);
            }
            assertArrayEquals(want, Files.readAllBytes(out.resolve("embeddings.npy")), "kill " + k);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void carefulUsersAreWarned() throws IOException {
        Path labels = dir.resolve("labels.txt");
        Path layers = mixedWidthDirectory(labels);
        CliRun few = run("select", "--embeddings", layers.toString(), "--labels", labels.toString(), "--k", "2");
        assertEquals(0, few.code(), few.err());
        assertTrue(few.err().contains("loes: warning: the calibration split has 48 rows for layers up to width 20"),
                few.err());
        CliRun enough = run("select", "--embeddings", layers.toString(), "--labels", labels.toString(), "--k", "2",
                "--calibration-fraction", "1.0");
        assertTrue(!enough.err().contains("calibration split has"), enough.err());

        CliRun t = run("train", "--embeddings", layers.toString(), "--labels", labels.toString(), "--layers", "1",
                "--epochs", "2", "--val-fraction", "0.05", "--quiet", "--out", dir.resolve("m.safetensors").toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.err().contains("fewer than 5"), "12 validation rows over 3 classes: " + t.err());
    }
}
