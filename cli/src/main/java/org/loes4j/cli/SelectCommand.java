package org.loes4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Provenance;
import org.loes4j.data.Task;
import org.loes4j.linalg.io.AtomicFile;
import org.loes4j.linalg.io.Json;
import org.loes4j.selection.Accumulation;
import org.loes4j.selection.Loes;
import org.loes4j.selection.LoesOptions;
import org.loes4j.selection.ScoreScale;
import org.loes4j.selection.SelectionResult;
import org.loes4j.selection.TriangleEstimator;
import org.loes4j.selection.baselines.Baseline;
import org.loes4j.selection.baselines.Baselines;
import org.loes4j.selection.data.CalibrationSplit;
import org.loes4j.selection.stats.LoesStatistics;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code loes select}: LOES (or a baseline) over pre-computed layer embeddings. Prints a table of the
 * per-layer terms and the greedy steps; with {@code --json} also writes the full result (atomically: a
 * temporary file in the same directory, then a move, so a failed run leaves no file).
 */
@Command(name = "select", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Select the layers of an encoder that carry a task (LOES), or run a baseline.")
final class SelectCommand implements Runnable {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--embeddings", required = true, paramLabel = "E",
            description = "(N, L, d) .npy (float32/float64), a directory of per-layer (N, d) .npy files, "
                    + "or a .safetensors file with one (N, d) tensor per layer.")
    Path embeddings;

    @Option(names = "--labels", paramLabel = "Y",
            description = "Labels: .npy (integer or float; (N, c) floats for multi-output regression) or text, "
                    + "one value per line (default: none; required unless --task label-free).")
    Path labels;

    @Option(names = "--k", defaultValue = "4", description = "Layers to select (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--task", defaultValue = "classification",
            description = "classification (default), regression or label-free.")
    String task;

    @Option(names = "--accumulate", defaultValue = "paper", description = "paper (default) or stagewise.")
    String accumulate;

    @Option(names = "--triangle", defaultValue = "exact", description = "exact (default) or sampled:T.")
    String triangle;

    @Option(names = "--score", defaultValue = "paper",
            description = "Scale of the score's terms: paper (default; the paper's raw terms) or calibrated (1 - R^2 fit "
                    + "terms, 1 / (1 + iso), a scale-free triangle term; see the README).")
    String score;

    @Option(names = "--calibration-fraction", defaultValue = "0.2",
            description = "Fraction of rows scored (default ${DEFAULT-VALUE}; 1.0 uses every row).")
    double calibrationFraction;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--alpha", defaultValue = "1.0", description = "Isotropy weight (default ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--gamma", defaultValue = "0.5", description = "Redundancy weight (default ${DEFAULT-VALUE}).")
    double gamma;

    @Option(names = "--eta", defaultValue = "0.1", description = "Triangle weight (default ${DEFAULT-VALUE}).")
    double eta;

    @Option(names = "--isotropy-eps", defaultValue = "1e-9",
            description = "eps of iso = mean / (std + eps) (default ${DEFAULT-VALUE}).")
    double isotropyEps;

    @Option(names = "--lambda", defaultValue = "1e-3", description = "Probe ridge (default ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--mu", defaultValue = "1e-6", description = "Orthogonalisation ridge (default ${DEFAULT-VALUE}).")
    double mu;

    @Option(names = "--layers", paramLabel = "SPEC", description = "Candidate layers, e.g. 0-11 or 1,3,5-7 (default: all).")
    String layers;

    @Option(names = "--json", paramLabel = "OUT.json", description = "Also write the full result as JSON (default: none; atomically, never one of the inputs).")
    Path json;

    @Option(names = "--diagnostics", description = "Compute and print layer diagnostics (slower).")
    boolean diagnostics;

    @Option(names = "--streaming",
            description = "Force the statistics route: one pass over the rows into merged moments, memory "
                    + "8 (D + c)(D + c + 1) bytes whatever N; needs at least as many calibration rows as the layers' "
                    + "total width D (default: the route follows --memory-budget).")
    boolean streaming;

    @Option(names = "--memory-budget", paramLabel = "SIZE",
            description = "Memory the selection may plan for, e.g. 512m or 2g: over it the statistics route is taken "
                    + "(default: half the maximum heap; raise the heap with -Xmx in LOES_JAVA_OPTS).")
    String memoryBudget;

    @Option(names = "--baseline", paramLabel = "NAME",
            description = "Run a baseline instead: last, last-k, random, entropy, curvature, intrinsic, exhaustive (default: none, LOES).")
    String baseline;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (k <= 0) {
            throw new BadInputException("--k: " + k + " must be >= 1");
        }
        Task t = parseTask(task);
        Accumulation acc = switch (accumulate) {
            case "paper" -> Accumulation.PAPER;
            case "stagewise" -> Accumulation.STAGEWISE;
            default -> throw new BadInputException("--accumulate: '" + accumulate + "', expected paper or stagewise");
        };
        ScoreScale scale = switch (score) {
            case "paper" -> ScoreScale.PAPER;
            case "calibrated" -> ScoreScale.CALIBRATED;
            default -> throw new BadInputException("--score: '" + score + "', expected paper or calibrated");
        };
        TriangleEstimator tri;
        try {
            tri = TriangleEstimator.parse(triangle);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            throw new BadInputException("--triangle: " + (m.startsWith("triangle: ") ? m.substring(10) : m), e);
        }
        Baseline base;
        try {
            base = baseline == null ? null : Baseline.parse(baseline);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--" + e.getMessage(), e);
        }
        if (t != Task.LABEL_FREE && labels == null) {
            throw new BadInputException("--labels: required for --task " + task + " (or use --task label-free)");
        }
        if (streaming && base != null) {
            throw new BadInputException("--streaming: applies to LOES only; --baseline " + baseline
                    + " reads the rows in memory");
        }
        long budget = memoryBudget == null ? LoesStatistics.defaultBudgetBytes()
                : SelectRoute.parseBytes("--memory-budget", memoryBudget);
        long t0 = System.nanoTime();
        try (CommandInputs in = CommandInputs.open("--embeddings", embeddings)) {
            LayeredEmbeddings all = in.embeddings();
            Map<String, Path> inputs = new LinkedHashMap<>(in.embeddings().files());
            inputs.put("--labels", labels);
            AtomicFiles.checkOutput("--json", json, inputs);
            long tOpen = System.nanoTime();
            int n = all.rows();
            if (n < 2) {
                throw new BadInputException(embeddings + ": " + n + " row(s), at least 2 are needed");
            }
            int[] layerIds = parseLayers(layers, all.layerCount());
            LayeredEmbeddings stack = all.layers(layerIds);
            int kUsed = k;
            if (k > layerIds.length) {
                err.println("loes: warning: --k " + k + " is larger than the " + layerIds.length
                        + " candidate layers; using k = " + layerIds.length);
                kUsed = layerIds.length;
            }
            Labels y = t == Task.LABEL_FREE ? null : in.labels("--labels", labels, t);
            if (y != null && y.isClassification() && y.presentClassesOnly().classCount() < 2) {
                throw new BadInputException("--labels: " + labels + ": only one class ('" + y.labels().getFirst()
                        + "') present, classification needs at least 2");
            }
            LoesOptions options;
            try {
                options = LoesOptions.builder().k(kUsed).task(t).alpha(alpha).gamma(gamma).eta(eta)
                        .lambda(lambda).mu(mu).isotropyEps(isotropyEps).accumulation(acc).triangle(tri)
                        .score(scale).calibrationFraction(calibrationFraction).seed(seed).build();
            } catch (IllegalArgumentException e) {
                String m = String.valueOf(e.getMessage());
                int colon = m.indexOf(": ");
                throw new BadInputException("--" + optionName(m) + ": " + (colon < 0 ? m : m.substring(colon + 2)), e);
            }
            // Decided from the shapes alone, before the finiteness scan reads the whole file.
            SelectRoute route = null;
            if (base == null) {
                int c = y == null ? 0 : y.isClassification() ? y.presentClassesOnly().classCount() : y.columns();
                route = SelectRoute.choose(streaming, CalibrationSplit.size(n, options.calibrationFraction()),
                        stack.widths(), c, kUsed, budget);
                if (route.warning() != null) {
                    err.println("loes: warning: " + route.warning());
                }
            }
            in.startDigests();
            stack.checkFinite();
            long tChecked = System.nanoTime();
            SelectionResult result;
            if (base != null) {
                result = Baselines.selector(base, options).select(stack, y);
            } else {
                Loes loes = Loes.builder().options(options).diagnostics(diagnostics).build();
                result = route.statistics() ? loes.selectStreaming(stack, y, route.blockRows(), route.budgetBytes())
                        : loes.select(stack, y);
            }
            long tSelected = System.nanoTime();
            warnIfUnderdetermined(err, result, stack);
            Map<String, Double> timings = new LinkedHashMap<>();
            timings.put("openMs", ms(t0, tOpen));
            timings.put("inputChecksMs", ms(tOpen, tChecked));
            Map<String, String> digests = in.digests();
            timings.put("digestWaitMs", ms(tSelected, System.nanoTime()));
            timings.put("endToEndMs", ms(t0, System.nanoTime()));
            Provenance p = result.provenance().withInputs(digests).withTimings(timings)
                    .withDetail("layerNumbering", ExtractMeta.NUMBERING);
            if (in.meta().isPresent()) {
                p = p.withDetail("extract", in.meta().get().asInputMeta());
            }
            if (route != null) {
                p = p.withDetail("routeChoice", route.asMap());
            }
            result = result.withProvenance(p);
            print(out, result, stack, y, options, base, route);
            if (json != null) {
                try {
                    AtomicFile.writeString(json, Json.writePretty(result.toJsonMap()));
                } catch (IOException e) {
                    throw new BadInputException("--json: cannot write " + json + ": " + e.getMessage(), e);
                }
                out.println("wrote " + json);
            }
        }
    }

    /** Calibration rows per dimension below which the warning is given. */
    static final int MIN_ROWS_PER_DIMENSION = 3;

    /**
     * Warns when the calibration split has fewer than {@link #MIN_ROWS_PER_DIMENSION} rows per dimension of the
     * widest layer: the ridge fits then nearly interpolate (fit loss ~ 0), so the score ranks mostly by isotropy.
     */
    private void warnIfUnderdetermined(PrintWriter err, SelectionResult result, LayeredEmbeddings stack) {
        Object rows = result.provenance().details().get("calibrationRows");
        int widest = 0;
        for (int w : stack.widths()) {
            widest = Math.max(widest, w);
        }
        if (rows instanceof Number r && r.intValue() < MIN_ROWS_PER_DIMENSION * widest) {
            err.printf(Locale.ROOT, "loes: warning: the calibration split has %d rows for layers up to width %d (fewer "
                    + "than %d per dimension): the ridge fits nearly interpolate and the scores rank mostly by "
                    + "isotropy; --calibration-fraction (now %s) uses more rows%n", r.intValue(), widest,
                    MIN_ROWS_PER_DIMENSION, calibrationFraction);
        }
    }

    /** The CLI option of a LoesOptions message ("calibrationFraction: ..." -> "calibration-fraction"). */
    private static String optionName(String message) {
        String key = message == null || message.indexOf(':') < 0 ? "options" : message.substring(0, message.indexOf(':'));
        return key.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static double ms(long from, long to) {
        return Math.round((to - from) / 1e4) / 100.0;
    }

    static Task parseTask(String s) {
        try {
            return Task.parse(s);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--" + e.getMessage(), e);
        }
    }

    /** Parses {@code 0-11}, {@code 1,3,5-7}; null means every layer. Result ascending, without repeats. */
    static int[] parseLayers(String spec, int count) {
        return LayerSpecs.parse("--layers", spec, count);
    }

    private static void print(PrintWriter out, SelectionResult r, LayeredEmbeddings stack, Labels targets,
                              LoesOptions o, Baseline base, SelectRoute route) {
        Map<String, Object> p = r.provenance().toMap();
        out.printf(Locale.ROOT, "loes select: %s, %d layers, N = %d (calibration %s), %s%s, k = %s%n",
                base == null ? "LOES " + o.task().name().toLowerCase(Locale.ROOT).replace('_', '-')
                        + ", accumulate " + o.accumulation().name().toLowerCase(Locale.ROOT) + ", triangle " + o.triangle()
                        + (o.score() == ScoreScale.PAPER ? "" : ", score " + o.score().name().toLowerCase(Locale.ROOT))
                        : "baseline " + base.cliName(),
                stack.layerCount(), stack.rows(), p.get("calibrationRows"),
                stack.uniformWidth() ? "d = " + stack.width(0) : "widths " + Arrays.toString(stack.widths()),
                targets != null && targets.isClassification() ? ", C = " + targets.classCount() : "",
                p.get("kUsed"));
        if (route != null) {
            out.println("route: " + route.name() + " (" + route.reason() + ")");
        }
        out.println("layers are hidden-state indices (0 = embedding output; the paper's layer k is index k + 1)");
        if (base == null) {
            out.printf(Locale.ROOT, "%6s %12s %10s %10s  %s%n", "layer", "fitLoss", "isotropy", "score0", "pick");
            for (SelectionResult.LayerScore l : r.layers()) {
                int pick = indexOf(r.selected(), l.layer());
                out.printf(Locale.ROOT, "%6d %12s %10.4f %10.4f  %s%n", l.layer(), fmt(l.fitLoss()), l.isotropy(),
                        l.score0(), pick < 0 ? "" : "* " + (pick + 1));
            }
            out.printf(Locale.ROOT, "step 0: layer %d, score0 %.6f%n", r.selected()[0], r.stepScores()[0]);
            for (SelectionResult.Step s : r.steps()) {
                SelectionResult.Candidate w = null;
                for (SelectionResult.Candidate c : s.candidates()) {
                    if (c.layer() == s.selected()) {
                        w = c;
                    }
                }
                out.printf(Locale.ROOT, "step %d: layer %d, score %.6f (residual loss %s, isotropy %.4f, redundancy %.4f,"
                                + " triangle %.4f; %d candidates)%n", s.step(), s.selected(), s.score(),
                        fmt(w.residualLoss()), w.isotropy(), w.redundancy(), w.triangle(), s.candidates().size());
            }
        } else {
            for (SelectionResult.LayerScore l : r.layers()) {
                if (!l.metrics().isEmpty()) {
                    int pick = indexOf(r.selected(), l.layer());
                    StringBuilder b = new StringBuilder();
                    l.metrics().forEach((name, v) -> b.append(String.format(Locale.ROOT, " %s %.6f", name, v)));
                    out.printf(Locale.ROOT, "%6d%s  %s%n", l.layer(), b, pick < 0 ? "" : "* " + (pick + 1));
                }
            }
            if (base == Baseline.EXHAUSTIVE) {
                out.printf(Locale.ROOT, "best cross-validated probe score: %.6f (%s)%n", r.stepScores()[0],
                        p.get("probeScore"));
            }
        }
        if (r.diagnostics() != null) {
            out.printf(Locale.ROOT, "diagnostics:%n%6s %10s %10s %10s %10s %8s%n", "layer", "isotropy", "effRank",
                    "entropy", "topEigFr", "rank");
            for (SelectionResult.LayerDiagnostics d : r.diagnostics().layers()) {
                out.printf(Locale.ROOT, "%6d %10.4f %10.3f %10.4f %10.4f %8d%n", d.layer(), d.isotropy(),
                        d.effectiveRank(), d.datasetEntropy(), d.spectrum().topFraction(), d.spectrum().numericalRank());
            }
            out.println("pairwise redundancy (raw features):");
            double[][] red = r.diagnostics().redundancy();
            for (int a = 0; a < red.length; a++) {
                StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%6d", r.layers().get(a).layer()));
                for (double v : red[a]) {
                    b.append(String.format(Locale.ROOT, " %5.3f", v));
                }
                out.println(b);
            }
        }
        out.println("selected: " + Arrays.toString(r.selected()));
        Object timings = p.get("timings");
        if (timings != null) {
            out.println("timings (ms): " + timings);
        }
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.6g", v);
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }
}
