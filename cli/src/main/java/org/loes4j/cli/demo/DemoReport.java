package org.loes4j.cli.demo;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything the demo report shows: the per-layer curves, the selection, the method table and the
 * provenance. Layers are numbered as in the paper (0 = the first transformer block).
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
 */
public record DemoReport(String title, String task, List<String> classes, int[] layers, double[] score0,
                         double[] isotropy, double[] probeAccuracy, int[] selected, List<MethodResult> methods,
                         Map<String, Integer> splits, String attribution, Map<String, Object> provenance,
                         List<String> notes) {

    public DemoReport {
        if (title == null || task == null || classes == null || layers == null || score0 == null || isotropy == null
                || probeAccuracy == null || selected == null || methods == null || splits == null
                || attribution == null || provenance == null || notes == null) {
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
     * One evaluated method.
     *
     * @param name     e.g. {@code LOES-4}, {@code Last}, {@code Last-4}
     * @param layers   the layers it feeds, in order
     * @param accuracy test accuracy
     * @param macroF1  test macro-F1
     * @param note     a short remark (best epoch, GeoReg), may be empty
     */
    public record MethodResult(String name, int[] layers, double accuracy, double macroF1, String note) {
        public MethodResult {
            if (name == null || layers == null || note == null) {
                throw new IllegalArgumentException("MethodResult: null component");
            }
            layers = layers.clone();
        }

        /** {@code [a, b, c]}. */
        public String layerList() {
            return Arrays.toString(layers);
        }
    }

    /** The method table as fixed-width text (what the demo prints). */
    public String table() {
        int w = "method".length();
        int lw = "layers".length();
        for (MethodResult m : methods) {
            w = Math.max(w, m.name().length());
            lw = Math.max(lw, m.layerList().length());
        }
        StringBuilder sb = new StringBuilder();
        String fmt = "%-" + w + "s  %-" + lw + "s  %8s  %8s%n";
        sb.append(String.format(Locale.ROOT, fmt, "method", "layers", "accuracy", "macro-F1"));
        for (MethodResult m : methods) {
            sb.append(String.format(Locale.ROOT, "%-" + w + "s  %-" + lw + "s  %8.4f  %8.4f%n", m.name(),
                    m.layerList(), m.accuracy(), m.macroF1()));
        }
        return sb.toString();
    }
}
