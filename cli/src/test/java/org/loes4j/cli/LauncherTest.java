package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ./loes} launcher's JDK discovery, exercised as a user meets it. */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("").toAbsolutePath().getParent().resolve("loes");

    private static String[] launch(Path jdkDirs, String javaHome, String... args)
            throws IOException, InterruptedException {
        var cmd = new java.util.ArrayList<String>();
        cmd.add("bash");
        cmd.add(LAUNCHER.toString());
        cmd.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LOES_JDK_DIRS", jdkDirs.toString());
        if (javaHome == null) {
            pb.environment().remove("JAVA_HOME");
        } else {
            pb.environment().put("JAVA_HOME", javaHome);
        }
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new String[] {Integer.toString(p.exitValue()),
                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)};
    }

    /** A fake JDK home whose release file claims the given feature version. */
    private static Path fakeJdk(Path dir, String name, int version) throws IOException {
        Path home = dir.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho fake\n");
        java.toFile().setExecutable(true);
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + ".0.1\"\n");
        return home;
    }

    @Test
    void noSuitableJdkGivesAClearMessageAndExitCode2(@TempDir Path dir) throws Exception {
        Path old = fakeJdk(dir, "jdk-17", 17);
        String[] r = launch(dir, old.toString(), "doctor");
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains("no JDK >= 25 found"), r[1]);
        assertTrue(r[1].contains("JAVA_HOME=" + old + " is JDK 17"), r[1]);
    }

    @Test
    void emptyJdkDirectoryAndNoJavaHomeIsAlsoClear(@TempDir Path dir) throws Exception {
        String[] r = launch(dir, null, "doctor");
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains("no JDK >= 25 found"), r[1]);
        assertTrue(r[1].contains("Install one"), r[1]);
    }

    @Test
    void javaHomePrintsTheNewestSuitableJdk(@TempDir Path dir) throws Exception {
        fakeJdk(dir, "jdk-17", 17);
        fakeJdk(dir, "jdk-25", 25);
        Path newest = fakeJdk(dir, "jdk-26", 26);
        String[] r = launch(dir, null, "java-home");
        assertEquals("0", r[0], r[1]);
        assertEquals(newest.toString(), r[1].strip());
    }

    /**
     * A copy of the launcher in a directory that looks built (so it runs the JVM without Maven), with a fake
     * JDK 25 whose {@code bin/java} is {@code script}.
     */
    private static ProcessBuilder fakeRun(Path dir, String script, String... args) throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.copy(LAUNCHER, root.resolve("loes"));
        Path target = Files.createDirectories(root.resolve("cli/target"));
        Files.writeString(target.resolve("loes4j-cli.jar"), "");
        Files.writeString(target.resolve(".loes-build-stamp"), "");
        Path jdks = Files.createDirectories(dir.resolve("jdks"));
        Path fakeJava = fakeJdk(jdks, "jdk-25", 25).resolve("bin/java");
        Files.writeString(fakeJava, "#!/bin/bash\n" + script);
        List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("loes").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LOES_JDK_DIRS", jdks.toString());
        pb.environment().put("MVN", "true");
        pb.environment().remove("JAVA_HOME");
        return pb;
    }

    private static final String WARNING = "echo 'WARNING: Using incubator modules: jdk.incubator.vector' >&2\n";

    /**
     * The JVM's incubator warning is dropped; everything else on stderr passes unchanged (a progress bar's \r,
     * a last line without newline), stdout is untouched, the exit code is the JVM's, and all of stderr is written
     * when the launcher returns (read here from a file right after it exits, not from a pipe at EOF).
     */
    @Test
    void theIncubatorWarningIsDroppedAndEverythingElseKept(@TempDir Path dir) throws Exception {
        ProcessBuilder pb = fakeRun(dir, WARNING + """
                echo "out 1"
                printf 'progress 1/2\\r' >&2
                echo 'loes: error: --k: 0 must be >= 1' >&2
                echo "out 2"
                printf 'last words' >&2
                exit 3
                """, "select", "--k", "0");
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(3, p.exitValue());
        assertEquals("progress 1/2\rloes: error: --k: 0 must be >= 1\nlast words", Files.readString(err));
        assertEquals("out 1\nout 2\n", Files.readString(out));
    }

    /** Only that warning, and only as the first line: another first line, or the warning later, is kept. */
    @Test
    void otherLinesAreNeverDropped(@TempDir Path dir) throws Exception {
        ProcessBuilder pb = fakeRun(dir, """
                echo 'WARNING: something else' >&2
                echo 'WARNING: Using incubator modules: jdk.incubator.vector' >&2
                exit 0
                """);
        Path err = dir.resolve("err.txt");
        Process p = pb.redirectError(err.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertEquals("WARNING: something else\nWARNING: Using incubator modules: jdk.incubator.vector\n",
                Files.readString(err));
    }

    /** TERM sent to the launcher (timeout(1), a process manager) reaches the JVM, which is not left running. */
    @Test
    void termReachesTheJvm(@TempDir Path dir) throws Exception {
        ProcessBuilder pb = fakeRun(dir, WARNING + """
                sleep 60 &
                trap 'kill $!; echo "loes: stopped" >&2; exit 143' TERM
                echo ready
                wait
                """);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readString(out).contains("ready") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        p.destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(143, p.exitValue());
        assertEquals("loes: stopped\n", Files.readString(err));
    }
}
