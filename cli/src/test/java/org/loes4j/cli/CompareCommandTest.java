package org.loes4j.cli;

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

/**
 * The "done when" of issue 4 on a synthetic encoder: class signal in the intermediate layers 1 and 2 of
 * 5; layers 0, 3 and 4 carry no label information and, like late transformer layers, are anisotropic
 * (one dominant direction). LOES-2 must beat Last clearly with p < 0.05 over 5 seeds.
 */
class CompareCommandTest {
    private static final int L = 5;
    private static final int D = 10;
    private static final int C = 4;

    @TempDir
    Path dir;

    private static void write(Path emb, Path lab, int n, long seed, double[][][] means, double[] dominant)
            throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        try (NpyWriter w = Npy.create(emb, NpyDType.FLOAT32, n, L, D)) {
            for (int i = 0; i < n; i++) {
                int y = rng.nextInt(C);
                sb.append(y).append('\n');
                for (int l = 0; l < L; l++) {
                    boolean informative = l == 1 || l == 2;
                    double z = 6 * rng.nextDouble(-1, 1);
                    for (int j = 0; j < D; j++) {
                        double v = informative ? means[l][y][j] + rng.nextDouble(-1, 1)
                                : z * dominant[j] + 0.3 * rng.nextDouble(-1, 1);
                        w.setDouble(((long) i * L + l) * D + j, v);
                    }
                }
            }
            w.commit();
        }
        Files.writeString(lab, sb);
    }

    @Test
    void loesBeatsLastWithASignificantPairedTest() throws IOException {
        SplittableRandom rng = new SplittableRandom(2);
        double[][][] means = new double[L][C][D];
        for (int l : new int[] {1, 2}) {
            for (int c = 0; c < C; c++) {
                for (int j = 0; j < D; j++) {
                    means[l][c][j] = 0.7 * rng.nextDouble(-1, 1);
                }
            }
        }
        double[] dominant = new double[D];
        for (int j = 0; j < D; j++) {
            dominant[j] = rng.nextDouble(-1, 1);
        }
        Path train = dir.resolve("train.npy");
        Path trainY = dir.resolve("train.txt");
        Path test = dir.resolve("test.npy");
        Path testY = dir.resolve("test.txt");
        write(train, trainY, 500, 3, means, dominant);
        write(test, testY, 200, 4, means, dominant);
        String prefix = dir.resolve("cmp").toString();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"compare", "--train-embeddings", train.toString(), "--train-labels",
                trainY.toString(), "--test-embeddings", test.toString(), "--test-labels", testY.toString(), "--k", "2",
                "--seeds", "5", "--methods", "last,loes,random", "--epochs", "4", "--batch", "32", "--lr", "3e-3",
                "--out", prefix}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("p vs last"), out.toString());

        Map<String, Object> doc = Json.parseObject(Files.readString(Path.of(prefix + ".json")));
        List<?> summary = (List<?>) doc.get("summary");
        Map<?, ?> last = (Map<?, ?>) summary.get(0);
        Map<?, ?> loes = (Map<?, ?>) summary.get(1);
        assertEquals("last", last.get("method"));
        assertEquals("loes", loes.get("method"));
        double lastAcc = ((Number) last.get("accuracyMean")).doubleValue();
        double loesAcc = ((Number) loes.get("accuracyMean")).doubleValue();
        assertTrue(loesAcc > lastAcc + 0.3, "loes " + loesAcc + " vs last " + lastAcc);
        assertTrue(((Number) loes.get("pVsBaseline")).doubleValue() < 0.05, loes.toString());
        assertTrue(((Number) loes.get("effectSizeVsBaseline")).doubleValue() > 1, loes.toString());
        List<?> ci = (List<?>) loes.get("accuracyCi95");
        assertTrue(((Number) ci.get(0)).doubleValue() < loesAcc && loesAcc < ((Number) ci.get(1)).doubleValue(), ci.toString());
        assertTrue(((Number) loes.get("macroF1Mean")).doubleValue() > 0.5, loes.toString());
        Map<?, ?> anova = (Map<?, ?>) doc.get("anova");
        assertEquals(2L, anova.get("dfBetween"));
        assertEquals(12L, anova.get("dfWithin"));
        assertTrue(((Number) anova.get("p")).doubleValue() < 0.05, anova.toString());
        assertTrue(out.toString().contains("one-way ANOVA of accuracy across 3 methods"), out.toString());
        for (Object layers : (List<?>) loes.get("layersPerSeed")) {
            assertEquals(List.of(1L, 2L), ((List<?>) layers).stream().sorted().toList(), "LOES finds layers 1 and 2");
        }
        List<String> csv = Files.readAllLines(Path.of(prefix + ".csv"));
        assertEquals("method,seed,layers,selection_seconds,train_seconds,accuracy,macro_f1", csv.getFirst());
        assertEquals(1 + 3 * 5, csv.size());
        assertTrue(((Map<?, ?>) doc.get("provenance")).containsKey("jdk"));
    }

    @Test
    void unknownMethodIsBadInput() {
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"compare", "--train-embeddings", "a.npy", "--train-labels", "a.txt",
                "--test-embeddings", "b.npy", "--test-labels", "b.txt", "--methods", "last,magic"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(2, code);
        assertTrue(err.toString().contains("'magic'"), err.toString());
    }

    @Test
    void aMethodNamedTwiceIsBadInput() {
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"compare", "--train-embeddings", "a.npy", "--train-labels", "a.txt",
                "--test-embeddings", "b.npy", "--test-labels", "b.txt", "--methods", "last,last"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().startsWith("loes: error: --methods: ") && err.toString().contains("twice"), err.toString());
    }
}
