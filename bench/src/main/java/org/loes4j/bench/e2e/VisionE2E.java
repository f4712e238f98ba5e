package org.loes4j.bench.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.loes4j.encoders.ImageEncoder;
import org.loes4j.encoders.mobilenet.ImageBatch;
import org.loes4j.encoders.mobilenet.MobileNetV2;
import org.loes4j.linalg.LibraryInfo;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.concurrent.LinalgExecutor;
import org.loes4j.linalg.io.Json;

/**
 * MobileNetV2, every tap globally average-pooled: loes4j's Java forward pass ({@link MobileNetV2#forward}, pooled
 * as {@link ImageEncoder} does) against TensorFlow.js 4.22.0's wasm backend in Node ({@code mobilenet_v2_speed.js})
 * on the same nsfwjs model files and the same images, measured in the same run.
 *
 * <p>Images: the 32 Fashion-MNIST test images of the encoders' test resources (or {@code --idx FILE}), each
 * upscaled to {@code --size} (default 224) by nearest neighbour and replicated into RGB in [0, 1]; the
 * content does not change the work of a convolutional network, only the size does. They are written once as
 * a float32 .npy file for TensorFlow.js. Each (implementation, thread count) runs in a fresh process: loes4j
 * in a JVM with {@code -Dloes4j.threads=T}, TensorFlow.js with {@code setThreadsCount(T)} (the count it
 * actually used is reported: its threaded wasm binary needs worker threads and SharedArrayBuffer). In each:
 * cold = the first batch after loading the model (JIT or wasm compilation included); then {@code --warmup-passes}
 * untimed passes over all images and {@code --passes} timed ones; images/s = images per pass / median pass
 * time. loes4j's split comes from {@link MobileNetV2.StageTimes} over the timed passes: GEMM (the stem on
 * im2col patches, every 1x1 expansion and projection, the head), depthwise (3x3, bias and ReLU6 fused), rest
 * (im2col, bias, residual and ReLU6 after each GEMM, the input check); pooling is outside it.
 *
 * <p>Needs node, npm's packages in the data cache (the encoders' tests install them:
 * {@code <cache>/node/tfjs-4.22.0-wasm/node_modules}) and the extracted model
 * ({@code <cache>/nsfwjs-4.3.0/mobilenet_v2}, which {@code loes demo --vision} or those tests leave), where
 * {@code <cache>} is {@code -Dloes4j.data.dir} or {@code ~/.cache/loes4j/data}.
 *
 * <p>Options: {@code --size}, {@code --images} (default 32), {@code --batch} (default 8), {@code --threads 1,2},
 * {@code --passes} (default 3), {@code --warmup-passes} (default 1), {@code --impls loes4j,tfjs-wasm},
 * {@code --idx FILE}, {@code --rounds} (default 2: every cell runs once per round, the process order reversed
 * every other round, the median round reported), plus {@link Report}'s.
 */
public final class VisionE2E {
    static final String DEFAULT_IDX = "encoders/src/test/resources/org/loes4j/encoders/mobilenet/"
            + "fashion-mnist-t10k-32-images-idx3-ubyte";
    private static final String RESULT_PREFIX = "E2E-RESULT ";
    private static final String SCRIPT = "mobilenet_v2_speed.js";

    private VisionE2E() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--worker")) {
            worker(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Args a = new Args(args, SelectionE2E.withCommon("size", "images", "batch", "threads", "passes", "warmup-passes",
                "impls", "idx", "rounds"));
        Report report = new Report("vision", "End-to-end: MobileNetV2, every tap pooled (loes4j vs TensorFlow.js wasm)",
                a, VisionE2E.class.getName(), args);
        int size = a.getInt("size", 224);
        int images = a.getInt("images", 32);
        int batch = a.getInt("batch", 8);
        int[] threads = a.getInts("threads", new int[] {1, 2});
        int passes = a.getInt("passes", 3);
        int warmup = a.getInt("warmup-passes", 1);
        String idx = a.get("idx", DEFAULT_IDX);
        int rounds = a.getInt("rounds", 2);
        List<String> impls = List.of(a.get("impls", "loes4j,tfjs-wasm").split(","));
        for (String impl : impls) {
            if (!impl.equals("loes4j") && !impl.equals("tfjs-wasm")) {
                throw new IllegalArgumentException("--impls: '" + impl + "', expected loes4j and/or tfjs-wasm");
            }
        }
        Path cache = cacheDir();
        Path model = cache.resolve("nsfwjs-4.3.0").resolve("mobilenet_v2");
        Path modules = cache.resolve("node").resolve("tfjs-4.22.0-wasm").resolve("node_modules");
        if (!Files.isRegularFile(model.resolve("model.min.js"))) {
            throw new IllegalStateException(model + " is missing: run `loes demo --vision --quick` (or the encoders' "
                    + "MobileNetV2 tests) once to fetch and extract nsfwjs's model");
        }
        Path work = Files.createTempDirectory("loes4j-vision-e2e");
        Path npy = work.resolve("input.npy");
        writeNpy(npy, inputs(Path.of(idx), images, size), images, size);
        Path script = work.resolve(SCRIPT);
        try (InputStream in = VisionE2E.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " missing from the bench resources");
            }
            Files.copy(in, script);
        }

        // Each (implementation, threads) cell runs once per round, the order of the processes reversed every other
        // round: on a shared machine the process that runs right after another was measured up to 40% slower (the
        // first tfjs run after the first JVM, three runs in a row), so a fixed order would bias the ratio.
        List<String[]> cells = new ArrayList<>();
        for (int t : threads) {
            for (String impl : impls) {
                cells.add(new String[] {impl, Integer.toString(t)});
            }
        }
        Map<String, List<Map<String, Object>>> byCell = new LinkedHashMap<>();
        for (String[] c : cells) {
            byCell.put(c[0] + "@" + c[1], new ArrayList<>());
        }
        try {
            for (int round = 0; round < rounds; round++) {
                List<String[]> order = new ArrayList<>(cells);
                if (round % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                for (String[] c : order) {
                    String impl = c[0];
                    int t = Integer.parseInt(c[1]);
                    Map<String, Object> m = runCell(impl, t, model, modules, npy, script, batch, passes, warmup);
                    m.put("round", round);
                    byCell.get(impl + "@" + t).add(m);
                    System.out.println(Report.f("vision: round %d: %s threads %d: %.2f images/s (cold batch %.2f s)",
                            round, impl, t, num(m, "imagesPerSecond"), num(m, "coldBatchSeconds")));
                }
            }
        } finally {
            Files.deleteIfExists(npy);
            Files.deleteIfExists(script);
            Files.deleteIfExists(work);
        }
        // Per cell, the round with the median images/s (the lower middle one for an even count) stands for it.
        List<Map<String, Object>> results = new ArrayList<>();
        for (List<Map<String, Object>> runs : byCell.values()) {
            List<Map<String, Object>> sorted = new ArrayList<>(runs);
            sorted.sort(java.util.Comparator.comparingDouble(r -> num(r, "imagesPerSecond")));
            Map<String, Object> mid = new LinkedHashMap<>(sorted.get((sorted.size() - 1) / 2));
            List<Double> all = new ArrayList<>();
            for (Map<String, Object> r : runs) {
                all.add(num(r, "imagesPerSecond"));
            }
            mid.put("imagesPerSecondByRound", all);
            results.add(mid);
        }
        report.put("rounds", rounds);
        report.put("size", size);
        report.put("images", images);
        report.put("batch", batch);
        report.put("passes", passes);
        report.put("warmupPasses", warmup);
        report.put("inputs", idx);
        report.put("results", results);
        writeTables(report, results, threads, size, images, batch, passes, warmup, idx, rounds);
        Path[] out = report.write();
        System.out.print(report.markdown());
        System.out.println("vision: wrote " + out[0] + " and " + out[1]);
    }

    private static Map<String, Object> runCell(String impl, int t, Path model, Path modules, Path npy, Path script,
                                               int batch, int passes, int warmup) throws IOException, InterruptedException {
        List<String> cmd;
        if (impl.equals("loes4j")) {
            cmd = ChildJvm.command(List.of("-D" + LinalgExecutor.THREADS_PROPERTY + "=" + t),
                    VisionE2E.class.getName(), List.of("--worker", "--model", model.toString(), "--input",
                            npy.toString(), "--batch", Integer.toString(batch), "--threads", Integer.toString(t),
                            "--passes", Integer.toString(passes), "--warmup-passes", Integer.toString(warmup)));
        } else {
            if (!Files.isRegularFile(modules.resolve("@tensorflow/tfjs-backend-wasm/package.json"))) {
                throw new IllegalStateException(modules + " lacks @tensorflow/tfjs-backend-wasm: run the encoders' "
                        + "MobileNetV2ReferenceTest once (it installs TensorFlow.js 4.22.0 there with npm)");
            }
            cmd = List.of(System.getProperty("loes4j.node", "node"), script.toString(), modules.toString(),
                    model.toString(), npy.toString(), Integer.toString(batch), Integer.toString(t),
                    Integer.toString(warmup), Integer.toString(passes));
        }
        ChildJvm.Result r = ChildJvm.run(cmd).checkOk(cmd);
        Map<String, Object> m = null;
        for (String line : r.stdout().split("\n")) {
            if (line.startsWith(RESULT_PREFIX)) {
                m = Json.parseObject(line.substring(RESULT_PREFIX.length()));
            }
        }
        if (m == null) {
            throw new IllegalStateException("worker printed no result: " + String.join(" ", cmd) + "\n"
                    + r.stdout() + r.stderr());
        }
        m.put("threadsAskedFor", t);
        m.put("peakRssMiB", r.peakRssKiB() / 1024.0);
        m.put("processWallSeconds", r.wallSeconds());
        return m;
    }

    private static String rounded(Object list) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) list) {
            out.add(Report.f("%.1f", ((Number) o).doubleValue()));
        }
        return String.join(", ", out);
    }

    private static double num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static void writeTables(Report report, List<Map<String, Object>> results, int[] threads, int size,
                                    int images, int batch, int passes, int warmup, String idx, int rounds) {
        report.paragraph(Report.f("nsfwjs 4.3.0's MobileNetV2 (alpha 1.0) trunk up to out_relu, all 18 taps globally "
                        + "average-pooled and handed on; %d images of %d x %d x 3 (the first %d of `%s`, nearest-neighbour "
                        + "upscaled, grey replicated), batches of %d. Each row is a fresh process: cold = the first batch "
                        + "after loading; then %d untimed warm-up pass(es) and %d timed passes; images/s = images per pass "
                        + "/ median pass time. loes4j: -Dloes4j.threads=T; TensorFlow.js 4.22.0 wasm backend in Node, "
                        + "setThreadsCount(T) (the threads column says how many it used). Both run in the same harness "
                        + "run on the same busy machine, so read the ratio, not the absolute numbers. Every cell ran in %d "
                        + "rounds, the order of the processes reversed every other round; the row shown per cell is its "
                        + "median round (images/s of every round in the last column).", images, size, size,
                images, idx, batch, warmup, passes, rounds));
        Map<Integer, Map<String, Map<String, Object>>> byThreads = new LinkedHashMap<>();
        for (Map<String, Object> r : results) {
            byThreads.computeIfAbsent(((Number) r.get("threadsAskedFor")).intValue(), x -> new LinkedHashMap<>())
                    .put((String) r.get("impl"), r);
        }
        List<List<String>> t = new ArrayList<>();
        for (int th : threads) {
            Map<String, Map<String, Object>> row = byThreads.getOrDefault(th, Map.of());
            Map<String, Object> l = row.get("loes4j");
            Map<String, Object> w = row.get("tfjs-wasm");
            double li = l == null ? Double.NaN : num(l, "imagesPerSecond");
            double wi = w == null ? Double.NaN : num(w, "imagesPerSecond");
            t.add(List.of(Integer.toString(th), Report.f("%.2f", li), Report.f("%.2f", wi),
                    w == null ? "-" : String.valueOf(w.get("threads")), Report.f("%.2f", li / wi),
                    l == null ? "-" : Report.f("%.2f", num(l, "coldBatchSeconds")),
                    w == null ? "-" : Report.f("%.2f", num(w, "coldBatchSeconds")),
                    l == null ? "-" : Report.f("%.0f", num(l, "peakRssMiB")),
                    w == null ? "-" : Report.f("%.0f", num(w, "peakRssMiB")),
                    (l == null ? "-" : rounded(l.get("imagesPerSecondByRound"))) + " / "
                            + (w == null ? "-" : rounded(w.get("imagesPerSecondByRound")))));
        }
        report.table(List.of("threads", "loes4j images/s", "tfjs-wasm images/s", "tfjs threads used",
                "loes4j / tfjs-wasm", "loes4j cold batch s", "tfjs cold batch s", "loes4j peak RSS MiB",
                "node peak RSS MiB", "images/s by round (loes4j / tfjs)"), t);
        List<List<String>> s = new ArrayList<>();
        for (Map<String, Object> r : results) {
            if (!"loes4j".equals(r.get("impl"))) {
                continue;
            }
            double g = num(r, "gemmSeconds");
            double d = num(r, "depthwiseSeconds");
            double o = num(r, "otherSeconds");
            double total = num(r, "timedSeconds");
            s.add(List.of(String.valueOf(r.get("threadsAskedFor")), Report.f("%.2f (%.0f%%)", g, 100 * g / total),
                    Report.f("%.2f (%.0f%%)", d, 100 * d / total), Report.f("%.2f (%.0f%%)", o, 100 * o / total),
                    Report.f("%.2f (%.0f%%)", total - g - d - o, 100 * (total - g - d - o) / total),
                    Report.f("%.2f", total), String.valueOf(r.get("backend")) + ", depthwise " + r.get("depthwiseKernel")));
        }
        if (!s.isEmpty()) {
            report.paragraph("loes4j's time by stage over the timed passes (`MobileNetV2.StageTimes`): GEMM = the stem "
                    + "(im2col patches) and every 1x1 convolution, depthwise = the 3x3 depthwise convolutions (bias and "
                    + "ReLU6 fused), rest = im2col, bias, residual and ReLU6 after each GEMM, the input check; pooling = "
                    + "the timed total minus the three (the taps' global average pooling, batch set-up).");
            report.table(List.of("threads", "GEMM s", "depthwise s", "rest s", "pooling s", "timed total s", "backend"), s);
        }
    }

    // ------------------------------------------------------------------ worker (a fresh JVM)

    private static void worker(String[] args) throws IOException {
        Args a = new Args(args, List.of("model", "input", "batch", "threads", "passes", "warmup-passes"));
        int batch = a.getInt("batch", 8);
        int passes = a.getInt("passes", 3);
        int warmup = a.getInt("warmup-passes", 1);
        long t0 = System.nanoTime();
        Linalg la = Linalg.get();
        MobileNetV2 model = MobileNetV2.load(Path.of(a.get("model", null)), la);
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        float[][] in = new float[1][];
        int[] shape = readNpy(Path.of(a.get("input", null)), in);
        int n = shape[0];
        int size = shape[1];
        ImageBatch all = new ImageBatch(in[0], n, size, size);
        MobileNetV2.StageTimes ignored = new MobileNetV2.StageTimes();
        long c0 = System.nanoTime();
        pass(model, all, Math.min(batch, n), batch, ignored);
        double cold = (System.nanoTime() - c0) / 1e9;
        for (int p = 0; p < warmup; p++) {
            pass(model, all, n, batch, ignored);
        }
        MobileNetV2.StageTimes times = new MobileNetV2.StageTimes();
        double[] passSeconds = new double[passes];
        long timed = 0;
        for (int p = 0; p < passes; p++) {
            long s = System.nanoTime();
            pass(model, all, n, batch, times);
            long e = System.nanoTime() - s;
            timed += e;
            passSeconds[p] = e / 1e9;
        }
        double median = Report.median(passSeconds);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("impl", "loes4j");
        m.put("threads", LinalgExecutor.threads());
        m.put("backend", la.backends().chosen().name());
        m.put("depthwiseKernel", model.depthwiseKernel());
        m.put("loes4jVersion", LibraryInfo.version());
        m.put("images", n);
        m.put("size", size);
        m.put("batch", batch);
        m.put("loadSeconds", loadSeconds);
        m.put("coldBatchSeconds", cold);
        m.put("coldBatchImages", Math.min(batch, n));
        m.put("passSeconds", Report.list(passSeconds));
        m.put("medianPassSeconds", median);
        m.put("imagesPerSecond", n / median);
        m.put("timedSeconds", timed / 1e9);
        m.put("gemmSeconds", times.gemmNanos() / 1e9);
        m.put("depthwiseSeconds", times.depthwiseNanos() / 1e9);
        m.put("otherSeconds", times.otherNanos() / 1e9);
        System.out.println(RESULT_PREFIX + Json.write(m));
    }

    /** The first {@code count} images of {@code all}, {@code batch} per forward pass, every tap pooled. */
    private static void pass(MobileNetV2 model, ImageBatch all, int count, int batch,
                             MobileNetV2.StageTimes times) {
        int size = all.height();
        int[] widths = model.tapWidths();
        float[][] pooled = new float[widths.length][];
        for (int t = 0; t < widths.length; t++) {
            pooled[t] = new float[batch * widths[t]];
        }
        for (int s = 0; s < count; s += batch) {
            int m = Math.min(batch, count - s);
            ImageBatch b = new ImageBatch(all.pixels(), s * all.imageSize(), m, size, size);
            model.forward(b, (tap, act, images, h, w) -> {
                // Global average pooling, as ImageEncoder does (kept here so the stage times exclude it).
                int c = act.cols();
                float[] src = act.data();
                float[] dst = pooled[tap];
                int pixels = h * w;
                for (int i = 0; i < images; i++) {
                    for (int j = 0; j < c; j++) {
                        dst[i * c + j] = 0;
                    }
                    for (int p = 0; p < pixels; p++) {
                        int r = act.index(i * pixels + p, 0);
                        for (int j = 0; j < c; j++) {
                            dst[i * c + j] += src[r + j];
                        }
                    }
                }
            }, times);
        }
    }

    // ------------------------------------------------------------------ inputs

    /** {@code count} images of the IDX file (cycled if it has fewer), nearest-neighbour upscaled, RGB in [0, 1]. */
    static float[] inputs(Path idx, int count, int size) throws IOException {
        byte[] b = Files.readAllBytes(idx);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
        if (bb.getInt(0) != 0x00000803) {
            throw new IOException(idx + ": not an IDX file of unsigned-byte images");
        }
        int n = bb.getInt(4);
        int h = bb.getInt(8);
        int w = bb.getInt(12);
        float[] out = new float[count * size * size * 3];
        int o = 0;
        for (int i = 0; i < count; i++) {
            int base = 16 + (i % n) * h * w;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    float v = (b[base + (y * h / size) * w + x * w / size] & 0xff) / 255f;
                    out[o++] = v;
                    out[o++] = v;
                    out[o++] = v;
                }
            }
        }
        return out;
    }

    static void writeNpy(Path file, float[] data, int n, int size) throws IOException {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + n + ", " + size + ", " + size + ", 3), }";
        int pad = 64 - (10 + header.length() + 1) % 64;
        header = header + " ".repeat(pad % 64) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        buf.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        buf.asFloatBuffer().put(data);
        Files.write(file, buf.array());
    }

    /** Reads what {@link #writeNpy} wrote; returns the shape, the values in {@code out[0]}. */
    static int[] readNpy(Path file, float[][] out) throws IOException {
        byte[] b = Files.readAllBytes(file);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = bb.getShort(8) & 0xffff;
        String header = new String(b, 10, headerLen, StandardCharsets.US_ASCII);
        String dims = header.substring(header.indexOf("'shape': (") + 10, header.indexOf(')'));
        int[] shape = Arrays.stream(dims.split(",")).map(String::strip).filter(x -> !x.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        float[] v = new float[shape[0] * shape[1] * shape[2] * shape[3]];
        bb.position(10 + headerLen);
        bb.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        out[0] = v;
        return shape;
    }

    private static Path cacheDir() {
        String p = System.getProperty("loes4j.data.dir");
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("loes4j").resolve("data");
    }
}
