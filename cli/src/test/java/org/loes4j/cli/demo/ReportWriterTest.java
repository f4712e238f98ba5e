package org.loes4j.cli.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.linalg.io.Json;

/** The report on synthetic numbers: a self-contained page whose embedded images are real PNG charts. */
class ReportWriterTest {
    @TempDir
    Path dir;

    private static DemoReport report() {
        int n = 12;
        int[] layers = new int[n];
        double[] score0 = new double[n];
        double[] iso = new double[n];
        double[] acc = new double[n];
        for (int l = 0; l < n; l++) {
            layers[l] = l;
            score0[l] = 1 - 0.05 * l + 0.002 * l * l;
            iso[l] = 0.1 + 0.04 * l;
            acc[l] = 0.3 + 0.03 * l - 0.002 * l * l;
        }
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("jdk", "25 <test>");
        prov.put("seeds", Map.of("split", 42));
        prov.put("selected", new int[] {7, 3});
        return new DemoReport("Demo & test", "Era of a passage.", List.of("a", "b", "c"), layers, score0, iso, acc,
                new int[] {7, 3, 11, 0},
                List.of(new DemoReport.MethodResult("LOES-4", new int[] {7, 3, 11, 0}, 0.61, 0.6, "best epoch 9"),
                        new DemoReport.MethodResult("Last", new int[] {11}, 0.5, 0.48, ""),
                        new DemoReport.MethodResult("Last-4", new int[] {8, 9, 10, 11}, 0.55, Double.NaN, "")),
                Map.of("train", 90), "Public domain data.", prov, List.of("One seed <only>."));
    }

    @Test
    void writesASelfContainedPageWithTwoPngCharts() throws IOException {
        Path index = ReportWriter.write(report(), dir.resolve("demo-report"));
        assertEquals(dir.resolve("demo-report/index.html"), index);
        String html = Files.readString(index);
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.trim().endsWith("</html>"));
        Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        List<BufferedImage> images = new ArrayList<>();
        while (m.find()) {
            byte[] png = Base64.getDecoder().decode(m.group(1));
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
            images.add(ImageIO.read(new ByteArrayInputStream(png)));
        }
        assertEquals(2, images.size(), "the method chart and the layer chart");
        for (BufferedImage img : images) {
            assertTrue(img.getWidth() >= 800 && img.getHeight() >= 400, img.getWidth() + "x" + img.getHeight());
            assertTrue(distinctColours(img) > 10, "the chart is not blank");
        }
        // Nothing is fetched: no external src/href, no script.
        assertFalse(Pattern.compile("(src|href)=\"(?!data:)").matcher(html).find(), "external reference");
        assertFalse(html.contains("<script"));
        // Text is escaped, the table and provenance are there.
        assertTrue(html.contains("<title>Demo &amp; test</title>"));
        assertTrue(html.contains("25 &lt;test&gt;"));
        assertTrue(html.contains("seeds.split"));
        // The provenance is folded by group, not one flat table.
        assertTrue(html.contains("<details><summary>environment"), "environment folded");
        int hyper = html.indexOf("<details><summary>hyper-parameters");
        assertTrue(hyper > 0 && html.indexOf("seeds.split") > hyper
                && html.indexOf("seeds.split") < html.indexOf("</details>", hyper), "seeds sit in hyper-parameters");
        assertTrue(html.contains("<td>LOES-4</td><td>[7, 3, 11, 0]</td><td class=\"n\">0.6100</td>"));
        assertTrue(html.contains("n/a"), "a NaN is shown as n/a");
        assertTrue(html.contains("<li>One seed &lt;only&gt;.</li>"), "notes are listed, escaped");
        assertTrue(html.contains("<tr class=\"sel\"><td>7</td>"), "selected layers are highlighted");
    }

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> c = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                c.add(img.getRGB(x, y));
            }
        }
        return c.size();
    }

    @Test
    void writesMatchingJsonAndReplacesAnOldReportWhole() throws IOException {
        Path out = dir.resolve("r");
        Files.createDirectories(out);
        Files.writeString(out.resolve("index.html"), "old page");
        Files.writeString(out.resolve("report.json"), "{}");
        ReportWriter.write(report(), out);
        assertTrue(Files.readString(out.resolve("index.html")).startsWith("<!DOCTYPE html>"), "the old report is replaced");
        Map<String, Object> json = Json.parseObject(Files.readString(out.resolve("report.json")));
        assertEquals(List.of(7L, 3L, 11L, 0L), json.get("selected"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> methods = (List<Map<String, Object>>) json.get("methods");
        assertEquals("Last-4", methods.get(2).get("method"));
        assertEquals(null, methods.get(2).get("macroF1"), "NaN becomes null");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(out), files.toList(), "no temporary directory is left beside the report");
        }
    }

    @Test
    void neverReplacesADirectoryThatIsNotAReportNorAFile() throws IOException {
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.writeString(project.resolve("index.html"), "mine");
        Files.writeString(project.resolve("pom.xml"), "<project/>");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReportWriter.write(report(), project));
        assertTrue(e.getMessage().startsWith("--out-dir: ") && e.getMessage().contains("pom.xml"), e.getMessage());
        assertEquals("mine", Files.readString(project.resolve("index.html")));
        Path file = Files.writeString(dir.resolve("notes.txt"), "keep");
        assertThrows(IllegalArgumentException.class, () -> ReportWriter.write(report(), file));
        assertEquals("keep", Files.readString(file));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "nothing temporary is left behind");
        }
    }

    @Test
    void withSeveralSeedsShowsMeanStdAndPValue() throws IOException {
        DemoReport one = report();
        DemoReport r = new DemoReport(one.title(), one.task(), one.classes(), one.layers(), one.score0(),
                one.isotropy(), one.probeAccuracy(), one.selected(),
                List.of(DemoReport.MethodResult.of("LOES-4", new int[] {7, 3}, new double[] {0.6, 0.7, 0.8},
                                new double[] {0.5, 0.5, 0.5}, 0.0123, ""),
                        DemoReport.MethodResult.of("Last", new int[] {11}, new double[] {0.5, 0.5, 0.6},
                                new double[] {0.4, 0.4, 0.4}, Double.NaN, "")),
                one.splits(), one.attribution(), one.provenance(), one.notes());
        assertTrue(r.multiSeed());
        String[] lines = r.table().split("\n");
        assertTrue(lines[0].contains("p vs Last"), lines[0]);
        // mean 0.7, sample std 0.1; macro-F1 constant: std 0.
        assertTrue(lines[1].matches("LOES-4\\s+\\[7, 3\\]\\s+0\\.7000 \\+- 0\\.1000\\s+0\\.5000 \\+- 0\\.0000"
                + "\\s+0\\.0123"), lines[1]);
        assertTrue(lines[2].trim().endsWith("-"), "Last is not tested against itself: " + lines[2]);
        Path index = ReportWriter.write(r, dir.resolve("multi"));
        String html = Files.readString(index);
        assertTrue(html.contains("0.7000 &plusmn; 0.1000"), "mean +- std in the page");
        assertEquals(2, Pattern.compile("data:image/png;base64,").matcher(html).results().count(), "both charts");
        Map<String, Object> json = Json.parseObject(Files.readString(dir.resolve("multi/report.json")));
        @SuppressWarnings("unchecked")
        Map<String, Object> loes = ((List<Map<String, Object>>) json.get("methods")).get(0);
        assertEquals(3L, loes.get("runs"));
        assertEquals(0.1, (Double) loes.get("accuracyStd"), 1e-12);
    }

    @Test
    void printsTheMethodTable() {
        String t = report().table();
        String[] lines = t.split("\n");
        assertEquals(4, lines.length);
        assertTrue(lines[0].startsWith("method") && lines[0].contains("macro-F1"));
        assertTrue(lines[1].matches("LOES-4\\s+\\[7, 3, 11, 0\\]\\s+0\\.6100\\s+0\\.6000"), lines[1]);
    }
}
