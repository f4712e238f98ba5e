package org.loes4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Provenance;
import org.loes4j.data.Task;
import org.loes4j.linalg.io.AtomicFile;
import org.loes4j.linalg.io.Json;
import org.loes4j.selection.probe.LayerProbe;
import org.loes4j.selection.probe.ProbeResult;
import org.loes4j.selection.probe.ProbeSweep;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code loes probe}: a k-fold cross-validated ridge probe ({@link LayerProbe}) on every layer, and on layer
 * subsets concatenated. Prints a table (layer, width, chosen lambda, held-out score mean +- std over folds,
 * macro-F1) and the best layer with its spread over folds; with {@code --json} also writes the result with
 * its provenance (atomically; never over one of the inputs).
 */
@Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Cross-validated ridge probe of every layer (and of layer subsets): which layers carry the "
                + "task, scored as a tuned plain ridge would score them.")
final class ProbeCommand implements Runnable {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--embeddings", required = true, paramLabel = "E",
            description = "(N, L, d) .npy (float32/float64), a directory of per-layer (N, d) .npy files, "
                    + "or a .safetensors file with one (N, d) tensor per layer.")
    Path embeddings;

    @Option(names = "--labels", required = true, paramLabel = "Y",
            description = "Labels: .npy (integer or float; (N, c) floats for multi-output regression) or text, "
                    + "one value per line.")
    Path labels;

    @Option(names = "--task", defaultValue = "classification", paramLabel = "T",
            description = "classification (accuracy and macro-F1) or regression (R^2) (default ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--layers", defaultValue = "all", paramLabel = "SPEC",
            description = "Layers to probe, e.g. 0-11 or 1,3,5-7 (default ${DEFAULT-VALUE}).")
    String layers;

    @Option(names = "--subsets", defaultValue = "none", paramLabel = "SPEC",
            description = "Subsets of those layers to probe concatenated, ';'-separated, e.g. \"1,2;3-5\" "
                    + "(default ${DEFAULT-VALUE}).")
    String subsets;

    @Option(names = "--folds", defaultValue = "5", paramLabel = "K",
            description = "Cross-validation folds, stratified for classification (default ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the folds (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--lambdas", defaultValue = "1e-4:1e4:17", paramLabel = "GRID",
            description = "Ridge strengths tried per layer: FROM:TO:POINTS log-spaced, or a list a,b,c "
                    + "(default ${DEFAULT-VALUE}).")
    String lambdas;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write the result and its provenance as JSON (default: none, print only).")
    Path json;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        Task t = CommandInputs.task("--task", task, false);
        LayerProbe probe;
        try {
            probe = LayerProbe.builder().folds(folds).lambdas(LambdaGrids.parse(lambdas)).seed(seed).build();
        } catch (IllegalArgumentException e) {
            throw asBadInput(e);
        }
        long t0 = System.nanoTime();
        try (CommandInputs in = CommandInputs.open("--embeddings", embeddings)) {
            LayeredEmbeddings all = in.embeddings();
            Map<String, Path> inputs = new LinkedHashMap<>(in.inputFiles());
            inputs.put("--labels", labels);
            AtomicFiles.checkOutput("--json", json, inputs);
            long tOpen = System.nanoTime();
            int[] positions = LayerSpecs.parse("--layers", layers, all.layerCount());
            LayeredEmbeddings stack = all.layers(positions);
            List<int[]> subsetLayers = subsetLayers(all, stack);
            Labels y = in.labels("--labels", labels, t);
            if (y.isClassification() && y.presentClassesOnly().classCount() < 2) {
                throw new BadInputException("--labels: " + labels + ": only one class ('" + y.labels().getFirst()
                        + "') present, classification needs at least 2");
            }
            in.startDigests();
            try {
                stack.checkFinite();
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--embeddings: " + embeddings + ": " + e.getMessage(), e);
            }
            long tChecked = System.nanoTime();
            ProbeSweep sweep;
            try {
                sweep = probe.sweep(stack, y, subsetLayers);
            } catch (IllegalArgumentException e) {
                throw asBadInput(e);
            }
            long tProbed = System.nanoTime();
            Map<String, Double> timings = new LinkedHashMap<>();
            timings.put("openMs", ms(t0, tOpen));
            timings.put("inputChecksMs", ms(tOpen, tChecked));
            timings.put("probeMs", ms(tChecked, tProbed));
            Map<String, String> digests = in.digests();
            timings.put("digestWaitMs", ms(tProbed, System.nanoTime()));
            timings.put("endToEndMs", ms(t0, System.nanoTime()));
            Provenance p = sweep.provenance().withInputs(digests).withTimings(timings)
                    .withDetail("layerNumbering", ExtractMeta.NUMBERING);
            if (in.meta().isPresent()) {
                p = p.withDetail("extract", in.meta().get().asInputMeta());
            }
            sweep = sweep.withProvenance(p);
            print(out, sweep, stack);
            if (json != null) {
                AtomicFile.writeString(json, Json.writePretty(sweep.toMap()));
                out.println("wrote " + json);
            }
        } catch (IOException e) {
            throw new BadInputException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    /** The subsets as hidden-state indices; every layer must be among {@code --layers}. */
    private List<int[]> subsetLayers(LayeredEmbeddings all, LayeredEmbeddings stack) {
        List<int[]> out = new ArrayList<>();
        for (int[] positions : LayerSpecs.subsets("--subsets", subsets, all.layerCount())) {
            int[] idx = new int[positions.length];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = all.layerIndex(positions[i]);
                if (stack.positionOf(idx[i]) < 0) {
                    throw new BadInputException("--subsets: layer " + positions[i] + " is not among --layers "
                            + layers + "; probe it with --layers too");
                }
            }
            out.add(idx);
        }
        return out;
    }

    /** A probe's "folds: ..." becomes "--folds: ...", and so for labels, lambdas, subsets, embeddings. */
    private static RuntimeException asBadInput(IllegalArgumentException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        for (String key : List.of("folds", "lambdas", "labels", "subsets", "embeddings")) {
            if (m.startsWith(key + ": ")) {
                return new BadInputException("--" + m, e);
            }
        }
        return e;
    }

    private static double ms(long from, long to) {
        return Math.round((to - from) / 1e4) / 100.0;
    }

    private static void print(PrintWriter out, ProbeSweep s, LayeredEmbeddings stack) {
        boolean cls = s.task() == Task.CLASSIFICATION;
        String score = cls ? "accuracy" : "R^2";
        double[] grid = s.lambdas();
        out.printf(Locale.ROOT, "loes probe: %s, %d layers, N = %d, %s%s; %d-fold %s CV (seed %d), %d lambda%s %s%n",
                s.task().cliName(), stack.layerCount(), s.rows(),
                stack.uniformWidth() ? "d = " + stack.width(0) : "widths " + Arrays.toString(stack.widths()),
                cls ? ", C = " + s.targets() : s.targets() > 1 ? ", " + s.targets() + " target columns" : "",
                s.folds(), cls ? "stratified" : "plain", s.seed(), grid.length, grid.length == 1 ? "" : "s",
                grid.length == 1 ? lambda(grid[0]) : lambda(grid[0]) + ".." + lambda(grid[grid.length - 1]));
        out.println("layers are hidden-state indices (0 = embedding output; the paper's layer k is index k + 1)");
        ProbeResult best = s.best();
        out.printf(Locale.ROOT, "%8s %7s %9s  %-22s %9s%n", "layer", "width", "lambda", score + " mean +- std",
                cls ? "macro-F1" : "");
        for (ProbeResult r : s.layers()) {
            row(out, r, cls, r == best ? "  * best" : "");
        }
        if (!s.subsets().isEmpty()) {
            out.println("subsets (layers concatenated):");
            for (ProbeResult r : s.subsets()) {
                row(out, r, cls, "");
            }
        }
        double[] f = best.foldScores();
        out.printf(Locale.ROOT, "best: layer %d, %s %.4f +- %.4f over %d folds (folds %.4f..%.4f), lambda %s%n",
                best.layer(), score, best.meanScore(), best.stdScore(), f.length, Arrays.stream(f).min().orElse(0),
                Arrays.stream(f).max().orElse(0), lambda(best.bestLambda()));
        Object timings = s.provenance().toMap().get("timings");
        if (timings != null) {
            out.println("timings (ms): " + timings);
        }
    }

    private static void row(PrintWriter out, ProbeResult r, boolean cls, String mark) {
        out.printf(Locale.ROOT, "%8s %7d %9s  %-22s %9s%s%n", r.label(), r.width(), lambda(r.bestLambda()),
                String.format(Locale.ROOT, "%.4f +- %.4f", r.meanScore(), r.stdScore()),
                cls ? String.format(Locale.ROOT, "%.4f", r.macroF1()) : "", mark);
    }

    private static String lambda(double v) {
        return String.format(Locale.ROOT, "%.1e", v);
    }
}
