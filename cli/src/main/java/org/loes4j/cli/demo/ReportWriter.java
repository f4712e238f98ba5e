package org.loes4j.cli.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.loes4j.linalg.io.AtomicFile;
import org.loes4j.linalg.io.Json;

/**
 * Writes the demo report: {@code index.html}, one self-contained page (charts embedded as base64 PNG data
 * URIs, styles inline, nothing fetched), and {@code report.json} with the same numbers.
 *
 * <p>The directory appears whole or not at all: both files are written into a fresh temporary directory
 * beside the target, which is then renamed into place (an existing report is renamed aside first and
 * deleted after). Only a previous report is ever replaced: an existing directory holding anything else is
 * refused.
 */
public final class ReportWriter {
    private static final int LAYER_CHART_W = 900;
    private static final int LAYER_CHART_H = 720;
    private static final int METHOD_CHART_W = 900;
    private static final int METHOD_CHART_H = 420;

    private ReportWriter() {
    }

    /**
     * Writes {@code outDir/index.html} and {@code outDir/report.json} for {@code report}.
     *
     * @return the path of {@code index.html}
     */
    public static Path write(DemoReport report, Path outDir) throws IOException {
        if (report == null || outDir == null) {
            throw new IllegalArgumentException("report, outDir: null");
        }
        Path target = outDir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null) {
            throw new IllegalArgumentException("outDir: " + outDir + " is a file system root");
        }
        checkReplaceable(target);
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
        try {
            Files.writeString(tmp.resolve("index.html"), html(report), StandardCharsets.UTF_8);
            Files.writeString(tmp.resolve("report.json"), Json.writePretty(json(report)) + "\n", StandardCharsets.UTF_8);
            Path old = null;
            if (Files.exists(target)) {
                old = Files.createTempDirectory(parent, "." + target.getFileName() + ".old-");
                Files.delete(old);
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            AtomicFile.publishDirectory(tmp, target);
            if (old != null) {
                deleteTree(old);
            }
        } finally {
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
        }
        return target.resolve("index.html");
    }

    /** The files a report directory holds; only a directory holding nothing else is replaced. */
    private static final Set<String> REPORT_FILES = Set.of("index.html", "report.json");

    /**
     * Refuses to replace anything but a previous report: an existing regular file, or a directory holding
     * files other than {@link #REPORT_FILES}, is left alone (so {@code --out-dir .} cannot delete a project).
     */
    static void checkReplaceable(Path target) throws IOException {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new IllegalArgumentException("--out-dir: " + target + " exists and is not a directory");
        }
        try (var entries = Files.list(target)) {
            for (Path e : (Iterable<Path>) entries::iterator) {
                if (!REPORT_FILES.contains(e.getFileName().toString()) || !Files.isRegularFile(e)) {
                    throw new IllegalArgumentException("--out-dir: " + target + " exists and holds " + e.getFileName()
                            + ", so it is not a previous report; choose a new or empty directory");
                }
            }
        }
    }

    /** The page. */
    public static String html(DemoReport r) throws IOException {
        String layerPng = Base64.getEncoder().encodeToString(
                DemoCharts.png(DemoCharts.layerChart(r), LAYER_CHART_W, LAYER_CHART_H));
        String methodPng = Base64.getEncoder().encodeToString(
                DemoCharts.png(DemoCharts.methodChart(r), METHOD_CHART_W, METHOD_CHART_H));
        StringBuilder h = new StringBuilder(layerPng.length() + methodPng.length() + 16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(r.title())).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,'DejaVu Sans',sans-serif;max-width:960px;")
                .append("margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\n")
                .append("h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.8em;")
                .append("border-bottom:1px solid #ddd;padding-bottom:.2em}\n")
                .append("table{border-collapse:collapse;margin:.6em 0;font-size:.92em}")
                .append("th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}")
                .append("th{background:#f3f3f3}td{overflow-wrap:anywhere}td.n{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append("tr.sel td{background:#fde8e8}img{max-width:100%;height:auto;border:1px solid #eee}\n")
                .append(".muted{color:#666;font-size:.9em}code{background:#f5f5f5;padding:0 .2em}\n")
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>").append(esc(r.title())).append("</h1>\n");
        h.append("<p>").append(esc(r.task())).append("</p>\n");
        h.append("<p class=\"muted\">Classes: ").append(esc(String.join("; ", r.classes()))).append(". Passages: ");
        List<String> parts = new ArrayList<>();
        r.splits().forEach((k, v) -> parts.add(v + " " + k));
        h.append(esc(String.join(", ", parts))).append(".</p>\n");

        boolean multi = r.multiSeed();
        h.append("<h2>Results on the test split</h2>\n<table>\n<tr><th>method</th><th>layers</th>")
                .append("<th>accuracy</th><th>macro-F1</th>").append(multi ? "<th>p vs Last</th>" : "")
                .append("<th>note</th></tr>\n");
        for (DemoReport.MethodResult m : r.methods()) {
            h.append("<tr><td>").append(esc(m.name())).append("</td><td>").append(esc(m.layerList()))
                    .append("</td><td class=\"n\">").append(score(m.accuracy(), m.accuracyStd(), multi))
                    .append("</td><td class=\"n\">").append(score(m.macroF1(), m.macroF1Std(), multi)).append("</td>");
            if (multi) {
                h.append("<td class=\"n\">").append(esc(DemoReport.pValue(m.pValue()))).append("</td>");
            }
            h.append("<td>").append(esc(m.note())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        if (!r.notes().isEmpty()) {
            h.append("<ul>\n");
            for (String note : r.notes()) {
                h.append("<li>").append(esc(note)).append("</li>\n");
            }
            h.append("</ul>\n");
        }
        h.append("<img alt=\"Test accuracy and macro-F1 by method\" src=\"data:image/png;base64,").append(methodPng)
                .append("\">\n");

        h.append("<h2>Layers across depth</h2>\n<p>LOES selected ").append(esc(Arrays.toString(r.selected())))
                .append(" (in selection order). Layers are hidden-state indices: index k is the output of transformer ")
                .append("block k, which the paper calls layer k - 1 (shown beside it). score0 = ridge fit loss + alpha (1 - isotropy) decides the first pick; ")
                .append("the single-layer probe is a ridge classifier on one layer, scored on the test split.</p>\n");
        h.append("<img alt=\"score0, isotropy and single-layer probe accuracy by layer\" src=\"data:image/png;base64,")
                .append(layerPng).append("\">\n");
        h.append("<table>\n<tr><th>layer (hidden state)</th><th>paper's layer</th><th>score0</th><th>isotropy</th><th>probe accuracy</th>")
                .append("<th>pick</th></tr>\n");
        for (int i = 0; i < r.layers().length; i++) {
            int pick = pickOrder(r.selected(), r.layers()[i]);
            h.append(pick > 0 ? "<tr class=\"sel\">" : "<tr>").append("<td>").append(r.layers()[i])
                    .append("</td><td>").append(r.layers()[i] == 0 ? "embedding output" : r.layers()[i] - 1)
                    .append("</td><td class=\"n\">").append(fmt(r.score0()[i])).append("</td><td class=\"n\">")
                    .append(fmt(r.isotropy()[i])).append("</td><td class=\"n\">").append(fmt(r.probeAccuracy()[i]))
                    .append("</td><td>").append(pick > 0 ? "#" + pick : "").append("</td></tr>\n");
        }
        h.append("</table>\n");

        h.append("<h2>Provenance</h2>\n<table>\n");
        for (Map.Entry<String, String> e : flatten(r.provenance()).entrySet()) {
            h.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(e.getValue()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
        h.append("<h2>Data</h2>\n<p class=\"muted\">").append(esc(r.attribution())).append("</p>\n");
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    /** The report's numbers as a JSON-ready map (non-finite values as null). */
    static Map<String, Object> json(DemoReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", r.title());
        m.put("task", r.task());
        m.put("classes", r.classes());
        m.put("splits", r.splits());
        m.put("selected", r.selected());
        List<Object> methods = new ArrayList<>();
        for (DemoReport.MethodResult x : r.methods()) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("method", x.name());
            mm.put("layers", x.layers());
            mm.put("accuracy", finite(x.accuracy()));
            mm.put("macroF1", finite(x.macroF1()));
            mm.put("accuracyStd", finite(x.accuracyStd()));
            mm.put("macroF1Std", finite(x.macroF1Std()));
            mm.put("runs", x.runs());
            mm.put("pValueVsLast", finite(x.pValue()));
            mm.put("note", x.note());
            methods.add(mm);
        }
        m.put("methods", methods);
        List<Object> layers = new ArrayList<>();
        for (int i = 0; i < r.layers().length; i++) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("layer", r.layers()[i]);
            l.put("score0", finite(r.score0()[i]));
            l.put("isotropy", finite(r.isotropy()[i]));
            l.put("probeAccuracy", finite(r.probeAccuracy()[i]));
            layers.add(l);
        }
        m.put("layers", layers);
        m.put("notes", r.notes());
        m.put("attribution", r.attribution());
        m.put("provenance", sanitize(r.provenance()));
        return m;
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static Object sanitize(Object o) {
        if (o instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), sanitize(v)));
            return out;
        }
        if (o instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object v : list) {
                out.add(sanitize(v));
            }
            return out;
        }
        if (o instanceof Double d) {
            return finite(d);
        }
        if (o instanceof Float f) {
            return finite(f);
        }
        if (o instanceof Number || o instanceof String || o instanceof Boolean || o == null) {
            return o;
        }
        if (o instanceof int[] a) {
            return a;
        }
        if (o instanceof double[] a) {
            List<Object> out = new ArrayList<>();
            for (double v : a) {
                out.add(finite(v));
            }
            return out;
        }
        return String.valueOf(o);
    }

    /** Nested maps as {@code a.b.c -> value}, arrays and lists as text. */
    static Map<String, String> flatten(Map<String, Object> m) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", m, out);
        return out;
    }

    private static void flatten(String prefix, Map<?, ?> m, Map<String, String> out) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String key = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> sub) {
                flatten(key, sub, out);
            } else if (v instanceof int[] a) {
                out.put(key, Arrays.toString(a));
            } else if (v instanceof double[] a) {
                out.put(key, Arrays.toString(a));
            } else if (v instanceof long[] a) {
                out.put(key, Arrays.toString(a));
            } else {
                out.put(key, String.valueOf(v));
            }
        }
    }

    private static int pickOrder(int[] selected, int layer) {
        for (int k = 0; k < selected.length; k++) {
            if (selected[k] == layer) {
                return k + 1;
            }
        }
        return 0;
    }

    private static String score(double mean, double std, boolean multi) {
        return multi ? fmt(mean) + " &plusmn; " + fmt(Double.isFinite(std) ? std : 0.0) : fmt(mean);
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "n/a";
    }

    /** HTML-escapes text for element content and attribute values. */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
