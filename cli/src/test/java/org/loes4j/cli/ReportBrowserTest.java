package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.cli.report.ReportPage;
import org.loes4j.linalg.io.Json;

/**
 * The report in a real browser: headless Chromium (Debian's {@code chromium}, found on the PATH; {@code ./loes
 * test} installs it when it is missing and it can) renders a page made from results that {@code select
 * --diagnostics} and {@code compare} really wrote on tiny synthetic data, plus a probe result in the form of
 * {@code ProbeSweep.toMap} (the probe command is not on this branch yet). It must take a screenshot of the
 * window's size, showing the charts' own colours (so the embedded PNGs were decoded and drawn); its DOM must
 * hold every section; and the browser must log no console message. A control page that does log one proves
 * that the console check would see it.
 *
 * <p>This test never skips: without Chromium it fails, saying how to install it.
 */
class ReportBrowserTest {
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 2000;
    /** Per browser run; a cold start on 2 loaded cores takes a few seconds. */
    private static final long BROWSER_TIMEOUT_SECONDS = 180;
    /** The first palette colour ({@code Charts.colour(0)}): the curves of the first input, sel.json. */
    private static final int FIRST_SERIES_RGB = 0x1f77b4;

    @TempDir
    Path dir;

    private static void loes(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, "loes " + String.join(" ", args) + "\n" + out + err);
    }

    /** {@code chromium} on the PATH, or a failure that says how to get it. */
    static Path chromium() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, "chromium");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return fail("chromium is not on the PATH (" + System.getenv("PATH") + "): the report's browser test needs it. "
                + "Install it with apt-get install chromium (./loes test does so itself when it runs as root and "
                + "apt-get is there), then run the tests again.");
    }

    /** What one browser run printed. */
    private record Browser(int code, String stdout, String stderr) {
        /** The browser's console lines (what a page's console.log/error and uncaught errors print). */
        List<String> console() {
            List<String> out = new ArrayList<>();
            for (String line : stderr.split("\n")) {
                if (line.contains("CONSOLE") || line.contains("Uncaught")) {
                    out.add(line);
                }
            }
            return out;
        }
    }

    /**
     * Runs headless Chromium on {@code page} with {@code action} ({@code --screenshot=...} or {@code --dump-dom}),
     * logging to stderr so console messages show. Flags checked against Chromium 156 (Debian 12): the new
     * headless mode is the default for {@code --headless}; {@code --no-sandbox} because tests may run as root;
     * a fresh profile directory per run.
     */
    private Browser browse(Path chromium, Path page, String action) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "profile-");
        Path stdout = dir.resolve(profile.getFileName() + ".out");
        Path stderr = dir.resolve(profile.getFileName() + ".err");
        List<String> cmd = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--enable-logging=stderr", "--v=0", "--window-size=" + WIDTH + "," + HEIGHT, action,
                page.toUri().toString());
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(BROWSER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("chromium did not finish within " + BROWSER_TIMEOUT_SECONDS + " s: " + String.join(" ", cmd));
        }
        return new Browser(p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    @Test
    void theReportRendersInHeadlessChromiumWithEverySectionAndNoConsoleError() throws Exception {
        Path chromium = chromium();

        // Real results on tiny synthetic data: 600 rows, 6 layers of width 8, 3 classes.
        Path syn = dir.resolve("syn");
        loes("synth", "--out", syn.toString(), "--n", "600", "--layers", "6", "--dim", "8", "--classes", "3");
        Path parts = dir.resolve("parts");
        loes("split", "--embeddings", syn.resolve("embeddings.npy").toString(), "--labels",
                syn.resolve("labels.npy").toString(), "--out", parts.toString());
        String trainE = parts.resolve("train/embeddings.npy").toString();
        String trainY = parts.resolve("train/labels.npy").toString();
        Path sel = dir.resolve("sel.json");
        loes("select", "--embeddings", trainE, "--labels", trainY, "--k", "3", "--diagnostics", "--json", sel.toString());
        loes("compare", "--train-embeddings", trainE, "--train-labels", trainY,
                "--test-embeddings", parts.resolve("test/embeddings.npy").toString(),
                "--test-labels", parts.resolve("test/labels.npy").toString(), "--k", "3", "--seeds", "3",
                "--methods", "last,loes,random", "--epochs", "3", "--out", dir.resolve("cmp").toString());
        Path probe = Files.writeString(dir.resolve("probe.json"), Json.writePretty(probeResult()));
        Path html = dir.resolve("report.html");
        loes("report", "--out", html.toString(), sel.toString(), probe.toString(), dir.resolve("cmp.json").toString());
        String page = Files.readString(html);
        assertEquals(4, Pattern.compile("src=\"data:image/png;base64,").matcher(page).results().count(),
                "four charts: layers, spectrum, redundancy, methods");

        // The console check sees a console message when there is one.
        Path control = Files.writeString(dir.resolve("control.html"), "<!DOCTYPE html><html><body><p>control</p>"
                + "<script>console.error('report-test-control');</script></body></html>");
        Browser c = browse(chromium, control, "--dump-dom");
        assertEquals(0, c.code(), c.stderr());
        assertTrue(c.console().stream().anyMatch(l -> l.contains("report-test-control")),
                "this Chromium prints console messages on stderr with --enable-logging=stderr --v=0:\n" + c.stderr());

        Path png = dir.resolve("report.png");
        Browser shot = browse(chromium, html, "--screenshot=" + png);
        assertEquals(0, shot.code(), shot.stderr());
        assertTrue(shot.console().isEmpty(), "console messages: " + shot.console());
        assertTrue(Files.isRegularFile(png) && Files.size(png) > 0, "a screenshot: " + png + "\n" + shot.stderr());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(WIDTH, img.getWidth());
        assertEquals(HEIGHT, img.getHeight());
        int series = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xffffff) == FIRST_SERIES_RGB) {
                    series++;
                }
            }
        }
        assertTrue(series > 200, "the layer chart's curves are on screen (" + series + " pixels of #1f77b4)");

        Browser dom = browse(chromium, html, "--dump-dom");
        assertEquals(0, dom.code(), dom.stderr());
        assertTrue(dom.console().isEmpty(), "console messages: " + dom.console());
        String d = dom.stdout();
        for (String id : ReportPage.SECTIONS) {
            assertTrue(d.contains("<h2 id=\"" + id + "\">"), "the rendered DOM has section " + id);
        }
        assertEquals(4, Pattern.compile("<img ").matcher(d).results().count(), "four charts in the DOM");
        assertTrue(d.contains("Spectrum of the chosen layers") && d.contains("Redundancy between layers")
                && d.contains("Methods compared") && d.contains("One-way ANOVA of accuracy across 3 methods"), d.length() + " chars");
        assertTrue(Pattern.compile("<details><summary>environment").matcher(d).results().count() == 3,
                "each file's provenance, folded");
    }

    /** A per-layer probe in the JSON form of ProbeSweep.toMap, over the 6 hidden states of the synthetic data. */
    private static Map<String, Object> probeResult() {
        double[] score = {0.41, 0.58, 0.74, 0.69, 0.52, 0.39};
        List<Object> layers = new ArrayList<>();
        for (int l = 0; l < score.length; l++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("layer", l);
            e.put("width", 8);
            e.put("lambda", 1.0);
            e.put("score", score[l]);
            e.put("std", 0.02 + 0.01 * l);
            layers.add(e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", "probe");
        m.put("task", "classification");
        m.put("score", "accuracy");
        m.put("rows", 480);
        m.put("classes", 3);
        m.put("folds", 5);
        m.put("seed", 42);
        m.put("best", Map.of("layer", 2, "width", 8, "lambda", 1.0, "score", 0.74, "std", 0.04));
        m.put("layers", layers);
        m.put("provenance", Map.of("loes4jVersion", "test", "method", "probe", "seed", 42));
        return m;
    }
}
