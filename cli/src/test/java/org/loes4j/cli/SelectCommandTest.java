package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.linalg.io.Json;
import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyArray;
import org.loes4j.linalg.io.NpyDType;
import org.loes4j.linalg.io.NpyWriter;
import org.loes4j.linalg.io.Safetensors;

/** {@code loes synth} and {@code loes select} through {@link Main#run}: outputs, files, exit codes. */
class SelectCommandTest {
    @TempDir
    Path dir;

    Path emb;
    Path labels;


    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @BeforeEach
    void synth() {
        CliRun r = run("synth", "--out", dir.toString(), "--n", "90", "--layers", "5", "--dim", "8", "--classes", "3",
                "--seed", "3");
        assertEquals(0, r.code(), r.err());
        emb = dir.resolve("embeddings.npy");
        labels = dir.resolve("labels.npy");
        assertTrue(Files.exists(emb) && Files.exists(labels));
    }

    /** Asserts exit code 2, a one-line error naming {@code expected}, and no JSON file. */
    private void assertBadInput(CliRun r, String expected, Path json) {
        assertEquals(2, r.code(), r.out() + r.err());
        List<String> lines = r.err().lines().filter(l -> !l.startsWith("[loes]")).toList();
        assertEquals(1, lines.size(), "one line: " + r.err());
        assertTrue(lines.get(0).startsWith("loes: error: "), r.err());
        assertTrue(lines.get(0).contains(expected), "'" + expected + "' in: " + lines.get(0));
        assertFalse(Files.exists(json), "no output file on error");
        try (Stream<Path> s = Files.list(json.getParent())) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Path json() {
        return dir.resolve("out.json");
    }

    private CliRun select(String... extra) {
        String[] base = {"select", "--embeddings", emb.toString(), "--labels", labels.toString(), "--json",
                json().toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return run(all);
    }

    @Test
    void selectPrintsTheTableAndWritesTheJson() throws IOException {
        CliRun r = select("--k", "3", "--calibration-fraction", "1.0", "--diagnostics");
        assertEquals(0, r.code(), r.err());
        for (String s : List.of("layer", "fitLoss", "isotropy", "score0", "* 1", "step 0:", "step 2:", "selected: [",
                "diagnostics:", "pairwise redundancy")) {
            assertTrue(r.out().contains(s), "output lacks '" + s + "':\n" + r.out());
        }
        Map<String, Object> m = Json.parseObject(Files.readString(json()));
        assertEquals(3, ((List<?>) m.get("selected")).size());
        assertEquals(3, ((List<?>) m.get("stepScores")).size());
        assertEquals(5, ((List<?>) m.get("layers")).size());
        assertEquals(2, ((List<?>) m.get("steps")).size());
        Map<?, ?> prov = (Map<?, ?>) m.get("provenance");
        for (String key : List.of("loes4jVersion", "jdk", "backend", "threads", "seed", "hyperParameters", "inputs",
                "timings")) {
            assertTrue(prov.containsKey(key), "provenance has " + key);
        }
        assertTrue(prov.get("inputs").toString().contains("sha256:"), prov.get("inputs").toString());
    }

    @Test
    void aDirectoryOfPerLayerFilesGivesTheSameSelection() throws IOException {
        Path layers = Files.createDirectory(dir.resolve("layers"));
        try (NpyArray a = Npy.map(emb)) {
            int n = (int) a.dim(0);
            int d = (int) a.dim(2);
            for (int l = 0; l < a.layers(); l++) {
                // names sort wrongly as text ("layer10" < "layer2"); the number decides
                try (NpyWriter w = Npy.create(layers.resolve("layer" + (l * 5) + ".npy"), NpyDType.FLOAT32, n, d)) {
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < d; j++) {
                            w.setDouble((long) i * d + j, a.layer(l).getDouble(i, j));
                        }
                    }
                    w.commit();
                }
            }
        }
        CliRun file = select("--k", "3");
        CliRun fromDir = run("select", "--embeddings", layers.toString(), "--labels", labels.toString(), "--k", "3");
        assertEquals(0, fromDir.code(), fromDir.err());
        assertEquals(selectedLine(file.out()), selectedLine(fromDir.out()));
    }

    @Test
    void aSafetensorsFileWithOneTensorPerLayerGivesTheSameSelection() throws IOException {
        Path st = dir.resolve("layers.safetensors");
        Safetensors.Writer w = Safetensors.writer();
        try (NpyArray a = Npy.map(emb)) {
            // Added in reverse; "hidden.10" must still come after "hidden.5" (the number decides).
            for (int l = (int) a.layers() - 1; l >= 0; l--) {
                w.add("hidden." + (l * 5), a.layer(l).toFMatrix());
            }
        }
        w.write(st);
        CliRun file = select("--k", "3");
        CliRun fromSt = run("select", "--embeddings", st.toString(), "--labels", labels.toString(), "--k", "3");
        assertEquals(0, fromSt.code(), fromSt.err());
        assertEquals(selectedLine(file.out()), selectedLine(fromSt.out()));
    }

    private static String selectedLine(String out) {
        return out.lines().filter(l -> l.startsWith("selected:")).findFirst().orElseThrow();
    }

    @Test
    void textLabelsRegressionAndLabelFree() throws IOException {
        long[] y;
        try (NpyArray a = Npy.map(labels)) {
            y = a.toLongArray();
        }
        StringBuilder text = new StringBuilder();
        StringBuilder floats = new StringBuilder();
        for (long v : y) {
            text.append(v).append('\n');
            floats.append(v * 0.5 + 0.25).append('\n');
        }
        Path txt = Files.writeString(dir.resolve("labels.txt"), text);
        CliRun a = select("--k", "2");
        CliRun b = run("select", "--embeddings", emb.toString(), "--labels", txt.toString(), "--k", "2");
        assertEquals(0, b.code(), b.err());
        assertEquals(selectedLine(a.out()), selectedLine(b.out()));

        Path reg = Files.writeString(dir.resolve("targets.txt"), floats);
        CliRun c = run("select", "--embeddings", emb.toString(), "--labels", reg.toString(), "--task", "regression");
        assertEquals(0, c.code(), c.err());
        CliRun d = run("select", "--embeddings", emb.toString(), "--labels", reg.toString());
        assertEquals(2, d.code());
        assertTrue(d.err().contains("not an integer"), d.err());

        Path multi = dir.resolve("targets2.npy");
        try (NpyWriter w = Npy.create(multi, NpyDType.FLOAT64, y.length, 2)) {
            for (int i = 0; i < y.length; i++) {
                w.setDouble(2L * i, y[i] * 0.5);
                w.setDouble(2L * i + 1, -y[i] + 0.1 * i);
            }
            w.commit();
        }
        CliRun m = run("select", "--embeddings", emb.toString(), "--labels", multi.toString(), "--task", "regression",
                "--json", json().toString());
        assertEquals(0, m.code(), m.err());
        Map<String, Object> mj = Json.parseObject(Files.readString(json()));
        assertEquals(4, ((List<?>) mj.get("selected")).size());
        assertEquals(2L, ((Map<?, ?>) mj.get("provenance")).get("targetColumns"));

        CliRun e = run("select", "--embeddings", emb.toString(), "--task", "label-free", "--k", "3");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("label-free"), e.out());
    }

    @Test
    void everyBaselineRuns() throws IOException {
        for (String b : List.of("last", "last-k", "random", "entropy", "curvature", "intrinsic", "exhaustive")) {
            CliRun r = select("--k", "2", "--baseline", b);
            assertEquals(0, r.code(), b + ": " + r.err());
            Map<String, Object> m = Json.parseObject(Files.readString(json()));
            assertEquals(b, m.get("method"));
            assertEquals(b.equals("last") ? 1 : 2, ((List<?>) m.get("selected")).size(), b);
        }
        CliRun last = select("--baseline", "last");
        assertTrue(last.out().contains("selected: [4]"), last.out());
    }

    @Test
    void kLargerThanLIsClampedWithAWarning() {
        CliRun r = select("--k", "9");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning") && r.err().contains("using k = 5"), r.err());
    }

    @Test
    void layerSubsetsAreHonoured() {
        CliRun r = select("--k", "2", "--layers", "1-2,4");
        assertEquals(0, r.code(), r.err());
        String sel = selectedLine(r.out());
        assertFalse(sel.contains("0") || sel.contains("3"), sel);
    }

    @Test
    void badInputsEndWithExitCode2AndNoFile() throws IOException {
        assertBadInput(select("--k", "0"), "--k: 0", json());
        assertBadInput(select("--layers", "0-7"), "layer 5 does not exist", json());
        assertBadInput(run("select", "--embeddings", dir.resolve("missing.npy").toString(), "--labels",
                labels.toString(), "--json", json().toString()), "does not exist", json());

        Path truncated = dir.resolve("truncated.npy");
        byte[] bytes = Files.readAllBytes(emb);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertBadInput(run("select", "--embeddings", truncated.toString(), "--labels", labels.toString(), "--json",
                json().toString()), "truncated data", json());

        String header = new String(bytes, 0, 128, java.nio.charset.StandardCharsets.ISO_8859_1);
        Path fortran = dir.resolve("fortran.npy");
        Files.write(fortran, replace(bytes, header, header.replace("False", "True ")));
        assertBadInput(run("select", "--embeddings", fortran.toString(), "--labels", labels.toString(), "--json",
                json().toString()), "Fortran", json());
        Path f16 = dir.resolve("f16.npy");
        Files.write(f16, replace(bytes, header, header.replace("<f4", "<f2")));
        assertBadInput(run("select", "--embeddings", f16.toString(), "--labels", labels.toString(), "--json",
                json().toString()), "unsupported dtype '<f2'", json());

        Path nan = dir.resolve("nan.npy");
        Files.copy(emb, nan);
        try (NpyArray a = Npy.map(emb)) {
            long index = (17L * a.dim(1) + 3) * a.dim(2) + 6;
            byte[] b = Files.readAllBytes(nan);
            int off = (int) (bytes.length - a.data().byteSize() + 4 * index);
            int bits = Float.floatToRawIntBits(Float.NaN);
            b[off] = (byte) bits;
            b[off + 1] = (byte) (bits >>> 8);
            b[off + 2] = (byte) (bits >>> 16);
            b[off + 3] = (byte) (bits >>> 24);
            Files.write(nan, b);
        }
        assertBadInput(run("select", "--embeddings", nan.toString(), "--labels", labels.toString(), "--json",
                json().toString()), "NaN at layer 3, row 17, column 6", json());

        Path fewer = dir.resolve("fewer.npy");
        Npy.write(fewer, new long[] {0, 1, 2});
        assertBadInput(run("select", "--embeddings", emb.toString(), "--labels", fewer.toString(), "--json",
                json().toString()), "holds 3 labels, --embeddings has 90 rows", json());

        Path one = dir.resolve("one.npy");
        Npy.write(one, new long[90]);
        assertBadInput(run("select", "--embeddings", emb.toString(), "--labels", one.toString(), "--json",
                json().toString(), "--calibration-fraction", "1.0"), "only one class", json());

        Path single = dir.resolve("single.npy");
        try (NpyWriter w = Npy.create(single, NpyDType.FLOAT32, 1, 3, 4)) {
            w.commit();
        }
        Path singleLabel = dir.resolve("single-label.npy");
        Npy.write(singleLabel, new long[] {1});
        assertBadInput(run("select", "--embeddings", single.toString(), "--labels", singleLabel.toString(), "--json",
                json().toString()), "at least 2", json());
        assertBadInput(select("--task", "ranking"), "--task", json());
        assertBadInput(select("--triangle", "sampled:x"), "triangle", json());
        assertBadInput(select("--baseline", "oracle"), "baseline", json());
    }

    @Test
    void anAllConstantLayerIsAllowed() throws IOException {
        Path constant = dir.resolve("constant.npy");
        try (NpyArray a = Npy.map(emb);
             NpyWriter w = Npy.create(constant, NpyDType.FLOAT32, a.dim(0), a.dim(1), a.dim(2))) {
            for (long i = 0; i < a.size(); i++) {
                long layer = (i / a.dim(2)) % a.dim(1);
                w.setDouble(i, layer == 2 ? 1.5 : a.getDouble(i));
            }
            w.commit();
        }
        CliRun r = run("select", "--embeddings", constant.toString(), "--labels", labels.toString(), "--k", "5",
                "--diagnostics");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("selected: ["), r.out());
    }

    private static byte[] replace(byte[] all, String from, String to) {
        byte[] out = all.clone();
        byte[] t = to.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(from.length(), t.length, "header edit keeps the length");
        System.arraycopy(t, 0, out, 0, t.length);
        return out;
    }
}
