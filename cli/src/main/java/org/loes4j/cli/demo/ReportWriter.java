package org.loes4j.cli.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.loes4j.cli.report.Charts;
import org.loes4j.cli.report.HtmlPage;
import org.loes4j.cli.report.ProvenanceSection;
import org.loes4j.cli.report.Table;
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

    /** The page: built with the shared report pieces ({@link HtmlPage}, {@link Table}, {@link Charts}). */
    public static String html(DemoReport r) throws IOException {
        HtmlPage page = new HtmlPage(r.title());
        page.heading(1, null, r.title());
        page.paragraph(r.task());
        List<String> parts = new ArrayList<>();
        r.splits().forEach((k, v) -> parts.add(v + " " + k));
        page.muted("Classes: " + String.join("; ", r.classes()) + (r.layerNames().isEmpty() ? ". Passages: " : ". Images: ") + String.join(", ", parts) + ".");

        boolean multi = r.multiSeed();
        page.heading(2, "methods", "Results on the test split");
        Table methods = multi ? new Table("method", "layers", "accuracy", "macro-F1", "p vs Last", "note")
                : new Table("method", "layers", "accuracy", "macro-F1", "note");
        for (DemoReport.MethodResult m : r.methods()) {
            List<Table.Cell> cells = new ArrayList<>(List.of(Table.text(m.name()), Table.text(m.layerList()),
                    score(m.accuracy(), m.accuracyStd(), multi), score(m.macroF1(), m.macroF1Std(), multi)));
            if (multi) {
                cells.add(Table.num(DemoReport.pValue(m.pValue())));
            }
            cells.add(Table.text(m.note()));
            methods.row(false, cells.toArray(Table.Cell[]::new));
        }
        page.table(methods);
        page.list(r.notes());
        page.image("Test accuracy and macro-F1 by method",
                Charts.png(DemoCharts.methodChart(r), METHOD_CHART_W, METHOD_CHART_H));

        page.heading(2, "layers", "Layers across depth");
        boolean described = !r.layerNames().isEmpty();
        page.paragraph("LOES selected " + Arrays.toString(r.selected()) + " (in selection order). "
                + (described ? "Layers: " + r.layerAxis() + "." : "Layers are hidden-state indices: index k is the "
                        + "output of transformer block k, which the paper calls layer k - 1 (shown beside it).")
                + " score0 = ridge fit loss + alpha (1 - isotropy) decides the first pick; the single-layer "
                + "probe is a ridge classifier on one layer, scored on the test split.");
        page.image("score0, isotropy and single-layer probe accuracy by layer",
                Charts.png(DemoCharts.layerChart(r), LAYER_CHART_W, LAYER_CHART_H));
        Table layers = new Table(described ? "layer" : "layer (hidden state)", described ? "what" : "paper's layer",
                "score0", "isotropy", "probe accuracy", "pick");
        for (int i = 0; i < r.layers().length; i++) {
            int layer = r.layers()[i];
            int pick = pickOrder(r.selected(), layer);
            String what = described ? r.layerNames().get(i)
                    : layer == 0 ? "embedding output" : Integer.toString(layer - 1);
            layers.row(pick > 0, Table.text(Integer.toString(layer)), Table.text(what), Table.num(r.score0()[i]),
                    Table.num(r.isotropy()[i]), Table.num(r.probeAccuracy()[i]), Table.text(pick > 0 ? "#" + pick : ""));
        }
        page.table(layers);

        page.heading(2, "provenance", "Provenance");
        page.muted("How the numbers were made, grouped; open a group to read it.");
        page.raw(ProvenanceSection.html(r.provenance()));
        page.heading(2, "data", "Data");
        page.muted(r.attribution());
        return page.finish();
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
            if (!r.layerNames().isEmpty()) {
                l.put("name", r.layerNames().get(i));
            }
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

    private static int pickOrder(int[] selected, int layer) {
        for (int k = 0; k < selected.length; k++) {
            if (selected[k] == layer) {
                return k + 1;
            }
        }
        return 0;
    }

    private static Table.Cell score(double mean, double std, boolean multi) {
        return multi ? Table.numHtml(HtmlPage.plusMinus(mean, std)) : Table.num(mean);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
