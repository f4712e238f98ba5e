package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.linalg.Backends;
import org.loes4j.linalg.spi.Backend;

import picocli.CommandLine;

/**
 * The CLI's error contract, command by command: a bad input exits with 2 and exactly one line on stderr,
 * {@code loes: error: <message>}, whose message names the option ({@code --...}, not just the {@code --help}
 * pointer) or the file at fault. Every subcommand of {@link Main} is run with bad inputs through
 * {@link Main#run}; a test fails when a subcommand is added without cases here.
 */
class ErrorContractTest {
    /** An option other than --help, as the message's subject. */
    private static final Pattern OPTION = Pattern.compile("--(?!help\\b)[a-z][a-z-]*");

    @TempDir
    Path dir;

    private Path emb;
    private Path labels;
    private final Set<String> covered = new TreeSet<>();


    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @BeforeEach
    void data() {
        CliRun r = run("synth", "--out", dir.toString(), "--n", "40", "--layers", "5", "--dim", "4", "--classes", "2");
        assertEquals(0, r.code(), r.err());
        emb = dir.resolve("embeddings.npy");
        labels = dir.resolve("labels.npy");
    }

    /**
     * Runs {@code args} and checks the contract; {@code expected} must be in the message.
     *
     * @return the message (after {@code loes: error: })
     */
    private String bad(String expected, String... args) {
        covered.add(args[0]);
        CliRun r = run(args);
        String what = String.join(" ", args);
        assertEquals(2, r.code(), what + "\nstdout: " + r.out() + "\nstderr: " + r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), what + ": exactly one line on stderr, got:\n" + r.err());
        String line = lines.getFirst();
        assertTrue(line.startsWith("loes: error: "), what + ": " + line);
        String message = line.substring("loes: error: ".length());
        assertTrue(OPTION.matcher(message).find() || message.contains(dir.toString()),
                what + ": the message names no option and no file: " + line);
        assertTrue(message.contains(expected), what + ": '" + expected + "' not in: " + line);
        return message;
    }

    @Test
    void everySubcommandReportsBadInputInOneLineNamingTheOptionOrFile() throws Exception {
        String missing = dir.resolve("missing.npy").toString();
        Path model = dir.resolve("model.safetensors");
        Path csv = dir.resolve("texts.csv");
        Files.writeString(csv, "text,label\nhello,a\nworld,b\n");

        bad("--threads: 0 must be >= 1", "doctor", "--threads", "0");

        bad("--seeds: 0", "demo", "--seeds", "0");
        bad("--pooling: 'max' is not one of cls, mean", "demo", "--pooling", "max");

        bad("--pooling: 'max' is not one of cls, mean", "extract", "--input", csv.toString(), "--pooling", "max",
                "--out", dir.resolve("e1").toString());
        bad("--max-length: 1", "extract", "--input", csv.toString(), "--max-length", "1",
                "--out", dir.resolve("e2").toString());
        bad("does not exist", "extract", "--input", dir.resolve("no.csv").toString(), "--model", "all-MiniLM-L6-v2",
                "--out", dir.resolve("e3").toString());

        bad("--embeddings", "select", "--embeddings", missing, "--labels", labels.toString());
        bad("--threads: 0 must be >= 1", "select", "--embeddings", emb.toString(), "--labels", labels.toString(),
                "--threads", "0");
        bad("--threads", "select", "--embeddings", emb.toString(), "--threads", "many");
        bad("--backend: unknown backend 'nosuch'", "select", "--embeddings", emb.toString(), "--backend", "nosuch");
        bad("--k: 0 must be >= 1", "select", "--embeddings", emb.toString(), "--labels", labels.toString(), "--k", "0");
        bad("--calibration-fraction: 1.5 must be in (0, 1]", "select", "--embeddings", emb.toString(), "--labels",
                labels.toString(), "--k", "2", "--calibration-fraction", "1.5");
        bad("--frobnicate", "select", "--embeddings", emb.toString(), "--frobnicate");
        bad("--labels", "select", "--embeddings", emb.toString(), "--labels", missing);
        bad("--json: " + dir, "select", "--embeddings", emb.toString(), "--labels", labels.toString(), "--k", "2",
                "--json", dir.toString());

        bad("--n: 1 must be >= 2", "synth", "--out", dir.resolve("s").toString(), "--n", "1");
        bad("--out", "synth", "--n", "10");

        bad("--embeddings", "train", "--embeddings", missing, "--labels", labels.toString(), "--layers", "1",
                "--out", model.toString());
        bad("--layers", "train", "--embeddings", emb.toString(), "--labels", labels.toString(), "--layers", "one",
                "--out", model.toString());
        bad("--out: " + emb, "train", "--embeddings", emb.toString(), "--labels", labels.toString(), "--layers", "1",
                "--out", emb.toString());

        bad("--model: " + missing, "evaluate", "--model", missing, "--embeddings", emb.toString(),
                "--labels", labels.toString());
        // A .npy where a safetensors model is expected: named as such, not as a 379-terabyte header.
        bad("--model: " + labels + ": not a safetensors file (it starts like a .npy array", "predict",
                "--model", labels.toString(), "--embeddings", emb.toString(), "--out", dir.resolve("p.csv").toString());

        bad("--train-embeddings", "compare", "--train-embeddings", missing, "--train-labels", labels.toString(),
                "--test-embeddings", emb.toString(), "--test-labels", labels.toString());
        bad("--seeds: 0 must be >= 1", "compare", "--train-embeddings", emb.toString(), "--train-labels",
                labels.toString(), "--test-embeddings", emb.toString(), "--test-labels", labels.toString(),
                "--seeds", "0");

        bad("--embeddings", "probe", "--embeddings", missing, "--labels", labels.toString());
        bad("--folds", "probe", "--embeddings", emb.toString(), "--labels", labels.toString(), "--folds", "1");
        bad("--lambdas", "probe", "--embeddings", emb.toString(), "--labels", labels.toString(), "--lambdas", "x");

        bad("--fractions", "split", "--embeddings", emb.toString(), "--fractions", "0.5,0.5", "--out",
                dir.resolve("parts").toString());
        bad("--embeddings", "split", "--embeddings", missing, "--out", dir.resolve("parts").toString());

        bad(missing, "report", "--out", dir.resolve("r.html").toString(), missing);
        bad(labels.toString(), "report", "--out", dir.resolve("r.html").toString(), labels.toString());

        Set<String> all = new TreeSet<>(new CommandLine(new Main()).getSubcommands().keySet());
        all.remove("help"); // its own test below: it names a subcommand, not an option or a file
        assertEquals(all, covered, "every subcommand has bad-input cases here");
    }

    /** A native backend that cannot run here is a usage error naming the option and the reason, not exit 1. */
    @Test
    void anUnavailableBackendIsNamedWithItsReason() {
        List<Backend> unavailable = Backends.discover().stream().filter(b -> !b.availability().available()).toList();
        org.junit.jupiter.api.Assumptions.assumeFalse(unavailable.isEmpty(), "every backend is available here");
        for (Backend b : unavailable) {
            String m = bad("--backend: " + b.name() + " is not available here: "
                    + Failures.oneLine(b.availability().reason()),
                    "select", "--embeddings", emb.toString(), "--backend", b.name());
            assertTrue(m.startsWith("--backend: "), m);
        }
    }

    @Test
    void helpForAnUnknownSubcommandIsOneLine() {
        CliRun r = run("help", "nosuch");
        assertEquals(2, r.code(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.getFirst().startsWith("loes: error: ") && lines.getFirst().contains("nosuch"), r.err());

        r = run("--frobnicate");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("loes: error: Unknown option: '--frobnicate'"), r.err());
    }
}
