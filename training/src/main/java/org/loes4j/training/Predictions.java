package org.loes4j.training;

import java.util.ArrayList;
import java.util.List;

import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;

/**
 * What a {@link Probe} predicts for N samples.
 *
 * @param task    classification or regression
 * @param classes predicted class index per sample (classification; empty for regression)
 * @param names   label name per class index (classification; empty for regression)
 * @param scores  N x C class scores (classification) or N x 1 values in the original target units (regression)
 * @param probabilities true when the class scores are probabilities (the adapter probe's softmax); false for the
 *                ridge probe's least-squares scores (the argmax is still the prediction) and for regression
 */
public record Predictions(Task task, int[] classes, List<String> names, DMatrix scores, boolean probabilities) {

    /** Predictions whose class scores are probabilities (classification) or values (regression). */
    public Predictions(Task task, int[] classes, List<String> names, DMatrix scores) {
        this(task, classes, names, scores, task == Task.CLASSIFICATION);
    }

    public int size() {
        return scores.rows();
    }

    /** The predicted label of sample i (classification). */
    public String label(int i) {
        return names.get(classes[i]);
    }

    /** The predicted label of every sample, in order (classification). */
    public List<String> labels() {
        if (task != Task.CLASSIFICATION) {
            throw new IllegalStateException("labels: a " + task + " probe predicts values, not labels");
        }
        List<String> out = new ArrayList<>(classes.length);
        for (int c : classes) {
            out.add(names.get(c));
        }
        return out;
    }

    /** The predicted value of sample i (regression). */
    public double value(int i) {
        return scores.get(i, 0);
    }

    /** All predicted values (regression). */
    public double[] values() {
        double[] v = new double[size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = scores.get(i, 0);
        }
        return v;
    }
}
