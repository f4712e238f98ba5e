package org.loes4j.cli.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jfree.chart.JFreeChart;
import org.loes4j.cli.report.ReportInput.Comparison;
import org.loes4j.cli.report.ReportInput.LayerProbe;
import org.loes4j.cli.report.ReportInput.Selection;
import org.loes4j.linalg.LibraryInfo;

/**
 * The page of {@code loes report}: what the JSON of {@code select}, {@code probe} and {@code compare} say,
 * one section per question, top to bottom: where in depth the task lives (per-layer probe score with its
 * spread over folds, LOES's score0 and isotropy, the picks marked), what the chosen layers' spectra look
 * like, how redundant the layers are with each other, how the methods compare (with error bars and tests),
 * and how every number was made (provenance, folded by group). Any number of files of each kind; a missing
 * kind leaves its section with a line saying which command fills it.
 */
public final class ReportPage {
    /** Section anchors, in page order. */
    public static final List<String> SECTIONS = List.of("inputs", "layers", "spectrum", "redundancy", "methods",
            "provenance");
    static final String LAYER_AXIS = "hidden-state index (0 = embedding output; the paper's layer k is hidden state k + 1)";
    private static final int WIDTH = 900;
    private static final int PANEL_HEIGHT = 230;

    private ReportPage() {
    }

    /** The page for {@code inputs} (at least one), titled {@code title}. */
    public static String html(String title, List<ReportInput> inputs) throws IOException {
        if (title == null || inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("title, inputs: need a title and at least one input");
        }
        Map<ReportInput, String> labels = labels(inputs);
        Map<ReportInput, Color> colours = new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            colours.put(inputs.get(i), Charts.colour(i));
        }
        List<Selection> selections = new ArrayList<>();
        List<LayerProbe> probes = new ArrayList<>();
        List<Comparison> comparisons = new ArrayList<>();
        for (ReportInput in : inputs) {
            switch (in) {
                case Selection s -> selections.add(s);
                case LayerProbe p -> probes.add(p);
                case Comparison c -> comparisons.add(c);
            }
        }
        HtmlPage page = new HtmlPage(title);
        page.heading(1, null, title);
        page.muted("Made by loes report (loes4j " + LibraryInfo.version() + ") from " + inputs.size()
                + (inputs.size() == 1 ? " file" : " files") + ". Layers are hidden-state indices: 0 is the embedding "
                + "output, k the output of transformer block k, which the paper calls layer k - 1 (its layer k is "
                + "hidden state k + 1).");
        StringBuilder nav = new StringBuilder("<nav>");
        for (String s : SECTIONS) {
            nav.append("<a href=\"#").append(s).append("\">").append(s).append("</a>");
        }
        page.raw(nav.append("</nav>\n").toString());

        page.heading(2, "inputs", "Inputs");
        Table files = new Table("file", "kind", "holds");
        for (ReportInput in : inputs) {
            files.row(false, Table.text(labels.get(in)), Table.text(in.kind()), Table.text(in.describe()));
        }
        page.table(files);

        layers(page, selections, probes, labels, colours);
        spectrum(page, selections, labels, colours);
        redundancy(page, selections, labels);
        methods(page, comparisons, labels, colours);

        page.heading(2, "provenance", "Provenance");
        page.muted("How each number was made, grouped; open a group to read it.");
        for (ReportInput in : inputs) {
            page.heading(3, null, labels.get(in) + " (" + in.kind() + ")");
            page.raw(ProvenanceSection.html(in.provenance()));
        }
        return page.finish();
    }

    // ---------------------------------------------------------------- layers across depth

    private static void layers(HtmlPage page, List<Selection> selections, List<LayerProbe> probes,
                               Map<ReportInput, String> labels, Map<ReportInput, Color> colours) throws IOException {
        page.heading(2, "layers", "Layers across depth");
        if (selections.isEmpty() && probes.isEmpty()) {
            page.muted("No selection and no probe given: pass the JSON of loes select --json and of loes probe --json.");
            return;
        }
        List<Charts.Panel> panels = new ArrayList<>();
        List<Charts.Picks> picks = new ArrayList<>();
        boolean oneSelection = selections.size() == 1;
        if (!probes.isEmpty()) {
            List<Charts.LayerSeries> series = new ArrayList<>();
            Set<String> scoreNames = new TreeSet<>();
            for (LayerProbe p : probes) {
                int n = p.layers().size();
                int[] ls = new int[n];
                double[] mean = new double[n];
                double[] std = new double[n];
                for (int i = 0; i < n; i++) {
                    ls[i] = p.layers().get(i).layer();
                    mean[i] = p.layers().get(i).mean();
                    std[i] = p.layers().get(i).std();
                }
                series.add(new Charts.LayerSeries(labels.get(p), ls, mean, std, colours.get(p)));
                scoreNames.add(p.scoreName());
                if (p.bestLayer() >= 0) {
                    picks.add(new Charts.Picks("best", new int[] {p.bestLayer()}, colours.get(p), true));
                }
            }
            panels.add(new Charts.Panel("probe " + String.join("/", scoreNames) + " (mean +- sd over folds)", series,
                    selections.isEmpty()));
        }
        List<Charts.LayerSeries> score0 = new ArrayList<>();
        List<Charts.LayerSeries> isotropy = new ArrayList<>();
        for (Selection s : selections) {
            int n = s.layers().size();
            int[] ls = new int[n];
            double[] sc = new double[n];
            double[] iso = new double[n];
            for (int i = 0; i < n; i++) {
                ls[i] = s.layers().get(i).layer();
                sc[i] = s.layers().get(i).score0();
                iso[i] = s.layers().get(i).isotropy();
            }
            if (anyFinite(sc)) {
                score0.add(new Charts.LayerSeries(labels.get(s), ls, sc, null, colours.get(s)));
            }
            if (anyFinite(iso)) {
                isotropy.add(new Charts.LayerSeries(labels.get(s), ls, iso, null, colours.get(s)));
            }
            picks.add(new Charts.Picks(labels.get(s), s.selected(), oneSelection ? Charts.PICK : colours.get(s), false));
        }
        if (!score0.isEmpty()) {
            panels.add(new Charts.Panel("LOES score0 (lower is picked first)", score0, true));
        }
        if (!isotropy.isEmpty()) {
            panels.add(new Charts.Panel("isotropy", isotropy, score0.isEmpty()));
        }
        // A baseline (select --baseline) writes its own per-layer metric instead of score0 and isotropy.
        Map<String, List<Charts.LayerSeries>> metrics = new LinkedHashMap<>();
        for (Selection s : selections) {
            Set<String> names = new TreeSet<>();
            for (Selection.LayerScore l : s.layers()) {
                names.addAll(l.metrics().keySet());
            }
            for (String name : names) {
                int n = s.layers().size();
                int[] ls = new int[n];
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    ls[i] = s.layers().get(i).layer();
                    v[i] = s.layers().get(i).metrics().getOrDefault(name, Double.NaN);
                }
                if (anyFinite(v)) {
                    metrics.computeIfAbsent(name, k -> new ArrayList<>())
                            .add(new Charts.LayerSeries(labels.get(s), ls, v, null, colours.get(s)));
                }
            }
        }
        boolean labelled = !score0.isEmpty() || !isotropy.isEmpty();
        for (Map.Entry<String, List<Charts.LayerSeries>> e : metrics.entrySet()) {
            panels.add(new Charts.Panel(e.getKey() + " (baseline's metric)", e.getValue(), !labelled));
            labelled = true;
        }
        if (!labelled && !selections.isEmpty() && !panels.isEmpty()) {
            // Only the probe panel: the picks are labelled there.
            Charts.Panel only = panels.getFirst();
            panels.set(0, new Charts.Panel(only.axisLabel(), only.series(), true));
        }
        StringBuilder caption = new StringBuilder();
        if (!selections.isEmpty()) {
            if (!panels.isEmpty()) {
                caption.append(oneSelection ? "Red lines" : "Solid lines in each selection's colour")
                        .append(" mark the layers select picked, labelled with their pick order (#1 first). ");
            }
            for (Selection s : selections) {
                caption.append(labels.get(s)).append(" (").append(s.method()).append(") picked ")
                        .append(Arrays.toString(s.selected())).append(". ");
            }
            if (!score0.isEmpty()) {
                caption.append("score0 = ridge fit loss + alpha (1 - isotropy) decides the first pick. ");
            }
        }
        if (!probes.isEmpty()) {
            caption.append("The probe curve is the mean held-out score of a cross-validated ridge probe on one layer; "
                    + "the band is +- one standard deviation over the folds; a dashed line marks its best layer");
            for (LayerProbe p : probes) {
                if (p.bestLayer() >= 0) {
                    caption.append(probes.size() > 1 ? " (" + labels.get(p) + ": " + p.bestLayer() + ")" : " (" + p.bestLayer() + ")");
                }
            }
            caption.append(". ");
        }
        if (selections.isEmpty()) {
            caption.append("No selection given: pass the JSON of loes select --json to see score0, isotropy and the picks. ");
        }
        if (probes.isEmpty()) {
            caption.append("No probe given: pass the JSON of loes probe --json to see a per-layer probe score. ");
        }
        if (panels.isEmpty()) {
            caption.append("The files hold no per-layer numbers to draw.");
        }
        page.paragraph(caption.toString().strip());
        if (!panels.isEmpty()) {
            JFreeChart chart = Charts.layerChart("Layers across depth", LAYER_AXIS, panels, picks);
            page.image("Per-layer probe score, score0 and isotropy against hidden-state index, picks marked",
                    Charts.png(chart, WIDTH, 110 + PANEL_HEIGHT * panels.size() + (chart.getLegend() != null ? 30 : 0)));
        }
        page.details("Per-layer numbers", layerTable(selections, probes, labels).toHtml(), false);
    }

    private static Table layerTable(List<Selection> selections, List<LayerProbe> probes, Map<ReportInput, String> labels) {
        TreeSet<Integer> all = new TreeSet<>();
        List<String> head = new ArrayList<>(List.of("hidden state", "paper's layer"));
        boolean many = selections.size() + probes.size() > 2;
        for (LayerProbe p : probes) {
            all.addAll(layersOf(p));
            head.add((many || probes.size() > 1 ? labels.get(p) + ": " : "") + "probe " + p.scoreName() + " (mean +- sd)");
        }
        for (Selection s : selections) {
            for (Selection.LayerScore l : s.layers()) {
                all.add(l.layer());
            }
            String prefix = many || selections.size() > 1 ? labels.get(s) + ": " : "";
            head.add(prefix + "score0");
            head.add(prefix + "isotropy");
            head.add(prefix + "pick");
        }
        Table t = new Table(head.toArray(String[]::new));
        for (int layer : all) {
            List<Table.Cell> cells = new ArrayList<>();
            cells.add(Table.num(Integer.toString(layer)));
            cells.add(Table.text(paperLayer(layer)));
            boolean picked = false;
            for (LayerProbe p : probes) {
                LayerProbe.ProbeLayer pl = null;
                for (LayerProbe.ProbeLayer x : p.layers()) {
                    if (x.layer() == layer) {
                        pl = x;
                    }
                }
                cells.add(pl == null ? Table.text("") : Table.numHtml(HtmlPage.plusMinus(pl.mean(), pl.std())
                        + (pl.layer() == p.bestLayer() ? " (best)" : "")));
            }
            for (Selection s : selections) {
                Selection.LayerScore ls = null;
                for (Selection.LayerScore x : s.layers()) {
                    if (x.layer() == layer) {
                        ls = x;
                    }
                }
                int pick = pickOrder(s.selected(), layer);
                picked |= pick > 0;
                cells.add(ls == null ? Table.text("") : Table.num(ls.score0()));
                cells.add(ls == null ? Table.text("") : Table.num(ls.isotropy()));
                cells.add(Table.text(pick > 0 ? "#" + pick : ""));
            }
            t.row(picked, cells.toArray(Table.Cell[]::new));
        }
        return t;
    }

    private static List<Integer> layersOf(LayerProbe p) {
        List<Integer> out = new ArrayList<>();
        for (LayerProbe.ProbeLayer l : p.layers()) {
            out.add(l.layer());
        }
        return out;
    }

    // ---------------------------------------------------------------- spectrum

    private static void spectrum(HtmlPage page, List<Selection> selections, Map<ReportInput, String> labels,
                                 Map<ReportInput, Color> colours) throws IOException {
        page.heading(2, "spectrum", "Spectrum of the chosen layers");
        if (selections.isEmpty()) {
            page.muted("No selection given: run loes select --diagnostics --json sel.json and pass sel.json.");
            return;
        }
        for (Selection s : selections) {
            if (selections.size() > 1) {
                page.heading(3, null, labels.get(s));
            }
            Selection.Diagnostics d = s.diagnostics();
            if (d == null || d.layers().isEmpty()) {
                page.muted(labels.get(s) + " has no diagnostics: run select --diagnostics (loes select --diagnostics "
                        + "--json sel.json ...) to see the spectrum and the redundancy of the layers.");
                continue;
            }
            page.paragraph("The share of the variance along each leading principal direction of a chosen layer's "
                    + "vectors (eigenvalue / trace of the covariance, largest first): a curve that drops fast means a "
                    + "few directions dominate (anisotropy); a flat one, variance spread over many. Effective rank "
                    + "(Roy and Vetterli) = exp(entropy of the normalised singular values), between 1 and the width.");
            List<Charts.Curve> curves = new ArrayList<>();
            Table chosen = new Table("pick", "hidden state", "paper's layer", "effective rank", "top eigenvalue share",
                    "numerical rank / dimension", "isotropy", "dataset entropy");
            int[] sel = s.selected();
            for (int k = 0; k < sel.length; k++) {
                Selection.LayerDiagnostics ld = d.of(sel[k]);
                if (ld == null) {
                    continue;
                }
                double[] f = ld.topFractions();
                double[] x = new double[f.length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = i + 1;
                }
                if (f.length > 0) {
                    curves.add(new Charts.Curve("#" + (k + 1) + ": hidden state " + sel[k], x, f,
                            k == 0 && sel.length == 1 ? colours.get(s) : Charts.colour(k)));
                }
                chosen.row(false, Table.text("#" + (k + 1)), Table.num(Integer.toString(sel[k])),
                        Table.text(paperLayer(sel[k])), Table.num(ld.effectiveRank()), Table.num(ld.topFraction()),
                        Table.num(rank(ld)), Table.num(ld.isotropy()), Table.num(ld.datasetEntropy()));
            }
            if (!curves.isEmpty()) {
                page.image("Leading eigenvalue shares of the chosen layers", Charts.png(Charts.lineChart(
                        "Spectrum of the chosen layers" + (selections.size() > 1 ? " (" + labels.get(s) + ")" : ""),
                        "principal direction (1 = largest eigenvalue)", "share of the variance (log scale)", curves,
                        true), WIDTH, 420));
            }
            page.table(chosen);
            Table all = new Table("hidden state", "paper's layer", "pick", "effective rank", "top eigenvalue share",
                    "numerical rank / dimension", "isotropy", "dataset entropy");
            for (Selection.LayerDiagnostics ld : d.layers()) {
                int pick = pickOrder(sel, ld.layer());
                all.row(pick > 0, Table.num(Integer.toString(ld.layer())), Table.text(paperLayer(ld.layer())),
                        Table.text(pick > 0 ? "#" + pick : ""), Table.num(ld.effectiveRank()), Table.num(ld.topFraction()),
                        Table.num(rank(ld)), Table.num(ld.isotropy()), Table.num(ld.datasetEntropy()));
            }
            page.details("Diagnostics of every layer", all.toHtml(), false);
        }
    }

    private static String rank(Selection.LayerDiagnostics ld) {
        return (ld.numericalRank() < 0 ? "?" : Integer.toString(ld.numericalRank())) + " / "
                + (ld.dimension() < 0 ? "?" : Integer.toString(ld.dimension()));
    }

    // ---------------------------------------------------------------- redundancy

    private static void redundancy(HtmlPage page, List<Selection> selections, Map<ReportInput, String> labels)
            throws IOException {
        page.heading(2, "redundancy", "Redundancy between layers");
        boolean any = false;
        for (Selection s : selections) {
            Selection.Diagnostics d = s.diagnostics();
            if (d == null || d.redundancy().length == 0) {
                continue;
            }
            any = true;
            double[][] r = d.redundancy();
            int n = r.length;
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) {
                ids[i] = d.layers().size() == n ? d.layers().get(i).layer()
                        : s.layers().size() == n ? s.layers().get(i).layer() : i;
            }
            if (selections.size() > 1) {
                page.heading(3, null, labels.get(s));
            }
            page.paragraph("Pairwise redundancy of the layers' raw features (diagnostics.redundancy of select "
                    + "--diagnostics): dark cells are pairs of layers that carry much the same information, so picking "
                    + "both adds little. Red outlines: the picks, with their order.");
            int side = Math.max(480, Math.min(WIDTH, 140 + 26 * n));
            page.image("Redundancy heatmap of the layers, picks outlined", Charts.png(Charts.heatmap(
                    "Redundancy between layers" + (selections.size() > 1 ? " (" + labels.get(s) + ")" : ""), ids, r,
                    s.selected(), "redundancy"), side + 90, side));
            List<String> head = new ArrayList<>();
            head.add("hidden state");
            for (int id : ids) {
                head.add(Integer.toString(id));
            }
            Table t = new Table(head.toArray(String[]::new));
            for (int i = 0; i < n; i++) {
                List<Table.Cell> cells = new ArrayList<>();
                cells.add(Table.num(Integer.toString(ids[i])));
                for (int j = 0; j < n; j++) {
                    cells.add(Table.num(j < r[i].length ? HtmlPage.sig(r[i][j]) : ""));
                }
                t.row(pickOrder(s.selected(), ids[i]) > 0, cells.toArray(Table.Cell[]::new));
            }
            page.details("The redundancy matrix", t.toHtml(), false);
        }
        if (!any) {
            page.muted(selections.isEmpty()
                    ? "No selection given: run loes select --diagnostics --json sel.json and pass sel.json."
                    : "No redundancy matrix: run select --diagnostics (loes select --diagnostics --json sel.json ...).");
        }
    }

    // ---------------------------------------------------------------- methods

    private static void methods(HtmlPage page, List<Comparison> comparisons, Map<ReportInput, String> labels,
                                Map<ReportInput, Color> colours) throws IOException {
        page.heading(2, "methods", "Methods compared");
        if (comparisons.isEmpty()) {
            page.muted("No comparison given: run loes compare ... --out cmp and pass cmp.json.");
            return;
        }
        for (Comparison c : comparisons) {
            if (comparisons.size() > 1) {
                page.heading(3, null, labels.get(c));
            }
            Object seeds = c.settings().get("seeds");
            String m = c.metric();
            StringBuilder intro = new StringBuilder("Test ").append(m).append(" of every method");
            if (seeds != null) {
                intro.append(" over ").append(seeds).append(" seeds");
                if (c.settings().get("firstSeed") != null) {
                    intro.append(" (from ").append(c.settings().get("firstSeed")).append(")");
                }
            }
            if (c.settings().get("k") != null) {
                intro.append(", k = ").append(c.settings().get("k"));
            }
            intro.append(": mean +- sample standard deviation, the 95% t interval of the mean");
            if (c.baseline() != null) {
                intro.append(", and against the baseline ").append(c.baseline())
                        .append(" the paired two-sided t-test and Cohen's d_z of the paired differences");
            }
            intro.append(c.higherIsBetter() ? ". Higher is better." : ". Lower is better.");
            page.paragraph(intro.toString());
            List<String> names = new ArrayList<>();
            double[] mean = new double[c.methods().size()];
            double[] err = new double[mean.length];
            boolean ci = false;
            for (int i = 0; i < mean.length; i++) {
                Comparison.MethodSummary s = c.methods().get(i);
                names.add(s.method());
                mean[i] = s.mean();
                if (Double.isFinite(s.ciLow()) && Double.isFinite(s.ciHigh())) {
                    err[i] = (s.ciHigh() - s.ciLow()) / 2;
                    ci = true;
                } else {
                    err[i] = s.std();
                }
            }
            String errName = ci ? "95% CI" : "+- sd";
            page.image("Test " + m + " by method with error bars", Charts.png(Charts.barChart(
                    "Test " + m + " by method (mean, error bars: " + errName + ")", m, names,
                    List.of(new Charts.BarSeries(m, mean, err, colours.get(c))),
                    c.higherIsBetter() ? 0 : Double.NaN, c.higherIsBetter() ? 1.05 : Double.NaN, Double.NaN),
                    WIDTH, 420));
            boolean f1 = false;
            for (Comparison.MethodSummary s : c.methods()) {
                f1 |= Double.isFinite(s.macroF1Mean());
            }
            List<String> head = new ArrayList<>(List.of("method", "layers (first seed)", m + " mean +- sd", "95% CI"));
            if (f1) {
                head.add("macro-F1 mean +- sd");
            }
            head.addAll(List.of("p vs " + (c.baseline() == null ? "baseline" : c.baseline()), "d_z", "selection s"));
            Table t = new Table(head.toArray(String[]::new));
            for (Comparison.MethodSummary s : c.methods()) {
                List<Table.Cell> cells = new ArrayList<>();
                boolean isBase = s.method().equals(c.baseline());
                cells.add(Table.text(s.method() + (isBase ? " (baseline)" : "")));
                cells.add(Table.text(layersText(s.layersPerSeed())));
                cells.add(Table.numHtml(HtmlPage.plusMinus(s.mean(), s.std())));
                cells.add(Table.num(Double.isFinite(s.ciLow()) ? "[" + HtmlPage.fmt(s.ciLow()) + ", "
                        + HtmlPage.fmt(s.ciHigh()) + "]" : "-"));
                if (f1) {
                    cells.add(Double.isFinite(s.macroF1Mean()) ? Table.numHtml(HtmlPage.plusMinus(s.macroF1Mean(),
                            s.macroF1Std())) : Table.num("-"));
                }
                cells.add(Table.num(HtmlPage.pValue(s.pVsBaseline())));
                cells.add(Table.num(Double.isFinite(s.effectSize()) ? String.format(Locale.ROOT, "%.2f", s.effectSize())
                        : "-"));
                cells.add(Table.num(Double.isFinite(s.meanSelectionSeconds())
                        ? String.format(Locale.ROOT, "%.3f", s.meanSelectionSeconds()) : "-"));
                t.row(false, cells.toArray(Table.Cell[]::new));
            }
            page.table(t);
            Comparison.Anova a = c.anova();
            if (a != null) {
                page.paragraph(String.format(Locale.ROOT, "One-way ANOVA of %s across %d methods: F(%s, %s) = %s, "
                                + "p = %s, eta^2 = %s.", m, c.methods().size(), a.dfBetween() < 0 ? "?" : a.dfBetween(),
                        a.dfWithin() < 0 ? "?" : a.dfWithin(), HtmlPage.sig(a.f()), HtmlPage.pValue(a.p()),
                        HtmlPage.sig(a.etaSquared())));
            }
            Table per = new Table("method", "layers per seed");
            for (Comparison.MethodSummary s : c.methods()) {
                List<String> sets = new ArrayList<>();
                for (int[] l : s.layersPerSeed()) {
                    sets.add(Arrays.toString(l));
                }
                per.row(false, Table.text(s.method()), Table.text(String.join("  ", sets)));
            }
            page.details("Layers of every seed", per.toHtml(), false);
        }
    }

    private static String layersText(List<int[]> perSeed) {
        if (perSeed.isEmpty()) {
            return "";
        }
        Set<String> distinct = new HashSet<>();
        for (int[] l : perSeed) {
            distinct.add(Arrays.toString(l));
        }
        String first = Arrays.toString(perSeed.getFirst());
        return distinct.size() == 1 ? first : first + " (" + distinct.size() + " different sets over seeds)";
    }

    // ---------------------------------------------------------------- helpers

    /** Each input's label: its file name, or its path where two inputs share a name. */
    static Map<ReportInput, String> labels(List<ReportInput> inputs) {
        Map<String, Integer> count = new LinkedHashMap<>();
        for (ReportInput in : inputs) {
            count.merge(name(in.file()), 1, Integer::sum);
        }
        Map<ReportInput, String> out = new IdentityHashMap<>();
        for (ReportInput in : inputs) {
            String n = name(in.file());
            out.put(in, count.get(n) > 1 ? in.file().toString() : n);
        }
        return out;
    }

    private static String name(Path p) {
        Path f = p.getFileName();
        return f == null ? p.toString() : f.toString();
    }

    /** The paper's name of a hidden state: {@code k - 1}, or "embedding output" for 0. */
    static String paperLayer(int hiddenState) {
        return hiddenState == 0 ? "embedding output" : Integer.toString(hiddenState - 1);
    }

    private static int pickOrder(int[] selected, int layer) {
        for (int k = 0; k < selected.length; k++) {
            if (selected[k] == layer) {
                return k + 1;
            }
        }
        return 0;
    }

    private static boolean anyFinite(double[] v) {
        for (double x : v) {
            if (Double.isFinite(x)) {
                return true;
            }
        }
        return false;
    }
}
