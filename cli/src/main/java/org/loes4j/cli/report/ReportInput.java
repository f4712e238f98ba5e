package org.loes4j.cli.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.loes4j.linalg.io.Json;

/**
 * One JSON result a report shows, its kind recognised from its content (not its name): a selection
 * ({@code loes select --json}), a per-layer probe ({@code loes probe --json}) or a comparison of methods
 * ({@code loes compare --out}). Fields are read defensively: a number written as {@code null} (how loes4j
 * writes NaN) reads as NaN, optional parts may be missing, and the probe's score fields are accepted under
 * either name ({@code mean}|{@code score}, {@code std}|{@code scoreStd}).
 *
 * <p>Layers are hidden-state indices throughout (0 = embedding output; the paper's layer k is index k + 1).
 */
public sealed interface ReportInput permits ReportInput.Selection, ReportInput.LayerProbe, ReportInput.Comparison {
    /** The largest file read: results of these commands are kilobytes to a few megabytes. */
    long MAX_BYTES = 64L << 20;

    /** Where it was read from. */
    Path file();

    /** {@code select}, {@code probe} or {@code compare}: the command that writes this kind. */
    String kind();

    /** The file's {@code provenance} object (empty when it has none). */
    Map<String, Object> provenance();

    /** One line saying what the file holds. */
    String describe();

    /**
     * Reads and recognises {@code file}.
     *
     * @throws IllegalArgumentException starting with the file's name: unreadable, not JSON, not one of the
     *                                  three kinds, or a field of the wrong type
     */
    static ReportInput read(Path file) {
        if (file == null) {
            throw new IllegalArgumentException("file: null");
        }
        String text;
        try {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + ": " + (Files.exists(file) ? "not a regular file" : "no such file"));
            }
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %.1f MB, too large for the JSON of "
                        + "loes select, probe or compare (at most %d MB)", file, size / 1e6, MAX_BYTES >> 20));
            }
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text, so not the JSON of loes select, probe or compare");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
        Map<String, Object> json;
        try {
            json = Json.parseObject(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": not the JSON of loes select, probe or compare: " + e.getMessage(), e);
        }
        return of(file, json);
    }

    /** Recognises parsed JSON; {@code file} names it in messages. */
    static ReportInput of(Path file, Map<String, Object> json) {
        try {
            if (json.get("summary") instanceof List<?> && (json.containsKey("anova") || json.containsKey("runs"))) {
                return Comparison.of(file, json);
            }
            if ("probe".equals(json.get("method")) || json.get("best") instanceof Map<?, ?> && json.get("layers") instanceof List<?>) {
                return LayerProbe.of(file, json);
            }
            if (json.get("selected") instanceof List<?> && json.get("layers") instanceof List<?>) {
                return Selection.of(file, json);
            }
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(file + ": not a result of loes select, probe or compare (its top-level keys are "
                + new TreeSet<>(json.keySet()) + "; expected 'selected' and 'layers' (select --json), 'best' and 'layers' "
                + "(probe --json), or 'summary' and 'anova' (compare --out))");
    }

    /**
     * A selection.
     *
     * @param method      {@code loes} or a baseline's name
     * @param selected    the picks, in pick order
     * @param layers      the per-layer table (score0 and isotropy NaN for a baseline that has none)
     * @param diagnostics null unless select ran with {@code --diagnostics}
     */
    record Selection(Path file, String method, int[] selected, List<LayerScore> layers, Diagnostics diagnostics,
                     Map<String, Object> provenance) implements ReportInput {
        public Selection {
            selected = selected.clone();
            layers = List.copyOf(layers);
            provenance = provenance == null ? Map.of() : provenance;
        }

        @Override
        public int[] selected() {
            return selected.clone();
        }

        @Override
        public String kind() {
            return "select";
        }

        @Override
        public String describe() {
            return "selection (" + method + "): layers " + java.util.Arrays.toString(selected) + " of " + layers.size()
                    + (diagnostics == null ? ", no diagnostics" : ", with diagnostics");
        }

        /**
         * One row of the per-layer table; {@code metrics} holds a baseline's own per-layer numbers (e.g.
         * {@code datasetEntropy}), by name, in file order.
         */
        public record LayerScore(int layer, double fitLoss, double isotropy, double score0, Map<String, Double> metrics) {
            public LayerScore {
                metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
            }
        }

        /** The diagnostics: per layer, and the pairwise redundancy matrix in the order of {@code layers}. */
        public record Diagnostics(List<LayerDiagnostics> layers, double[][] redundancy) {
            public Diagnostics {
                layers = List.copyOf(layers);
            }

            /** The diagnostics of {@code layer}, or null. */
            public LayerDiagnostics of(int layer) {
                for (LayerDiagnostics d : layers) {
                    if (d.layer() == layer) {
                        return d;
                    }
                }
                return null;
            }
        }

        /**
         * Diagnostics of one layer; {@code top} the largest eigenvalues of its covariance (descending), {@code
         * total} their sum over all {@code dimension} eigenvalues.
         */
        public record LayerDiagnostics(int layer, double isotropy, double effectiveRank, double datasetEntropy,
                                       double[] top, double total, double topFraction, int numericalRank,
                                       int dimension) {
            /** {@code top[i] / total}: the share of the variance along the i-th principal direction. */
            public double[] topFractions() {
                double[] f = new double[top.length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = total > 0 ? top[i] / total : Double.NaN;
                }
                return f;
            }
        }

        /** The keys of a layer entry every selection writes; any other number is a baseline's metric. */
        private static final Set<String> LAYER_KEYS = Set.of("layer", "fitLoss", "isotropy", "score0", "selected");

        static Selection of(Path file, Map<String, Object> json) {
            int[] selected = ints(json.get("selected"), "selected");
            List<LayerScore> layers = new ArrayList<>();
            List<Map<String, Object>> ls = maps(json.get("layers"), "layers");
            for (int i = 0; i < ls.size(); i++) {
                Map<String, Object> l = ls.get(i);
                String at = "layers[" + i + "]";
                Map<String, Double> metrics = new LinkedHashMap<>();
                for (Map.Entry<String, Object> e : l.entrySet()) {
                    if (!LAYER_KEYS.contains(e.getKey()) && (e.getValue() == null || e.getValue() instanceof Number)) {
                        metrics.put(e.getKey(), number(e.getValue(), at + "." + e.getKey()));
                    }
                }
                layers.add(new LayerScore(integer(l.get("layer"), at + ".layer"), number(l.get("fitLoss"), at + ".fitLoss"),
                        number(l.get("isotropy"), at + ".isotropy"), number(l.get("score0"), at + ".score0"), metrics));
            }
            Diagnostics diagnostics = null;
            if (json.get("diagnostics") instanceof Map<?, ?> d) {
                List<LayerDiagnostics> dl = new ArrayList<>();
                List<Map<String, Object>> dls = maps(d.get("layers"), "diagnostics.layers");
                for (int i = 0; i < dls.size(); i++) {
                    Map<String, Object> x = dls.get(i);
                    String at = "diagnostics.layers[" + i + "]";
                    Map<String, Object> sp = x.get("spectrum") instanceof Map<?, ?> m ? cast(m) : Map.of();
                    dl.add(new LayerDiagnostics(integer(x.get("layer"), at + ".layer"),
                            number(x.get("isotropy"), at + ".isotropy"), number(x.get("effectiveRank"), at + ".effectiveRank"),
                            number(x.get("datasetEntropy"), at + ".datasetEntropy"),
                            sp.get("top") == null ? new double[0] : numbers(sp.get("top"), at + ".spectrum.top"),
                            number(sp.get("total"), at + ".spectrum.total"),
                            number(sp.get("topFraction"), at + ".spectrum.topFraction"),
                            sp.get("numericalRank") == null ? -1 : integer(sp.get("numericalRank"), at + ".spectrum.numericalRank"),
                            sp.get("dimension") == null ? -1 : integer(sp.get("dimension"), at + ".spectrum.dimension")));
                }
                double[][] red = new double[0][];
                if (d.get("redundancy") instanceof List<?> rows) {
                    red = new double[rows.size()][];
                    for (int i = 0; i < rows.size(); i++) {
                        red[i] = numbers(rows.get(i), "diagnostics.redundancy[" + i + "]");
                    }
                }
                diagnostics = new Diagnostics(dl, red);
            }
            return new Selection(file, string(json.get("method"), "loes"), selected, layers, diagnostics,
                    provenanceOf(json));
        }
    }

    /**
     * A per-layer cross-validated probe.
     *
     * @param scoreName what the score is ({@code accuracy}, {@code r2}, ...; {@code score} when not said)
     * @param folds     the number of folds, or -1 when not said
     * @param layers    one row per layer probed
     * @param bestLayer the best layer, or -1 when not said
     */
    record LayerProbe(Path file, String scoreName, int folds, List<ProbeLayer> layers, int bestLayer,
                      Map<String, Object> provenance) implements ReportInput {
        public LayerProbe {
            layers = List.copyOf(layers);
            provenance = provenance == null ? Map.of() : provenance;
        }

        @Override
        public String kind() {
            return "probe";
        }

        @Override
        public String describe() {
            return "probe: " + scoreName + " of " + layers.size() + " layers" + (folds > 0 ? ", " + folds + "-fold" : "")
                    + (bestLayer >= 0 ? ", best layer " + bestLayer : "");
        }

        /** One layer: its width, and the mean and standard deviation of its held-out score over folds. */
        public record ProbeLayer(int layer, int width, double mean, double std) {
        }

        static LayerProbe of(Path file, Map<String, Object> json) {
            List<ProbeLayer> layers = new ArrayList<>();
            List<Map<String, Object>> ls = maps(json.get("layers"), "layers");
            for (int i = 0; i < ls.size(); i++) {
                Map<String, Object> l = ls.get(i);
                String at = "layers[" + i + "]";
                if (!l.containsKey("layer")) {
                    continue; // a subset of layers (probe --subsets) has "layers" instead: not a point on the layer axis
                }
                Object mean = l.containsKey("mean") ? l.get("mean") : l.get("score");
                Object std = l.containsKey("std") ? l.get("std") : l.get("scoreStd");
                if (!l.containsKey("mean") && !l.containsKey("score")) {
                    throw new IllegalArgumentException(at + ": no 'mean' or 'score'");
                }
                layers.add(new ProbeLayer(integer(l.get("layer"), at + ".layer"),
                        l.get("width") == null ? -1 : integer(l.get("width"), at + ".width"),
                        number(mean, at + ".mean"), number(std, at + ".std")));
            }
            if (layers.isEmpty()) {
                throw new IllegalArgumentException("probe result: no layer in 'layers'");
            }
            int best = -1;
            if (json.get("best") instanceof Map<?, ?> b && b.get("layer") != null) {
                best = integer(b.get("layer"), "best.layer");
            }
            String scoreName = json.get("score") instanceof String s ? s
                    : json.get("scoreName") instanceof String s2 ? s2 : "score";
            int folds = json.get("folds") == null ? -1 : integer(json.get("folds"), "folds");
            return new LayerProbe(file, scoreName, folds, layers, best, provenanceOf(json));
        }
    }

    /**
     * A comparison of methods over seeds.
     *
     * @param metric   {@code accuracy} or {@code rmse}
     * @param baseline the method the others are tested against, or null
     * @param settings compare's settings (k, seeds, methods, ...), empty when missing
     * @param methods  one row per method, in the file's order
     * @param anova    the one-way ANOVA across methods, or null
     */
    record Comparison(Path file, String metric, String baseline, Map<String, Object> settings, List<MethodSummary> methods,
                      Anova anova, Map<String, Object> provenance) implements ReportInput {
        public Comparison {
            methods = List.copyOf(methods);
            settings = settings == null ? Map.of() : settings;
            provenance = provenance == null ? Map.of() : provenance;
        }

        @Override
        public String kind() {
            return "compare";
        }

        @Override
        public String describe() {
            List<String> names = new ArrayList<>();
            for (MethodSummary m : methods) {
                names.add(m.method());
            }
            Object seeds = settings.get("seeds");
            return "comparison of " + metric + ": " + String.join(", ", names) + (seeds == null ? "" : ", " + seeds + " seeds");
        }

        /** True when the metric is better higher (accuracy), false when lower (rmse). */
        public boolean higherIsBetter() {
            return !metric.equals("rmse");
        }

        /**
         * One method: the metric's mean, sample sd and 95% t interval over seeds, macro-F1 (NaN for regression),
         * the paired test and Cohen's d_z against the baseline (NaN for the baseline itself), the mean selection
         * time and the layers each seed used.
         */
        public record MethodSummary(String method, double mean, double std, double ciLow, double ciHigh,
                                    double macroF1Mean, double macroF1Std, double pVsBaseline, double effectSize,
                                    double meanSelectionSeconds, List<int[]> layersPerSeed) {
            public MethodSummary {
                layersPerSeed = List.copyOf(layersPerSeed);
            }
        }

        /** {@code F(dfBetween, dfWithin) = f, p, eta^2}. */
        public record Anova(double f, int dfBetween, int dfWithin, double p, double etaSquared) {
        }

        static Comparison of(Path file, Map<String, Object> json) {
            List<Map<String, Object>> rows = maps(json.get("summary"), "summary");
            if (rows.isEmpty()) {
                throw new IllegalArgumentException("compare result: 'summary' is empty");
            }
            String metric = rows.getFirst().containsKey("rmseMean") ? "rmse" : "accuracy";
            String baseline = null;
            List<MethodSummary> methods = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                Map<String, Object> r = rows.get(i);
                String at = "summary[" + i + "]";
                if (baseline == null && r.get("baseline") instanceof String b) {
                    baseline = b;
                }
                double lo = Double.NaN;
                double hi = Double.NaN;
                if (r.get(metric + "Ci95") instanceof List<?> ci && ci.size() == 2) {
                    lo = number(ci.get(0), at + "." + metric + "Ci95[0]");
                    hi = number(ci.get(1), at + "." + metric + "Ci95[1]");
                }
                List<int[]> layers = new ArrayList<>();
                if (r.get("layersPerSeed") instanceof List<?> ls) {
                    for (int s = 0; s < ls.size(); s++) {
                        layers.add(ints(ls.get(s), at + ".layersPerSeed[" + s + "]"));
                    }
                }
                methods.add(new MethodSummary(string(r.get("method"), "method " + (i + 1)),
                        number(r.get(metric + "Mean"), at + "." + metric + "Mean"),
                        number(r.get(metric + "Std"), at + "." + metric + "Std"), lo, hi,
                        number(r.get("macroF1Mean"), at + ".macroF1Mean"), number(r.get("macroF1Std"), at + ".macroF1Std"),
                        number(r.get("pVsBaseline"), at + ".pVsBaseline"),
                        number(r.get("effectSizeVsBaseline"), at + ".effectSizeVsBaseline"),
                        number(r.get("meanSelectionSeconds"), at + ".meanSelectionSeconds"), layers));
            }
            Map<String, Object> settings = json.get("settings") instanceof Map<?, ?> m ? cast(m) : Map.of();
            if (baseline == null && settings.get("baseline") instanceof String b) {
                baseline = b;
            }
            Anova anova = null;
            if (json.get("anova") instanceof Map<?, ?> a) {
                anova = new Anova(number(a.get("f"), "anova.f"),
                        a.get("dfBetween") == null ? -1 : integer(a.get("dfBetween"), "anova.dfBetween"),
                        a.get("dfWithin") == null ? -1 : integer(a.get("dfWithin"), "anova.dfWithin"),
                        number(a.get("p"), "anova.p"), number(a.get("etaSquared"), "anova.etaSquared"));
            }
            return new Comparison(file, metric, baseline, settings, methods, anova, provenanceOf(json));
        }
    }

    // ---------------------------------------------------------------- defensive readers

    private static Map<String, Object> provenanceOf(Map<String, Object> json) {
        return json.get("provenance") instanceof Map<?, ?> p ? cast(p) : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static List<Map<String, Object>> maps(Object v, String what) {
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException(what + ": expected an array, found " + describe(v));
        }
        List<Map<String, Object>> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException(what + "[" + i + "]: expected an object, found " + describe(list.get(i)));
            }
            out.add(cast(m));
        }
        return out;
    }

    /** A number; {@code null} or absent reads NaN (loes4j writes NaN as null). */
    private static double number(Object v, String what) {
        if (v == null) {
            return Double.NaN;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(what + ": expected a number, found " + describe(v));
    }

    private static int integer(Object v, String what) {
        if (v instanceof Long || v instanceof Integer) {
            long l = ((Number) v).longValue();
            if (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
                return (int) l;
            }
        }
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < Integer.MAX_VALUE) {
            return (int) (double) d;
        }
        throw new IllegalArgumentException(what + ": expected an integer, found " + describe(v));
    }

    private static int[] ints(Object v, String what) {
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException(what + ": expected an array of integers, found " + describe(v));
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = integer(list.get(i), what + "[" + i + "]");
        }
        return out;
    }

    private static double[] numbers(Object v, String what) {
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException(what + ": expected an array of numbers, found " + describe(v));
        }
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(list.get(i), what + "[" + i + "]");
        }
        return out;
    }

    private static String string(Object v, String fallback) {
        return v instanceof String s && !s.isBlank() ? s : fallback;
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof String s) {
            return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        return v.toString();
    }
}
