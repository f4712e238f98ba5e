package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.encoders.Pooling;
import org.loes4j.encoders.TextEncoder;
import org.loes4j.linalg.io.Json;
import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyArray;
import org.loes4j.linalg.io.NpyDType;

/** {@code loes extract} through {@link Main#run} on the real MiniLM model: files, values, bad input. */
class ExtractCommandTest {
    /** Same texts, same model, same batching: the CLI's floats equal the library's up to reordering noise. */
    private static final double SAME_RUN_TOL = 1e-5;

    @TempDir
    Path dir;


    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static final List<String> TEXTS = List.of(
            "The Congress shall have power to lay and collect taxes.",
            "We hold these truths to be self-evident, that all men are created equal.",
            "Ask not what your country can do for you.",
            "The only thing we have to fear is fear itself.",
            "Café prices rose 12% in 1999; \"a record\", said the report.",
            "A house divided against itself cannot stand.");

    private Path csv() throws Exception {
        StringBuilder sb = new StringBuilder("id,text,era\n");
        String[] eras = {"founding", "founding", "modern", "modern", "modern", "civil war"};
        for (int i = 0; i < TEXTS.size(); i++) {
            sb.append(i).append(",\"").append(TEXTS.get(i).replace("\"", "\"\"")).append("\",").append(eras[i]).append('\n');
        }
        Path f = dir.resolve("data.csv");
        Files.writeString(f, sb.toString());
        return f;
    }

    @Test
    void writesEveryLayerLabelsAndMeta() throws Exception {
        Path out = dir.resolve("emb");
        CliRun r = run("extract", "--model", "all-MiniLM-L6-v2", "--input", csv().toString(), "--text-column", "text",
                "--label-column", "era", "--pooling", "mean", "--max-length", "12", "--batch", "4", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        try (NpyArray emb = Npy.map(out.resolve("embeddings.npy")); NpyArray labels = Npy.map(out.resolve("labels.npy"))) {
            assertEquals(NpyDType.FLOAT32, emb.dtype());
            assertArrayEquals(new long[] {6, 7, 384}, emb.shape());
            // Class names numbered in sorted order: civil war 0, founding 1, modern 2.
            assertArrayEquals(new long[] {1, 1, 2, 2, 2, 0}, labels.toLongArray());
            TextEncoder enc = TextEncoder.load("all-MiniLM-L6-v2");
            TextEncoder.Result expected = enc.encode(TEXTS, new TextEncoder.Options(EnumSet.of(Pooling.MEAN), 12, 4));
            float[] e = expected.flat(Pooling.MEAN).data();
            for (int i = 0; i < e.length; i++) {
                assertEquals(e[i], emb.getDouble(i), SAME_RUN_TOL, "element " + i);
            }
        }
        Map<String, Object> meta = Json.parseObject(Files.readString(out.resolve("meta.json")));
        assertEquals("mean", meta.get("pooling"));
        @SuppressWarnings("unchecked")
        Map<String, Object> layers = (Map<String, Object>) meta.get("layers");
        assertEquals(7L, layers.get("count"));
        assertEquals("embeddings", ((List<?>) layers.get("names")).get(0));
        assertEquals(java.util.Arrays.asList(null, 0L, 1L, 2L, 3L, 4L, 5L), layers.get("paperLayer"));
        @SuppressWarnings("unchecked")
        Map<String, Object> tok = (Map<String, Object>) meta.get("tokenizer");
        assertTrue((Long) tok.get("truncated_rows") >= 1, "the long rows are counted: " + tok);
        @SuppressWarnings("unchecked")
        Map<String, Object> input = (Map<String, Object>) meta.get("input");
        assertEquals(List.of("civil war", "founding", "modern"), input.get("labelClasses"));
        assertTrue(r.err().contains("truncated"), r.err());
        try (var s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".")).toList(),
                    "no staging directory left");
        }
    }

    @Test
    void readsJsonLinesAndClsPooling() throws Exception {
        Path f = dir.resolve("data.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            sb.append(Json.write(Map.of("body", TEXTS.get(i), "year", 1790 + i))).append('\n');
        }
        Files.writeString(f, sb.toString());
        Path out = dir.resolve("emb");
        CliRun r = run("extract", "--model", "all-MiniLM-L6-v2", "--input", f.toString(), "--text-column", "body",
                "--label-column", "year", "--pooling", "cls", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        try (NpyArray labels = Npy.map(out.resolve("labels.npy"))) {
            assertArrayEquals(new long[] {1790, 1791, 1792}, labels.toLongArray());
        }
    }

    @Test
    void resumesFromTheLastFinishedChunk() throws Exception {
        Path data = csv();
        Path out = dir.resolve("emb");
        Path partial = dir.resolve(".emb.partial");
        String[] common = {"extract", "--model", "all-MiniLM-L6-v2", "--input", data.toString(), "--max-length", "16",
                "--chunk-rows", "2", "--resume", "--out", out.toString()};
        CliRun first = run(concat(common, "--max-chunks", "2"));
        assertEquals(0, first.code(), first.err());
        assertTrue(first.err().contains("rerun with --resume"), first.err());
        assertFalse(Files.exists(out), "no output before the last chunk");
        assertTrue(Files.exists(partial.resolve("chunk-000001.f32")));
        assertFalse(Files.exists(partial.resolve("chunk-000002.f32")));

        CliRun other = run("extract", "--model", "all-MiniLM-L6-v2", "--input", data.toString(), "--max-length", "20",
                "--chunk-rows", "2", "--resume", "--out", out.toString());
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("other settings"), other.err());
        assertTrue(Files.exists(partial.resolve("chunk-000001.f32")), "a mismatch keeps the partial work");

        CliRun second = run(common);
        assertEquals(0, second.code(), second.err());
        assertTrue(second.err().contains("resuming: 2 of 3 chunks already finished"), second.err());
        assertFalse(Files.exists(partial), "staging removed after success");
        Path fresh = dir.resolve("fresh");
        assertEquals(0, run("extract", "--model", "all-MiniLM-L6-v2", "--input", data.toString(), "--max-length", "16",
                "--chunk-rows", "2", "--out", fresh.toString()).code());
        assertEquals(-1L, Files.mismatch(fresh.resolve("embeddings.npy"), out.resolve("embeddings.npy")),
                "a resumed run gives the uninterrupted run's bytes");
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private void assertBadInput(CliRun r, String expected, Path out) {
        assertEquals(2, r.code(), r.out() + r.err());
        List<String> lines = r.err().lines().filter(l -> l.startsWith("loes: error")).toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).contains(expected), "'" + expected + "' in: " + lines.get(0));
        assertFalse(Files.exists(out), "no output on error");
    }

    @Test
    void badInputExitsWithTwoAndWritesNothing() throws Exception {
        Path out = dir.resolve("emb");
        Path data = csv();
        assertBadInput(run("extract", "--model", "all-MiniLM-L6-v2", "--input", data.toString(), "--text-column", "body",
                "--out", out.toString()), "no column 'body'", out);

        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "text,label\nfine,1\n   ,2\n");
        assertBadInput(run("extract", "--model", "all-MiniLM-L6-v2", "--input", empty.toString(), "--out", out.toString()),
                "row 2: empty text", out);

        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, "text\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertBadInput(run("extract", "--model", "all-MiniLM-L6-v2", "--input", latin1.toString(), "--out", out.toString()),
                "not valid UTF-8", out);

        Path notOnnx = dir.resolve("model");
        Files.createDirectories(notOnnx);
        Files.writeString(notOnnx.resolve("m.onnx"), "definitely not protobuf");
        Files.writeString(notOnnx.resolve("tokenizer.json"), "{}");
        assertBadInput(run("extract", "--model", notOnnx.toString(), "--input", data.toString(), "--out", out.toString()),
                "m.onnx", out);

        assertBadInput(run("extract", "--model", "no-such-model", "--input", data.toString(), "--out", out.toString()),
                "bge-small-en-v1.5", out);

        assertBadInput(run("extract", "--model", "all-MiniLM-L6-v2", "--input", data.toString(), "--max-length", "600",
                "--out", out.toString()), "512", out);
    }
}
