package org.loes4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.loes4j.encoders.ModelFiles;
import org.loes4j.encoders.ModelResolver;
import org.loes4j.encoders.PooledHiddenStates;
import org.loes4j.encoders.Pooling;
import org.loes4j.encoders.TextEncoder;
import org.loes4j.encoders.bert.BertConfig;
import org.loes4j.linalg.LibraryInfo;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.io.Json;
import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyDType;
import org.loes4j.linalg.io.NpyWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loes extract}: runs a pretrained text encoder over one column of a CSV/JSONL file and writes
 * every hidden state, pooled per row, as {@code DIR/embeddings.npy} (N, L, d) float32 (L = blocks + 1;
 * index 0 is the embedding output, index k the output of block k - 1), {@code DIR/labels.npy} (with
 * {@code --label-column}) and {@code DIR/meta.json}. Everything is written into a hidden staging
 * directory beside DIR and moved into place at the end, so DIR is either complete or absent.
 */
@Command(name = "extract", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Encode a text column with a pretrained encoder; write every layer's pooled embeddings.")
final class ExtractCommand implements Runnable {
    /** Texts encoded per chunk: bounds memory (chunk x L x d floats) and sets the bucketing window. */
    private static final int CHUNK = 2048;
    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", defaultValue = "bge-small-en-v1.5", paramLabel = "NAME|PATH",
            description = "bge-small-en-v1.5 (default), all-MiniLM-L6-v2, e5-small-v2, or a path to an .onnx or .safetensors "
                    + "file (tokenizer.json, and config.json for safetensors, beside it) or a directory holding them.")
    String model;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "A .csv (with header) or .jsonl file.")
    Path input;

    @Option(names = "--text-column", defaultValue = "text", description = "Column holding the text (default ${DEFAULT-VALUE}).")
    String textColumn;

    @Option(names = "--label-column", description = "Column holding the label (optional).")
    String labelColumn;

    @Option(names = "--pooling", defaultValue = "mean", description = "mean (default) or cls.")
    String pooling;

    @Option(names = "--max-length", defaultValue = "256",
            description = "Tokens per text, [CLS] and [SEP] included; longer texts are truncated and counted (default ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--batch", defaultValue = "32", description = "Texts per forward pass (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (must not exist or be empty).")
    Path out;

    @Override
    public void run() {
        try {
            extract();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void extract() throws IOException {
        Pooling pool = Pooling.parse(pooling);
        if (maxLength < 2) {
            throw new BadInputException("--max-length: " + maxLength + " must be at least 2");
        }
        if (batch < 1) {
            throw new BadInputException("--batch: " + batch + " must be positive");
        }
        Path target = out.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            boolean empty;
            try (var s = Files.list(target)) {
                empty = s.findAny().isEmpty();
            } catch (IOException e) {
                empty = false;
            }
            if (!empty) {
                throw new BadInputException("--out: " + out + " exists and is not an empty directory");
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        long t0 = System.nanoTime();
        TextDataset data = TextDataset.read(input, textColumn, labelColumn);
        ModelFiles files = ModelResolver.defaults().resolve(model);
        TextEncoder encoder = TextEncoder.load(files, Linalg.get());
        BertConfig c = encoder.config();
        if (maxLength > c.maxPositions()) {
            throw new BadInputException("--max-length: " + maxLength + " exceeds the model's " + c.maxPositions()
                    + " positions");
        }
        int n = data.texts().size();
        int states = c.hiddenStates();
        int d = c.hidden();
        err.printf("loes extract: %d rows, model %s (%d blocks, width %d), pooling %s, max length %d, batch %d%n",
                n, files.name(), c.layers(), d, pool.id(), maxLength, batch);

        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-");
        try {
            long tokens = 0;
            int truncated = 0;
            long tEncode = System.nanoTime();
            Progress progress = new Progress(err, n);
            try (NpyWriter emb = Npy.create(staging.resolve("embeddings.npy"), NpyDType.FLOAT32, n, states, d)) {
                MemorySegment dst = emb.data();
                TextEncoder.Options options = new TextEncoder.Options(EnumSet.of(pool), maxLength, batch);
                for (int start = 0; start < n; start += CHUNK) {
                    int end = Math.min(n, start + CHUNK);
                    long before = tokens;
                    int offset = start;
                    TextEncoder.Result r = encoder.encode(data.texts().subList(start, end), options,
                            (done, total, tok) -> progress.update(offset + done, before + tok));
                    PooledHiddenStates p = r.get(pool);
                    MemorySegment.copy(p.data(), 0, dst, FLOAT_LE, (long) start * states * d * Float.BYTES,
                            p.data().length);
                    tokens += r.tokens();
                    truncated += r.truncated();
                }
                progress.finish(tokens);
                emb.commit();
            }
            double seconds = (System.nanoTime() - tEncode) / 1e9;
            if (data.classLabels() != null) {
                Npy.write(staging.resolve("labels.npy"), data.classLabels());
            } else if (data.valueLabels() != null) {
                Npy.write(staging.resolve("labels.npy"), data.valueLabels());
            }
            if (truncated > 0) {
                err.printf("loes extract: %d of %d texts were longer than %d tokens and were truncated%n", truncated, n,
                        maxLength);
            }
            Files.writeString(staging.resolve("meta.json"),
                    Json.writePretty(meta(data, files, encoder, pool, n, tokens, truncated, seconds, t0)));
            publish(staging, target);
            err.printf("loes extract: wrote %s (embeddings.npy %d x %d x %d float32%s, meta.json)%n", out, n, states, d,
                    labelColumn != null ? ", labels.npy" : "");
        } finally {
            deleteRecursively(staging);
        }
    }

    private Map<String, Object> meta(TextDataset data, ModelFiles files, TextEncoder encoder, Pooling pool, int n,
                                     long tokens, int truncated, double seconds, long t0) throws IOException {
        BertConfig c = encoder.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "loes4j-embeddings/1");
        m.put("embeddings", Map.of("file", "embeddings.npy", "dtype", "float32",
                "shape", List.of(n, c.hiddenStates(), c.hidden())));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", files.name());
        files.known().ifPresent(k -> model.put("maven", k.coordinates()));
        model.put("weights", files.weights().toString());
        model.put("weightsSha256", sha256(files.weights()));
        model.put("tokenizer", files.tokenizer().toString());
        model.put("tokenizerSha256", sha256(files.tokenizer()));
        model.put("architecture", "bert");
        model.put("layers", c.layers());
        model.put("hidden", c.hidden());
        model.put("heads", c.heads());
        model.put("intermediate", c.intermediate());
        model.put("vocabSize", c.vocabSize());
        model.put("maxPositions", c.maxPositions());
        model.put("layerNormEps", (double) c.layerNormEps());
        m.put("model", model);
        Map<String, Object> layers = new LinkedHashMap<>();
        layers.put("count", c.hiddenStates());
        layers.put("names", encoder.stateNames());
        layers.put("indexing", "index 0 = embedding output (after its LayerNorm); index k >= 1 = output of "
                + "transformer block k - 1, which the LOES paper calls layer k - 1");
        m.put("layers", layers);
        m.put("pooling", pool.id());
        Map<String, Object> tok = new LinkedHashMap<>(encoder.tokenizer().describe());
        tok.put("max_length", maxLength);
        tok.put("special_tokens", "[CLS] ... [SEP]");
        tok.put("truncated_rows", truncated);
        m.put("tokenizer", tok);
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("file", input.toString());
        in.put("sha256", data.sha256());
        in.put("rows", n);
        in.put("textColumn", textColumn);
        if (labelColumn != null) {
            in.put("labelColumn", labelColumn);
            in.put("labels", data.classLabels() != null ? "int64" : "float64");
            if (!data.labelClasses().isEmpty()) {
                in.put("labelClasses", data.labelClasses());
            }
        }
        m.put("input", in);
        m.put("batch", batch);
        m.put("tokens", tokens);
        m.put("encodeSeconds", seconds);
        m.put("tokensPerSecond", seconds > 0 ? tokens / seconds : 0.0);
        m.put("totalSeconds", (System.nanoTime() - t0) / 1e9);
        m.put("provenance", LibraryInfo.environment());
        return m;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Moves the finished staging directory to {@code target} (replacing an empty directory). */
    private static void publish(Path staging, Path target) throws IOException {
        if (Files.isDirectory(target)) {
            Files.delete(target);
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staging, target);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A one-line progress display on stderr: rows, tokens/s, ETA; redrawn at most twice a second. */
    private static final class Progress {
        private final PrintWriter err;
        private final int total;
        private final long start = System.nanoTime();
        private long lastDraw;

        Progress(PrintWriter err, int total) {
            this.err = err;
            this.total = total;
        }

        void update(int done, long tokens) {
            long now = System.nanoTime();
            if (now - lastDraw < 500_000_000L && done < total) {
                return;
            }
            lastDraw = now;
            double s = (now - start) / 1e9;
            double rate = s > 0 ? tokens / s : 0;
            long eta = done > 0 ? Math.round(s * (total - done) / done) : 0;
            err.printf("\r  %d/%d rows  %.0f tokens/s  ETA %dm%02ds   ", done, total, rate, eta / 60, eta % 60);
            err.flush();
        }

        void finish(long tokens) {
            double s = (System.nanoTime() - start) / 1e9;
            err.printf("\r  %d/%d rows  %.0f tokens/s  %.1f s%s%n", total, total, s > 0 ? tokens / s : 0, s,
                    " ".repeat(12));
        }
    }
}
