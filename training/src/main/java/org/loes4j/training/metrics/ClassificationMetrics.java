package org.loes4j.training.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accuracy, macro-F1 and the confusion matrix of predicted class indices against true ones.
 * {@code confusion[t][p]} counts samples of true class t predicted as p. Macro-F1 averages
 * {@code F1_c = 2 tp / (2 tp + fp + fn)} over the classes that occur in the truth or the predictions
 * (scikit-learn's default label set).
 */
public record ClassificationMetrics(double accuracy, double macroF1, long[][] confusion) {

    /** @param classes C; every entry of truth and predicted must lie in [0, C) */
    public static ClassificationMetrics of(int[] truth, int[] predicted, int classes) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("predicted: " + predicted.length + " entries, truth has " + truth.length);
        }
        if (truth.length == 0) {
            throw new IllegalArgumentException("truth: empty");
        }
        long[][] cm = new long[classes][classes];
        long correct = 0;
        for (int i = 0; i < truth.length; i++) {
            int t = truth[i];
            int p = predicted[i];
            if (t < 0 || t >= classes || p < 0 || p >= classes) {
                throw new IllegalArgumentException("truth/predicted: entry " + i + " is (" + t + ", " + p
                        + "), outside [0, " + classes + ")");
            }
            cm[t][p]++;
            if (t == p) {
                correct++;
            }
        }
        double f1Sum = 0;
        int used = 0;
        for (int c = 0; c < classes; c++) {
            long tp = cm[c][c];
            long fn = 0;
            long fp = 0;
            for (int k = 0; k < classes; k++) {
                if (k != c) {
                    fn += cm[c][k];
                    fp += cm[k][c];
                }
            }
            if (tp + fn + fp == 0) {
                continue;
            }
            used++;
            f1Sum += 2.0 * tp / (2.0 * tp + fp + fn);
        }
        return new ClassificationMetrics((double) correct / truth.length, f1Sum / used, cm);
    }

    /** As a JSON-ready map. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accuracy", accuracy);
        m.put("macroF1", macroF1);
        m.put("confusion", confusion);
        return m;
    }
}
