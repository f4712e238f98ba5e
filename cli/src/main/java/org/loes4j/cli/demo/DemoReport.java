package org.loes4j.cli.demo;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything the demo report shows: the per-layer curves, the selection, the method table and the
 * provenance. Layers are hidden-state indices (1 = the first transformer block, the paper's layer 0).
 *
 * @param title        page title
 * @param task         one sentence describing the task
 * @param classes      class names, by class index
 * @param layers       layer numbers of the curves, ascending
 * @param score0       LOES's initial score per layer ({@code fitLoss + alpha (1 - iso)})
 * @param isotropy     isotropy per layer
 * @param probeAccuracy test accuracy of the single-layer ridge probe per layer
 * @param selected     LOES's layers in selection order
 * @param methods      one row per method, in table order
 * @param splits       passages per split ({@code train}, {@code validation}, {@code test}), for the summary
 * @param attribution  licence and attribution of the data
 * @param provenance   how the numbers were made (nested maps are shown as dotted keys)
 * @param notes        remarks that qualify the numbers (e.g. training that may not have converged), may be empty
 * @param layerAxis    what the layer numbers are, the layer chart's axis label
 * @param layerNames   a description of every layer (e.g. a tap's name and width), by position; empty for the
 *                     text demo, whose layers are described by the paper's layer number
 */
public record DemoReport(String title, String task, List<String> classes, int[] layers, double[] score0,
                         double[] isotropy, double[] probeAccuracy, int[] selected, List<MethodResult> methods,
                         Map<String, Integer> splits, String attribution, Map<String, Object> provenance,
                         List<String> notes, String layerAxis,
                         List<String> layerNames) {
    /** The text demo's layer axis: hidden-state indices of a transformer. */
    public static final String HIDDEN_STATE_AXIS = "hidden-state index (1 = first transformer block = the paper's layer 0)";

    /** A report whose layers are a transformer's hidden-state indices ({@link #HIDDEN_STATE_AXIS}). */
    public DemoReport(String title, String task, List<String> classes, int[] layers, double[] score0,
                      double[] isotropy, double[] probeAccuracy, int[] selected, List<MethodResult> methods,
                      Map<String, Integer> splits, String attribution, Map<String, Object> provenance,
                      List<String> notes) {
        this(title, task, classes, layers, score0, isotropy, probeAccuracy, selected, methods, splits, attribution,
                provenance, notes, HIDDEN_STATE_AXIS, List.of());
    }

    public DemoReport {
        if (title == null || task == null || classes == null || layers == null || score0 == null || isotropy == null
                || probeAccuracy == null || selected == null || methods == null || splits == null
                || attribution == null || provenance == null || notes == null || layerAxis == null
                || layerNames == null) {
            throw new IllegalArgumentException("DemoReport: null component");
        }
        if (score0.length != layers.length || isotropy.length != layers.length
                || probeAccuracy.length != layers.length) {
            throw new IllegalArgumentException("DemoReport: " + layers.length + " layers but " + score0.length
                    + " score0, " + isotropy.length + " isotropy, " + probeAccuracy.length + " probe values");
        }
        for (int s : selected) {
            if (Arrays.binarySearch(layers, s) < 0) {
                throw new IllegalArgumentException("selected: layer " + s + " is not among " + Arrays.toString(layers));
            }
        }
        if (!layerNames.isEmpty() && layerNames.size() != layers.length) {
            throw new IllegalArgumentException("layerNames: " + layerNames.size() + " for " + layers.length + " layers");
        }
        layerNames = List.copyOf(layerNames);
        classes = List.copyOf(classes);
        layers = layers.clone();
        score0 = score0.clone();
        isotropy = isotropy.clone();
        probeAccuracy = probeAccuracy.clone();
        selected = selected.clone();
        methods = List.copyOf(methods);
        splits = Collections.unmodifiableMap(new LinkedHashMap<>(splits));
        provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
        notes = List.copyOf(notes);
    }

    /**
     * One evaluated method: test scores, averaged over {@code runs} seeds.
     *
     * @param name        e.g. {@code LOES-4}, {@code Last}, {@code Last-4}
     * @param layers      the layers it feeds, in order (LOES: those of the first seed)
     * @param accuracy    mean test accuracy
     * @param accuracyStd sample standard deviation over the runs (NaN for one run)
     * @param macroF1     mean test macro-F1
     * @param macroF1Std  sample standard deviation over the runs (NaN for one run)
     * @param runs        number of seeds
     * @param pValue      paired two-sided t-test of accuracy against Last (NaN for Last itself or one run)
     * @param note        a short remark (best epoch), may be empty
     */
    public record MethodResult(String name, int[] layers, double accuracy, double accuracyStd, double macroF1,
                               double macroF1Std, int runs, double pValue, String note) {
        public MethodResult {
            if (name == null || layers == null || note == null) {
                throw new IllegalArgumentException("MethodResult: null component");
            }
            if (runs < 1) {
                throw new IllegalArgumentException("runs: " + runs + " must be >= 1");
            }
            layers = layers.clone();
        }

        /** One run. */
        public MethodResult(String name, int[] layers, double accuracy, double macroF1, String note) {
            this(name, layers, accuracy, Double.NaN, macroF1, Double.NaN, 1, Double.NaN, note);
        }

        /** Mean and sample standard deviation of per-seed scores (same length, at least one). */
        public static MethodResult of(String name, int[] layers, double[] accuracy, double[] macroF1, double pValue,
                                      String note) {
            if (accuracy == null || macroF1 == null || accuracy.length == 0 || accuracy.length != macroF1.length) {
                throw new IllegalArgumentException("accuracy, macroF1: need equal, non-zero lengths");
            }
            return new MethodResult(name, layers, mean(accuracy), std(accuracy), mean(macroF1), std(macroF1),
                    accuracy.length, pValue, note);
        }

        /** {@code [a, b, c]}. */
        public String layerList() {
            return Arrays.toString(layers);
        }
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Sample standard deviation (divide by n - 1); NaN for fewer than 2 values. */
    static double std(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v);
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        return Math.sqrt(ss / (v.length - 1));
    }

    /** True when any method was averaged over more than one seed. */
    public boolean multiSeed() {
        for (MethodResult m : methods) {
            if (m.runs() > 1) {
                return true;
            }
        }
        return false;
    }

    /** The method table as fixed-width text (what the demo prints); with several seeds, mean +- std and p. */
    public String table() {
        boolean multi = multiSeed();
        int w = "method".length();
        int lw = "layers".length();
        for (MethodResult m : methods) {
            w = Math.max(w, m.name().length());
            lw = Math.max(lw, m.layerList().length());
        }
        int sw = multi ? 16 : 8;
        StringBuilder sb = new StringBuilder();
        String head = "%-" + w + "s  %-" + lw + "s  %" + sw + "s  %" + sw + "s" + (multi ? "  %8s" : "%s") + "%n";
        sb.append(String.format(Locale.ROOT, head, "method", "layers", "accuracy", "macro-F1", multi ? "p vs Last" : ""));
        for (MethodResult m : methods) {
            sb.append(String.format(Locale.ROOT, head, m.name(), m.layerList(), score(m.accuracy(), m.accuracyStd(), multi),
                    score(m.macroF1(), m.macroF1Std(), multi), multi ? pValue(m.pValue()) : ""));
        }
        return sb.toString();
    }

    private static String score(double mean, double std, boolean multi) {
        if (!multi) {
            return String.format(Locale.ROOT, "%.4f", mean);
        }
        return String.format(Locale.ROOT, "%.4f +- %.4f", mean, Double.isFinite(std) ? std : 0.0);
    }

    /** {@code 0.0123}, {@code <0.0001}, or {@code -} when not tested. */
    static String pValue(double p) {
        if (!Double.isFinite(p)) {
            return "-";
        }
        return p < 1e-4 ? "<0.0001" : String.format(Locale.ROOT, "%.4f", p);
    }
}
