package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * {@link Failures#report} on failures injected into a parsed command line: what cannot be provoked reliably
 * through a whole command (a read-only file system without mount rights, a fault in a mapping, a bug) still
 * gets its exit code and its one line.
 */
class FailuresTest {
    @TempDir
    Path dir;

    record Report(int code, List<String> lines) {
    }

    private static Report report(Throwable failure, String... args) {
        ParseResult parsed = new CommandLine(new Main()).parseArgs(args);
        StringWriter err = new StringWriter();
        int code = Failures.report(failure, parsed, args, new PrintWriter(err, true));
        return new Report(code, err.toString().lines().toList());
    }

    private static String badInputLine(Report r) {
        assertEquals(2, r.code(), r.lines().toString());
        assertEquals(1, r.lines().size(), r.lines().toString());
        assertTrue(r.lines().getFirst().startsWith("loes: error: "), r.lines().getFirst());
        return r.lines().getFirst();
    }

    /**
     * A read-only output file system seen by extract (an UncheckedIOException from creating its staging directory
     * beside --out) used to be an internal error; it names the option, its path and the file that failed.
     */
    @Test
    void ioFailuresNameTheOptionWhosePathFailed() {
        Path out = dir.resolve("emb");
        Path staging = dir.resolve(".emb.partial-123");
        String line = badInputLine(report(new UncheckedIOException(new FileSystemException(staging.toString(), null,
                "Read-only file system")), "extract", "--input", "in.csv", "--out", out.toString()));
        assertEquals("loes: error: --out (" + out + "): " + staging + ": Read-only file system", line);

        Path json = dir.resolve("sel.json");
        line = badInputLine(report(new AccessDeniedException(json.toString()), "select", "--embeddings", "e.npy",
                "--json", json.toString()));
        assertEquals("loes: error: --json: " + json + ": permission denied", line);

        // Our own IOExceptions name the file in their message.
        line = badInputLine(report(new UncheckedIOException(new IOException(json + ": cannot write the 80-byte array "
                + "(disk full?): No space left on device")), "select", "--embeddings", "e.npy", "--json", json.toString()));
        assertTrue(line.startsWith("loes: error: --json: " + json + ": cannot write"), line);

        line = badInputLine(report(new ReadOnlyFileSystemException(), "predict", "--model", "m.safetensors",
                "--embeddings", "e.npy", "--out", "p.csv"));
        assertTrue(line.contains("read-only") && line.contains("--out p.csv"), line);
    }

    /** A SIGBUS in a mapped file (disk full, file truncated) is exit 2 naming the files given, not exit 1. */
    @Test
    void aFaultInAMappedFileIsBadInputNamingTheFiles() {
        String line = badInputLine(report(new InternalError("a fault occurred in an unsafe memory access operation"),
                "select", "--embeddings", "e.npy", "--json", "s.json"));
        assertTrue(line.contains("memory-mapped file failed") && line.contains("--embeddings e.npy")
                && line.contains("--json s.json"), line);
    }

    @Test
    void outOfMemoryNamesTheMainInputItsSizeAndWhatHelps() throws IOException {
        Path emb = dir.resolve("big.npy");
        Files.write(emb, new byte[3 << 20]);
        String line = badInputLine(report(new OutOfMemoryError("Java heap space"), "select", "--embeddings",
                emb.toString(), "--calibration-fraction", "1.0"));
        assertTrue(line.startsWith("loes: error: out of memory (Java heap space, Java heap at most "), line);
        assertTrue(line.contains("on --embeddings " + emb + " (3 MiB)"), line);
        assertTrue(line.contains("--calibration-fraction below 1.0") && line.contains("LOES_JAVA_OPTS=-Xmx"), line);
    }

    /** A backend chosen with -Dloes4j.backend (LOES_JAVA_OPTS) that cannot run here is named like --backend. */
    @Test
    void anUnavailableBackendPropertyIsBadInput() {
        String line = badInputLine(report(new IllegalStateException(
                "loes4j.backend: backend 'cuda' is not available: no libcudart"), "doctor"));
        assertEquals("loes: error: -Dloes4j.backend: backend 'cuda' is not available: no libcudart", line);
    }

    /** A library message naming its parameter is reported with the option of that name. */
    @Test
    void aParameterNameBecomesTheOption() {
        String line = badInputLine(report(new IllegalArgumentException("calibrationFraction: 1.5 must be in (0, 1]"),
                "select", "--embeddings", "e.npy"));
        assertEquals("loes: error: --calibration-fraction: 1.5 must be in (0, 1]", line);
        line = badInputLine(report(new IllegalArgumentException("weights: no such thing"), "select", "--embeddings",
                "e.npy"));
        assertEquals("loes: error: weights: no such thing", line, "no option --weights: the message is kept");
    }

    /** A bug: exit 1, one line naming the exception and a file with the stack trace; nothing else on stderr. */
    @Test
    void anInternalErrorIsOneLineAndATraceFile() throws IOException {
        Report r = report(new NullPointerException("boom"), "select", "--embeddings", "e.npy");
        assertEquals(1, r.code());
        assertEquals(1, r.lines().size(), r.lines().toString());
        String line = r.lines().getFirst();
        String prefix = "loes: internal error: java.lang.NullPointerException: boom; full trace in ";
        assertTrue(line.startsWith(prefix), line);
        Path trace = Path.of(line.substring(prefix.length()));
        try {
            assertTrue(trace.getFileName().toString().matches("loes-\\d+-\\d{8}T\\d{6}\\.log"), trace.toString());
            String text = Files.readString(trace);
            assertTrue(text.contains("arguments: select --embeddings e.npy"), text);
            assertTrue(text.contains("java.lang.NullPointerException: boom") && text.contains("\tat org.loes4j.cli."),
                    text);
        } finally {
            Files.deleteIfExists(trace);
        }
    }
}
