package org.loes4j.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import org.loes4j.bench.Inputs;
import org.loes4j.bench.peer.Peers;
import org.loes4j.linalg.LibraryInfo;
import org.loes4j.linalg.io.Json;

/**
 * Turns JMH JSON result files into the markdown of {@code bench/RESULTS.md}: the machine, JDK and exact
 * command, then one table per operation with loes4j and every peer side by side (milliseconds per call,
 * GFLOP/s where the operation has a standard flop count, and the ratio to OpenBLAS at the same thread
 * count, or to EJML where OpenBLAS does not take part).
 *
 * <pre>
 * java -cp benchmarks.jar org.loes4j.bench.report.ResultsReport --json RESULT.json [--json ...]
 *      --out RESULTS.md --command "the command that produced the JSON" [--status TEXT]
 *      [--meta KEY=VALUE ...] [--impl-notes FILE]
 * </pre>
 */
public final class ResultsReport {

    /** One benchmark method's table: which JMH benchmarks feed it, how to label sizes, its flop count. */
    record Operation(String title, String what, List<String> benchmarks, Function<Map<String, String>, String> size,
                     ToDoubleFunction<Map<String, String>> flops) {
        boolean hasFlops() {
            return flops != null;
        }
    }

    /** One JMH result, normalised. */
    record Row(String benchmark, Map<String, String> params, String impl, String name, int threads,
               double secondsPerOp, double relativeError, Map<String, Object> raw) {
    }

    static final List<Operation> OPERATIONS = List.of(
            new Operation("GEMM float64 (dgemm)", "C = A B, A and B n x n; GFLOP/s = 2 n^3 / time",
                    List.of("GemmBench.dgemm", "GemmReferenceBench.dgemm"),
                    p -> "n=" + p.get("n"), p -> 2.0 * cube(p.get("n"))),
            new Operation("GEMM float32 (sgemm)", "C = A B, A and B n x n; GFLOP/s = 2 n^3 / time",
                    List.of("GemmBench.sgemm", "GemmReferenceBench.sgemm"),
                    p -> "n=" + p.get("n"), p -> 2.0 * cube(p.get("n"))),
            new Operation("Gram matrix XT X float64", "X rows x cols; GFLOP/s = rows cols (cols + 1) / time (syrk count)",
                    List.of("GramBench.gram"),
                    p -> p.get("rows") + "x" + p.get("cols"),
                    p -> num(p.get("rows")) * num(p.get("cols")) * (num(p.get("cols")) + 1)),
            new Operation("Cholesky float64", "A = L LT, A n x n SPD; GFLOP/s = n^3 / 3 / time",
                    List.of("CholeskyBench.cholesky"),
                    p -> "n=" + p.get("n"), p -> cube(p.get("n")) / 3.0),
            new Operation("Symmetric eigenvalues float64", "All eigenvalues, no vectors, of an n x n symmetric matrix",
                    List.of("EigenBench.eigenvalues"),
                    p -> "n=" + p.get("n"), null),
            new Operation("Ridge fit float64", "Multi-output ridge with intercept, primal normal equations, X N x p, T N x c",
                    List.of("RidgeBench.ridge"),
                    p -> "N=" + p.get("rows") + " p=" + p.get("p") + " c=" + p.get("c"), null));

    private ResultsReport() {
    }

    private static double num(String s) {
        return Double.parseDouble(s);
    }

    private static double cube(String s) {
        double n = num(s);
        return n * n * n;
    }

    /** Reads JMH JSON result files. */
    static List<Row> read(List<Path> files) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Path f : files) {
            Object doc = Json.parse(Files.readString(f, StandardCharsets.UTF_8));
            if (!(doc instanceof List<?> list)) {
                throw new IllegalArgumentException(f + ": not a JMH JSON result (expected an array)");
            }
            for (Object o : list) {
                rows.add(row(asMap(o)));
            }
        }
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        if (!(o instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("expected a JSON object, got " + o);
        }
        return (Map<String, Object>) o;
    }

    private static Row row(Map<String, Object> r) {
        String fqn = (String) r.get("benchmark");
        String[] parts = fqn.split("\\.");
        String benchmark = parts[parts.length - 2] + "." + parts[parts.length - 1];
        Map<String, String> params = new LinkedHashMap<>();
        Object p = r.get("params");
        if (p != null) {
            asMap(p).forEach((k, v) -> params.put(k, String.valueOf(v)));
        }
        Map<String, Object> metric = asMap(r.get("primaryMetric"));
        double score = number(metric.get("score"));
        double error = number(metric.get("scoreError"));
        String unit = (String) metric.get("scoreUnit");
        double seconds = secondsPerOp(score, unit);
        String impl = params.getOrDefault("impl", "?");
        return new Row(benchmark, params, impl, Peers.nameOf(impl), Peers.threadsOf(impl), seconds,
                Double.isNaN(error) ? Double.NaN : error / score, r);
    }

    /** Seconds per operation from a JMH score in any of its units ({@code ops/s}, {@code ms/op}, ...). */
    static double secondsPerOp(double score, String unit) {
        String[] u = unit.split("/");
        if (u.length != 2) {
            throw new IllegalArgumentException("unit: '" + unit + "' is not of the form a/b");
        }
        if (u[0].equals("ops")) {
            return 1.0 / (score / seconds(u[1]));
        }
        if (u[1].equals("op")) {
            return score * seconds(u[0]);
        }
        throw new IllegalArgumentException("unit: '" + unit + "' is neither ops/time nor time/op");
    }

    private static double seconds(String unit) {
        return switch (unit) {
            case "s" -> 1.0;
            case "ms" -> 1e-3;
            case "us" -> 1e-6;
            case "ns" -> 1e-9;
            case "min" -> 60.0;
            default -> throw new IllegalArgumentException("unit: unknown time unit '" + unit + "'");
        };
    }

    /** The whole markdown document. */
    static String render(List<Row> rows, String command, String status, Map<String, String> meta,
                         List<String> implNotes) {
        StringBuilder md = new StringBuilder();
        md.append("# loes4j benchmark results\n\n");
        if (status != null && !status.isBlank()) {
            md.append("**").append(status.trim()).append("**\n\n");
        }
        md.append("Generated by `org.loes4j.bench.report.ResultsReport` from JMH JSON. Scores are JMH "
                + "throughput (operations per second), shown as milliseconds per call; GFLOP/s = flops per call "
                + "/ seconds per call / 1e9 with the count given under each table. `impl@T` = limited to T threads "
                + "(no suffix: one thread). \"vs ref\" = reference time / this time at the same size and thread "
                + "count (> 1: faster than the reference). ± is JMH's 99.9% confidence half-width, relative.\n\n");
        md.append("## Machine and run\n\n| | |\n|---|---|\n");
        Map<String, String> env = new LinkedHashMap<>(machine());
        if (!rows.isEmpty()) {
            Map<String, Object> first = rows.get(0).raw();
            env.put("JDK", first.get("jdkVersion") + " (" + first.get("vmName") + " " + first.get("vmVersion") + ")");
            env.put("JMH", String.valueOf(first.get("jmhVersion")));
            env.put("Fork JVM args", "`" + String.join(" ", stringList(first.get("jvmArgs"))) + "`");
        }
        env.put("loes4j", LibraryInfo.version());
        env.put("Input seed", Long.toString(Inputs.SEED));
        env.putAll(meta);
        env.put("Command", "`" + command + "`");
        env.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n"));
        md.append('\n');
        if (!implNotes.isEmpty()) {
            md.append("Implementations as the forks configured them:\n\n");
            for (String n : implNotes) {
                md.append("- ").append(n.replace("|", "\\|")).append('\n');
            }
            md.append('\n');
        }
        Set<String> used = new LinkedHashSet<>();
        for (Operation op : OPERATIONS) {
            List<Row> mine = rows.stream().filter(r -> op.benchmarks().contains(r.benchmark())).toList();
            used.addAll(mine.stream().map(Row::benchmark).toList());
            table(md, op, mine);
        }
        List<String> unknown = rows.stream().map(Row::benchmark).filter(b -> !used.contains(b)).distinct().toList();
        if (!unknown.isEmpty()) {
            md.append("Results of benchmarks without a table here: ").append(unknown).append("\n");
        }
        return md.toString();
    }

    private static List<String> stringList(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            for (Object x : l) {
                out.add(String.valueOf(x));
            }
        }
        return out;
    }

    private static void table(StringBuilder md, Operation op, List<Row> rows) {
        md.append("## ").append(op.title()).append("\n\n").append(op.what()).append(".\n\n");
        if (rows.isEmpty()) {
            md.append("_No results in this run._\n\n");
            return;
        }
        String refName = rows.stream().anyMatch(r -> r.name().equals("openblas")) ? "openblas" : "ejml";
        Map<String, Row> reference = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.name().equals(refName)) {
                reference.put(op.size().apply(r.params()) + "@" + r.threads(), r);
            }
        }
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.<Row, Double>comparing(r -> sizeKey(op, r))
                .thenComparing(r -> nameOrder(r.name()))
                .thenComparingInt(Row::threads));
        md.append("| size | impl | threads | ms/call | ±");
        if (op.hasFlops()) {
            md.append(" | GFLOP/s");
        }
        md.append(" | vs ").append(refName).append(" |\n|---|---|---:|---:|---:");
        if (op.hasFlops()) {
            md.append("|---:");
        }
        md.append("|---:|\n");
        for (Row r : sorted) {
            String size = op.size().apply(r.params());
            md.append("| ").append(size).append(" | ").append(r.name()).append(" | ").append(r.threads())
                    .append(" | ").append(fmt(r.secondsPerOp() * 1e3)).append(" | ")
                    .append(Double.isNaN(r.relativeError()) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * r.relativeError()));
            if (op.hasFlops()) {
                md.append(" | ").append(fmt(op.flops().applyAsDouble(r.params()) / r.secondsPerOp() / 1e9));
            }
            Row ref = reference.get(size + "@" + r.threads());
            md.append(" | ").append(ref == null ? "—" : String.format(Locale.ROOT, "%.2f", ref.secondsPerOp() / r.secondsPerOp()))
                    .append(" |\n");
        }
        Map<String, Object> raw = rows.get(0).raw();
        md.append("\nJMH: ").append(fmtCount(raw.get("forks"))).append(" fork(s), ")
                .append(fmtCount(raw.get("warmupIterations"))).append(" x ").append(raw.get("warmupTime"))
                .append(" warmup, ").append(fmtCount(raw.get("measurementIterations"))).append(" x ")
                .append(raw.get("measurementTime")).append(" measurement.\n\n");
    }

    private static double sizeKey(Operation op, Row r) {
        String digits = op.size().apply(r.params()).replaceAll("[^0-9]+", " ").trim();
        double key = 0;
        for (String d : digits.split(" ")) {
            if (!d.isEmpty()) {
                key = key * 1e6 + Double.parseDouble(d);
            }
        }
        return key;
    }

    private static int nameOrder(String name) {
        int i = Peers.NAMES.indexOf(name);
        return i < 0 ? Peers.NAMES.size() : i;
    }

    private static String fmtCount(Object o) {
        return o instanceof Double d ? Long.toString(Math.round(d)) : String.valueOf(o);
    }

    private static String fmt(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (v >= 0.1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** CPU model, cores, SIMD flags, memory and OS of this machine (Linux /proc; "unknown" elsewhere). */
    static Map<String, String> machine() {
        Map<String, String> m = new LinkedHashMap<>();
        String model = "unknown";
        String flags = "";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name") && model.equals("unknown")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                }
                if (line.startsWith("flags") && flags.isEmpty()) {
                    flags = " " + line.substring(line.indexOf(':') + 1).trim() + " ";
                }
            }
        } catch (IOException | RuntimeException e) {
            model = "unknown (" + e.getMessage() + ")";
        }
        List<String> simd = new ArrayList<>();
        for (String f : List.of("avx2", "fma", "avx512f", "avx512_bf16")) {
            if (flags.contains(" " + f + " ")) {
                simd.add(f);
            }
        }
        m.put("CPU", model + ", " + Runtime.getRuntime().availableProcessors() + " cores visible to the JVM"
                + (simd.isEmpty() ? "" : ", " + String.join(" ", simd)));
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    m.put("Memory", String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0));
                }
            }
        } catch (IOException | RuntimeException e) {
            m.put("Memory", "unknown");
        }
        m.put("OS", LibraryInfo.os());
        return m;
    }

    /** Command line entry point; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException {
        List<Path> json = new ArrayList<>();
        Path out = null;
        String command = null;
        String status = null;
        Path notes = null;
        Map<String, String> meta = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + ": needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--json" -> json.add(Path.of(v));
                case "--out" -> out = Path.of(v);
                case "--command" -> command = v;
                case "--status" -> status = v;
                case "--impl-notes" -> notes = Path.of(v);
                case "--meta" -> {
                    int eq = v.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--meta: '" + v + "' is not KEY=VALUE");
                    }
                    meta.put(v.substring(0, eq), v.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        if (json.isEmpty() || out == null || command == null) {
            throw new IllegalArgumentException("usage: ResultsReport --json FILE [--json FILE ...] --out FILE "
                    + "--command CMD [--status TEXT] [--meta KEY=VALUE ...] [--impl-notes FILE]");
        }
        List<String> implNotes = new ArrayList<>();
        if (notes != null && Files.exists(notes)) {
            implNotes.addAll(new LinkedHashSet<>(Files.readAllLines(notes)));
            implNotes.removeIf(String::isBlank);
        }
        Files.writeString(out, render(read(json), command, status, meta, implNotes), StandardCharsets.UTF_8);
    }

    /** A number that JMH may have written as a number or as a string such as {@code "NaN"}. */
    static double number(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String str) {
            return Double.parseDouble(str);
        }
        throw new IllegalArgumentException("JMH result: not a number: " + v);
    }
}
