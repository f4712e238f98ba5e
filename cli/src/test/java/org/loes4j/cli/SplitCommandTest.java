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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.linalg.io.Json;
import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyArray;

/** {@code loes split}: stratified, grouped and plain splits; files, determinism, bad input; a workflow on the parts. */
class SplitCommandTest {
    @TempDir
    Path dir;


    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private Path synth() {
        Path d = dir.resolve("synth");
        assertEquals(0, run("synth", "--out", d.toString(), "--n", "300", "--layers", "4", "--dim", "8", "--classes", "3",
                "--seed", "2").code());
        return d;
    }

    @SuppressWarnings("unchecked")
    private static int[] rows(Map<String, Object> splitJson, String part) {
        List<Object> l = (List<Object>) ((Map<String, Object>) splitJson.get("rows")).get(part);
        return l.stream().mapToInt(o -> ((Number) o).intValue()).toArray();
    }

    @Test
    void stratifiedPartsAreDisjointCompleteBalancedAndCopiedExactly() throws IOException {
        Path d = synth();
        Path out = dir.resolve("parts");
        CliRun r = run("split", "--embeddings", d.resolve("embeddings.npy").toString(), "--labels",
                d.resolve("labels.npy").toString(), "--fractions", "0.6,0.2,0.2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Object> split = Json.parseObject(Files.readString(out.resolve("split.json")));
        assertEquals("stratified by class", split.get("mode"));
        Set<Integer> seen = new HashSet<>();
        int total = 0;
        try (NpyArray all = Npy.map(d.resolve("embeddings.npy")); NpyArray allY = Npy.map(d.resolve("labels.npy"))) {
            long[] y = allY.toLongArray();
            Map<Long, Integer> perClass = new HashMap<>();
            for (long v : y) {
                perClass.merge(v, 1, Integer::sum);
            }
            for (String part : List.of("train", "validation", "test")) {
                int[] ids = rows(split, part);
                total += ids.length;
                double share = part.equals("train") ? 0.6 : 0.2;
                try (NpyArray e = Npy.map(out.resolve(part).resolve("embeddings.npy"));
                     NpyArray py = Npy.map(out.resolve(part).resolve("labels.npy"))) {
                    assertArrayEquals(new long[] {ids.length, 4, 8}, e.shape());
                    long[] labels = py.toLongArray();
                    Map<Long, Integer> counts = new HashMap<>();
                    for (int i = 0; i < ids.length; i++) {
                        assertTrue(seen.add(ids[i]), "row " + ids[i] + " in two parts");
                        assertEquals(y[ids[i]], labels[i]);
                        counts.merge(labels[i], 1, Integer::sum);
                        for (int j = 0; j < 32; j++) {
                            assertEquals(all.getDouble((long) ids[i] * 32 + j), e.getDouble((long) i * 32 + j));
                        }
                    }
                    for (var c : perClass.entrySet()) {
                        assertEquals(share * c.getValue(), counts.getOrDefault(c.getKey(), 0), 1.0,
                                part + ", class " + c.getKey());
                    }
                }
                Map<String, Object> meta = Json.parseObject(Files.readString(out.resolve(part).resolve("meta.json")));
                assertEquals(part, ((Map<?, ?>) meta.get("split")).get("part"));
            }
        }
        assertEquals(300, total);
        assertTrue(((Map<?, ?>) split.get("provenance")).containsKey("inputs"));

        Path again = dir.resolve("again");
        assertEquals(0, run("split", "--embeddings", d.resolve("embeddings.npy").toString(), "--labels",
                d.resolve("labels.npy").toString(), "--fractions", "0.6,0.2,0.2", "--out", again.toString()).code());
        Map<String, Object> split2 = Json.parseObject(Files.readString(again.resolve("split.json")));
        assertArrayEquals(rows(split, "test"), rows(split2, "test"), "same seed, same split");
        Path other = dir.resolve("other");
        assertEquals(0, run("split", "--embeddings", d.resolve("embeddings.npy").toString(), "--labels",
                d.resolve("labels.npy").toString(), "--seed", "7", "--out", other.toString()).code());
        assertFalse(java.util.Arrays.equals(rows(split, "test"),
                rows(Json.parseObject(Files.readString(other.resolve("split.json"))), "test")));
    }

    @Test
    void groupsNeverStraddleTwoParts() throws IOException {
        Path d = synth();
        StringBuilder csv = new StringBuilder("text,speech\n");
        for (int i = 0; i < 300; i++) {
            csv.append("t").append(i).append(",s").append(i / 7).append('\n');
        }
        Path input = dir.resolve("input.csv");
        Files.writeString(input, csv);
        Files.writeString(d.resolve("meta.json"), Json.writePretty(Map.of("format", "loes4j-embeddings/1",
                "input", Map.of("file", input.toString()))));
        Path out = dir.resolve("grouped");
        CliRun r = run("split", "--embeddings", d.resolve("embeddings.npy").toString(), "--labels",
                d.resolve("labels.npy").toString(), "--group-column", "speech", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Object> split = Json.parseObject(Files.readString(out.resolve("split.json")));
        Map<Integer, String> partOfGroup = new HashMap<>();
        int total = 0;
        for (String part : List.of("train", "validation", "test")) {
            int[] ids = rows(split, part);
            total += ids.length;
            assertTrue(ids.length > 0, part);
            for (int id : ids) {
                String prev = partOfGroup.putIfAbsent(id / 7, part);
                assertTrue(prev == null || prev.equals(part), "group " + id / 7 + " in " + prev + " and " + part);
            }
        }
        assertEquals(300, total);
        assertTrue(rows(split, "train").length >= 0.7 * 300 && rows(split, "train").length <= 0.9 * 300);
    }

    @Test
    void thePartsFeedTrainAndEvaluateWithoutPython() throws IOException {
        Path d = synth();
        Path out = dir.resolve("parts");
        assertEquals(0, run("split", "--embeddings", d.resolve("embeddings.npy").toString(), "--labels",
                d.resolve("labels.npy").toString(), "--out", out.toString()).code());
        Path model = dir.resolve("m.safetensors");
        CliRun t = run("train", "--embeddings", out.resolve("train/embeddings.npy").toString(), "--labels",
                out.resolve("train/labels.npy").toString(), "--val-embeddings",
                out.resolve("validation/embeddings.npy").toString(), "--val-labels",
                out.resolve("validation/labels.npy").toString(), "--layers", "1,2", "--quiet", "--out", model.toString());
        assertEquals(0, t.code(), t.err());
        CliRun e = run("evaluate", "--model", model.toString(), "--embeddings", out.resolve("test/embeddings.npy").toString(),
                "--labels", out.resolve("test/labels.npy").toString(), "--json");
        assertEquals(0, e.code(), e.err());
    }

    @Test
    void badInputIsNamedAndLeavesNothing() throws IOException {
        Path d = synth();
        Path out = dir.resolve("bad");
        CliRun r = run("split", "--embeddings", d.resolve("embeddings.npy").toString(), "--fractions", "0.5,0.5",
                "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("loes: error: --fractions: "), r.err());
        r = run("split", "--embeddings", d.resolve("embeddings.npy").toString(), "--out", d.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--out: ") && r.err().contains("not empty"), r.err());
        r = run("split", "--embeddings", d.resolve("embeddings.npy").toString(), "--group-column", "x", "--out",
                out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--group-column"), r.err());
        assertFalse(Files.exists(out));
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".bad")), "no staging left");
        }
    }

    @Test
    void countsFollowTheSharesByLargestRemainder() {
        assertArrayEquals(new int[] {8, 1, 1}, SplitCommand.SplitRows.counts(10, new double[] {0.8, 0.1, 0.1}));
        assertArrayEquals(new int[] {2, 1, 0}, SplitCommand.SplitRows.counts(3, new double[] {0.7, 0.3, 0}));
        assertArrayEquals(new int[] {1, 0, 0}, SplitCommand.SplitRows.counts(1, new double[] {0.8, 0.1, 0.1}));
    }
}
