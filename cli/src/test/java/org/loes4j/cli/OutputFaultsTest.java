package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs on a file system that refuses them, for real: a read-only tmpfs and a full 1 MiB one (mounted by the
 * test; skipped where mounting is not allowed). Both are exit 2 with one line naming the option and the path.
 */
class OutputFaultsTest {
    @TempDir
    Path dir;


    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /**
     * Exit 2 and the error as the last line of stderr; what came before is the command's progress (extract
     * reports its model and row count before it writes), never a stack trace or a second error.
     */
    private static String oneErrorLine(CliRun r, String what) {
        assertEquals(2, r.code(), what + ": " + r.err());
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.getLast().startsWith("loes: error: "), what + ": " + r.err());
        for (String l : lines.subList(0, lines.size() - 1)) {
            assertTrue(l.startsWith("loes " + what + ": "), what + ": not progress: " + l);
        }
        return lines.getLast();
    }

    /**
     * select refuses a --json on a read-only file system before it computes (the message named only the temporary
     * file before); extract, whose staging directory fails beside --out, exited 1 with an UncheckedIOException.
     */
    @Test
    void aReadOnlyOutputIsExit2NamingTheOption() throws Exception {
        CliRun s = run("synth", "--out", dir.toString(), "--n", "40", "--layers", "5", "--dim", "4", "--classes", "2");
        assertEquals(0, s.code(), s.err());
        Path csv = dir.resolve("texts.csv");
        Files.writeString(csv, "text\nhello there\ngeneral kenobi\n");
        Path ro = Files.createDirectory(dir.resolve("ro"));
        try (TinyTmpfs fs = TinyTmpfs.mount(ro, "ro,size=1m")) {
            Path json = ro.resolve("sel.json");
            String line = oneErrorLine(run("select", "--embeddings", dir.resolve("embeddings.npy").toString(),
                    "--labels", dir.resolve("labels.npy").toString(), "--json", json.toString()), "select");
            assertTrue(line.startsWith("loes: error: --json: cannot write " + json + ": ")
                    && line.contains("read-only file system"), line);

            Path out = ro.resolve("emb");
            line = oneErrorLine(run("extract", "--model", "all-MiniLM-L6-v2", "--input", csv.toString(),
                    "--out", out.toString()), "extract");
            // The first thing extract creates is its lock (.emb.lock) or its staging directory (.emb.partial...).
            assertTrue(line.startsWith("loes: error: --out (" + out + "): " + ro + "/.emb.")
                    && line.endsWith("Read-only file system"), line);

            line = oneErrorLine(run("synth", "--out", ro.toString(), "--n", "10"), "synth");
            assertTrue(line.startsWith("loes: error: --out: "), line);
        }
    }

    /**
     * synth's 37 MB on a 1 MiB file system: the .npy writer claims its space first, so the full disk is an
     * IOException naming --out; it was an InternalError (SIGBUS in a mapped store) thrown out of Main.run.
     */
    @Test
    void aFullDiskIsExit2NamingTheOption() throws Exception {
        Path full = Files.createDirectory(dir.resolve("full"));
        try (TinyTmpfs fs = TinyTmpfs.mount(full, "size=1m")) {
            String line = oneErrorLine(run("synth", "--out", full.toString(), "--n", "2000", "--layers", "12",
                    "--dim", "384"), "synth");
            assertTrue(line.startsWith("loes: error: --out: cannot write to " + full + ": ")
                    && line.contains("No space left on device"), line);
            try (Stream<Path> s = Files.list(full)) {
                assertEquals(List.of(), s.toList(), "no temporary file left behind");
            }
        }
    }

    /** extract's chunks on a 1 MiB file system: the chunk file that did not fit is named, and nothing is left. */
    @Test
    void extractOnAFullDiskNamesTheFileAndLeavesNothing() throws Exception {
        StringBuilder csv = new StringBuilder("text\n");
        for (int i = 0; i < 160; i++) {
            csv.append("sentence number ").append(i).append(" about nothing much\n");
        }
        Path input = dir.resolve("many.csv");
        Files.writeString(input, csv);
        Path full = Files.createDirectory(dir.resolve("fullx"));
        try (TinyTmpfs fs = TinyTmpfs.mount(full, "size=1m")) {
            Path out = full.resolve("emb");
            CliRun r = run("extract", "--model", "all-MiniLM-L6-v2", "--input", input.toString(), "--max-length", "16",
                    "--out", out.toString());
            assertEquals(2, r.code(), r.err());
            // The progress bar redraws one line with \r; the error still starts a line of its own.
            String line = r.err().lines().toList().getLast();
            assertTrue(line.startsWith("loes: error: ") && line.contains("chunk-000000.f32")
                    && line.contains("No space left on device"), r.err());
            try (Stream<Path> s = Files.list(full)) {
                assertEquals(List.of(), s.toList(), "nothing left behind");
            }
        }
    }
}
