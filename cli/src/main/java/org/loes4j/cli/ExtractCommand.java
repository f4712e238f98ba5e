package org.loes4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
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
 * and a rerun with the same input, model (by the SHA-256 of its files) and settings reuses its finished
 * chunks; {@link ExtractStaging} says how that stays correct after a crash at any point. A run holds an
 * {@link OutputLock} on DIR from before it looks at DIR's staging until DIR is published.
 */
@Command(name = "extract", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Encode a text column with a pretrained encoder; write every layer's pooled embeddings.")
final class ExtractCommand implements Runnable {
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
        if (!emptyOrAbsent(target) && !(resume && Files.exists(target.resolve("meta.json")))) {
            throw new BadInputException("--out: " + out + " exists and is not an empty directory");
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
        // The model is identified by its bytes: a same-size replacement of the weights must not pass for them.
        Map<String, Path> digested = new LinkedHashMap<>();
        digested.put(ExtractStaging.INPUT_SHA, input);
        digested.put(ExtractStaging.WEIGHTS_SHA, files.weights());
        digested.put(ExtractStaging.TOKENIZER_SHA, files.tokenizer());
        Path config = files.weights().resolveSibling("config.json");
        if (files.isSafetensors() && Files.isRegularFile(config)) {
            digested.put(ExtractStaging.CONFIG_SHA, config);
        }
        Map<String, String> sha = new LinkedHashMap<>();
        sha.put(ExtractStaging.INPUT_SHA, data.sha256());
        for (Map.Entry<String, Path> f : digested.entrySet()) {
            sha.putIfAbsent(f.getKey(), Digests.sha256(f.getValue()));
        }
        Map<String, Object> key = resumeKey(files, sha, pool);
        String keySha = ExtractStaging.keySha256(key);

        Path parent = target.getParent();
        Files.createDirectories(parent);
        try (OutputLock lock = OutputLock.acquire("--out", out, target)) {
            if (!emptyOrAbsent(target)) {
                if (resume && ExtractStaging.holds(target, keySha, labelColumn)) {
                    List<String> removed = new ArrayList<>(ExtractStaging.removeLeftovers(target));
                    Path partial = ExtractStaging.resumeDirectory(target);
                    if (Files.isDirectory(partial) && sameKeyOrNone(partial, key)) {
                        ExtractStaging.deleteRecursively(partial);
                        removed.add(partial.getFileName() + "/");
                    }
                    err.printf("loes extract: %s already holds this extraction (same input, model and settings); "
                            + "nothing to do%s%n", out, removed.isEmpty() ? "" : "; removed " + String.join(", ", removed));
                    return;
                }
                throw new BadInputException("--out: " + out + " exists and is not an empty directory");
            }
            List<String> removed = ExtractStaging.removeLeftovers(target);
            if (!removed.isEmpty()) {
                err.printf("loes extract: removed what an interrupted run left: %s%n", String.join(", ", removed));
            }
            encodeAndPublish(target, data, files, sha, encoder, pool, key, keySha, digested, err, t0);
        }
    }

    private void encodeAndPublish(Path target, TextDataset data, ModelFiles files, Map<String, String> sha,
                                  TextEncoder encoder, Pooling pool, Map<String, Object> key, String keySha,
                                  Map<String, Path> digested, PrintWriter err, long t0) throws IOException {
        BertConfig c = encoder.config();
        int n = data.texts().size();
        int states = c.hiddenStates();
        int d = c.hidden();
        Path staging = resume ? ExtractStaging.resumeDirectory(target)
                : Files.createTempDirectory(target.getParent(), ExtractStaging.oneOffPrefix(target));
        boolean keepStaging = false;
        try {
            ExtractStaging st = ExtractStaging.open(staging, key, digested, err);
            int chunks = (n + chunkRows - 1) / chunkRows;
            ExtractStaging.Chunk[] finished = new ExtractStaging.Chunk[chunks];
            int reused = 0;
            for (int ch = 0; ch < chunks; ch++) {
                int start = ch * chunkRows;
                int end = Math.min(n, start + chunkRows);
                finished[ch] = st.finished(ch, start, end, chunkBytes(start, end, states, d)).orElse(null);
                reused += finished[ch] != null ? 1 : 0;
            }
            if (reused > 0) {
                err.printf("loes extract: resuming: %d of %d chunks already finished in %s%n", reused, chunks, staging);
            }
            long tokens = 0;
            int truncated = 0;
            int encodedChunks = 0;
            long tEncode = System.nanoTime();
            Progress progress = new Progress(err, n);
            TextEncoder.Options options = new TextEncoder.Options(EnumSet.of(pool), maxLength, batch);
            for (int ch = 0; ch < chunks; ch++) {
                int start = ch * chunkRows;
                int end = Math.min(n, start + chunkRows);
                if (finished[ch] != null) {
                    tokens += finished[ch].tokens();
                    truncated += finished[ch].truncated();
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
                st.write(ch, start, end, r.flat(pool).data(), r.tokens(), r.truncated());
                tokens += r.tokens();
                truncated += r.truncated();
                encodedChunks++;
            }
            progress.finish(tokens);
            double seconds = (System.nanoTime() - tEncode) / 1e9;
            Path result = st.resultDirectory();
            try (NpyWriter emb = Npy.create(result.resolve("embeddings.npy"), NpyDType.FLOAT32, n, states, d)) {
                MemorySegment dst = emb.data();
                for (int ch = 0; ch < chunks; ch++) {
                    try (FileChannel fc = FileChannel.open(st.dataFile(ch), StandardOpenOption.READ);
                         Arena arena = Arena.ofConfined()) {
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
            AtomicFile.writeString(result.resolve("meta.json"),
                    Json.writePretty(meta(data, files, sha, keySha, encoder, pool, n, tokens, truncated, seconds, t0)));
            try {
                AtomicFile.publishDirectory(result, target);
            } catch (DirectoryNotEmptyException | FileAlreadyExistsException e) {
                throw new BadInputException("--out: " + out + " was filled by something else while extracting; left "
                        + "as it is" + (resume ? " (the finished chunks stay in " + staging + ")" : ""), e);
            }
            err.printf("loes extract: wrote %s (embeddings.npy %d x %d x %d float32%s, meta.json)%n", out, n, states, d,
                    labelColumn != null ? ", labels.npy" : "");
        } catch (IOException | RuntimeException e) {
            keepStaging = resume;
            throw e;
        } finally {
            if (!keepStaging) {
                ExtractStaging.deleteRecursively(staging);
            }
        }
    }

    private static long chunkBytes(int start, int end, int states, int d) {
        return (long) (end - start) * states * d * Float.BYTES;
    }

    private static boolean emptyOrAbsent(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** True when {@code partial} has no state.json (a removal was cut short) or one for {@code key}. */
    private static boolean sameKeyOrNone(Path partial, Map<String, Object> key) {
        Path state = partial.resolve(ExtractStaging.STATE);
        if (!Files.exists(state)) {
            return true;
        }
        try {
            return key.equals(Json.parse(Files.readString(state)));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * What a resumed run must share with the interrupted one for its chunks to be reusable: the digests of
     * the input and of the model's files (never their paths or sizes), and every setting a chunk's floats
     * depend on. {@code --batch} is left out on purpose: a resumed run may use another batch size.
     */
    private Map<String, Object> resumeKey(ModelFiles files, Map<String, String> sha, Pooling pool) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("format", "loes4j-extract-state/2");
        k.put(ExtractStaging.INPUT_SHA, sha.get(ExtractStaging.INPUT_SHA));
        k.put("textColumn", textColumn);
        k.put("model", files.name());
        for (String f : List.of(ExtractStaging.WEIGHTS_SHA, ExtractStaging.TOKENIZER_SHA, ExtractStaging.CONFIG_SHA)) {
            if (sha.containsKey(f)) {
                k.put(f, sha.get(f));
            }
        }
        k.put("pooling", pool.id());
        k.put("maxLength", (long) maxLength);
        k.put("chunkRows", (long) chunkRows);
        return k;
    }

    private Map<String, Object> meta(TextDataset data, ModelFiles files, Map<String, String> sha, String keySha,
                                     TextEncoder encoder, Pooling pool, int n, long tokens, int truncated,
                                     double seconds, long t0) {
        BertConfig c = encoder.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "loes4j-embeddings/1");
        m.put("embeddings", Map.of("file", "embeddings.npy", "dtype", "float32",
                "shape", List.of(n, c.hiddenStates(), c.hidden())));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", files.name());
        files.known().ifPresent(k -> model.put("maven", k.coordinates()));
        model.put("weights", files.weights().toString());
        model.put("weightsSha256", sha.get(ExtractStaging.WEIGHTS_SHA));
        model.put("tokenizer", files.tokenizer().toString());
        model.put("tokenizerSha256", sha.get(ExtractStaging.TOKENIZER_SHA));
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
        m.put("chunkRows", chunkRows);
        m.put("resumeKeySha256", keySha);
        m.put("tokens", tokens);
        m.put("encodeSeconds", seconds);
        m.put("tokensPerSecond", seconds > 0 ? tokens / seconds : 0.0);
        m.put("totalSeconds", (System.nanoTime() - t0) / 1e9);
        m.put("provenance", LibraryInfo.environment());
        return m;
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
