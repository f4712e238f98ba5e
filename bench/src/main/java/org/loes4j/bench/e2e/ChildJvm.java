package org.loes4j.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a class of this class path in a fresh JVM (the {@code java} of {@code java.home}, with the flags every
 * loes4j JVM needs) and measures its wall time and peak resident set size.
 *
 * <p>Peak RSS comes from GNU {@code /usr/bin/time -f %M} when it exists (the kernel's {@code ru_maxrss} of the
 * child, exact); otherwise {@code VmHWM} of {@code /proc/<pid>/status} is polled every {@link #POLL_MILLIS} ms
 * (a lower bound: growth after the last poll is missed). The wall time includes JVM start-up, and with
 * {@code time} its fork (well under a millisecond).
 */
final class ChildJvm {
    /** Flags of every JVM that runs loes4j (as the root pom's {@code loes4j.jvm.flags}). */
    static final List<String> LOES4J_FLAGS = List.of("--add-modules", "jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED");
    /** Polling period of the {@code VmHWM} fallback. */
    static final long POLL_MILLIS = 10;
    private static final Path GNU_TIME = Path.of("/usr/bin/time");

    /**
     * The outcome of one child run.
     *
     * @param exitCode    the child's exit code
     * @param wallSeconds from start to exit
     * @param peakRssKiB  peak resident set size in KiB, -1 if it could not be read
     * @param rssSource   how the peak was measured
     * @param stdout      everything the child printed on stdout
     * @param stderr      everything the child printed on stderr
     */
    record Result(int exitCode, double wallSeconds, long peakRssKiB, String rssSource, String stdout, String stderr) {
        /** Throws with the child's stderr unless it exited with 0. */
        Result checkOk(List<String> command) {
            if (exitCode != 0) {
                throw new IllegalStateException("child JVM exited with " + exitCode + ": " + String.join(" ", command)
                        + "\n" + stderr + stdout);
            }
            return this;
        }
    }

    private ChildJvm() {
    }

    /** {@code java <flags> <jvmOptions> -cp <this class path> <mainClass> <args>}. */
    static List<String> command(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(LOES4J_FLAGS);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** Runs {@code command} and waits for it. */
    static Result run(List<String> command) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("loes4j-e2e-child");
        try {
            Path out = dir.resolve("stdout");
            Path err = dir.resolve("stderr");
            Path rss = dir.resolve("maxrss");
            boolean gnuTime = Files.isExecutable(GNU_TIME);
            List<String> full = new ArrayList<>();
            if (gnuTime) {
                full.addAll(List.of(GNU_TIME.toString(), "-f", "%M", "-o", rss.toString()));
            }
            full.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(full).redirectOutput(out.toFile()).redirectError(err.toFile());
            long t0 = System.nanoTime();
            Process p = pb.start();
            long polled = -1;
            Path status = Path.of("/proc", Long.toString(p.pid()), "status");
            while (!p.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (!gnuTime) {
                    polled = Math.max(polled, vmHwm(status));
                }
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            long peak = polled;
            String source = "VmHWM polled every " + POLL_MILLIS + " ms (lower bound)";
            if (gnuTime) {
                peak = parseTimeOutput(Files.exists(rss) ? Files.readString(rss) : "");
                source = "GNU time %M (ru_maxrss)";
            }
            return new Result(p.exitValue(), wall, peak, source, Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** The last integer line of GNU time's output (earlier lines may be "Command exited with non-zero status"). */
    static long parseTimeOutput(String text) {
        long v = -1;
        for (String line : text.strip().split("\n")) {
            try {
                v = Long.parseLong(line.strip());
            } catch (NumberFormatException e) {
                // a status line, not the number
            }
        }
        return v;
    }

    /** VmHWM in KiB, -1 when the process is gone. */
    private static long vmHwm(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.split("\\s+");
                    return Long.parseLong(parts[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
