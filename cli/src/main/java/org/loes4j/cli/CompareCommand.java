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
import org.loes4j.selection.Loes;
import org.loes4j.selection.LoesOptions;
import org.loes4j.selection.baselines.Baseline;
import org.loes4j.selection.baselines.Baselines;
import org.loes4j.training.Probe;
import org.loes4j.training.RidgeConfig;
import org.loes4j.training.RidgeTrainer;
import org.loes4j.training.Trainer;
import org.loes4j.training.TrainingConfig;
import org.loes4j.training.TrainingResult;
import org.loes4j.training.metrics.MeanInterval;
import org.loes4j.training.metrics.OneWayAnova;
import org.loes4j.training.metrics.PairedTTest;
import org.loes4j.training.model.Architecture;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code loes compare}: for every method and seed, choose layers on the calibration split of the
 * training set, train adapters and probe, evaluate on the test set; print the paper-style table
 * (mean +- std over seeds, layers, selection time, paired two-sided t-test against Last) and write CSV
 * and JSON.
 *
 * <p>A method named {@code SELECTOR+ridge} (e.g. {@code loes+ridge}, {@code last+ridge}) chooses its layers as
 * SELECTOR does and fits the closed-form ridge probe on them instead of adapters: on every training row, lambda by
 * 5-fold cross-validation seeded with the run's seed (the cross-validation takes the place of the validation
 * split). So "these layers + a plain tuned ridge" sits in the same table as "these layers + adapters".
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare layer-selection methods end to end over several seeds (paper-style table, t-test vs Last).")
final class CompareCommand implements Runnable {
    static final String ALL_METHODS = "last,last-k,random,loes,loes+georeg,entropy,curvature,intrinsic,learnable,"
            + "greedy-probe,last+ridge,loes+ridge";
    /** The suffix that swaps adapters for the closed-form ridge probe on the method's layers. */
    static final String RIDGE_SUFFIX = "+ridge";

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--train-embeddings", required = true, paramLabel = "E.npy",
            description = "Training embeddings (same forms as select's --embeddings).")
    Path trainEmbeddings;

    @Option(names = "--train-labels", required = true, paramLabel = "Y", description = "Training labels.")
    Path trainLabels;

    @Option(names = "--test-embeddings", required = true, paramLabel = "E.npy",
            description = "Test embeddings: the same layers and widths.")
    Path testEmbeddings;

    @Option(names = "--test-labels", required = true, paramLabel = "Y", description = "Test labels.")
    Path testLabels;

    @Option(names = "--k", defaultValue = "4", paramLabel = "K", description = "Layers to select (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--seeds", defaultValue = "5", paramLabel = "N", description = "Seeds per method (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "First seed; run i uses S + i (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--methods", defaultValue = ALL_METHODS, split = ",", paramLabel = "M,...",
            description = "Any of " + ALL_METHODS + ", exhaustive; SELECTOR+ridge fits the closed-form ridge probe "
                    + "on SELECTOR's layers (any selector but learnable and loes+georeg) (default: ${DEFAULT-VALUE}).")
    List<String> methods;

    @Option(names = "--task", defaultValue = "classification", paramLabel = "T",
            description = "classification or regression (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--preset", defaultValue = "default", paramLabel = "P",
            description = "Adapter training: default (text hyper-parameters, early stopping with patience 20, at most "
                    + "300 epochs), or the paper's text or vision (15 epochs) (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs, at most (default: the preset's: 300 for default, 15 for text and vision).")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "B", description = "Batch size (default: the preset's, 128).")
    Integer batch;

    @Option(names = "--lr", paramLabel = "LR", description = "Peak learning rate (default: the preset's, 1e-4).")
    Double lr;

    @Option(names = "--val-fraction", defaultValue = "0.1", paramLabel = "F",
            description = "Validation split of the training set for the best epoch (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--calibration-fraction", defaultValue = "0.2", paramLabel = "F",
            description = "Calibration split the selection methods see (default: ${DEFAULT-VALUE}).")
    double calibrationFraction;

    @Option(names = "--greedy-epochs", defaultValue = "1", paramLabel = "N",
            description = "Epochs of each per-layer probe of greedy-probe, 1 or 5 in the paper (default: ${DEFAULT-VALUE}).")
    int greedyEpochs;

    @Option(names = "--out", paramLabel = "PREFIX",
            description = "Also write PREFIX.csv (one row per run) and PREFIX.json (summary, ANOVA, provenance) "
                    + "(default: none; nothing is written, the table goes to stdout).")
    String out;

    @Option(names = "--baseline", defaultValue = "last", paramLabel = "METHOD",
            description = "The method every other one is tested against (paired t-test, effect size); one of "
                    + "--methods (default: ${DEFAULT-VALUE}).")
    String baseline;

    /** One trained and scored run; {@code macroF1} is NaN for regression. */
    private record Run(String method, long seed, int[] layers, double selectionSeconds, double trainSeconds,
                       double metric, double macroF1) {
    }

    @Override
    public void run() {
        if (k < 1) {
            throw new BadInputException("--k: " + k + " must be >= 1");
        }
        if (seeds < 1) {
            throw new BadInputException("--seeds: " + seeds + " must be >= 1");
        }
        if (!(valFraction > 0 && valFraction < 1)) {
            throw new BadInputException("--val-fraction: " + valFraction + " must be in (0, 1)");
        }
        for (String m : methods) {
            String selector = selector(m);
            boolean ridge = !selector.equals(m);
            if (ridge && (selector.equals("learnable") || selector.equals("loes+georeg"))) {
                throw new BadInputException("--methods: '" + m + "': " + selector + " is a way of training adapters, "
                        + "not a layer selection; +ridge goes with a selector (" + selectorsHelp() + ")");
            }
            if (!selector.equals("loes") && !selector.equals("loes+georeg") && !selector.equals("learnable")
                    && !selector.equals("greedy-probe")) {
                try {
                    Baseline.parse(selector);
                } catch (IllegalArgumentException e) {
                    throw new BadInputException("--methods: '" + m + "' is not one of " + ALL_METHODS
                            + ", exhaustive, or SELECTOR+ridge");
                }
            }
        }
        if (new java.util.HashSet<>(methods).size() != methods.size()) {
            throw new BadInputException("--methods: " + methods + " names a method twice");
        }
        if (!methods.contains(baseline)) {
            throw new BadInputException("--baseline: '" + baseline + "' is not one of --methods " + methods);
        }
        Path csv = out == null ? null : Path.of(out + ".csv");
        Path json = out == null ? null : Path.of(out + ".json");
        Task t = CommandInputs.task("--task", task, false);
        if (seeds < 3) {
            spec.commandLine().getErr().println("loes: warning: --seeds " + seeds + ": the paired t-test needs at "
                    + "least 3 seeds to say anything; its p-values are " + (seeds < 2 ? "undefined" : "unreliable") + " here");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Run> runs = new ArrayList<>();
        try (CommandInputs train = CommandInputs.open("--train-embeddings", trainEmbeddings);
             CommandInputs test = CommandInputs.open("--test-embeddings", testEmbeddings)) {
            LayeredEmbeddings e = train.embeddings();
            Labels y = train.labels("--train-labels", trainLabels, t);
            Labels testY = test.labels("--test-labels", testLabels, t, t == Task.CLASSIFICATION ? y.names() : null);
            Map<String, Path> inputs = new LinkedHashMap<>(train.inputFiles());
            inputs.putAll(test.inputFiles());
            AtomicFiles.checkOutput("--out", csv, inputs);
            AtomicFiles.checkOutput("--out", json, inputs);
            LayeredEmbeddings testE = test.embeddings();
            if (!Arrays.equals(testE.layerIndices(), e.layerIndices()) || !Arrays.equals(testE.widths(), e.widths())) {
                throw new BadInputException("--test-embeddings: " + testE.describe() + ", training has " + e.describe());
            }
            try {
                e.checkFinite();
                testE.checkFinite();
            } catch (IllegalArgumentException ex) {
                throw new BadInputException(ex.getMessage(), ex);
            }

            for (int s = 0; s < seeds; s++) {
                long runSeed = seed + s;
                int[] perm = ProbeFiles.permutation(e.rows(), runSeed);
                int nv = Math.max(1, (int) Math.round(valFraction * e.rows()));
                int[] vRows = Arrays.copyOfRange(perm, 0, nv);
                int[] tRows = Arrays.copyOfRange(perm, nv, perm.length);
                LayeredEmbeddings trainE = e.rows(tRows);
                Labels trainY = y.rows(tRows);
                LayeredEmbeddings valE = e.rows(vRows);
                Labels valY = y.rows(vRows);
                LoesOptions options = LoesOptions.builder().k(k).seed(runSeed).task(t)
                        .calibrationFraction(calibrationFraction).build();
                // A selector's layers and time, shared by SELECTOR and SELECTOR+ridge (loes also by loes+georeg).
                Map<String, int[]> selected = new LinkedHashMap<>();
                Map<String, Double> selectedSeconds = new LinkedHashMap<>();
                for (String m : methods) {
                    TrainingConfig config = config(runSeed);
                    String selector = selector(m);
                    String key = selector.equals("loes+georeg") ? "loes" : selector;
                    if (!selected.containsKey(key)) {
                        long t0 = System.nanoTime();
                        int[] chosen = switch (key) {
                            case "loes" -> Loes.builder().options(options).build().select(e, y).selected();
                            case "learnable" -> e.layerIndices();
                            case "greedy-probe" -> greedyProbe(config, trainE, trainY, valE, valY);
                            default -> Baselines.selector(Baseline.parse(key), options).select(e, y).selected();
                        };
                        selected.put(key, chosen);
                        selectedSeconds.put(key, (System.nanoTime() - t0) / 1e9);
                    }
                    int[] layers = selected.get(key);
                    double selectionSeconds = selectedSeconds.get(key);
                    if (m.equals("loes+georeg")) {
                        config = config.withGeoRegWeight(0.1);
                    } else if (m.equals("learnable")) {
                        config = config.withArchitecture(Architecture.LEARNABLE_WEIGHTS);
                    }
                    long t1 = System.nanoTime();
                    Probe probe;
                    if (!selector.equals(m)) {
                        try {
                            probe = new RidgeTrainer(RidgeConfig.defaults().withSeed(runSeed))
                                    .train(e, y, layers, "unknown").probe();
                        } catch (IllegalArgumentException ex) {
                            throw new BadInputException(m + ", seed " + runSeed + ": " + ex.getMessage(), ex);
                        }
                    } else {
                        TrainingResult r = new Trainer(config).train(trainE, trainY, valE, valY, layers, "unknown",
                                null);
                        if (r.nonFinite().isPresent() || r.probe().isEmpty()) {
                            throw new BadInputException(m + ", seed " + runSeed + ": " + r.nonFinite()
                                    .map(f -> f.message()).orElse("no model"));
                        }
                        probe = r.probe().get();
                    }
                    double trainSeconds = (System.nanoTime() - t1) / 1e9;
                    double metric;
                    double macroF1 = Double.NaN;
                    if (t == Task.CLASSIFICATION) {
                        var cm = probe.evaluateClassification(testE, testY);
                        metric = cm.accuracy();
                        macroF1 = cm.macroF1();
                    } else {
                        metric = probe.evaluateRegression(testE, testY).rmse();
                    }
                    runs.add(new Run(m, runSeed, layers, selectionSeconds, trainSeconds, metric, macroF1));
                    err.printf(Locale.ROOT, "compare: %-12s seed %d  %s %.4f  layers %s%n", m, runSeed,
                            t == Task.CLASSIFICATION ? "accuracy" : "rmse", metric, Arrays.toString(layers));
                    err.flush();
                }
            }
            String metricName = t == Task.CLASSIFICATION ? "accuracy" : "rmse";
            List<Map<String, Object>> summary = summary(runs, metricName);
            printTable(stdout, summary, metricName);
            Map<String, Object> anova = anova(runs, metricName);
            stdout.printf(Locale.ROOT, "one-way ANOVA of %s across %d methods: F(%s, %s) = %s, p = %s, eta^2 = %s%n",
                    metricName, methods.size(), anova.get("dfBetween"), anova.get("dfWithin"), fmt(anova.get("f")),
                    fmt(anova.get("p")), fmt(anova.get("etaSquared")));
            if (csv != null) {
                AtomicFile.writeString(csv, csv(runs, metricName));
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("k", k);
            settings.put("seeds", seeds);
            settings.put("firstSeed", seed);
            settings.put("methods", methods);
            settings.put("valFraction", valFraction);
            settings.put("calibrationFraction", calibrationFraction);
            settings.put("greedyEpochs", greedyEpochs);
            settings.put("training", config(seed).toMap());
            if (methods.stream().anyMatch(m -> !selector(m).equals(m))) {
                Map<String, Object> ridge = new LinkedHashMap<>(RidgeConfig.defaults().withSeed(seed).toMap());
                ridge.put("seed", "the run's seed (firstSeed + i)");
                ridge.put("rows", "every training row (cross-validation instead of the validation split)");
                settings.put("ridge", ridge);
            }
            settings.put("trainEmbeddings", trainEmbeddings.toString());
            settings.put("testEmbeddings", testEmbeddings.toString());
            doc.put("settings", settings);
            doc.put("provenance", Provenance.builder("compare", null).seed(seed).hyperParameters(settings)
                    .inputs(digests(train, test)).detail("layerNumbering", ExtractMeta.NUMBERING).build().toMap());
            doc.put("summary", summary);
            doc.put("anova", anova(runs, metricName));
            List<Object> rs = new ArrayList<>();
            for (Run r : runs) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("method", r.method());
                m.put("seed", r.seed());
                m.put("layers", r.layers());
                m.put("selectionSeconds", r.selectionSeconds());
                m.put("trainSeconds", r.trainSeconds());
                m.put(metricName, r.metric());
                rs.add(m);
            }
            doc.put("runs", rs);
            if (json != null) {
                AtomicFile.writeString(json, Json.writePretty(doc));
                stdout.printf("wrote %s and %s%n", csv, json);
            }
            stdout.flush();
        } catch (IOException ex) {
            throw new BadInputException("--out: cannot write " + csv + " / " + json + ": " + ex.getMessage(), ex);
        }
    }

    /** The selector of a method: {@code loes} for {@code loes+ridge}, the method itself otherwise. */
    static String selector(String method) {
        return method.endsWith(RIDGE_SUFFIX) ? method.substring(0, method.length() - RIDGE_SUFFIX.length()) : method;
    }

    private static String selectorsHelp() {
        return "last, last-k, random, loes, entropy, curvature, intrinsic, greedy-probe, exhaustive";
    }

    private TrainingConfig config(long runSeed) {
        TrainingConfig c = TrainingConfig.preset(preset).withSeed(runSeed);
        if (epochs != null) {
            c = c.withEpochs(epochs);
        }
        if (batch != null) {
            c = c.withBatchSize(batch);
        }
        if (lr != null) {
            c = c.withLearningRate(lr);
        }
        return c;
    }

    /** One probe per layer for {@code greedyEpochs} epochs; the k best by validation metric, best first. */
    private int[] greedyProbe(TrainingConfig config, LayeredEmbeddings trainE, Labels trainY, LayeredEmbeddings valE,
                              Labels valY) {
        int layerCount = trainE.layerCount();
        double[] score = new double[layerCount];
        boolean classification = trainY.task() == Task.CLASSIFICATION;
        for (int l = 0; l < layerCount; l++) {
            TrainingResult r = new Trainer(config.withEpochs(greedyEpochs)).train(trainE, trainY, valE, valY,
                    new int[] {trainE.layerIndex(l)}, "unknown", null);
            double v = r.epochs().isEmpty() ? Double.NaN : r.epochs().get(r.bestEpoch() - 1).validationMetric();
            score[l] = Double.isNaN(v) ? Double.NEGATIVE_INFINITY : classification ? v : -v;
        }
        Integer[] order = new Integer[layerCount];
        for (int l = 0; l < layerCount; l++) {
            order[l] = l;
        }
        Arrays.sort(order, (a, b) -> score[a] != score[b] ? Double.compare(score[b], score[a]) : Integer.compare(a, b));
        int kk = Math.min(k, layerCount);
        int[] out = new int[kk];
        for (int i = 0; i < kk; i++) {
            out[i] = trainE.layerIndex(order[i]);
        }
        return out;
    }

    /** Metric values of {@code method}, by seed (in run order). */
    private double[] values(List<Run> runs, String method, boolean macroF1) {
        double[] v = new double[seeds];
        int i = 0;
        for (Run r : runs) {
            if (r.method().equals(method)) {
                v[i++] = macroF1 ? r.macroF1() : r.metric();
            }
        }
        return v;
    }

    /**
     * Per method: the metric's mean, sample sd and 95% t interval over seeds; macro-F1's mean and sd
     * (classification); against --baseline the paired t-test and Cohen's d_z of the paired differences.
     */
    private List<Map<String, Object>> summary(List<Run> runs, String metricName) {
        double[] base = values(runs, baseline, false);
        List<Map<String, Object>> out = new ArrayList<>();
        for (String m : methods) {
            double[] v = values(runs, m, false);
            MeanInterval ci = MeanInterval.of95(v);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("method", m);
            e.put(metricName + "Mean", ci.mean());
            e.put(metricName + "Std", ci.sd());
            e.put(metricName + "Ci95", Double.isFinite(ci.lower()) ? List.of(ci.lower(), ci.upper()) : null);
            double[] f1 = values(runs, m, true);
            if (!Double.isNaN(f1[0])) {
                MeanInterval f = MeanInterval.of95(f1);
                e.put("macroF1Mean", f.mean());
                e.put("macroF1Std", f.sd());
            }
            if (!m.equals(baseline)) {
                PairedTTest tt = PairedTTest.of(v, base);
                double d = MeanInterval.pairedEffectSize(v, base);
                e.put("baseline", baseline);
                e.put("tVsBaseline", Double.isFinite(tt.t()) ? tt.t() : null);
                e.put("pVsBaseline", Double.isFinite(tt.pValue()) ? tt.pValue() : null);
                e.put("effectSizeVsBaseline", Double.isFinite(d) ? d : null);
            }
            double sel = 0;
            List<Object> layers = new ArrayList<>();
            for (Run r : runs) {
                if (r.method().equals(m)) {
                    sel += r.selectionSeconds() / seeds;
                    layers.add(r.layers());
                }
            }
            e.put("meanSelectionSeconds", sel);
            e.put("layersPerSeed", layers);
            out.add(e);
        }
        return out;
    }

    /** One-way ANOVA of the metric across methods, each method's seeds one group. */
    private Map<String, Object> anova(List<Run> runs, String metricName) {
        double[][] groups = new double[methods.size()][];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = values(runs, methods.get(i), false);
        }
        OneWayAnova a = OneWayAnova.of(groups);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metric", metricName);
        m.put("f", Double.isFinite(a.f()) ? a.f() : null);
        m.put("dfBetween", a.dfBetween());
        m.put("dfWithin", a.dfWithin());
        m.put("p", Double.isFinite(a.pValue()) ? a.pValue() : null);
        m.put("etaSquared", Double.isFinite(a.etaSquared()) ? a.etaSquared() : null);
        return m;
    }

    private static String fmt(Object v) {
        return v instanceof Double d ? String.format(Locale.ROOT, "%.3g", d) : "-";
    }

    private void printTable(PrintWriter o, List<Map<String, Object>> summary, String metricName) {
        boolean f1 = summary.getFirst().containsKey("macroF1Mean");
        o.printf(Locale.ROOT, "%-18s %-18s %-17s %-9s %-9s %-9s %s%n", "method", metricName + " mean +- std",
                "95% CI", f1 ? "macro-F1" : "", "p vs " + baseline, "d_z", "layers (first seed)");
        for (Map<String, Object> e : summary) {
            List<?> ci = (List<?>) e.get(metricName + "Ci95");
            List<?> layers = (List<?>) e.get("layersPerSeed");
            o.printf(Locale.ROOT, "%-18s %.4f +- %-9.4f %-17s %-9s %-9s %-9s %s%n", e.get("method"),
                    e.get(metricName + "Mean"), e.get(metricName + "Std"),
                    ci == null ? "-" : String.format(Locale.ROOT, "[%.4f, %.4f]", (Double) ci.get(0), (Double) ci.get(1)),
                    f1 ? String.format(Locale.ROOT, "%.4f", (Double) e.get("macroF1Mean")) : "",
                    fmt(e.get("pVsBaseline")), fmt(e.get("effectSizeVsBaseline")),
                    Arrays.toString((int[]) layers.getFirst()));
        }
    }

    private static String csv(List<Run> runs, String metricName) {
        StringBuilder sb = new StringBuilder("method,seed,layers,selection_seconds,train_seconds," + metricName
                + ",macro_f1\n");
        for (Run r : runs) {
            StringBuilder layers = new StringBuilder();
            for (int i = 0; i < r.layers().length; i++) {
                layers.append(i > 0 ? " " : "").append(r.layers()[i]);
            }
            sb.append(r.method()).append(',').append(r.seed()).append(',').append(layers).append(',')
                    .append(r.selectionSeconds()).append(',').append(r.trainSeconds()).append(',').append(r.metric())
                    .append(',').append(Double.isNaN(r.macroF1()) ? "" : Double.toString(r.macroF1())).append('\n');
        }
        return sb.toString();
    }

    private static Map<String, String> digests(CommandInputs train, CommandInputs test) {
        Map<String, String> m = new LinkedHashMap<>();
        train.digests().forEach((k, v) -> m.put("train." + k, v));
        test.digests().forEach((k, v) -> m.put("test." + k, v));
        return m;
    }
}
