package org.loes4j.cli.demo;

import org.loes4j.cli.CliRun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.cli.Main;

/**
 * {@code loes demo --vision}: its failures the user can fix (no apt, no npm, bad options) end with exit code 2
 * and one clear line; and a {@code --quick} run on the real data and model (200 images of 48 x 48, 3 epochs)
 * goes from nothing to a report. The smoke run uses the machine's data cache and is skipped when apt or npm
 * cannot deliver the pinned packages.
 */
class VisionDemoTest {
    @TempDir
    Path dir;


    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** Runs with the given system properties set, restoring them afterwards. */
    private static CliRun runWith(String[][] props, String... args) {
        String[] saved = new String[props.length];
        for (int i = 0; i < props.length; i++) {
            saved[i] = System.getProperty(props[i][0]);
            System.setProperty(props[i][0], props[i][1]);
        }
        try {
            return run(args);
        } finally {
            for (int i = 0; i < props.length; i++) {
                if (saved[i] == null) {
                    System.clearProperty(props[i][0]);
                } else {
                    System.setProperty(props[i][0], saved[i]);
                }
            }
        }
    }

    @Test
    void withoutAptItExitsWith2AndSaysWhatToDo() {
        Path report = dir.resolve("report");
        CliRun r = runWith(new String[][] {{FashionMnist.INSTALLED_DIR_PROPERTY, dir.resolve("none").toString()},
                {NpmPackage.DATA_DIR_PROPERTY, dir.resolve("data").toString()},
                {DebianPackage.APT_PROPERTY, dir.resolve("no-apt/apt-get").toString()}},
                "demo", "--vision", "--quick", "--out-dir", report.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("cannot run") && r.err().contains("apt-get install dataset-fashion-mnist"), r.err());
        assertFalse(Files.exists(report), "no report without data");
    }

    @Test
    void withoutNpmItExitsWith2NamingTheModelPackage() throws IOException {
        Path data = dir.resolve("data");
        // A complete unpacked package in the cache (synthetic IDX files), so that the model is the first thing missing.
        Path tree = FashionMnist.PACKAGE.unpackedDir(data);
        Path files = Files.createDirectories(tree.resolve(FashionMnist.PACKAGE_SUBDIR));
        Files.writeString(tree.resolve(".complete"), FashionMnist.PACKAGE.sha256() + "\n", StandardCharsets.UTF_8);
        int n = 100;
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        FashionMnistTest.writeGz(files.resolve(FashionMnist.TRAIN_IMAGES), FashionMnistTest.idx(new int[] {n, 28, 28},
                new byte[n * 28 * 28]));
        FashionMnistTest.writeGz(files.resolve(FashionMnist.TRAIN_LABELS), FashionMnistTest.idx(new int[] {n}, labels));
        FashionMnistTest.writeGz(files.resolve(FashionMnist.TEST_IMAGES), FashionMnistTest.idx(new int[] {n, 28, 28},
                new byte[n * 28 * 28]));
        FashionMnistTest.writeGz(files.resolve(FashionMnist.TEST_LABELS), FashionMnistTest.idx(new int[] {n}, labels));
        CliRun r = runWith(new String[][] {{FashionMnist.INSTALLED_DIR_PROPERTY, dir.resolve("none").toString()},
                {NpmPackage.DATA_DIR_PROPERTY, data.toString()},
                {NpmPackage.NPM_PROPERTY, dir.resolve("no-npm/npm").toString()}},
                "demo", "--vision", "--images", "70", "--out-dir", dir.resolve("report").toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("cannot run") && r.err().contains("install Node.js and npm")
                && r.err().contains(NsfwjsMobileNet.PACKAGE.spec()), r.err());
    }

    @Test
    void textOptionsAndTooFewImagesAreRefused() {
        CliRun pooling = run("demo", "--vision", "--max-length", "64", "--out-dir", dir.resolve("r").toString());
        assertEquals(Main.EXIT_BAD_INPUT, pooling.code(), pooling.err());
        assertTrue(pooling.err().contains("belong to the text demo"), pooling.err());
        CliRun few = run("demo", "--vision", "--images", "20", "--out-dir", dir.resolve("r").toString());
        assertEquals(Main.EXIT_BAD_INPUT, few.code(), few.err());
        assertTrue(few.err().contains("--images: 20 is too few"), few.err());
        CliRun textOnly = run("demo", "--image-size", "64", "--out-dir", dir.resolve("r").toString());
        assertEquals(Main.EXIT_BAD_INPUT, textOnly.code(), textOnly.err());
        assertTrue(textOnly.err().contains("only with --vision"), textOnly.err());
    }

    @Test
    void quickRunGoesFromNothingToAReport() throws IOException {
        Path report = dir.resolve("report");
        CliRun r = run("demo", "--vision", "--quick", "--out-dir", report.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("LOES-3") && r.out().contains("Last-3") && r.out().contains("[15, 16, 17]"), r.out());
        assertTrue(r.out().contains("Fashion-MNIST") && r.out().contains("MIT"), r.out());
        assertTrue(r.err().contains("200 images of 48 x 48, 18 taps each"), r.err());
        String html = Files.readString(report.resolve("index.html"), StandardCharsets.UTF_8);
        assertTrue(html.contains("out_relu (1280 channels") && html.contains("expanded_conv"), "per-tap names in the report");
        String json = Files.readString(report.resolve("report.json"), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"tapWidths\"") && json.contains("dataset-fashion-mnist"), json.substring(0, 200));
    }
}
