package org.loes4j.cli.demo;

import org.loes4j.cli.CliRun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.cli.Main;

/**
 * {@code loes demo} up to the point where it needs the network: without npm, with a corrupt cached tarball,
 * and with bad options it stops with exit code 2, one clear line, and no report.
 */
class DemoCommandTest {
    @TempDir
    Path dir;

    private String savedNpm;
    private String savedData;

    @BeforeEach
    void isolate() {
        savedNpm = System.getProperty(NpmPackage.NPM_PROPERTY);
        savedData = System.getProperty(NpmPackage.DATA_DIR_PROPERTY);
        System.setProperty(NpmPackage.NPM_PROPERTY, dir.resolve("no-npm-here/npm").toString());
        System.setProperty(NpmPackage.DATA_DIR_PROPERTY, dir.resolve("data").toString());
    }

    @AfterEach
    void restore() {
        restore(NpmPackage.NPM_PROPERTY, savedNpm);
        restore(NpmPackage.DATA_DIR_PROPERTY, savedData);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }


    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void withoutNpmItExitsWith2AndSaysWhatToInstall() {
        Path report = dir.resolve("report");
        CliRun r = run("demo", "--quick", "--out-dir", report.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("loes: error: cannot run") && r.err().contains("install Node.js and npm"), r.err());
        assertTrue(r.err().contains(StateOfTheUnion.PACKAGE.spec()), r.err());
        assertFalse(Files.exists(report), "no report without data");
    }

    @Test
    void aCorruptCachedTarballIsNotUsed() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve(StateOfTheUnion.PACKAGE.fileName()), "not a tarball");
        CliRun r = run("demo", "--quick", "--out-dir", dir.resolve("report").toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("has sha256") && r.err().contains("fetching it again"), r.err());
        assertTrue(r.err().contains("install Node.js and npm"), r.err());
    }

    @Test
    void badOptionsExitWith2NamingTheOption() throws IOException {
        CliRun few = run("demo", "--max-passages", "10");
        assertEquals(Main.EXIT_BAD_INPUT, few.code());
        assertTrue(few.err().contains("max-passages: 10"), few.err());
        CliRun k = run("demo", "--k", "0");
        assertEquals(Main.EXIT_BAD_INPUT, k.code());
        assertTrue(k.err().contains("--k: 0"), k.err());
        Path project = dir.resolve("project");
        Files.createDirectories(project.resolve("src"));
        CliRun out = run("demo", "--out-dir", project.toString());
        assertEquals(Main.EXIT_BAD_INPUT, out.code());
        assertTrue(out.err().contains("--out-dir: " + project) && out.err().contains("not a previous report"), out.err());
        assertTrue(Files.isDirectory(project.resolve("src")));
        CliRun pooling = run("demo", "--pooling", "max");
        assertEquals(Main.EXIT_BAD_INPUT, pooling.code());
        assertTrue(pooling.err().contains("pooling: 'max'"), pooling.err());
    }
}
