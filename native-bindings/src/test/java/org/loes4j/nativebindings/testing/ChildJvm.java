package org.loes4j.nativebindings.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of the test class path in a fresh JVM (same JDK, same class path, the flags the
 * launcher uses), for what one JVM cannot show: process-wide backend selection, loading state that is
 * cached per process, and extraction racing between processes.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** Output of a finished child. */
    public record Result(int exit, String stdout, String stderr) {
    }

    /** A started child; {@link #finish()} waits (at most 120 s) and collects its output. */
    public record Running(Process process, Path out, Path err) {
        public Result finish() throws IOException, InterruptedException {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("child JVM did not finish within 120 s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        }
    }

    public static Running start(List<String> properties, Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.addAll(properties);
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("child-jvm", ".out");
        Path err = Files.createTempFile("child-jvm", ".err");
        out.toFile().deleteOnExit();
        err.toFile().deleteOnExit();
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Running(p, out, err);
    }

    public static Result run(List<String> properties, Class<?> main, String... args)
            throws IOException, InterruptedException {
        return start(properties, main, args).finish();
    }
}
