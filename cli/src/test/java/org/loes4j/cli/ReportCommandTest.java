package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.cli.report.ReportInput;
import org.loes4j.cli.report.ReportPage;
import org.loes4j.linalg.io.Json;

/**
 * {@code loes report} on small hand-written results: each kind is recognised from its content whatever the
 * file is called, the probe's score fields are read under either name, a missing kind or missing
 * diagnostics leave a line saying which command fills the section, and bad inputs or an output that is an
 * input stop it with exit code 2 and one line naming the file. (The page in a real browser, from results
 * that select and compare really wrote: {@link ReportBrowserTest}.)
 */
class ReportCommandTest {
    @TempDir
    Path dir;


    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    static Map<String, Object> selection(boolean diagnostics) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", "loes");
        m.put("selected", List.of(3, 1));
        m.put("stepScores", List.of(0.1, 0.2));
        List<Object> layers = new ArrayList<>();
        for (int l = 0; l < 5; l++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("layer", l);
            e.put("fitLoss", 0.5 - 0.05 * l);
            e.put("isotropy", l == 4 ? null : 0.2 + 0.1 * l);
            e.put("score0", 1.0 - 0.1 * l);
            e.put("selected", l == 3 || l == 1);
            layers.add(e);
        }
        m.put("layers", layers);
        m.put("steps", List.of());
        if (diagnostics) {
            List<Object> dl = new ArrayList<>();
            List<Object> red = new ArrayList<>();
            for (int l = 0; l < 5; l++) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("layer", l);
                e.put("isotropy", 0.2 + 0.1 * l);
                e.put("effectiveRank", 2.0 + l);
                e.put("datasetEntropy", 1.0);
                e.put("spectrum", Map.of("top", List.of(4.0, 2.0, 1.0), "total", 8.0, "topFraction", 0.5,
                        "numericalRank", 4, "dimension", 4));
                dl.add(e);
                List<Object> row = new ArrayList<>();
                for (int j = 0; j < 5; j++) {
                    row.add(l == j ? 1.0 : 1.0 / (1 + Math.abs(l - j)));
                }
                red.add(row);
            }
            m.put("diagnostics", Map.of("layers", dl, "redundancy", red));
        }
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("loes4jVersion", "0.1.0-test");
        prov.put("jdk", "25 <test>");
        prov.put("backend", "vector");
        prov.put("threads", "2");
        prov.put("method", "loes");
        prov.put("seed", 42);
        prov.put("hyperParameters", Map.of("alpha", 1.0));
        prov.put("inputs", Map.of("--embeddings", "e.npy sha256:00"));
        prov.put("timings", Map.of("selectMs", 12.5));
        m.put("provenance", prov);
        return m;
    }

    /** A probe result; {@code aliases} writes the other accepted field names ({@code mean}, {@code scoreStd}). */
    static Map<String, Object> probe(boolean aliases) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", "probe");
        m.put("score", "accuracy");
        m.put("folds", 5);
        List<Object> layers = new ArrayList<>();
        for (int l = 0; l < 5; l++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("layer", l);
            e.put("width", 4);
            e.put(aliases ? "mean" : "score", 0.4 + 0.1 * l - (l == 4 ? 0.25 : 0));
            e.put(aliases ? "scoreStd" : "std", 0.02 * (l + 1));
            layers.add(e);
        }
        layers.add(Map.of("layers", List.of(1, 3), "width", 8, "score", 0.8, "std", 0.01));
        m.put("best", Map.of("layer", 3, "score", 0.7));
        m.put("layers", layers);
        m.put("provenance", Map.of("method", "probe", "seed", 1));
        return m;
    }

    static Map<String, Object> comparison() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("settings", Map.of("k", 2, "seeds", 3, "firstSeed", 42));
        m.put("provenance", Map.of("method", "compare"));
        List<Object> summary = new ArrayList<>();
        String[] names = {"last", "loes"};
        for (int i = 0; i < 2; i++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("method", names[i]);
            e.put("accuracyMean", 0.5 + 0.2 * i);
            e.put("accuracyStd", 0.05);
            e.put("accuracyCi95", List.of(0.4 + 0.2 * i, 0.6 + 0.2 * i));
            e.put("macroF1Mean", 0.45 + 0.2 * i);
            e.put("macroF1Std", 0.04);
            if (i > 0) {
                e.put("baseline", "last");
                e.put("pVsBaseline", 0.0123);
                e.put("effectSizeVsBaseline", 2.5);
            }
            e.put("meanSelectionSeconds", 0.01);
            e.put("layersPerSeed", List.of(List.of(4), List.of(4), List.of(4)));
            summary.add(e);
        }
        m.put("summary", summary);
        m.put("anova", Map.of("metric", "accuracy", "f", 12.0, "dfBetween", 1, "dfWithin", 4, "p", 0.026,
                "etaSquared", 0.75));
        m.put("runs", List.of());
        return m;
    }

    private Path write(String name, Map<String, Object> json) throws IOException {
        return Files.writeString(dir.resolve(name), Json.writePretty(json));
    }

    @Test
    void recognisesEachKindByContentAndReadsTheProbeUnderEitherFieldName() throws IOException {
        // Names that say nothing: the content decides.
        assertTrue(ReportInput.read(write("a.json", selection(true))) instanceof ReportInput.Selection);
        assertTrue(ReportInput.read(write("b.json", comparison())) instanceof ReportInput.Comparison);
        for (boolean aliases : new boolean[] {false, true}) {
            ReportInput in = ReportInput.read(write("c" + aliases + ".json", probe(aliases)));
            ReportInput.LayerProbe p = (ReportInput.LayerProbe) in;
            assertEquals(5, p.layers().size(), "the subset entry is not a layer");
            assertEquals(0.6, p.layers().get(2).mean(), 1e-12);
            assertEquals(0.06, p.layers().get(2).std(), 1e-12);
            assertEquals(3, p.bestLayer());
            assertEquals("accuracy", p.scoreName());
        }
        ReportInput.Selection s = (ReportInput.Selection) ReportInput.read(dir.resolve("a.json"));
        assertTrue(Double.isNaN(s.layers().get(4).isotropy()), "null reads as NaN");
        assertEquals(0.5, s.diagnostics().of(3).topFractions()[0], 1e-12);
        assertTrue(s.layers().get(0).metrics().isEmpty(), "LOES writes no baseline metric");

        // A baseline (select --baseline entropy) writes nulls for LOES's numbers and its own metric per layer.
        Map<String, Object> base = selection(false);
        for (Object o : (List<?>) base.get("layers")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> l = (Map<String, Object>) o;
            l.put("fitLoss", null);
            l.put("isotropy", null);
            l.put("score0", null);
            l.put("datasetEntropy", 1.0 + 0.1 * (Integer) l.get("layer"));
        }
        ReportInput.Selection b = (ReportInput.Selection) ReportInput.read(write("base.json", base));
        assertEquals(Map.of("datasetEntropy", 1.2), b.layers().get(2).metrics());
        Path html = dir.resolve("base.html");
        assertEquals(0, run("report", "--out", html.toString(), dir.resolve("base.json").toString()).code());
        String page = Files.readString(html);
        assertEquals(1, Pattern.compile("data:image/png;base64,").matcher(page).results().count(),
                "the baseline's metric is drawn across depth");
        assertFalse(page.contains("score0 = ridge fit loss"), "no score0 to explain");
    }

    @Test
    void writesOnePageWithEverySectionAndTheNumbers() throws IOException {
        Path sel = write("sel.json", selection(true));
        Path probe = write("probe.json", probe(false));
        Path cmp = write("cmp.json", comparison());
        Path html = dir.resolve("out/report.html");
        Files.createDirectories(html.getParent());
        CliRun r = run("report", "--out", html.toString(), "--title", "T & <x>", sel.toString(), probe.toString(),
                cmp.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("wrote " + html, r.out().strip());
        String page = Files.readString(html);
        for (String id : ReportPage.SECTIONS) {
            assertTrue(page.contains("<h2 id=\"" + id + "\">"), "section " + id);
        }
        assertTrue(page.contains("<title>T &amp; &lt;x&gt;</title>"));
        // Charts: layers, spectrum, redundancy, methods.
        assertEquals(4, Pattern.compile("src=\"data:image/png;base64,").matcher(page).results().count());
        assertFalse(Pattern.compile("(src|href)=\"(?!data:|#)").matcher(page).find(), "nothing external");
        assertFalse(page.contains("<script"));
        assertTrue(page.contains("its layer k is hidden state k + 1"));
        // The method table: mean +- sd, CI, p, d_z and the ANOVA line.
        assertTrue(page.contains("<td>loes</td><td>[4]</td><td class=\"n\">0.7000 &plusmn; 0.0500</td>"
                + "<td class=\"n\">[0.6000, 0.8000]</td><td class=\"n\">0.6500 &plusmn; 0.0400</td>"
                + "<td class=\"n\">0.0123</td><td class=\"n\">2.50</td>"), "the loes row");
        assertTrue(page.contains("One-way ANOVA of accuracy across 2 methods: F(1, 4) = 12.0, p = 0.0260, eta^2 = 0.750."));
        // The per-layer table marks picks and shows the probe with its spread; a null is n/a.
        assertTrue(page.contains("<tr class=\"sel\"><td class=\"n\">3</td><td>2</td><td class=\"n\">0.7000 &plusmn; "
                + "0.0800 (best)</td>"), "layer 3: picked #1, the probe's best");
        assertTrue(page.contains("n/a"));
        // Provenance: folded groups, not one flat table.
        assertTrue(page.contains("<details><summary>environment <span class=\"muted\">(4 entries: loes4j 0.1.0-test, "
                + "JDK 25 &lt;test&gt;, vector backend, 2 threads)</span></summary>"), "environment folded with a gist");
        assertTrue(page.contains("<details><summary>hyper-parameters"));
        assertTrue(page.contains("<th>hyperParameters.alpha</th><td>1.0</td>"));
        assertTrue(page.contains("<details><summary>timings"));
        assertTrue(page.contains("<details><summary>inputs"));
        try (var files = Files.list(html.getParent())) {
            assertEquals(List.of(html), files.toList(), "written atomically: no temporary left beside it");
        }
    }

    @Test
    void saysWhichCommandFillsAMissingSection() throws IOException {
        Path sel = write("sel.json", selection(false));
        Path html = dir.resolve("r.html");
        CliRun r = run("report", "--out", html.toString(), sel.toString());
        assertEquals(0, r.code(), r.err());
        String page = Files.readString(html);
        assertTrue(page.contains("run select --diagnostics"), "no diagnostics: the spectrum says how to get it");
        assertTrue(page.contains("No redundancy matrix: run select --diagnostics"));
        assertTrue(page.contains("No comparison given: run loes compare"));
        assertTrue(page.contains("No probe given: pass the JSON of loes probe --json"));
        assertEquals(1, Pattern.compile("data:image/png;base64,").matcher(page).results().count(), "the layer chart");
    }

    @Test
    void aFileOfAnotherKindIsAnErrorNamingIt() throws IOException {
        Path sel = write("sel.json", selection(true));
        Path other = Files.writeString(dir.resolve("meta.json"), "{\"model\": \"bge\", \"layers\": 13}");
        Path html = dir.resolve("r.html");
        CliRun r = run("report", "--out", html.toString(), sel.toString(), other.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("loes: error: " + other + ": not a result of loes select, probe or compare"),
                r.err());
        assertTrue(r.err().contains("[layers, model]"), "it names the keys it found: " + r.err());
        assertFalse(Files.exists(html), "no page");

        Path notJson = Files.writeString(dir.resolve("x.json"), "layer,score\n1,0.5\n");
        r = run("report", "--out", html.toString(), notJson.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().startsWith("loes: error: " + notJson + ": not the JSON of loes select, probe or compare"),
                r.err());

        Path binary = Files.write(dir.resolve("e.npy"), new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) 0xff});
        r = run("report", "--out", html.toString(), binary.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().startsWith("loes: error: " + binary + ": not UTF-8 text"), r.err());

        r = run("report", "--out", html.toString(), dir.resolve("missing.json").toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().startsWith("loes: error: " + dir.resolve("missing.json") + ": no such file"), r.err());

        Map<String, Object> bad = selection(false);
        bad.put("selected", List.of("three"));
        Path badSel = write("bad.json", bad);
        r = run("report", "--out", html.toString(), badSel.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().startsWith("loes: error: " + badSel + ": selected[0]: expected an integer"), r.err());
        assertFalse(Files.exists(html));
    }

    @Test
    void neverWritesOverAnInput() throws IOException {
        Path sel = write("sel.json", selection(true));
        String before = Files.readString(sel);
        CliRun r = run("report", "--out", sel.toString(), sel.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().startsWith("loes: error: --out: " + sel + " is also the input"), r.err());
        assertEquals(before, Files.readString(sel));
        r = run("report", "--out", dir.toString(), sel.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("is a directory"), r.err());
        r = run("report");
        assertEquals(Main.EXIT_BAD_INPUT, r.code(), "at least one file");
    }
}
