package org.loes4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.loes4j.selection.data.SyntheticEmbeddings;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code loes synth}: writes a seeded synthetic {@code embeddings.npy} (N, L, d) float32 and
 * {@code labels.npy} (N,) int64 whose class signal sits in the intermediate layers, so that
 * {@code loes select} can be tried without an encoder.
 */
@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write synthetic structured layer embeddings and labels (.npy) for trying loes select.")
final class SynthCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output directory (created if missing); must not already hold embeddings.npy or labels.npy.")
    Path out;

    @Option(names = "--n", defaultValue = "2000", description = "Rows N (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--layers", defaultValue = "12", description = "Layers L (default ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--dim", defaultValue = "384", description = "Dimension d (default ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--classes", defaultValue = "6", description = "Classes C (default ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--seed", defaultValue = "7", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public void run() {
        PrintWriter w = spec.commandLine().getOut();
        if (n < 2) {
            throw new BadInputException("--n: " + n + " must be >= 2");
        }
        if (layers < 1) {
            throw new BadInputException("--layers: " + layers + " must be >= 1");
        }
        if (dim < 1) {
            throw new BadInputException("--dim: " + dim + " must be >= 1");
        }
        if (classes < 2 || classes > n) {
            throw new BadInputException("--classes: " + classes + " must be in [2, --n = " + n + "]");
        }
        SyntheticEmbeddings s = new SyntheticEmbeddings(n, layers, dim, classes, seed);
        Path e = out.resolve("embeddings.npy");
        Path l = out.resolve("labels.npy");
        for (Path f : new Path[] {e, l}) {
            if (Files.exists(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new BadInputException("--out: " + out + " already holds " + f.getFileName()
                        + "; synth never replaces a file: choose a new directory or delete it first");
            }
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new BadInputException("--out: " + out + " exists and is not a directory");
        }
        try {
            Files.createDirectories(out);
        } catch (IOException ex) {
            throw new BadInputException("--out: cannot create " + out + ": " + ex.getMessage(), ex);
        }
        // One writer per output at a time (the lock file sits beside --out and goes away with the run; the OS
        // drops the lock if the process dies), so temporaries found while holding it belong to a dead run.
        try (OutputLock lock = OutputLock.acquire("--out", out, out)) {
            for (Path f : new Path[] {e, l}) {
                if (Files.exists(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw new BadInputException("--out: " + out + " already holds " + f.getFileName()
                            + " (written by a run that finished meanwhile)");
                }
            }
            removeStaleTemporaries(out, spec.commandLine().getErr());
            s.write(e, l);
            w.printf("wrote %s (%d, %d, %d) float32 and %s (%d,) int64; class signal peaks at layer %d "
                    + "(layers are numbered 0..L-1)%n", e, n, layers,
                    dim, l, n, Math.round(0.45 * (layers - 1)));
        } catch (IOException ex) {
            throw new BadInputException("--out: cannot write to " + out + ": " + ex.getMessage(), ex);
        }
    }

    /** Deletes {@code .embeddings.npy.*.tmp} and {@code .labels.npy.*.tmp} left by a killed run, saying so. */
    static void removeStaleTemporaries(Path dir, PrintWriter err) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, ".{embeddings,labels}.npy.*.tmp")) {
            for (Path p : s) {
                long bytes = Files.size(p);
                Files.delete(p);
                err.printf("loes: note: removed %s (%d bytes) left by an interrupted run%n", p, bytes);
            }
        }
    }
}
