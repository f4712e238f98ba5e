package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Task;
import org.loes4j.linalg.io.Json;
import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyArray;
import org.loes4j.training.Predictions;
import org.loes4j.training.Probe;
import org.loes4j.training.ProbeType;
import org.loes4j.training.RidgeConfig;
import org.loes4j.training.RidgeTrainer;

/** {@code train --probe ridge} then {@code evaluate}, {@code predict} and {@code compare}'s ridge methods, through {@link Main#run}. */
class RidgeTrainCommandTest {
    private static final int L = 5;
    private static final int D = 12;
    private static final int C = 3;

    @TempDir
    static Path dir;

    static Path train;
    static Path labels;
    static Path test;
    static Path testLabels;

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
        TrainCommandTest.write(train, labels, 600, 6, means);
        TrainCommandTest.write(test, testLabels, 200, 7, means);
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void trainRidgeThenEvaluateAndPredict() throws IOException {
        Path model = dir.resolve("ridge.safetensors");
        CliRun r = run("train", "--probe", "ridge", "--embeddings", train.toString(), "--labels",
                labels.toString(), "--layers", "2,1", "--folds", "4", "--lambdas", "1e-2:1e4:13", "--seed", "9",
                "--pooling", "cls", "--val-embeddings", test.toString(), "--val-labels", testLabels.toString(),
                "--out", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ridge probe on layers [2, 1]") && r.out().contains("4-fold CV accuracy")
                && r.out().contains("validation accuracy"), r.out());

        CliRun ev = run("evaluate", "--model", model.toString(), "--embeddings", test.toString(),
                "--labels", testLabels.toString(), "--json");
        assertEquals(0, ev.code(), ev.err());
        Map<String, Object> m = Json.parseObject(ev.out());
        assertEquals("ridge", m.get("probeType"));
        assertTrue(((Number) m.get("accuracy")).doubleValue() > 0.85, m.toString());

        Path csv = dir.resolve("ridge.csv");
        CliRun pr = run("predict", "--model", model.toString(), "--embeddings", test.toString(),
                "--out", csv.toString());
        assertEquals(0, pr.code(), pr.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("index,label,score_neg,score_neu,score_pos", lines.getFirst(), "least-squares scores, not p_");
        assertEquals(201, lines.size());

        Probe probe = Probe.load(model);
        assertEquals(ProbeType.RIDGE, probe.type());
        assertArrayEquals(new int[] {2, 1}, probe.layers());
        assertEquals("cls", probe.pooling());
        assertEquals(9L, probe.provenance().seed());
        assertEquals(4L, ((Number) probe.hyperParameters().get("folds")).longValue());
        assertTrue(probe.provenance().inputs().get("embeddings").matches(".*train\\.npy sha256:[0-9a-f]{64}"),
                probe.provenance().inputs().toString());
        try (LayeredEmbeddings a = LayeredEmbeddings.open(test)) {
            Predictions p = probe.predict(a);
            assertFalse(p.probabilities());
            for (int i = 0; i < 200; i++) {
                String[] f = lines.get(i + 1).split(",");
                assertEquals(p.label(i), f[1]);
                for (int c = 0; c < C; c++) {
                    assertEquals(p.scores().get(i, c), Double.parseDouble(f[2 + c]), 0.0, "row " + i);
                }
            }
        }
    }

    @Test
    void ridgeRegressionInTargetUnits() throws IOException {
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
        Path model = dir.resolve("ridge-reg.safetensors");
        CliRun r = run("train", "--probe", "ridge", "--task", "regression", "--embeddings",
                train.toString(), "--labels", values.toString(), "--layers", "1,3", "--out", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("5-fold CV R^2"), r.out());
        CliRun ev = run("evaluate", "--model", model.toString(), "--embeddings", test.toString(),
                "--labels", testValues.toString(), "--json");
        assertEquals(0, ev.code(), ev.err());
        assertTrue(((Number) Json.parseObject(ev.out()).get("r2")).doubleValue() > 0.99, ev.out());
        Path csv = dir.resolve("ridge-reg.csv");
        assertEquals(0, run("predict", "--model", model.toString(), "--embeddings", test.toString(), "--out",
                csv.toString()).code());
        assertEquals("index,value", Files.readAllLines(csv).getFirst());
    }

    @Test
    void withoutProbeItIsRidgeUnlessAnAdapterOptionIsGiven() throws IOException {
        Path model = dir.resolve("default.safetensors");
        CliRun r = run("train", "--embeddings", train.toString(), "--labels", labels.toString(),
                "--layers", "1", "--out", model.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(ProbeType.RIDGE, Probe.load(model).type());
        Path adapter = dir.resolve("adapter.safetensors");
        r = run("train", "--embeddings", train.toString(), "--labels", labels.toString(), "--layers", "1", "--epochs",
                "2", "--quiet", "--out", adapter.toString());
        assertEquals(0, r.code(), r.err());
        Probe p = Probe.load(adapter);
        assertEquals(ProbeType.ADAPTER, p.type());
        assertEquals("default", p.hyperParameters().get("preset"));
        assertEquals(20L, p.hyperParameters().get("patience"));
        Path text = dir.resolve("text.safetensors");
        r = run("train", "--embeddings", train.toString(), "--labels", labels.toString(), "--layers", "1", "--preset",
                "text", "--quiet", "--out", text.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("of 15,"), "the paper's preset keeps its 15 epochs: " + r.out());
        assertEquals(0L, Probe.load(text).hyperParameters().get("patience"));
    }

    @Test
    void optionsOfTheOtherProbeAreBadInputNamingTheOption() {
        Path model = dir.resolve("never.safetensors");
        for (String[] extra : new String[][] {{"--epochs", "3"}, {"--patience", "2"}, {"--val-fraction", "0.2"},
                {"--geo-reg", "0.1"}, {"--preset", "text"}}) {
            CliRun r = run("train", "--probe", "ridge", "--embeddings", train.toString(), "--labels",
                    labels.toString(), "--layers", "1", extra[0], extra[1], "--out", model.toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().startsWith("loes: error: " + extra[0] + ": applies to --probe adapter"), r.err());
        }
        for (String[] extra : new String[][] {{"--folds", "3"}, {"--lambdas", "1,2"}}) {
            CliRun r = run("train", "--probe", "adapter", "--embeddings", train.toString(), "--labels",
                    labels.toString(), "--layers", "1", extra[0], extra[1], "--out", model.toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().startsWith("loes: error: " + extra[0] + ": applies to --probe ridge"), r.err());
        }
        CliRun r = run("train", "--probe", "lasso", "--embeddings", train.toString(), "--labels",
                labels.toString(), "--layers", "1", "--out", model.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("loes: error: --probe: 'lasso' is not one of adapter, ridge"), r.err());
        r = run("train", "--probe", "ridge", "--folds", "700", "--embeddings", train.toString(), "--labels",
                labels.toString(), "--layers", "1", "--out", model.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("loes: error: --folds: 700 folds"), r.err());
        r = run("train", "--probe", "ridge", "--lambdas", "0,1", "--embeddings", train.toString(), "--labels",
                labels.toString(), "--layers", "1", "--out", model.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("loes: error: --lambdas: "), r.err());
        assertFalse(Files.exists(model));
    }

    @Test
    void compareMeasuresLayersWithARidgeBesideAdapters() throws IOException {
        String prefix = dir.resolve("cmp").toString();
        CliRun r = run("compare", "--train-embeddings", train.toString(), "--train-labels",
                labels.toString(), "--test-embeddings", test.toString(), "--test-labels", testLabels.toString(), "--k",
                "2", "--seeds", "3", "--methods", "last,loes,loes+ridge,last+ridge", "--epochs", "3", "--batch", "64",
                "--out", prefix);
        assertEquals(0, r.code(), r.err());
        Map<String, Object> doc = Json.parseObject(Files.readString(Path.of(prefix + ".json")));
        List<?> summary = (List<?>) doc.get("summary");
        Map<?, ?> loes = (Map<?, ?>) summary.get(1);
        Map<?, ?> loesRidge = (Map<?, ?>) summary.get(2);
        Map<?, ?> lastRidge = (Map<?, ?>) summary.get(3);
        assertEquals("loes+ridge", loesRidge.get("method"));
        assertEquals(loes.get("layersPerSeed").toString(), loesRidge.get("layersPerSeed").toString(),
                "loes+ridge reads loes's layers");
        for (Object layers : (List<?>) lastRidge.get("layersPerSeed")) {
            assertEquals(List.of(4L), layers);
        }
        // Each run's ridge is RidgeTrainer's on every training row with the run's seed, scored on the test set.
        List<String> csv = Files.readAllLines(Path.of(prefix + ".csv"));
        int checked = 0;
        try (LayeredEmbeddings tr = LayeredEmbeddings.open(train); LayeredEmbeddings te = LayeredEmbeddings.open(test)) {
            Labels y = Labels.read(labels, Task.CLASSIFICATION);
            Labels testY = Labels.classification(Labels.read(testLabels, Task.CLASSIFICATION).labels(), y.names());
            for (String line : csv.subList(1, csv.size())) {
                String[] f = line.split(",");
                if (!f[0].endsWith("+ridge")) {
                    continue;
                }
                int[] layers = java.util.Arrays.stream(f[2].split(" ")).mapToInt(Integer::parseInt).toArray();
                Probe p = new RidgeTrainer(RidgeConfig.defaults().withSeed(Long.parseLong(f[1])))
                        .train(tr, y, layers, "unknown").probe();
                assertEquals(p.evaluateClassification(te, testY).accuracy(), Double.parseDouble(f[5]), 0.0, line);
                checked++;
            }
        }
        assertEquals(6, checked);
        assertTrue(((Map<?, ?>) doc.get("settings")).containsKey("ridge"), doc.get("settings").toString());
        assertTrue(r.out().contains("loes+ridge"), r.out());

        CliRun bad = run("compare", "--train-embeddings", train.toString(), "--train-labels",
                labels.toString(), "--test-embeddings", test.toString(), "--test-labels", testLabels.toString(),
                "--methods", "last,learnable+ridge");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().startsWith("loes: error: --methods: 'learnable+ridge'"), bad.err());
        bad = run("compare", "--train-embeddings", train.toString(), "--train-labels", labels.toString(),
                "--test-embeddings", test.toString(), "--test-labels", testLabels.toString(), "--methods",
                "last,magic+ridge");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("'magic+ridge'"), bad.err());
    }
}
