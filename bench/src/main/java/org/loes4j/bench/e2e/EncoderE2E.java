package org.loes4j.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OrtSession;
import org.loes4j.encoders.ModelFiles;
import org.loes4j.encoders.ModelResolver;
import org.loes4j.encoders.TextEncoder;
import org.loes4j.encoders.bert.BertModel;
import org.loes4j.encoders.bert.TokenBatch;
import org.loes4j.encoders.tokenizer.Encoding;
import org.loes4j.encoders.tokenizer.WordPieceTokenizer;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.LibraryInfo;
import org.loes4j.linalg.concurrent.LinalgExecutor;
import org.loes4j.linalg.io.Json;

/**
 * Every hidden state of a BERT encoder (issue 5's target: bge-small-en-v1.5), loes4j's Java encoder
 * ({@link BertModel#forward}) against ONNX Runtime on the same ONNX file with every hidden state exposed
 * ({@link OrtAllHiddenStates}), on the same token batches, measured in the same run.
 *
 * <p>The texts (one per line, {@code \n} escapes as in the encoders' test resource) are tokenised once with
 * loes4j's WordPiece tokenizer, sorted by length and cut into right-padded batches of {@code --batch} (as
 * {@link TextEncoder#encode} does); both implementations then run exactly these batches, so the timing is the
 * encoder alone (no tokenising, no pooling). Each (implementation, thread count) runs in a fresh JVM: loes4j
 * with {@code -Dloes4j.threads=T}, ONNX Runtime with {@code T} intra-op threads (inter-op 1). In each, an
 * untimed warm-up of {@code --warmup-passes} passes over all batches (every batch shape is seen once: ONNX
 * Runtime plans memory per input shape, the JIT compiles loes4j's kernels) precedes {@code --passes} timed
 * passes; tokens/s = real (unpadded) tokens of a pass / the pass's median time. The two do different amounts
 * of work on the same batches: loes4j computes the real tokens only (packed rows, {@code TokenBatch.realTokens()}
 * per batch), ONNX Runtime every padded position ({@code TokenBatch.positions()}); both counts are reported.
 * loes4j's stage split comes from {@link BertModel.StageTimes}. As a cross-check, each worker reports the
 * last hidden state's {@code [CLS]} row of the first sample, and the parent prints the largest relative
 * difference between the two implementations.
 *
 * <p>Options: {@code --model} (name or path, default bge-small-en-v1.5), {@code --sentences FILE} (default
 * the encoders' test resource), {@code --lines N} (first N lines, default 304: the State of the Union part),
 * {@code --batch}, {@code --max-length}, {@code --threads 1,2}, {@code --passes}, {@code --warmup-passes},
 * {@code --impls loes4j,onnxruntime}, plus {@link Report}'s.
 */
public final class EncoderE2E {
    static final String DEFAULT_SENTENCES = "encoders/src/test/resources/org/loes4j/encoders/sentences.txt";
    private static final String RESULT_PREFIX = "E2E-RESULT ";

    private EncoderE2E() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--worker")) {
            worker(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Args a = new Args(args, SelectionE2E.withCommon("model", "sentences", "lines", "batch", "max-length", "threads",
                "passes", "warmup-passes", "impls"));
        Report report = new Report("encoder", "End-to-end: encoder, every hidden state (loes4j vs ONNX Runtime)", a,
                EncoderE2E.class.getName(), args);
        String model = a.get("model", "bge-small-en-v1.5");
        String sentences = a.get("sentences", DEFAULT_SENTENCES);
        int lines = a.getInt("lines", 304);
        int batch = a.getInt("batch", 32);
        int maxLength = a.getInt("max-length", 512);
        int[] threads = a.getInts("threads", new int[] {1, 2});
        int passes = a.getInt("passes", 2);
        int warmupPasses = a.getInt("warmup-passes", 1);
        List<String> impls = List.of(a.get("impls", "loes4j,onnxruntime").split(","));
        for (String impl : impls) {
            if (!impl.equals("loes4j") && !impl.equals("onnxruntime")) {
                throw new IllegalArgumentException("--impls: '" + impl + "', expected loes4j and/or onnxruntime");
            }
        }
        // Resolve (and extract) the model once here, so no worker's time includes the extraction.
        ModelFiles files = ModelResolver.defaults().resolve(model);

        List<Map<String, Object>> results = new ArrayList<>();
        for (int t : threads) {
            for (String impl : impls) {
                List<String> worker = List.of("--worker", "--impl", impl, "--threads", Integer.toString(t), "--model",
                        files.weights().toString(), "--sentences", sentences, "--lines", Integer.toString(lines),
                        "--batch", Integer.toString(batch), "--max-length", Integer.toString(maxLength), "--passes",
                        Integer.toString(passes), "--warmup-passes", Integer.toString(warmupPasses));
                List<String> cmd = ChildJvm.command(List.of("-D" + LinalgExecutor.THREADS_PROPERTY + "=" + t),
                        EncoderE2E.class.getName(), worker);
                ChildJvm.Result r = ChildJvm.run(cmd).checkOk(cmd);
                Map<String, Object> m = null;
                for (String line : r.stdout().split("\n")) {
                    if (line.startsWith(RESULT_PREFIX)) {
                        m = Json.parseObject(line.substring(RESULT_PREFIX.length()));
                    }
                }
                if (m == null) {
                    throw new IllegalStateException("worker printed no result: " + String.join(" ", cmd) + "\n" + r.stdout()
                            + r.stderr());
                }
                m.put("peakRssMiB", r.peakRssKiB() / 1024.0);
                m.put("jvmWallSeconds", r.wallSeconds());
                results.add(m);
                System.out.println(Report.f("encoder: %s threads %d: %.0f tokens/s", impl, t,
                        ((Number) m.get("tokensPerSecond")).doubleValue()));
            }
        }
        report.put("model", files.name());
        report.put("sentences", sentences);
        report.put("lines", lines);
        report.put("batch", batch);
        report.put("maxLength", maxLength);
        report.put("passes", passes);
        report.put("warmupPasses", warmupPasses);
        report.put("results", results);
        writeTables(report, results, threads, files, sentences, lines, batch, passes, warmupPasses);
        Path[] out = report.write();
        System.out.print(report.markdown());
        System.out.println("encoder: wrote " + out[0] + " and " + out[1]);
    }

    private static void writeTables(Report report, List<Map<String, Object>> results, int[] threads, ModelFiles files,
                                    String sentences, int lines, int batch, int passes, int warmupPasses) {
        Map<String, Object> first = results.getFirst();
        report.paragraph(Report.f("Model %s (%s); texts: the first %d lines of `%s`; %s real tokens in %s batches of "
                        + "up to %d texts (%s positions with padding), length-sorted as `TextEncoder.encode` does; every "
                        + "hidden state (%s) produced per batch. Each row is a fresh JVM: %d untimed warm-up pass(es), then "
                        + "%d timed passes over all batches; tokens/s = real tokens per pass / median "
                        + "pass time. Encoder only: tokenising and pooling are outside the timing for both. ONNX Runtime: "
                        + "intra-op threads = T, inter-op 1, default session options otherwise (graph optimisations on, worker "
                        + "threads spin while waiting: that costs it on a busy machine), outputs left in native memory, computes "
                        + "every padded position; loes4j: -Dloes4j.threads=T, computes the real tokens only (packed rows, no "
                        + "padding), hidden states handed to a sink that reads one value.",
                files.name(), files.weights().getFileName(), lines, sentences, first.get("realTokens"), first.get("batches"),
                batch, first.get("paddedTokens"), first.get("hiddenStates"), warmupPasses, passes));
        List<List<String>> t = new ArrayList<>();
        Map<Integer, Map<String, Map<String, Object>>> byThreads = new LinkedHashMap<>();
        for (Map<String, Object> r : results) {
            byThreads.computeIfAbsent(((Number) r.get("threads")).intValue(), x -> new LinkedHashMap<>())
                    .put((String) r.get("impl"), r);
        }
        for (int th : threads) {
            Map<String, Map<String, Object>> row = byThreads.getOrDefault(th, Map.of());
            Map<String, Object> l = row.get("loes4j");
            Map<String, Object> o = row.get("onnxruntime");
            double lt = l == null ? Double.NaN : ((Number) l.get("tokensPerSecond")).doubleValue();
            double ot = o == null ? Double.NaN : ((Number) o.get("tokensPerSecond")).doubleValue();
            t.add(List.of(Integer.toString(th), Report.f("%.0f", lt), Report.f("%.0f", ot), Report.f("%.2f", lt / ot),
                    l == null ? "-" : Report.f("%.0f", ((Number) l.get("peakRssMiB")).doubleValue()),
                    o == null ? "-" : Report.f("%.0f", ((Number) o.get("peakRssMiB")).doubleValue())));
        }
        report.table(List.of("threads", "loes4j tokens/s", "ONNX Runtime tokens/s", "loes4j / ORT",
                "loes4j peak RSS MiB", "ORT peak RSS MiB"), t);

        List<List<String>> s = new ArrayList<>();
        for (Map<String, Object> r : results) {
            if (!"loes4j".equals(r.get("impl"))) {
                continue;
            }
            double lin = ((Number) r.get("linearSeconds")).doubleValue();
            double att = ((Number) r.get("attentionSeconds")).doubleValue();
            double oth = ((Number) r.get("otherSeconds")).doubleValue();
            double sum = lin + att + oth;
            s.add(List.of(String.valueOf(r.get("threads")), Report.f("%.2f (%.0f%%)", lin, 100 * lin / sum),
                    Report.f("%.2f (%.0f%%)", att, 100 * att / sum), Report.f("%.2f (%.0f%%)", oth, 100 * oth / sum),
                    Report.f("%.2f", ((Number) r.get("timedSeconds")).doubleValue()), String.valueOf(r.get("backend"))));
        }
        if (!s.isEmpty()) {
            report.paragraph("loes4j's time by stage over the timed passes (`BertModel.StageTimes`): GEMM = the four "
                    + "linear maps per block (GEMM + bias), attention = scores, softmax and weighted values, rest = "
                    + "embeddings, LayerNorms, GELU; the difference to the timed total is the sink and batch set-up.");
            s.sort(Comparator.comparing(x -> x.getFirst()));
            report.table(List.of("threads", "GEMM s", "attention s", "rest s", "timed total s", "backend"), s);
        }
        double maxRel = 0;
        List<?> ref = null;
        for (Map<String, Object> r : results) {
            List<?> cls = (List<?>) r.get("firstClsLastState");
            if (ref == null) {
                ref = cls;
                continue;
            }
            double num = 0;
            double den = 0;
            for (int j = 0; j < cls.size(); j++) {
                double x = ((Number) cls.get(j)).doubleValue();
                double y = ((Number) ref.get(j)).doubleValue();
                num = Math.max(num, Math.abs(x - y));
                den = Math.max(den, Math.abs(y));
            }
            maxRel = Math.max(maxRel, num / den);
        }
        report.put("crossCheckMaxRelativeDifference", maxRel);
        report.paragraph(Report.f("Cross-check: last hidden state, [CLS] row of the first text, max |difference| / "
                + "max |value| across all rows above: %.2e.", maxRel));
    }

    /** One implementation at one thread count; prints one {@code E2E-RESULT {json}} line. */
    private static void worker(String[] args) throws Exception {
        Args a = new Args(args, List.of("impl", "threads", "model", "sentences", "lines", "batch", "max-length", "passes",
                "warmup-passes"));
        String impl = a.get("impl", "loes4j");
        int threads = a.getInt("threads", 1);
        ModelFiles files = ModelResolver.defaults().resolve(a.get("model", "bge-small-en-v1.5"));
        int lines = a.getInt("lines", 304);
        int batchSize = a.getInt("batch", 32);
        int maxLength = a.getInt("max-length", 512);
        int passes = a.getInt("passes", 2);
        int warmupPasses = a.getInt("warmup-passes", 1);
        List<String> texts = readTexts(Path.of(a.get("sentences", DEFAULT_SENTENCES)), lines);
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromJson(files.tokenizer());
        List<TokenBatch> batches = batches(tokenizer, texts, maxLength, batchSize);
        long realTokens = 0;
        long padded = 0;
        for (TokenBatch b : batches) {
            realTokens += b.realTokens();
            padded += b.positions();
        }
        List<TokenBatch> warm = new ArrayList<>();
        for (int p = 0; p < warmupPasses; p++) {
            warm.addAll(batches);
        }

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("impl", impl);
        m.put("threads", threads);
        m.put("texts", texts.size());
        m.put("batches", batches.size());
        m.put("realTokens", realTokens);
        m.put("paddedTokens", padded);
        m.put("computedRows", impl.equals("loes4j") ? realTokens : padded);
        double[] passSeconds = new double[passes];
        if (impl.equals("loes4j")) {
            if (LinalgExecutor.threads() != threads) {
                throw new IllegalStateException("loes4j runs " + LinalgExecutor.threads() + " threads, asked for " + threads);
            }
            BertModel model = TextEncoder.load(files, Linalg.get()).model();
            int states = model.config().hiddenStates();
            m.put("hiddenStates", states);
            float[] sinkSum = new float[1];
            for (TokenBatch b : warm) {
                model.forward(b, (k, h, bb) -> sinkSum[0] += h.get(0, 0));
            }
            float[] cls = new float[model.config().hidden()];
            model.forward(batches.getFirst(), (k, h, bb) -> {
                if (k == states - 1) {
                    for (int j = 0; j < cls.length; j++) {
                        cls[j] = h.get(bb.rowOffset(0), j); // packed: [CLS] of the first text of the first batch
                    }
                }
            });
            m.put("firstClsLastState", cls);
            BertModel.StageTimes times = new BertModel.StageTimes();
            int[] seen = new int[1];
            for (int p = 0; p < passes; p++) {
                long t0 = System.nanoTime();
                for (TokenBatch b : batches) {
                    model.forward(b, (k, h, bb) -> {
                        seen[0]++;
                        sinkSum[0] += h.get(0, 0);
                    }, times);
                }
                passSeconds[p] = (System.nanoTime() - t0) / 1e9;
            }
            if (seen[0] != passes * batches.size() * states) {
                throw new IllegalStateException("sink saw " + seen[0] + " hidden states, expected "
                        + passes * batches.size() * states);
            }
            m.put("linearSeconds", times.linearNanos() / 1e9);
            m.put("attentionSeconds", times.attentionNanos() / 1e9);
            m.put("otherSeconds", times.otherNanos() / 1e9);
            m.put("sinkChecksum", sinkSum[0]);
            m.put("backend", Linalg.get().backends().chosen().name());
        } else {
            try (OrtAllHiddenStates ort = new OrtAllHiddenStates(files.weights(), 12, threads)) {
                int states = ort.stateNames().size();
                m.put("hiddenStates", states);
                for (TokenBatch b : warm) {
                    try (OrtSession.Result r = ort.run(b)) {
                        check(r, states);
                    }
                }
                try (OrtSession.Result r = ort.run(batches.getFirst())) {
                    float[] last = ort.state(r, states - 1);
                    int d = last.length / batches.getFirst().positions();
                    m.put("firstClsLastState", Arrays.copyOfRange(last, 0, d)); // [CLS] of the first text
                }
                for (int p = 0; p < passes; p++) {
                    long t0 = System.nanoTime();
                    for (TokenBatch b : batches) {
                        try (OrtSession.Result r = ort.run(b)) {
                            check(r, states);
                        }
                    }
                    passSeconds[p] = (System.nanoTime() - t0) / 1e9;
                }
                m.put("backend", "onnxruntime " + ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion());
            }
        }
        m.put("passSeconds", passSeconds);
        m.put("timedSeconds", sum(passSeconds));
        m.put("tokensPerSecond", realTokens / Report.median(passSeconds));
        m.put("environment", new LinkedHashMap<>(LibraryInfo.environment()));
        System.out.println(RESULT_PREFIX + Json.write(m));
    }

    private static void check(OrtSession.Result r, int states) {
        if (r.size() != states) {
            throw new IllegalStateException("ONNX Runtime returned " + r.size() + " outputs, expected " + states);
        }
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    /** The first {@code lines} non-empty lines, with the resource's {@code \n}, {@code \r}, {@code \t} escapes. */
    static List<String> readTexts(Path file, int lines) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (out.size() == lines) {
                break;
            }
            if (line.isBlank()) {
                continue;
            }
            out.add(line.replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t"));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("sentences: " + file + " holds no text");
        }
        return out;
    }

    /** Tokenises, sorts by token count (stable) and right-pads batches of {@code size}, as TextEncoder does. */
    static List<TokenBatch> batches(WordPieceTokenizer tokenizer, List<String> texts, int maxLength, int size) {
        Encoding[] enc = new Encoding[texts.size()];
        Integer[] order = new Integer[enc.length];
        for (int i = 0; i < enc.length; i++) {
            enc[i] = tokenizer.encode(texts.get(i), maxLength);
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> enc[i].length()));
        List<TokenBatch> out = new ArrayList<>();
        for (int start = 0; start < enc.length; start += size) {
            int n = Math.min(size, enc.length - start);
            int s = 0;
            for (int b = 0; b < n; b++) {
                s = Math.max(s, enc[order[start + b]].length());
            }
            int[] ids = new int[n * s];
            int[] lengths = new int[n];
            Arrays.fill(ids, tokenizer.padId());
            for (int b = 0; b < n; b++) {
                int[] e = enc[order[start + b]].ids();
                System.arraycopy(e, 0, ids, b * s, e.length);
                lengths[b] = e.length;
            }
            out.add(new TokenBatch(n, s, ids, lengths));
        }
        return out;
    }
}
