package org.loes4j.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.loes4j.linalg.io.Json;

/**
 * The output of one harness run: a markdown fragment (for bench/RESULTS.md) and a JSON file with the same
 * numbers, both starting with the machine, the JDK, the load average at start and the exact command, and
 * ending with the load average at the end.
 *
 * <p>Common options of every harness: {@code --out DIR} (default {@code bench/results}), {@code --prefix P}
 * (file names {@code P-<harness>-<UTC time>.{md,json}}, default {@code e2e}; run-e2e.sh uses {@code smoke-e2e}
 * for smoke runs, which git ignores), {@code --command TEXT} (the command to show, default the harness's own
 * Java command line) and {@code --status TEXT} (a warning printed at the top, e.g. for smoke runs).
 */
final class Report {
    /** The option names every harness accepts in addition to its own. */
    static final List<String> COMMON_OPTIONS = List.of("out", "prefix", "command", "status");

    private final String harness;
    private final StringBuilder md = new StringBuilder();
    private final Map<String, Object> json = new LinkedHashMap<>();
    private final Path outDir;
    private final String prefix;
    private final String stamp;

    /** Starts a report: records the machine, the load average now, the command and the status. */
    Report(String harness, String title, Args args, String mainClass, String[] rawArgs) {
        this.harness = harness;
        this.outDir = Path.of(args.get("out", "bench/results"));
        this.prefix = args.get("prefix", "e2e");
        this.stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        String command = args.get("command", "java " + String.join(" ", ChildJvm.LOES4J_FLAGS) + " -cp <bench class path> "
                + mainClass + (rawArgs.length == 0 ? "" : " " + String.join(" ", rawArgs)));
        String status = args.get("status", "");
        Map<String, Object> machine = Machine.describe();
        String load = Machine.loadAverage();
        json.put("harness", harness);
        json.put("utc", stamp);
        json.put("command", command);
        json.put("status", status);
        json.put("machine", machine);
        json.put("loadAverageStart", load);

        md.append("## ").append(title).append("\n\n");
        if (!status.isEmpty()) {
            md.append("**").append(status).append("**\n\n");
        }
        md.append("- Machine: ").append(machine.get("cpu")).append(", ").append(machine.get("cores"))
                .append(" cores, ").append(machine.get("memory")).append("; ").append(machine.get("os")).append('\n');
        md.append("- JDK: ").append(machine.get("jdk")).append('\n');
        @SuppressWarnings("unchecked")
        Map<String, String> env = (Map<String, String>) machine.get("loes4j");
        md.append("- loes4j ").append(env.get("loes4jVersion")).append(", backend ").append(env.get("backend"))
                .append(", threads ").append(env.get("threads")).append(" (harness JVM)\n");
        md.append("- Command: `").append(command).append("`\n");
        md.append("- Load average (1/5/15 min) at start: ").append(load).append('\n');
        md.append("- UTC: ").append(stamp).append("\n\n");
    }

    /** Adds {@code value} under {@code key} of the JSON output. */
    void put(String key, Object value) {
        json.put(key, value);
    }

    /** A paragraph of markdown. */
    void paragraph(String text) {
        md.append(text).append("\n\n");
    }

    /** A markdown table; also printed to stdout as it is added. */
    void table(List<String> header, List<List<String>> rows) {
        StringBuilder t = new StringBuilder();
        t.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.size(); i++) {
            t.append("---|");
        }
        t.append('\n');
        for (List<String> r : rows) {
            t.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        md.append(t).append('\n');
    }

    /** Finishes with the load average now and writes {@code <prefix>-<harness>-<UTC>.{md,json}}. */
    Path[] write() throws IOException {
        String load = Machine.loadAverage();
        json.put("loadAverageEnd", load);
        md.append("- Load average (1/5/15 min) at end: ").append(load).append('\n');
        Files.createDirectories(outDir);
        Path mdFile = outDir.resolve(prefix + "-" + harness + "-" + stamp + ".md");
        Path jsonFile = outDir.resolve(prefix + "-" + harness + "-" + stamp + ".json");
        Files.writeString(mdFile, md.toString());
        Files.writeString(jsonFile, Json.writePretty(json));
        return new Path[] {mdFile, jsonFile};
    }

    /** The markdown so far. */
    String markdown() {
        return md.toString();
    }

    /** Median of {@code values} (mean of the middle two for an even count). */
    static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("values: empty");
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
    }

    static double min(double[] values) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : values) {
            m = Math.min(m, v);
        }
        return m;
    }

    static double max(double[] values) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** {@code String.format} in the root locale. */
    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** Values as a JSON list. */
    static List<Double> list(double[] values) {
        List<Double> l = new ArrayList<>(values.length);
        for (double v : values) {
            l.add(v);
        }
        return l;
    }
}
