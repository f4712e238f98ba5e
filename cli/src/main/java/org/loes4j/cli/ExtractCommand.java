package org.loes4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.loes4j.encoders.ModelFiles;
import org.loes4j.encoders.ModelResolver;
import org.loes4j.encoders.Pooling;
import org.loes4j.encoders.TextEncoder;
import org.loes4j.encoders.bert.BertConfig;
import org.loes4j.linalg.LibraryInfo;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.io.AtomicFile;
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
 * {@code --label-column}) and {@code DIR/meta.json}. Rows are encoded in chunks, each saved to a hidden
 * staging directory beside DIR; at the end the chunks are assembled into {@code embeddings.npy} (written
 * through a memory mapping) and the finished directory is moved into place, so DIR is either complete or
 * absent. With {@code --resume} the staging directory ({@code .DIR.partial}) survives an interruption
 * and a rerun with the same input, model and settings reuses its finished chunks.
 */
@Command(name = "extract", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Encode a text column with a pretrained encoder; write every layer's pooled embeddings.")
final class ExtractCommand implements Runnable {
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

    @Option(names = "--label-column", description = "Column holding the label (default: none, no labels.npy).")
    String labelColumn;

    @Option(names = "--pooling", defaultValue = "mean", description = "mean (default) or cls.")
    String pooling;

    @Option(names = "--max-length", defaultValue = "256",
            description = "Tokens per text, [CLS] and [SEP] included; longer texts are truncated and counted (default ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--batch", defaultValue = "32", description = "Texts per forward pass (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--resume",
            description = "Keep finished chunks in DIR's hidden .partial directory and reuse them when rerun "
                    + "with the same input, model and settings.")
    boolean resume;

    @Option(names = "--chunk-rows", defaultValue = "2048", paramLabel = "N",
            description = "Rows per chunk: the unit of resuming and of length bucketing; bounds memory to "
                    + "N x L x d floats (default ${DEFAULT-VALUE}).")
    int chunkRows;

    @Option(names = "--max-chunks", defaultValue = "0", paramLabel = "N",
            description = "Encode at most N new chunks, then stop (with --resume: continue later). 0: no limit (default: ${DEFAULT-VALUE}).")
    int maxChunks;

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
        if (chunkRows < 1) {
            throw new BadInputException("--chunk-rows: " + chunkRows + " must be positive");
        }
        if (maxChunks < 0) {
            throw new BadInputException("--max-chunks: " + maxChunks + " must be >= 0");
        }
        if (maxChunks > 0 && !resume) {
            throw new BadInputException("--max-chunks: only meaningful with --resume (the chunks would be discarded)");
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
        Path staging = resume ? parent.resolve("." + target.getFileName() + ".partial")
                : Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-");
        boolean keepStaging = false;
        try {
            Files.createDirectories(staging);
            Map<String, Object> key = resumeKey(data, files, pool);
            Path state = staging.resolve("state.json");
            if (Files.exists(state)) {
                Object previous = Json.parse(Files.readString(state));
                if (!key.equals(previous)) {
                    throw new BadInputException("--resume: " + staging + " was made with other settings (" + previous
                            + "); delete it or drop --resume");
                }
            } else {
                Files.writeString(state, Json.write(key));
            }
            long tokens = 0;
            int truncated = 0;
            int encodedChunks = 0;
            int chunks = (n + chunkRows - 1) / chunkRows;
            long tEncode = System.nanoTime();
            Progress progress = new Progress(err, n);
            TextEncoder.Options options = new TextEncoder.Options(EnumSet.of(pool), maxLength, batch);
            for (int ch = 0; ch < chunks; ch++) {
                int start = ch * chunkRows;
                int end = Math.min(n, start + chunkRows);
                Path chunkFile = staging.resolve(String.format("chunk-%06d.f32", ch));
                Path chunkInfo = staging.resolve(String.format("chunk-%06d.json", ch));
                long bytes = (long) (end - start) * states * d * Float.BYTES;
                if (Files.exists(chunkInfo) && Files.exists(chunkFile) && Files.size(chunkFile) == bytes) {
                    Map<String, Object> info = Json.parseObject(Files.readString(chunkInfo));
                    tokens += (Long) info.get("tokens");
                    truncated += Math.toIntExact((Long) info.get("truncated"));
                    continue;
                }
                if (maxChunks > 0 && encodedChunks == maxChunks) {
                    keepStaging = true;
                    err.printf("%nloes extract: stopped after %d new chunk(s) (%d of %d rows done); rerun with --resume "
                            + "to continue%n", encodedChunks, start, n);
                    return;
                }
                long before = tokens;
                TextEncoder.Result r = encoder.encode(data.texts().subList(start, end), options,
                        (done, total, tok) -> progress.update(start + done, before + tok));
                writeAtomically(chunkFile, r.flat(pool).data());
                Files.writeString(chunkInfo, Json.write(Map.of("tokens", r.tokens(), "truncated", r.truncated())));
                tokens += r.tokens();
                truncated += r.truncated();
                encodedChunks++;
            }
            progress.finish(tokens);
            double seconds = (System.nanoTime() - tEncode) / 1e9;
            Path result = staging.resolve("result");
            Files.createDirectories(result);
            try (NpyWriter emb = Npy.create(result.resolve("embeddings.npy"), NpyDType.FLOAT32, n, states, d)) {
                MemorySegment dst = emb.data();
                for (int ch = 0; ch < chunks; ch++) {
                    try (FileChannel fc = FileChannel.open(staging.resolve(String.format("chunk-%06d.f32", ch)),
                            StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
                        MemorySegment src = fc.map(FileChannel.MapMode.READ_ONLY, 0, fc.size(), arena);
                        MemorySegment.copy(src, 0, dst, (long) ch * chunkRows * states * d * Float.BYTES, src.byteSize());
                    }
                }
                emb.commit();
            }
            if (data.classLabels() != null) {
                Npy.write(result.resolve("labels.npy"), data.classLabels());
            } else if (data.valueLabels() != null) {
                Npy.write(result.resolve("labels.npy"), data.valueLabels());
            }
            if (truncated > 0) {
                err.printf("loes extract: %d of %d texts were longer than %d tokens and were truncated%n", truncated, n,
                        maxLength);
            }
            Files.writeString(result.resolve("meta.json"),
                    Json.writePretty(meta(data, files, encoder, pool, n, tokens, truncated, seconds, t0)));
            AtomicFile.publishDirectory(result, target);
            err.printf("loes extract: wrote %s (embeddings.npy %d x %d x %d float32%s, meta.json)%n", out, n, states, d,
                    labelColumn != null ? ", labels.npy" : "");
        } catch (IOException | RuntimeException e) {
            keepStaging = resume;
            throw e;
        } finally {
            if (!keepStaging) {
                deleteRecursively(staging);
            }
        }
    }

    /** What a resumed run must share with the interrupted one for its chunks to be reusable. */
    private Map<String, Object> resumeKey(TextDataset data, ModelFiles files, Pooling pool) throws IOException {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("inputSha256", data.sha256());
        k.put("textColumn", textColumn);
        k.put("model", files.name());
        k.put("weights", files.weights().toAbsolutePath().toString());
        k.put("weightsBytes", Files.size(files.weights()));
        k.put("pooling", pool.id());
        k.put("maxLength", (long) maxLength);
        k.put("chunkRows", (long) chunkRows);
        return k;
    }

    /** Writes floats little-endian to {@code file} through a temporary file and an atomic move. */
    private static void writeAtomically(Path file, float[] values) throws IOException {
        long bytes = (long) values.length * Float.BYTES;
        AtomicFile.write(file, tmp -> {
            try (FileChannel fc = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE);
                 Arena arena = Arena.ofConfined()) {
                if (bytes > 0) {
                    MemorySegment dst = fc.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
                    MemorySegment.copy(values, 0, dst, FLOAT_LE, 0, values.length);
                    dst.force();
                }
            }
        });
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
        model.put("weightsSha256", Digests.sha256(files.weights()));
        model.put("tokenizer", files.tokenizer().toString());
        model.put("tokenizerSha256", Digests.sha256(files.tokenizer()));
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
        List<Object> paper = new java.util.ArrayList<>();
        paper.add(null);
        for (int k = 0; k < c.layers(); k++) {
            paper.add(k);
        }
        layers.put("paperLayer", paper);
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
            err.printf("\r  %d/%d rows  %.0f tokens/s  ETA %s   ", done, total, rate, ProgressText.duration(eta));
            err.flush();
        }

        void finish(long tokens) {
            double s = (System.nanoTime() - start) / 1e9;
            err.printf("\r  %d/%d rows  %.0f tokens/s  %.1f s%s%n", total, total, s > 0 ? tokens / s : 0, s,
                    " ".repeat(12));
        }
    }
}
