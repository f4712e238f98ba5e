package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.linalg.io.Json;
import org.loes4j.selection.probe.LayerProbe;

/** {@code loes probe} through {@link Main#run}: table, JSON with provenance, and exit 2 naming the option. */
class ProbeCommandTest {
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
    }

    private Path json() {
        return dir.resolve("probe.json");
    }

    private CliRun probe(Path y, String... extra) {
        List<String> args = new ArrayList<>(List.of("probe", "--embeddings", emb.toString(), "--labels", y.toString(),
                "--json", json().toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    /** Asserts exit code 2, one error line naming every one of {@code expected}, and no JSON or temporary file. */
    private void assertBadInput(CliRun r, String... expected) throws IOException {
        assertEquals(2, r.code(), r.out() + r.err());
        List<String> lines = r.err().lines().filter(l -> !l.startsWith("[loes]")).toList();
        assertEquals(1, lines.size(), "one line: " + r.err());
        assertTrue(lines.get(0).startsWith("loes: error: "), r.err());
        for (String s : expected) {
            assertTrue(lines.get(0).contains(s), "'" + s + "' in: " + lines.get(0));
        }
        assertFalse(Files.exists(json()), "no output file on error");
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void probePrintsTheTableMarksTheBestLayerAndWritesTheJson() throws IOException {
        CliRun r = probe(labels, "--subsets", "1,2;3-4");
        assertEquals(0, r.code(), r.err());
        for (String s : List.of("loes probe: classification, 5 layers, N = 90", "5-fold stratified CV (seed 42)",
                "17 lambdas 1.0e-04..1.0e+04", "accuracy mean +- std", "macro-F1", "* best", "subsets", "1+2",
                "best: layer ", "over 5 folds", "wrote ")) {
            assertTrue(r.out().contains(s), "output lacks '" + s + "':\n" + r.out());
        }
        Map<String, Object> m = Json.parseObject(Files.readString(json()));
        List<?> layers = (List<?>) m.get("layers");
        assertEquals(5, layers.size());
        int argmax = -1;
        double max = Double.NEGATIVE_INFINITY;
        for (Object o : layers) {
            Map<?, ?> l = (Map<?, ?>) o;
            double s = ((Number) l.get("score")).doubleValue();
            if (s > max + 1e-12) {
                max = s;
                argmax = ((Number) l.get("layer")).intValue();
            }
        }
        Map<?, ?> best = (Map<?, ?>) m.get("best");
        assertEquals(argmax, ((Number) best.get("layer")).intValue());
        assertTrue(r.out().contains("best: layer " + argmax + ","), r.out());
        assertEquals(2, ((List<?>) m.get("subsets")).size());
        assertEquals(List.of(3L, 4L), ((Map<?, ?>) ((List<?>) m.get("subsets")).get(1)).get("layers"));
        Map<?, ?> prov = (Map<?, ?>) m.get("provenance");
        assertEquals("probe", prov.get("method"));
        for (String key : List.of("loes4jVersion", "jdk", "backend", "threads", "seed", "hyperParameters", "inputs",
                "timings", "layerNumbering")) {
            assertTrue(prov.containsKey(key), "provenance has " + key);
        }
        assertTrue(prov.get("inputs").toString().contains("sha256:"), prov.get("inputs").toString());
        assertTrue(prov.get("inputs").toString().contains("labels"), prov.get("inputs").toString());
    }

    @Test
    void regressionScoresRSquaredAndHonoursLayersFoldsAndLambdas() throws IOException {
        Path y = dir.resolve("targets.txt");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 90; i++) {
            b.append(Math.sin(i) * 3 + i * 0.01).append('\n');
        }
        Files.writeString(y, b);
        CliRun r = probe(y, "--task", "regression", "--layers", "1-3", "--folds", "3", "--lambdas", "0.1,10,1000",
                "--seed", "7");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("R^2 mean +- std") && r.out().contains("3-fold plain CV (seed 7)"), r.out());
        Map<String, Object> m = Json.parseObject(Files.readString(json()));
        assertEquals("r2", m.get("score"));
        assertEquals(3, ((List<?>) m.get("layers")).size());
        assertEquals(List.of(0.1, 10.0, 1000.0), m.get("lambdas"));
        assertEquals(7L, m.get("seed"));
    }

    @Test
    void badInputsExitTwoNamingTheOption() throws IOException {
        Path one = dir.resolve("one.txt");
        Files.writeString(one, "a\n".repeat(90));
        assertBadInput(probe(one), "--labels", "only one class ('a')");

        Path rare = dir.resolve("rare.txt");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 90; i++) {
            b.append(i < 3 ? "rare" : i % 2 == 0 ? "x" : "y").append('\n');
        }
        Files.writeString(rare, b);
        assertBadInput(probe(rare), "--folds", "'rare'", "3 rows");
        assertEquals(0, probe(rare, "--folds", "3").code());
        Files.delete(json());

        for (String bad : List.of("1e-4:1e4", "a,b", "1e4:1e-4:5", "-1,2", "1e-4:1e4:0", "", "1:2:x")) {
            assertBadInput(probe(labels, "--lambdas", bad), "--lambdas");
        }
        assertBadInput(probe(labels, "--folds", "1"), "--folds: 1 must be >= 2");
        assertBadInput(probe(labels, "--folds", "91"), "--folds");
        assertBadInput(probe(labels, "--subsets", "1,9"), "--subsets", "layer 9 does not exist");
        assertBadInput(probe(labels, "--layers", "0-2", "--subsets", "2,3"), "--subsets", "layer 3 is not among --layers");
        assertBadInput(probe(labels, "--subsets", "1;;2"), "--subsets", "empty subset");
        assertBadInput(probe(labels, "--task", "label-free"), "--task");
        assertBadInput(run("probe", "--embeddings", emb.toString(), "--labels", labels.toString(), "--json",
                labels.toString()), "--json", "is also the input");
    }

    @Test
    void everyOptionShowsItsDefaultInTheHelp() {
        CliRun r = run("probe", "--help");
        assertEquals(0, r.code(), r.err());
        for (String s : List.of("(default classification)", "(default all)", "(default none)",
                "(default " + LayerProbe.DEFAULT_FOLDS + ")", "(default " + LayerProbe.DEFAULT_SEED + ")",
                "(default 1e-4:1e4:" + LayerProbe.DEFAULT_LAMBDA_POINTS + ")", "(default: none, print only)")) {
            assertTrue(r.out().replaceAll("\\s+", " ").contains(s), "help lacks '" + s + "':\n" + r.out());
        }
    }
}
