package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection: {@code loes extract --resume} runs in a child JVM and is killed with SIGKILL
 * ({@link Process#destroyForcibly()}) at seeded random moments spread over its run (from the first chunk's
 * encoding to the publishing of the result); {@code --resume} in this
 * JVM must then finish with exit 0, {@code embeddings.npy} and {@code labels.npy} bitwise equal to an
 * uninterrupted run's, and nothing left beside the output (no staging directory, temporary or lock file).
 */
class ExtractCrashTest {
    private static final long SEED = 20250611L;
    private static final int KILLS = 6;
    private static final int ROWS = 40;
    /** {@link #ROWS} in chunks of four. */
    private static final int CHUNKS = 10;
    /** A child must finish well within this; it normally takes a few seconds. */
    private static final long CHILD_TIMEOUT_S = 120;

    @TempDir
    Path dir;

    private Path csv() throws IOException {
        String[] subjects = {"The committee", "A small boat", "Our neighbour", "The old library", "Every spring"};
        String[] verbs = {"approved", "crossed", "painted", "opened", "brought"};
        String[] objects = {"the budget", "the river at dawn", "a blue fence", "its doors again", "heavy rain"};
        StringBuilder sb = new StringBuilder("text,label\n");
        for (int i = 0; i < ROWS; i++) {
            sb.append(subjects[i % 5]).append(' ').append(verbs[(i / 5) % 5]).append(' ')
                    .append(objects[(i / 2) % 5]).append(" in year ").append(1900 + i).append(',')
                    .append(i % 3 == 0 ? "a" : "b").append('\n');
        }
        Path f = dir.resolve("data.csv");
        Files.writeString(f, sb.toString());
        return f;
    }

    /** Ten chunks of four rows, so that a kill lands between, inside and after chunk writes. */
    private static List<String> args(Path data, Path out) {
        return List.of("extract", "--model", "all-MiniLM-L6-v2", "--input", data.toString(), "--label-column", "label",
                "--max-length", "16", "--batch", "4", "--chunk-rows", "4", "--resume", "--out", out.toString());
    }

    private static Process child(List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until {@code p} ends or {@code file} exists; returns the nanoTime at which it saw the file, or -1. */
    private static long awaitFile(Process p, Path file) throws InterruptedException {
        while (p.isAlive()) {
            if (Files.exists(file)) {
                return System.nanoTime();
            }
            Thread.sleep(1);
        }
        return -1;
    }

    @Test
    void resumeAfterSigkillAtRandomMomentsGivesTheUninterruptedResult() throws Exception {
        Path data = csv();
        // The uninterrupted run, in a child like the killed ones. Most of a child's life is the JVM's start and
        // the model's loading, and its first chunk carries the JIT's warm-up, so fixed delays from the start
        // would mostly hit a run with nothing on disk yet. Each kill is instead timed from an event of the
        // child's own run (its staging directory or a chunk record appearing), plus a random delay of up to
        // what the reference run took from that event to the next.
        Path reference = dir.resolve("reference");
        Path referenceLog = dir.resolve("reference.log");
        Process ref = child(args(data, reference), referenceLog);
        Path refPartial = dir.resolve(".reference.partial");
        long staged = awaitFile(ref, refPartial);
        long firstChunk = awaitFile(ref, refPartial.resolve(record(0)));
        long lastChunk = awaitFile(ref, refPartial.resolve(record(CHUNKS - 1)));
        assertTrue(ref.waitFor(CHILD_TIMEOUT_S, TimeUnit.SECONDS), "the uninterrupted run did not end");
        long end = System.nanoTime();
        assertEquals(0, ref.exitValue(), Files.readString(referenceLog));
        assertTrue(staged > 0 && firstChunk > 0 && lastChunk > 0, "the reference run was too quick to observe");
        long perChunk = (lastChunk - firstChunk) / (CHUNKS - 1);

        SplittableRandom random = new SplittableRandom(SEED);
        StringBuilder report = new StringBuilder("seed " + SEED + "; reference: first chunk "
                + (firstChunk - staged) / 1_000_000 + " ms after its staging directory appeared, then "
                + perChunk / 1_000_000 + " ms per chunk, end " + (end - lastChunk) / 1_000_000 + " ms after the "
                + "last chunk\n");
        for (int k = 0; k < KILLS; k++) {
            // Kill 0 while the first chunk is encoded, the last while the result is assembled and published,
            // the others after a chunk record drawn from their share of the chunks.
            String anchor;
            long delay;
            if (k == 0) {
                anchor = null;
                delay = (long) (random.nextDouble() * (firstChunk - staged));
            } else if (k == KILLS - 1) {
                anchor = record(CHUNKS - 1);
                delay = (long) (random.nextDouble() * 1.5 * (end - lastChunk));
            } else {
                int share = (CHUNKS - 1) / (KILLS - 2);
                anchor = record((k - 1) * share + random.nextInt(share));
                delay = (long) (random.nextDouble() * perChunk);
            }
            Path out = dir.resolve("out" + k);
            Path partial = dir.resolve(".out" + k + ".partial");
            Path log = dir.resolve("out" + k + ".log");
            Process p = child(args(data, out), log);
            boolean finished = awaitFile(p, anchor == null ? partial : partial.resolve(anchor)) < 0
                    || p.waitFor(delay, TimeUnit.NANOSECONDS);
            if (!finished) {
                p.destroyForcibly();
                assertTrue(p.waitFor(CHILD_TIMEOUT_S, TimeUnit.SECONDS), "killed child did not end");
            }
            if (finished) {
                assertEquals(0, p.exitValue(), "a child that was not killed must succeed:\n" + Files.readString(log));
            }
            String where = "kill " + k + " " + delay / 1_000_000 + " ms after " + (anchor == null ? "staging" : anchor)
                    + " appeared (" + (finished ? "the run had ended, exit " + p.exitValue() : "killed") + "; left: "
                    + listing(out) + ")";
            report.append(where).append('\n');

            CliRun resumed = CliRun.of(args(data, out).toArray(String[]::new));
            assertEquals(0, resumed.code(), report + resumed.err() + "\nchild:\n" + Files.readString(log));
            for (String f : List.of("embeddings.npy", "labels.npy")) {
                assertEquals(-1L, Files.mismatch(reference.resolve(f), out.resolve(f)),
                        f + " differs from the uninterrupted run's after " + where + "\n" + resumed.err());
            }
            assertEquals(List.of(), leftovers(out), "left beside the output after " + where);
        }
        System.err.print(report);
    }

    private static String record(int chunk) {
        return String.format("chunk-%06d.json", chunk);
    }

    /** Files named after {@code out} beside it: staging directories, temporaries, the lock. */
    private static List<String> leftovers(Path out) throws IOException {
        try (var s = Files.list(out.getParent())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("." + out.getFileName()))
                    .sorted().toList();
        }
    }

    /** What a killed run left: the hidden entries beside its output and a summary of its staging directory. */
    private static String listing(Path out) throws IOException {
        List<String> names = new ArrayList<>(leftovers(out));
        Path partial = out.resolveSibling("." + out.getFileName() + ".partial");
        if (Files.isDirectory(partial)) {
            int data = 0;
            int records = 0;
            try (var s = Files.list(partial)) {
                for (Path p : s.sorted().toList()) {
                    String n = p.getFileName().toString();
                    if (n.startsWith("chunk-") && n.endsWith(".f32")) {
                        data++;
                    } else if (n.startsWith("chunk-") && n.endsWith(".json")) {
                        records++;
                    } else {
                        names.add(partial.getFileName() + "/" + n);
                    }
                }
            }
            names.add(data + " chunk data files, " + records + " records");
        }
        if (Files.isDirectory(out)) {
            names.add(out.getFileName() + "/");
        }
        return String.join(" ", names);
    }
}
