package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.loes4j.encoders.ModelFiles;
import org.loes4j.encoders.ModelResolver;

/**
 * {@code loes extract --resume} on a staging directory damaged the way a crash can leave it, without
 * processes: torn or missing records, data files and state.json are encoded again and the result is
 * bitwise the uninterrupted run's; leftovers are removed; changed weights are refused; a held lock is
 * reported. {@link ExtractCrashTest} kills real runs.
 */
class ExtractResumeTest {
    private static final List<String> TEXTS = List.of(
            "The Congress shall have power to lay and collect taxes.",
            "We hold these truths to be self-evident, that all men are created equal.",
            "Ask not what your country can do for you.",
            "The only thing we have to fear is fear itself.",
            "A house divided against itself cannot stand.",
            "Four score and seven years ago our fathers brought forth a new nation.");

    @TempDir
    static Path shared;
    private static Path data;
    private static Path reference;

    @TempDir
    Path dir;

    /** An uninterrupted run with the same settings: the bytes every resumed run must reproduce. */
    @BeforeAll
    static void uninterruptedRun() throws IOException {
        StringBuilder sb = new StringBuilder("text,label\n");
        for (int i = 0; i < TEXTS.size(); i++) {
            sb.append('"').append(TEXTS.get(i)).append("\",").append(i % 2 == 0 ? "even" : "odd").append('\n');
        }
        data = shared.resolve("data.csv");
        Files.writeString(data, sb.toString());
        reference = shared.resolve("reference");
        CliRun r = CliRun.of(args(reference, "all-MiniLM-L6-v2"));
        assertEquals(0, r.code(), r.err());
    }

    /** Three chunks of two rows, labels, --resume. */
    private static String[] args(Path out, String model, String... more) {
        List<String> a = new ArrayList<>(List.of("extract", "--model", model, "--input", data.toString(),
                "--label-column", "label", "--max-length", "16", "--batch", "2", "--chunk-rows", "2", "--resume",
                "--out", out.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static void assertSameAsReference(Path out) throws IOException {
        for (String f : List.of("embeddings.npy", "labels.npy")) {
            assertEquals(-1L, Files.mismatch(reference.resolve(f), out.resolve(f)), f + " differs from the "
                    + "uninterrupted run's");
        }
    }

    /** Nothing but the output is left beside it: no staging directory, temporary or lock file. */
    private static void assertNothingLeftBeside(Path out) throws IOException {
        try (var s = Files.list(out.getParent())) {
            List<String> hidden = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("." + out.getFileName())).toList();
            assertEquals(List.of(), hidden);
        }
    }

    /** What a crash can leave of a staging directory with chunks 0 and 1 finished. */
    enum Damage {
        RECORD_HALF("chunk-000000.json"),
        RECORD_EMPTY("chunk-000001.json"),
        RECORD_MISSING("chunk-000001.f32"),
        DATA_HALF("chunk-000001.f32"),
        DATA_EMPTY("chunk-000000.f32"),
        DATA_MISSING("chunk-000000.f32"),
        DATA_SAME_SIZE_OTHER_BYTES("chunk-000000.f32"),
        STATE_EMPTY("state.json"),
        STATE_HALF("state.json"),
        STATE_MISSING(null),
        EVERYTHING("state.json");

        /** The file the run's note must name (null: no note expected). */
        final String named;

        Damage(String named) {
            this.named = named;
        }

        void apply(Path partial) throws IOException {
            Path record0 = partial.resolve("chunk-000000.json");
            Path record1 = partial.resolve("chunk-000001.json");
            Path data0 = partial.resolve("chunk-000000.f32");
            Path data1 = partial.resolve("chunk-000001.f32");
            Path state = partial.resolve("state.json");
            switch (this) {
                case RECORD_HALF -> truncateToHalf(record0);
                case RECORD_EMPTY -> truncate(record1, 0);
                case RECORD_MISSING -> Files.delete(record1);
                case DATA_HALF -> truncateToHalf(data1);
                case DATA_EMPTY -> truncate(data0, 0);
                case DATA_MISSING -> Files.delete(data0);
                case DATA_SAME_SIZE_OTHER_BYTES -> Files.write(data0, new byte[(int) Files.size(data0)]);
                case STATE_EMPTY -> truncate(state, 0);
                case STATE_HALF -> truncateToHalf(state);
                case STATE_MISSING -> Files.delete(state);
                case EVERYTHING -> {
                    truncateToHalf(state);
                    truncateToHalf(record0);
                    truncateToHalf(data1);
                }
            }
        }
    }

    private static void truncate(Path f, long size) throws IOException {
        try (FileChannel fc = FileChannel.open(f, StandardOpenOption.WRITE)) {
            fc.truncate(size);
        }
    }

    private static void truncateToHalf(Path f) throws IOException {
        truncate(f, Files.size(f) / 2);
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedStagingDirectoryIsRepairedAndGivesTheUninterruptedResult(Damage damage) throws IOException {
        Path out = dir.resolve("emb");
        Path partial = dir.resolve(".emb.partial");
        CliRun first = CliRun.of(args(out, "all-MiniLM-L6-v2", "--max-chunks", "2"));
        assertEquals(0, first.code(), first.err());
        damage.apply(partial);

        CliRun resumed = CliRun.of(args(out, "all-MiniLM-L6-v2"));
        assertEquals(0, resumed.code(), resumed.err());
        if (damage.named != null) {
            assertTrue(resumed.err().contains(damage.named), "the note names " + damage.named + ":\n" + resumed.err());
        }
        assertFalse(resumed.err().contains("Exception"), resumed.err());
        assertSameAsReference(out);
        assertNothingLeftBeside(out);
    }

    @Test
    void leftoversOfDeadRunsAreRemovedWithOneNote() throws IOException {
        Path out = dir.resolve("emb");
        Path partial = dir.resolve(".emb.partial");
        CliRun first = CliRun.of(args(out, "all-MiniLM-L6-v2", "--max-chunks", "1"));
        assertEquals(0, first.code(), first.err());
        // What SIGKILL leaves: a one-off staging directory of a run without --resume, temporaries of
        // AtomicFile, half an assembled result, and the dead run's lock file.
        Path oneOff = Files.createDirectory(dir.resolve(".emb.partial-4711"));
        Files.writeString(oneOff.resolve("chunk-000000.json"), "{\"to");
        Files.write(partial.resolve(".chunk-000001.f32.123.tmp"), new byte[100]);
        Files.writeString(partial.resolve(".state.json.456.tmp"), "");
        Files.createDirectories(partial.resolve("result"));
        Files.write(partial.resolve("result").resolve(".embeddings.npy.789.tmp"), new byte[10]);
        Files.writeString(dir.resolve(".emb.lock"), "999999999 deadbeef\n");

        CliRun resumed = CliRun.of(args(out, "all-MiniLM-L6-v2"));
        assertEquals(0, resumed.code(), resumed.err());
        List<String> notes = resumed.err().lines().filter(l -> l.contains("removed")).toList();
        assertEquals(1, notes.size(), resumed.err());
        for (String name : List.of(".emb.partial-4711/", ".chunk-000001.f32.123.tmp", ".state.json.456.tmp",
                ".emb.partial/result/")) {
            assertTrue(notes.get(0).contains(name), name + " in: " + notes.get(0));
        }
        assertSameAsReference(out);
        assertNothingLeftBeside(out);
    }

    @Test
    void aFinishedOutputIsNotRedoneAndItsLeftoverStagingIsRemoved() throws IOException {
        Path out = dir.resolve("emb");
        CliRun first = CliRun.of(args(out, "all-MiniLM-L6-v2", "--max-chunks", "1"));
        assertEquals(0, first.code(), first.err());
        Path partial = dir.resolve(".emb.partial");
        byte[] stateBytes = Files.readAllBytes(partial.resolve("state.json"));
        assertEquals(0, CliRun.of(args(out, "all-MiniLM-L6-v2")).code());
        // A crash while the staging directory was being removed, after the output was published.
        Files.createDirectories(partial);
        Files.write(partial.resolve("state.json"), stateBytes);
        byte[] emb = Files.readAllBytes(out.resolve("embeddings.npy"));

        CliRun again = CliRun.of(args(out, "all-MiniLM-L6-v2"));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("already holds this extraction"), again.err());
        assertEquals(-1, java.util.Arrays.mismatch(emb, Files.readAllBytes(out.resolve("embeddings.npy"))));
        assertNothingLeftBeside(out);

        CliRun other = CliRun.of(args(out, "all-MiniLM-L6-v2", "--pooling", "cls"));
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("exists and is not an empty directory"), other.err());
    }

    @Test
    void sameSizeReplacementWeightsAreRefused() throws IOException {
        ModelFiles mini = ModelResolver.defaults().resolve("all-MiniLM-L6-v2");
        Path model = Files.createDirectory(dir.resolve("model"));
        Path weights = Files.copy(mini.weights(), model.resolve("model.onnx"));
        Files.copy(mini.tokenizer(), model.resolve("tokenizer.json"));
        Path out = dir.resolve("emb");
        CliRun first = CliRun.of(args(out, model.toString(), "--max-chunks", "1"));
        assertEquals(0, first.code(), first.err());

        // Same size, same path, one bit of one weight different: the file is still a valid model.
        long size = Files.size(weights);
        try (RandomAccessFile f = new RandomAccessFile(weights.toFile(), "rw")) {
            f.seek(size / 2);
            int b = f.read();
            f.seek(size / 2);
            f.write(b ^ 1);
        }
        assertEquals(size, Files.size(weights));
        CliRun resumed = CliRun.of(args(out, model.toString()));
        assertEquals(2, resumed.code(), resumed.err());
        List<String> errors = resumed.err().lines().filter(l -> l.startsWith("loes: error")).toList();
        assertEquals(1, errors.size(), resumed.err());
        assertTrue(errors.get(0).contains("--resume: the weights of model "), errors.get(0));
        assertTrue(errors.get(0).contains(" changed since "), errors.get(0));
        assertTrue(errors.get(0).contains(weights.toString()), errors.get(0));
        assertFalse(Files.exists(out), "nothing published");
        assertTrue(Files.exists(dir.resolve(".emb.partial").resolve("chunk-000000.f32")), "the old chunks are kept");
        assertFalse(Files.exists(dir.resolve(".emb.lock")), "the lock is released");
    }

    @Test
    void aLockHeldInThisProcessIsReported() throws IOException {
        Path out = dir.resolve("emb");
        Path lockFile = dir.resolve(".emb.lock");
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = ch.lock()) {
            Files.writeString(lockFile, "4242 cafe\n");
            CliRun r = CliRun.of(args(out, "all-MiniLM-L6-v2"));
            assertEquals(2, r.code(), r.err());
            assertEquals(List.of("loes: error: --out: " + out + " is in use by another run (pid 4242)"),
                    r.err().lines().filter(l -> l.startsWith("loes: error")).toList());
            assertTrue(held.isValid());
        }
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(dir.resolve(".emb.partial")), "the refused run made no staging directory");
    }

    /** The lock held by another process (a small program run with the java source launcher). */
    @Test
    void aLockHeldByAnotherProcessIsReportedWithItsPid() throws IOException, InterruptedException {
        Path out = dir.resolve("emb");
        Path lockFile = dir.resolve(".emb.lock");
        Path holder = dir.resolve("HoldLock.java");
        Files.writeString(holder, """
                import java.nio.channels.FileChannel;
                import java.nio.file.*;
                public class HoldLock {
                    public static void main(String[] a) throws Exception {
                        try (FileChannel ch = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE,
                                StandardOpenOption.READ, StandardOpenOption.WRITE); var lock = ch.lock()) {
                            ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + " x\\n").getBytes()), 0);
                            System.out.println("locked");
                            System.out.flush();
                            System.in.read();
                        }
                    }
                }
                """);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                holder.toString(), lockFile.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            var fromHolder = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    StandardCharsets.US_ASCII));
            assertEquals("locked", fromHolder.readLine());
            CliRun r = CliRun.of(args(out, "all-MiniLM-L6-v2"));
            assertEquals(2, r.code(), r.err());
            assertEquals(List.of("loes: error: --out: " + out + " is in use by another run (pid " + p.pid() + ")"),
                    r.err().lines().filter(l -> l.startsWith("loes: error")).toList());
        } finally {
            p.getOutputStream().close();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertFalse(Files.exists(out));
        // The holder is gone (its lock with it): the next run takes the stale lock file over and finishes.
        CliRun r = CliRun.of(args(out, "all-MiniLM-L6-v2"));
        assertEquals(0, r.code(), r.err());
        assertSameAsReference(out);
        assertNothingLeftBeside(out);
    }
}
