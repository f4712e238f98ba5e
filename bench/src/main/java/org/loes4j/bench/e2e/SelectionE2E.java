package org.loes4j.bench.e2e;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Task;
import org.loes4j.linalg.SegmentMatrix;
import org.loes4j.linalg.concurrent.LinalgExecutor;
import org.loes4j.linalg.io.Json;
import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyArray;
import org.loes4j.selection.Loes;
import org.loes4j.selection.LoesOptions;
import org.loes4j.selection.SelectionResult;
import org.loes4j.selection.data.SyntheticEmbeddings;

/**
 * LOES end to end (issue 3's targets) on seeded synthetic structured float32 embeddings
 * ({@link SyntheticEmbeddings}):
 * <ul>
 *   <li>cold: {@code loes select --embeddings E.npy --labels Y.npy --k K --json OUT.json} in a fresh JVM per
 *       run (the CLI's {@code Main} on this class path): wall time from process start to exit and peak RSS,
 *       median of {@code --cold-runs}; the phase breakdown is the median, per phase, of the JSON's
 *       {@code provenance.timings};</li>
 *   <li>warm command: the same command through the CLI's {@code Main.run} in this JVM (after {@code --warmup}
 *       untimed runs), median of {@code --warm-runs}: everything the cold run does but start the JVM;</li>
 *   <li>warm: {@code Loes.select} repeated in this JVM on the memory-mapped file (after {@code --warmup}
 *       untimed runs), median of {@code --warm-runs}.</li>
 * </ul>
 * Both use the CLI's defaults (calibration fraction 0.2, seed 42, exact triangles); one more row runs the
 * smaller shape with {@code --calibration-fraction 1.0}. The peer is not run here: issue 3 states that a
 * straightforward numpy implementation took about 140 s on the first shape; that figure is quoted, not
 * measured by us.
 *
 * <p>Options: {@code --shapes NxLxdxC,...} (default {@code 3000x22x768x11,2000x12x384x6}), {@code --k},
 * {@code --cold-runs}, {@code --warm-runs}, {@code --warmup}, {@code --full-calibration-shape} (index of the
 * shape for the calibration-fraction-1.0 row, default 1; -1 for none), {@code --seed}, {@code --work DIR}
 * (where the inputs are written, default a temporary directory that is deleted), plus {@link Report}'s.
 */
public final class SelectionE2E {
    /** The wall time issue 3 reports for a straightforward numpy implementation on 3000 x 22 x 768, C = 11. */
    static final double ISSUE_NUMPY_SECONDS = 140.0;
    static final String ISSUE_NUMPY_SHAPE = "3000x22x768x11";
    private static final String CLI_MAIN = "org.loes4j.cli.Main";

    private SelectionE2E() {
    }

    /** One input shape: N rows, L layers, width d, C classes. */
    record Shape(int rows, int layers, int dim, int classes) {
        static Shape parse(String s) {
            String[] p = s.strip().split("x");
            if (p.length != 4) {
                throw new IllegalArgumentException("--shapes: '" + s + "' is not NxLxdxC");
            }
            try {
                return new Shape(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]),
                        Integer.parseInt(p[3]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--shapes: '" + s + "' is not NxLxdxC");
            }
        }

        String id() {
            return rows + "x" + layers + "x" + dim + "x" + classes;
        }

        String label() {
            return "N=" + rows + ", L=" + layers + ", d=" + dim + ", C=" + classes;
        }
    }

    public static void main(String[] args) throws Exception {
        Args a = new Args(args, withCommon("shapes", "k", "cold-runs", "warm-runs", "warmup", "full-calibration-shape",
                "seed", "work"));
        Report report = new Report("selection", "End-to-end: LOES selection (`loes select`)", a,
                SelectionE2E.class.getName(), args);
        List<Shape> shapes = new ArrayList<>();
        for (String s : a.get("shapes", "3000x22x768x11,2000x12x384x6").split(",")) {
            shapes.add(Shape.parse(s));
        }
        int k = a.getInt("k", 4);
        int coldRuns = a.getInt("cold-runs", 3);
        int warmRuns = a.getInt("warm-runs", 5);
        int warmup = a.getInt("warmup", 1);
        int fullShape = a.getInt("full-calibration-shape", 1);
        long seed = a.getInt("seed", 42);
        if (coldRuns < 1 || warmRuns < 1 || warmup < 0) {
            throw new IllegalArgumentException("--cold-runs " + coldRuns + ", --warm-runs " + warmRuns + ", --warmup "
                    + warmup + ": runs must be >= 1, warm-up >= 0");
        }
        boolean tempWork = !a.has("work");
        Path work = tempWork ? Files.createTempDirectory("loes4j-e2e-selection") : Path.of(a.get("work", null));
        Files.createDirectories(work);

        List<Map<String, Object>> rows = new ArrayList<>();
        try {
            for (int i = 0; i < shapes.size(); i++) {
                Shape s = shapes.get(i);
                Path emb = work.resolve("emb-" + s.id() + ".npy");
                Path lab = work.resolve("labels-" + s.id() + ".npy");
                long g0 = System.nanoTime();
                new SyntheticEmbeddings(s.rows(), s.layers(), s.dim(), s.classes(), seed).write(emb, lab);
                double genSeconds = (System.nanoTime() - g0) / 1e9;
                System.out.println(Report.f("selection: generated %s in %.1f s (%d MB)", s.label(), genSeconds,
                        Files.size(emb) >> 20));
                rows.add(measure(s, emb, lab, k, 0.2, seed, coldRuns, warmRuns, warmup, work, genSeconds));
                if (i == fullShape) {
                    rows.add(measure(s, emb, lab, k, 1.0, seed, coldRuns, warmRuns, warmup, work, genSeconds));
                }
            }
        } finally {
            if (tempWork) {
                deleteTree(work);
            }
        }
        report.put("k", k);
        report.put("seed", seed);
        report.put("coldRuns", coldRuns);
        report.put("warmRuns", warmRuns);
        report.put("warmup", warmup);
        report.put("rows", rows);
        report.put("peer", Map.of("name", "numpy (issue 3)", "seconds", ISSUE_NUMPY_SECONDS, "shape", ISSUE_NUMPY_SHAPE,
                "measuredByUs", false));
        writeTables(report, rows, k, coldRuns, warmRuns, warmup, seed);
        Path[] files = report.write();
        System.out.print(report.markdown());
        System.out.println("selection: wrote " + files[0] + " and " + files[1]);
    }

    static List<String> withCommon(String... own) {
        List<String> l = new ArrayList<>(Arrays.asList(own));
        l.addAll(Report.COMMON_OPTIONS);
        return l;
    }

    private static Map<String, Object> measure(Shape s, Path emb, Path lab, int k, double fraction, long seed,
                                               int coldRuns, int warmRuns, int warmup, Path work, double genSeconds)
            throws IOException, InterruptedException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("shape", s.id());
        row.put("calibrationFraction", fraction);
        row.put("generateSeconds", genSeconds);
        row.put("inputBytes", Files.size(emb));

        double[] wall = new double[coldRuns];
        double[] rss = new double[coldRuns];
        String rssSource = "";
        Map<String, List<Double>> phases = new LinkedHashMap<>();
        Set<String> selections = new LinkedHashSet<>();
        List<String> command = List.of();
        for (int r = 0; r < coldRuns; r++) {
            Path out = work.resolve("out-" + s.id() + "-" + fraction + "-" + r + ".json");
            List<String> cli = new ArrayList<>(List.of("select", "--embeddings", emb.toString(), "--labels",
                    lab.toString(), "--k", Integer.toString(k), "--seed", Long.toString(seed), "--json", out.toString()));
            if (fraction != 0.2) {
                cli.add("--calibration-fraction");
                cli.add(Double.toString(fraction));
            }
            // The child runs with this JVM's thread count (run-e2e.sh's --threads), not its own default.
            command = ChildJvm.command(List.of("-D" + LinalgExecutor.THREADS_PROPERTY + "=" + LinalgExecutor.threads()),
                    CLI_MAIN, cli);
            ChildJvm.Result res = ChildJvm.run(command).checkOk(command);
            wall[r] = res.wallSeconds();
            rss[r] = res.peakRssKiB() / 1024.0;
            rssSource = res.rssSource();
            Map<String, Object> result = Json.parseObject(Files.readString(out));
            selections.add(String.valueOf(result.get("selected")));
            @SuppressWarnings("unchecked")
            Map<String, Object> prov = (Map<String, Object>) result.get("provenance");
            @SuppressWarnings("unchecked")
            Map<String, Object> timings = (Map<String, Object>) prov.get("timings");
            for (Map.Entry<String, Object> e : timings.entrySet()) {
                phases.computeIfAbsent(e.getKey(), x -> new ArrayList<>()).add(((Number) e.getValue()).doubleValue());
            }
            if (r == 0) {
                row.put("childThreads", prov.get("threads"));
                row.put("childBackend", prov.get("backend"));
            }
            Files.deleteIfExists(out);
            System.out.println(Report.f("selection: cold %s fraction %.1f run %d: %.2f s, peak RSS %.0f MiB", s.id(),
                    fraction, r + 1, wall[r], rss[r]));
        }
        Map<String, Object> medianPhases = new LinkedHashMap<>();
        for (Map.Entry<String, List<Double>> e : phases.entrySet()) {
            double[] v = new double[e.getValue().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = e.getValue().get(i);
            }
            medianPhases.put(e.getKey(), Report.median(v));
        }

        double[] warm = new double[warmRuns];
        String warmSelected;
        Map<String, Object> warmTimings;
        try (NpyArray array = Npy.map(emb); NpyArray labels = Npy.map(lab)) {
            List<SegmentMatrix> views = new ArrayList<>();
            int[] ids = new int[array.layers()];
            for (int l = 0; l < array.layers(); l++) {
                views.add(array.layer(l));
                ids[l] = l;
            }
            LayeredEmbeddings stack = LayeredEmbeddings.ofMatrices(views, ids);
            Labels targets = Labels.ofIntegers(labels.toLongArray());
            LoesOptions options = LoesOptions.builder().k(k).task(Task.CLASSIFICATION).calibrationFraction(fraction)
                    .seed(seed).build();
            Loes loes = Loes.builder().options(options).build();
            SelectionResult last = null;
            for (int r = 0; r < warmup; r++) {
                last = loes.select(stack, targets);
            }
            for (int r = 0; r < warmRuns; r++) {
                long t0 = System.nanoTime();
                last = loes.select(stack, targets);
                warm[r] = (System.nanoTime() - t0) / 1e9;
                System.out.println(Report.f("selection: warm %s fraction %.1f run %d: %.3f s", s.id(), fraction, r + 1,
                        warm[r]));
            }
            warmSelected = Arrays.toString(last.selected());
            warmTimings = new LinkedHashMap<>(last.provenance().timingsMs());
        }
        // The whole command in this (warm) JVM: open and map, labels, finiteness check, digests, select, table, JSON.
        double[] warmCommand = new double[warmRuns];
        Path warmOut = work.resolve("warm-" + s.id() + "-" + fraction + ".json");
        List<String> warmCli = new ArrayList<>(List.of("select", "--embeddings", emb.toString(), "--labels",
                lab.toString(), "--k", Integer.toString(k), "--seed", Long.toString(seed), "--json", warmOut.toString()));
        if (fraction != 0.2) {
            warmCli.add("--calibration-fraction");
            warmCli.add(Double.toString(fraction));
        }
        String[] warmArgs = warmCli.toArray(String[]::new);
        String warmCommandSelected = null;
        for (int r = -warmup; r < warmRuns; r++) {
            StringWriter sink = new StringWriter();
            PrintWriter pw = new PrintWriter(sink);
            long t0 = System.nanoTime();
            int code = org.loes4j.cli.Main.run(warmArgs, pw, pw);
            double sec = (System.nanoTime() - t0) / 1e9;
            pw.flush();
            if (code != 0) {
                throw new IllegalStateException("in-process loes select exited with " + code + ": " + sink);
            }
            if (r >= 0) {
                warmCommand[r] = sec;
                System.out.println(Report.f("selection: warm command %s fraction %.1f run %d: %.3f s", s.id(), fraction,
                        r + 1, sec));
            }
            warmCommandSelected = String.valueOf(Json.parseObject(Files.readString(warmOut)).get("selected"));
            Files.deleteIfExists(warmOut);
        }
        row.put("coldCommand", String.join(" ", command));
        row.put("coldWallSeconds", Report.list(wall));
        row.put("coldWallMedianSeconds", Report.median(wall));
        row.put("peakRssMiB", Report.list(rss));
        row.put("peakRssMedianMiB", Report.median(rss));
        row.put("peakRssSource", rssSource);
        row.put("coldPhasesMedianMs", medianPhases);
        row.put("coldSelected", new ArrayList<>(selections));
        row.put("warmSeconds", Report.list(warm));
        row.put("warmMedianSeconds", Report.median(warm));
        row.put("warmSelected", warmSelected);
        row.put("warmLastTimingsMs", warmTimings);
        row.put("warmCommandSeconds", Report.list(warmCommand));
        row.put("warmCommandMedianSeconds", Report.median(warmCommand));
        row.put("warmCommandSelected", warmCommandSelected);
        return row;
    }

    private static void writeTables(Report report, List<Map<String, Object>> rows, int k, int coldRuns, int warmRuns,
                                    int warmup, long seed) {
        report.paragraph("Inputs: `SyntheticEmbeddings(N, L, d, C, seed " + seed + ")` written as an (N, L, d) float32 "
                + ".npy and int64 labels; k = " + k + ", CLI defaults otherwise (seed " + seed + ", exact triangles, "
                + "paper accumulation). Cold = `loes select ... --json` in a fresh JVM (the CLI's Main on the bench "
                + "class path), wall time from process start to exit, median of " + coldRuns + "; warm command = the same "
                + "`loes select` command run in this JVM (`Main.run`, same arguments: maps the files, reads the labels, "
                + "checks every value, waits for the SHA-256 digests, selects, prints the table, writes the JSON), "
                + "median of " + warmRuns + " after " + warmup + " untimed run(s); warm Loes.select = the library call "
                + "alone on the memory-mapped file (no input checks, no digests, no JSON), same counts. Peer: issue 3 states a straightforward numpy "
                + "implementation took about " + (int) ISSUE_NUMPY_SECONDS + " s on " + ISSUE_NUMPY_SHAPE
                + "; that is the issue's figure, **not measured by us** (no Python here), so the ratio compares "
                + "different machines.");
        List<List<String>> t = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            double cold = (Double) r.get("coldWallMedianSeconds");
            @SuppressWarnings("unchecked")
            List<Double> coldAll = (List<Double>) r.get("coldWallSeconds");
            double[] c = new double[coldAll.size()];
            for (int i = 0; i < c.length; i++) {
                c[i] = coldAll.get(i);
            }
            boolean peer = ISSUE_NUMPY_SHAPE.equals(r.get("shape")) && (Double) r.get("calibrationFraction") == 0.2;
            t.add(List.of(String.valueOf(r.get("shape")), Report.f("%.1f", (Double) r.get("calibrationFraction")),
                    Report.f("%.2f (%.2f-%.2f)", cold, Report.min(c), Report.max(c)),
                    Report.f("%.0f", (Double) r.get("peakRssMedianMiB")),
                    Report.f("%.3f", (Double) r.get("warmCommandMedianSeconds")),
                    Report.f("%.3f", (Double) r.get("warmMedianSeconds")),
                    String.valueOf(r.get("warmSelected")),
                    peer ? "~" + (int) ISSUE_NUMPY_SECONDS + " (issue 3, not measured)" : "-",
                    peer ? Report.f("%.0fx (different machines)", ISSUE_NUMPY_SECONDS / cold) : "-"));
        }
        report.table(List.of("N x L x d x C", "calibration fraction", "cold wall s, median (min-max)",
                "peak RSS MiB (median)", "warm command s (median)", "warm Loes.select s (median)", "selected", "numpy peer s", "peer / cold"), t);

        Set<String> keys = new LinkedHashSet<>();
        for (Map<String, Object> r : rows) {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) r.get("coldPhasesMedianMs");
            keys.addAll(p.keySet());
        }
        List<String> header = new ArrayList<>(List.of("phase (ms, cold median)"));
        for (Map<String, Object> r : rows) {
            header.add(r.get("shape") + " @" + r.get("calibrationFraction"));
        }
        List<List<String>> p = new ArrayList<>();
        for (String key : keys) {
            List<String> line = new ArrayList<>(List.of(key));
            for (Map<String, Object> r : rows) {
                @SuppressWarnings("unchecked")
                Map<String, Object> ph = (Map<String, Object>) r.get("coldPhasesMedianMs");
                Object v = ph.get(key);
                line.add(v == null ? "-" : Report.f("%.1f", ((Number) v).doubleValue()));
            }
            p.add(line);
        }
        report.paragraph("Phase breakdown from `provenance.timings` of the cold runs' JSON (median per phase): "
                + "`openMs` maps the files, `inputChecksMs` reads labels and checks finiteness, `layersMs` scores every "
                + "layer, `stepNMs` is greedy step N, `totalMs` is `Loes.select`, `digestWaitMs` waits for the "
                + "SHA-256 of the inputs, `endToEndMs` is the select command inside the JVM (JVM start-up and JSON "
                + "writing are the rest of the wall time). Peak RSS: " + rows.getFirst().get("peakRssSource")
                + "; the child JVM runs with the default heap limit. Child JVMs: backend "
                + rows.getFirst().get("childBackend") + ", " + rows.getFirst().get("childThreads") + " threads; warm "
                + "runs: " + LinalgExecutor.threads() + " threads.");
        report.table(header, p);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            List<Path> all = new ArrayList<>();
            for (Path x : (Iterable<Path>) walk::iterator) {
                all.add(x);
            }
            for (int i = all.size() - 1; i >= 0; i--) {
                Files.deleteIfExists(all.get(i));
            }
        }
    }
}
