package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
