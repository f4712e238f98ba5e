package org.loes4j.bench.e2e;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.loes4j.linalg.io.Json;
import org.loes4j.linalg.io.Npy;
import org.loes4j.selection.stats.Moments;

/**
 * The statistics route at scale (issue "Past one machine", item 5): rows per second of the one pass that builds
 * the mergeable moments, how the time grows with N, L, d and k, the merge, peak RSS, and a cost model fitted to
 * these runs.
 *
 * <p>Every run is {@code loes select --streaming ... --json OUT} in a fresh JVM (the CLI's {@code Main} on this
 * class path) under GNU {@code time} (wall time, peak RSS), or {@code ./loes spark select --master local[2]}
 * for the Spark rows. The pass, the driver's selection and the steps come from the JSON's
 * {@code provenance.timings} ({@code accumulateMs} = the pass; {@code totalMs} = the selection on the statistics:
 * {@code layersMs} scores every layer, {@code stepNMs} greedy step N; on Spark {@code sparkAccumulateMs} is the
 * pass including its {@code treeReduce} merge, {@code driverSelectMs} the selection). The merge of two
 * {@link Moments} (what {@code treeReduce} does at each level) is timed in this JVM, with its Java serialisation
 * and its size on the wire.
 *
 * <p>Inputs are written here, row by row with positional writes (never the whole array on the heap): an
 * (N, L, d) float32 .npy whose layer l is {@code s_l * prototype[class][l] + uniform noise} (seeded; full rank,
 * so every covariance is well conditioned) and int64 labels {@code i mod C}. The generator is not
 * {@code SyntheticEmbeddings} (which draws layer by layer over the whole file: a 40 GB file would be rewritten
 * 13 times through the page cache); only the cost of the pass matters here, not which layers win.
 *
 * <p>Parts ({@code --parts}, default {@code rate,grid,merge}; {@code big} only when asked):
 * <ul>
 *   <li>{@code rate}: {@code --rate-shape} (default 200000x13x384) on 1 thread, 2 threads and Spark local[2];</li>
 *   <li>{@code grid}: one-factor sweeps around {@code --grid-base} (100000x13x384, k = 4): N in
 *       {@code --grid-n}, L in {@code --grid-l}, d in {@code --grid-d}, k in {@code --grid-k}; 2 threads;</li>
 *   <li>{@code merge}: {@link Moments#merge} and serialisation for D + c of the grid's shapes;</li>
 *   <li>{@code big}: {@code --big-shape} (2000000x13x384), one run of {@code loes select --streaming}, 2 threads;
 *       the file (40 GB) is deleted right after, also on failure.</li>
 * </ul>
 * Other options: {@code --fraction} (calibration fraction, default 0.2: the pass reads and accumulates only the
 * calibration rows, so rows scanned = N and rows accumulated = fraction N are both reported), {@code --classes}
 * (6), {@code --k} (4), {@code --seed} (42), {@code --work DIR} (default a temporary directory under
 * {@code java.io.tmpdir}, deleted), {@code --loes PATH} (the launcher for the Spark rows, default {@code ./loes};
 * empty skips them), plus {@link Report}'s.
 */
public final class ScaleE2E {
    private static final String CLI_MAIN = "org.loes4j.cli.Main";

    private ScaleE2E() {
    }

    /** N x L x d. */
    record Shape(int rows, int layers, int dim) {
        static Shape parse(String s) {
            String[] p = s.strip().split("x");
            if (p.length != 3) {
                throw new IllegalArgumentException("shape: '" + s + "' is not NxLxd");
            }
            return new Shape(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
        }

        String id() {
            return rows + "x" + layers + "x" + dim;
        }

        long bytes() {
            return 4L * rows * layers * dim;
        }

        int width() {
            return layers * dim;
        }
    }

    public static void main(String[] args) throws Exception {
        Args a = new Args(args, SelectionE2E.withCommon("parts", "rate-shape", "grid-base", "grid-n", "grid-l",
                "grid-d", "grid-k", "big-shape", "fraction", "classes", "k", "seed", "work", "loes"));
        Report report = new Report("scale", "Scale-out: the statistics route", a, ScaleE2E.class.getName(), args);
        List<String> parts = List.of(a.get("parts", "rate,grid,merge").split(","));
        double fraction = Double.parseDouble(a.get("fraction", "0.2"));
        int classes = a.getInt("classes", 6);
        int k = a.getInt("k", 4);
        long seed = a.getInt("seed", 42);
        String loes = a.get("loes", "./loes");
        boolean tempWork = !a.has("work");
        Path work = tempWork ? Files.createTempDirectory("loes4j-e2e-scale") : Path.of(a.get("work", null));
        Files.createDirectories(work);
        Ctx ctx = new Ctx(work, fraction, classes, seed);
        report.put("fraction", fraction);
        report.put("classes", classes);
        report.put("seed", seed);
        Thread cleanup = new Thread(() -> {
            try {
                SelectionE2E.deleteTree(work);
            } catch (IOException e) {
                System.err.println("scale: could not delete " + work + ": " + e);
            }
        });
        if (tempWork) {
            Runtime.getRuntime().addShutdownHook(cleanup); // also on Ctrl-C or a failure: the inputs are large
        }
        List<Map<String, Object>> rate = new ArrayList<>();
        List<Map<String, Object>> grid = new ArrayList<>();
        List<Map<String, Object>> merge = new ArrayList<>();
        List<Map<String, Object>> big = new ArrayList<>();
        try {
            if (parts.contains("rate")) {
                Shape s = Shape.parse(a.get("rate-shape", "200000x13x384"));
                Path[] f = ctx.write(s);
                try {
                    rate.add(ctx.cli(s, f, k, 1, "1 thread"));
                    rate.add(ctx.cli(s, f, k, 2, "2 threads"));
                    if (!loes.isEmpty()) {
                        rate.add(ctx.spark(s, f, k, loes));
                    }
                } finally {
                    ctx.delete(f);
                }
            }
            if (parts.contains("grid")) {
                Shape base = Shape.parse(a.get("grid-base", "100000x13x384"));
                List<Shape> shapes = new ArrayList<>();
                for (int n : a.getInts("grid-n", new int[] {50_000, 100_000, 200_000})) {
                    shapes.add(new Shape(n, base.layers(), base.dim()));
                }
                for (int l : a.getInts("grid-l", new int[] {7, 13, 25})) {
                    shapes.add(new Shape(base.rows(), l, base.dim()));
                }
                for (int d : a.getInts("grid-d", new int[] {128, 384, 768})) {
                    shapes.add(new Shape(base.rows(), base.layers(), d));
                }
                List<Shape> distinct = shapes.stream().distinct().toList();
                for (Shape s : distinct) {
                    Path[] f = ctx.write(s);
                    try {
                        grid.add(ctx.cli(s, f, k, 2, "sweep"));
                        if (s.equals(base)) {
                            for (int kk : a.getInts("grid-k", new int[] {2, 4, 8})) {
                                if (kk != k) {
                                    grid.add(ctx.cli(s, f, kk, 2, "sweep k"));
                                }
                            }
                        }
                    } finally {
                        ctx.delete(f);
                    }
                }
            }
            if (parts.contains("merge")) {
                for (int m : new int[] {13 * 128, 7 * 384, 13 * 384, 25 * 384, 13 * 768}) {
                    merge.add(mergeCost(m + classes, classes));
                }
            }
            if (parts.contains("big")) {
                Shape s = Shape.parse(a.get("big-shape", "2000000x13x384"));
                Path[] f = null;
                try {
                    f = ctx.write(s);
                    big.add(ctx.cli(s, f, k, 2, "big"));
                } finally {
                    if (f != null) {
                        ctx.delete(f);
                    }
                    Path[] left = ctx.files(s);
                    for (Path p : left) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } finally {
            if (tempWork) {
                SelectionE2E.deleteTree(work);
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
        }
        report.put("rate", rate);
        report.put("grid", grid);
        report.put("merge", merge);
        report.put("big", big);
        ScaleTables.write(report, rate, grid, merge, big, fraction, classes, k);
        Path[] files = report.write();
        System.out.print(report.markdown());
        System.out.println("scale: wrote " + files[0] + " and " + files[1]);
    }

    /** Where the inputs go and how they are drawn. */
    record Ctx(Path work, double fraction, int classes, long seed) {
        Path[] files(Shape s) {
            return new Path[] {work.resolve("emb-" + s.id() + ".npy"), work.resolve("labels-" + s.id() + ".npy")};
        }

        Path[] write(Shape s) throws Exception {
            Path[] f = files(s);
            long t0 = System.nanoTime();
            writeEmbeddings(f[0], s, classes, seed);
            long[] y = new long[s.rows()];
            for (int i = 0; i < y.length; i++) {
                y[i] = i % classes;
            }
            Npy.write(f[1], y);
            System.out.println(Report.f("scale: wrote %s (%.1f GB) in %.1f s", s.id(), s.bytes() / 1e9,
                    (System.nanoTime() - t0) / 1e9));
            return f;
        }

        void delete(Path[] f) throws IOException {
            for (Path p : f) {
                Files.deleteIfExists(p);
            }
        }

        /** {@code loes select --streaming} in a fresh JVM with {@code threads} threads. */
        Map<String, Object> cli(Shape s, Path[] f, int k, int threads, String config) throws Exception {
            Path out = work.resolve("out-" + s.id() + "-" + k + "-" + threads + ".json");
            List<String> args = new ArrayList<>(List.of("select", "--embeddings", f[0].toString(), "--labels",
                    f[1].toString(), "--k", Integer.toString(k), "--seed", Long.toString(seed), "--streaming",
                    "--threads", Integer.toString(threads), "--calibration-fraction", Double.toString(fraction),
                    "--json", out.toString()));
            List<String> command = ChildJvm.command(List.of("-Dloes4j.threads=" + threads), CLI_MAIN, args);
            return finish(s, k, config, threads, command, out, false);
        }

        /** {@code ./loes spark select --master local[2]} (1 loes4j thread per task: two tasks share the 2 cores). */
        Map<String, Object> spark(Shape s, Path[] f, int k, String loes) throws Exception {
            Path out = work.resolve("out-spark-" + s.id() + "-" + k + ".json");
            List<String> command = List.of("env", "LOES_JAVA_OPTS=-Dloes4j.threads=1", loes, "spark", "select",
                    "--master", "local[2]", "--embeddings", f[0].toString(), "--labels", f[1].toString(), "--k",
                    Integer.toString(k), "--seed", Long.toString(seed), "--calibration-fraction",
                    Double.toString(fraction), "--json", out.toString());
            return finish(s, k, "Spark local[2]", 2, command, out, true);
        }

        private Map<String, Object> finish(Shape s, int k, String config, int threads, List<String> command, Path out,
                                           boolean spark) throws Exception {
            String load0 = Machine.loadAverage();
            ChildJvm.Result res = ChildJvm.run(command).checkOk(command);
            String load1 = Machine.loadAverage();
            Map<String, Object> result = Json.parseObject(Files.readString(out));
            Files.deleteIfExists(out);
            @SuppressWarnings("unchecked")
            Map<String, Object> prov = (Map<String, Object>) result.get("provenance");
            @SuppressWarnings("unchecked")
            Map<String, Object> timings = (Map<String, Object>) prov.get("timings");
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("config", config);
            row.put("shape", s.id());
            row.put("rows", s.rows());
            row.put("layers", s.layers());
            row.put("dim", s.dim());
            row.put("k", k);
            row.put("threads", threads);
            row.put("spark", spark);
            row.put("fraction", fraction);
            row.put("accumulatedRows", calibrationRows(s.rows()));
            row.put("wallSeconds", res.wallSeconds());
            row.put("peakRssMiB", res.peakRssKiB() / 1024.0);
            row.put("timingsMs", timings);
            row.put("selected", String.valueOf(result.get("selected")));
            row.put("loadStart", load0);
            row.put("loadEnd", load1);
            row.put("command", String.join(" ", command));
            if (spark) {
                @SuppressWarnings("unchecked")
                Map<String, Object> details = (Map<String, Object>) prov.get("details");
                row.put("sparkDetail", details == null ? null : details.get("spark"));
            }
            System.out.println(Report.f("scale: %s %s k=%d: wall %.1f s, RSS %.0f MiB, timings %s (load %s -> %s)",
                    config, s.id(), k, res.wallSeconds(), res.peakRssKiB() / 1024.0, timings, load0, load1));
            return row;
        }

        int calibrationRows(int n) {
            return org.loes4j.selection.data.CalibrationSplit.size(n, fraction);
        }
    }

    /** Writes an (N, L, d) float32 .npy with positional writes from 2 threads, one row at a time. */
    static void writeEmbeddings(Path file, Shape s, int classes, long seed) throws Exception {
        int n = s.rows();
        int layers = s.layers();
        int d = s.dim();
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + n + ", " + layers + ", " + d + "), }";
        int unpadded = 10 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        StringBuilder h = new StringBuilder(dict);
        while (10 + h.length() + 1 < total) {
            h.append(' ');
        }
        h.append('\n');
        ByteBuffer header = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        header.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        header.putShort((short) h.length()).put(h.toString().getBytes(StandardCharsets.US_ASCII)).flip();
        SplittableRandom root = new SplittableRandom(seed);
        float[][][] proto = new float[classes][layers][d];
        float[] signal = new float[layers];
        for (int l = 0; l < layers; l++) {
            double z = (l - 0.45 * (layers - 1)) / Math.max(1.0, 0.2 * layers);
            signal[l] = (float) (2.0 * Math.exp(-z * z));
            for (int c = 0; c < classes; c++) {
                for (int j = 0; j < d; j++) {
                    proto[c][l][j] = (float) (root.nextGaussian() / Math.sqrt(d) * 4);
                }
            }
        }
        long rowBytes = 4L * layers * d;
        int rowsPerChunk = (int) Math.max(1, (8L << 20) / rowBytes);
        int workers = 2;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE); ExecutorService pool = Executors.newFixedThreadPool(workers)) {
            ch.write(header, 0);
            List<Future<?>> jobs = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                final int worker = w;
                jobs.add(pool.submit(() -> {
                    ByteBuffer buf = ByteBuffer.allocateDirect((int) (rowsPerChunk * rowBytes)).order(ByteOrder.LITTLE_ENDIAN);
                    for (long c0 = (long) worker * rowsPerChunk; c0 < n; c0 += (long) workers * rowsPerChunk) {
                        int rows = (int) Math.min(rowsPerChunk, n - c0);
                        buf.clear();
                        long state = seed * 0x9E3779B97F4A7C15L + c0 * 0xBF58476D1CE4E5B9L + 1;
                        for (int i = 0; i < rows; i++) {
                            float[][] p = proto[(int) ((c0 + i) % classes)];
                            for (int l = 0; l < layers; l++) {
                                float sl = signal[l];
                                float noise = 0.3f + 0.2f * l / Math.max(1, layers - 1);
                                float[] pl = p[l];
                                for (int j = 0; j < d; j++) {
                                    state ^= state << 13;
                                    state ^= state >>> 7;
                                    state ^= state << 17;
                                    float u = (state >>> 40) * 0x1.0p-24f - 0.5f; // uniform in [-0.5, 0.5)
                                    buf.putFloat(sl * pl[j] + noise * u);
                                }
                            }
                        }
                        buf.flip();
                        long pos = total + c0 * rowBytes;
                        while (buf.hasRemaining()) {
                            pos += ch.write(buf, pos);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> j : jobs) {
                j.get();
            }
        }
    }

    /** {@link Moments#merge} of two moments of width m, and their Java serialisation (what treeReduce ships). */
    static Map<String, Object> mergeCost(int m, int classes) throws IOException {
        int[] widths = {m - classes};
        SplittableRandom r = new SplittableRandom(1);
        double[] mean = new double[m];
        double[] m2a = new double[m * m];
        double[] m2b = new double[m * m];
        for (int i = 0; i < m; i++) {
            mean[i] = r.nextDouble();
        }
        for (int i = 0; i < m2a.length; i++) {
            m2a[i] = r.nextDouble();
            m2b[i] = r.nextDouble();
        }
        double[] mergeMs = new double[5];
        for (int rep = 0; rep < 6; rep++) { // the first is warm-up
            Moments x = new Moments(widths, new int[] {0}, classes, 1_000_000, 1_000_000, 1000, 1, mean.clone(), m2a);
            Moments y = new Moments(widths, new int[] {0}, classes, 1_000_000, 1_000_000, 2000, 1, mean, m2b);
            long t0 = System.nanoTime();
            Moments z = x.merge(y);
            double ms = (System.nanoTime() - t0) / 1e6;
            if (z.n() != 3000) {
                throw new IllegalStateException("merge: n " + z.n());
            }
            if (rep > 0) {
                mergeMs[rep - 1] = ms;
            }
        }
        Moments x = new Moments(widths, new int[] {0}, classes, 1_000_000, 1_000_000, 1000, 1, mean, m2a);
        long[] bytes = {0};
        OutputStream counter = new OutputStream() {
            @Override
            public void write(int b) {
                bytes[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                bytes[0] += len;
            }
        };
        double[] serMs = new double[3];
        for (int rep = 0; rep < 4; rep++) {
            bytes[0] = 0;
            long t0 = System.nanoTime();
            try (ObjectOutputStream o = new ObjectOutputStream(counter)) {
                o.writeObject(x);
            }
            if (rep > 0) {
                serMs[rep - 1] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("columns", m);
        row.put("bytes", bytes[0]);
        row.put("mergeMsMedian", Report.median(mergeMs));
        row.put("serialiseMsMedian", Report.median(serMs));
        System.out.println(Report.f("scale: merge m=%d: %.1f ms, serialise %.1f ms, %.1f MB", m,
                Report.median(mergeMs), Report.median(serMs), bytes[0] / 1e6));
        return row;
    }
}
