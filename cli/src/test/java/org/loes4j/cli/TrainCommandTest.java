package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.linalg.io.Json;
import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyArray;
import org.loes4j.linalg.io.NpyDType;
import org.loes4j.linalg.io.NpyWriter;
import org.loes4j.linalg.io.Safetensors;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.training.Predictions;
import org.loes4j.training.Probe;

/** train -> evaluate -> predict through {@link Main#run}, and the bad inputs of issue 4. */
class TrainCommandTest {
    private static final int N = 600;
    private static final int L = 5;
    private static final int D = 12;
    private static final int C = 3;

    @TempDir
    static Path dir;

    static Path train;
    static Path labels;
    static Path test;
    static Path testLabels;


    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** Class signal in layers 1 and 2 only; labels as text (names "neg", "neu", "pos"). */
    static void write(Path emb, Path lab, int n, long seed, double[][][] means) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        String[] names = {"neg", "neu", "pos"};
        StringBuilder sb = new StringBuilder();
        try (NpyWriter w = Npy.create(emb, NpyDType.FLOAT32, n, L, D)) {
            for (int i = 0; i < n; i++) {
                int y = rng.nextInt(C);
                sb.append(names[y]).append('\n');
                for (int l = 0; l < L; l++) {
                    for (int j = 0; j < D; j++) {
                        w.setDouble(((long) i * L + l) * D + j, means[l][y][j] + rng.nextDouble(-1, 1));
                    }
                }
            }
            w.commit();
        }
        Files.writeString(lab, sb);
    }

    @BeforeAll
    static void data() throws IOException {
        SplittableRandom rng = new SplittableRandom(5);
        double[][][] means = new double[L][C][D];
        for (int l : new int[] {1, 2}) {
            for (int c = 0; c < C; c++) {
                for (int j = 0; j < D; j++) {
                    means[l][c][j] = 0.8 * rng.nextDouble(-1, 1);
                }
            }
        }
        train = dir.resolve("train.npy");
        labels = dir.resolve("train.txt");
        test = dir.resolve("test.npy");
        testLabels = dir.resolve("test.txt");
        write(train, labels, N, 6, means);
        write(test, testLabels, 200, 7, means);
    }

    @Test
    void trainEvaluatePredictAndReloadInPlainJava() throws IOException {
        Path model = dir.resolve("model.safetensors");
        CliRun r = run("train", "--embeddings", train.toString(), "--labels", labels.toString(), "--layers", "2,1",
                "--epochs", "6", "--batch", "32", "--lr", "3e-3", "--geo-reg", "0.1", "--seed", "9", "--pooling", "cls",
                "--out", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("saved"), r.out());
        assertTrue(r.err().contains("epoch 6/6") && r.err().contains("ETA") && r.err().contains("val accuracy"), r.err());

        CliRun ev = run("evaluate", "--model", model.toString(), "--embeddings", test.toString(), "--labels",
                testLabels.toString(), "--json");
        assertEquals(0, ev.code(), ev.err());
        Map<String, Object> m = Json.parseObject(ev.out());
        double acc = ((Number) m.get("accuracy")).doubleValue();
        assertTrue(acc > 0.85, "accuracy " + acc);
        assertEquals(List.of("neg", "neu", "pos"), m.get("labels"));
        CliRun text = run("evaluate", "--model", model.toString(), "--embeddings", test.toString(), "--labels",
                testLabels.toString());
        assertTrue(text.out().contains("macro-F1") && text.out().contains("confusion"), text.out());

        Path csv = dir.resolve("pred.csv");
        CliRun pr = run("predict", "--model", model.toString(), "--embeddings", test.toString(), "--out", csv.toString());
        assertEquals(0, pr.code(), pr.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("index,label,p_neg,p_neu,p_pos", lines.getFirst());
        assertEquals(201, lines.size());

        // A plain Java user: load the file the CLI wrote and predict; identical to the CSV.
        Probe probe = Probe.load(model);
        try (LayeredEmbeddings a = LayeredEmbeddings.open(test)) {
            Predictions p = probe.predict(a);
            for (int i = 0; i < 200; i++) {
                String[] f = lines.get(i + 1).split(",");
                assertEquals(p.label(i), f[1]);
                for (int c = 0; c < C; c++) {
                    assertEquals(p.scores().get(i, c), Double.parseDouble(f[2 + c]), 0.0, "row " + i);
                }
            }
        }
        assertArrayEquals(new int[] {2, 1}, probe.layers());
        assertEquals("cls", probe.pooling());
        Map<String, String> inputs = probe.provenance().inputs();
        String digest = inputs.get("embeddings");
        assertTrue(digest.matches(".*train\\.npy sha256:[0-9a-f]{64}"), digest);
        assertTrue(inputs.get("labels").matches(".*train\\.txt sha256:[0-9a-f]{64}"), inputs.toString());
    }

    @Test
    void regressionTrainsAndEvaluatesInOriginalUnits() throws IOException {
        // Target: 100 + 20 * (first feature of layer 1) read from the training file itself.
        Path values = dir.resolve("values.txt");
        Path testValues = dir.resolve("testvalues.txt");
        for (Path[] pair : new Path[][] {{train, values}, {test, testValues}}) {
            StringBuilder sb = new StringBuilder();
            try (NpyArray a = Npy.map(pair[0])) {
                for (int i = 0; i < a.shape()[0]; i++) {
                    sb.append(100 + 20 * a.getDouble((long) i * L * D + D)).append('\n');
                }
            }
            Files.writeString(pair[1], sb);
        }
        Path model = dir.resolve("reg.safetensors");
        CliRun r = run("train", "--task", "regression", "--preset", "vision", "--embeddings", train.toString(),
                "--labels", values.toString(), "--layers", "1", "--epochs", "15", "--batch", "32", "--lr", "3e-3",
                "--quiet", "--out", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("validation rmse"), r.out());
        CliRun ev = run("evaluate", "--model", model.toString(), "--embeddings", test.toString(), "--labels",
                testValues.toString(), "--json");
        assertEquals(0, ev.code(), ev.err());
        Map<String, Object> m = Json.parseObject(ev.out());
        assertTrue(((Number) m.get("r2")).doubleValue() > 0.9, m.toString());
        Path csv = dir.resolve("reg.csv");
        assertEquals(0, run("predict", "--model", model.toString(), "--embeddings", test.toString(), "--out",
                csv.toString()).code());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("index,value", lines.getFirst());
        double first = Double.parseDouble(lines.get(1).split(",")[1]);
        assertTrue(first > 50 && first < 150, "prediction in target units: " + first);
    }

    @Test
    void selectionFileGivesTheLayers() throws IOException {
        Path sel = dir.resolve("sel.json");
        Files.writeString(sel, "{\"method\": \"loes\", \"selected\": [1, 2], \"pooling\": \"mean\"}");
        Path model = dir.resolve("fromsel.safetensors");
        CliRun r = run("train", "--embeddings", train.toString(), "--labels", labels.toString(), "--selection",
                sel.toString(), "--epochs", "1", "--val-fraction", "0", "--quiet", "--out", model.toString());
        assertEquals(0, r.code(), r.err());
        Probe p = Probe.load(model);
        assertArrayEquals(new int[] {1, 2}, p.layers());
        assertEquals("mean", p.pooling());
    }

    /** The per-layer safetensors form {@code loes select} reads works for training too. */
    @Test
    void perLayerSafetensorsEmbeddings() throws IOException {
        Path st = dir.resolve("train.safetensors");
        Safetensors.Writer w = Safetensors.writer();
        try (NpyArray a = Npy.map(train)) {
            for (int l = 0; l < L; l++) {
                w.add("layer_" + l, a.layer(l).toFMatrix());
            }
            w.write(st);
        }
        Path model = dir.resolve("st.safetensors");
        CliRun r = run("train", "--embeddings", st.toString(), "--labels", labels.toString(), "--layers", "1,2",
                "--epochs", "3", "--batch", "32", "--lr", "3e-3", "--quiet", "--out", model.toString());
        assertEquals(0, r.code(), r.err());
        CliRun ev = run("evaluate", "--model", model.toString(), "--embeddings", test.toString(), "--labels",
                testLabels.toString(), "--json");
        assertEquals(0, ev.code(), ev.err());
        assertTrue(((Number) Json.parseObject(ev.out()).get("accuracy")).doubleValue() > 0.8, ev.out());
    }

    private static void assertBadInput(CliRun r, Path mustNotExist, String... mentions) throws IOException {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("loes: error: "), r.err());
        for (String s : mentions) {
            assertTrue(r.err().contains(s), "'" + s + "' in " + r.err());
        }
        assertFalse(Files.exists(mustNotExist), mustNotExist + " must not exist");
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void outOfRangeOrRepeatedLayersAreBadInput() throws IOException {
        Path model = dir.resolve("bad1.safetensors");
        assertBadInput(run("train", "--embeddings", train.toString(), "--labels", labels.toString(), "--layers", "1,7",
                "--quiet", "--out", model.toString()), model, "7", "hidden state 7 is not among");
        assertBadInput(run("train", "--embeddings", train.toString(), "--labels", labels.toString(), "--layers", "1,1",
                "--quiet", "--out", model.toString()), model, "twice");
    }

    @Test
    void unseenLabelsAndWrongShapesAreBadInput() throws IOException {
        Path model = dir.resolve("small.safetensors");
        assertEquals(0, run("train", "--embeddings", train.toString(), "--labels", labels.toString(), "--layers", "1",
                "--epochs", "1", "--quiet", "--out", model.toString()).code());

        Path odd = dir.resolve("odd.txt");
        List<String> lines = Files.readAllLines(testLabels);
        lines.set(17, "angry");
        Files.write(odd, lines);
        CliRun r = run("evaluate", "--model", model.toString(), "--embeddings", test.toString(), "--labels", odd.toString());
        assertBadInput(r, dir.resolve("none"), "'angry'", "row 17");

        Path narrow = dir.resolve("narrow.npy");
        try (NpyWriter w = Npy.create(narrow, NpyDType.FLOAT32, 4, L, D - 1)) {
            w.commit();
        }
        Path csv = dir.resolve("never.csv");
        assertBadInput(run("predict", "--model", model.toString(), "--embeddings", narrow.toString(), "--out",
                csv.toString()), csv, "width 11", "width 12");

        Path fewer = dir.resolve("fewer.txt");
        Files.write(fewer, Files.readAllLines(testLabels).subList(0, 150));
        assertBadInput(run("evaluate", "--model", model.toString(), "--embeddings", test.toString(), "--labels",
                fewer.toString()), dir.resolve("none"), "holds 150 labels, --embeddings has 200 rows");
    }

    @Test
    void nonFiniteEmbeddingsAreBadInputBeforeTraining() throws IOException {
        Path nan = dir.resolve("nan.npy");
        try (NpyWriter w = Npy.create(nan, NpyDType.FLOAT32, 64, L, D)) {
            for (long i = 0; i < 64L * L * D; i++) {
                w.setDouble(i, i % 7 == 0 ? Double.NaN : 0.5);
            }
            w.commit();
        }
        Path lab = dir.resolve("nan.txt");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            sb.append(i % 3).append('\n');
        }
        Files.writeString(lab, sb);
        Path model = dir.resolve("nan.safetensors");
        assertBadInput(run("train", "--embeddings", nan.toString(), "--labels", lab.toString(), "--layers", "0",
                "--quiet", "--out", model.toString()), model, "NaN at layer 0, row 0, column 0");
    }

    @Test
    void aDivergingRunIsBadInputWithEpochAndStep() throws IOException {
        Path model = dir.resolve("diverged.safetensors");
        assertBadInput(run("train", "--embeddings", train.toString(), "--labels", labels.toString(), "--layers", "0",
                "--lr", "1e300", "--val-fraction", "0", "--quiet", "--out", model.toString()), model,
                "non-finite loss", "epoch ");
    }

    @Test
    void missingFilesAreBadInput() throws IOException {
        Path model = dir.resolve("missing.safetensors");
        assertBadInput(run("train", "--embeddings", dir.resolve("nope.npy").toString(), "--labels", labels.toString(),
                "--layers", "1", "--quiet", "--out", model.toString()), model, "nope.npy");
        assertBadInput(run("evaluate", "--model", dir.resolve("nope.safetensors").toString(), "--embeddings",
                test.toString(), "--labels", testLabels.toString()), model, "nope.safetensors");
    }
}
