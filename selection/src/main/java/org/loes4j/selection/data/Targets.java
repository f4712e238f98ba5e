package org.loes4j.selection.data;

import java.util.Arrays;

import org.loes4j.linalg.DMatrix;

/**
 * What the ridge probes of LOES fit: for classification the one-hot matrix over the classes present
 * (c = number of distinct labels, classes in ascending label order, so relabelling that keeps the order
 * keeps every number and any relabelling keeps the selection), for regression the raw float values
 * (N x c, one or more columns).
 */
public final class Targets {
    private final DMatrix values;
    private final int[] classOf;
    private final long[] classLabels;

    private Targets(DMatrix values, int[] classOf, long[] classLabels) {
        this.values = values;
        this.classOf = classOf;
        this.classLabels = classLabels;
    }

    /**
     * One-hot targets over the distinct values of {@code labels} (any integers).
     *
     * @throws IllegalArgumentException with fewer than 2 rows or only one class
     */
    public static Targets classification(long[] labels) {
        if (labels.length < 2) {
            throw new IllegalArgumentException("labels: " + labels.length + " rows, at least 2 are needed");
        }
        long[] classes = Arrays.stream(labels).distinct().sorted().toArray();
        if (classes.length < 2) {
            throw new IllegalArgumentException("labels: only one class (" + classes[0]
                    + ") present, classification needs at least 2");
        }
        int[] classOf = new int[labels.length];
        DMatrix y = DMatrix.zeros(labels.length, classes.length);
        for (int i = 0; i < labels.length; i++) {
            classOf[i] = Arrays.binarySearch(classes, labels[i]);
            y.set(i, classOf[i], 1.0);
        }
        return new Targets(y, classOf, classes);
    }

    /**
     * Raw float targets (N x c), copied.
     *
     * @throws IllegalArgumentException with fewer than 2 rows or non-finite values (naming row and column)
     */
    public static Targets regression(DMatrix values) {
        if (values.rows() < 2) {
            throw new IllegalArgumentException("targets: " + values.rows() + " rows, at least 2 are needed");
        }
        if (values.cols() < 1) {
            throw new IllegalArgumentException("targets: no columns");
        }
        for (int i = 0; i < values.rows(); i++) {
            for (int j = 0; j < values.cols(); j++) {
                if (!Double.isFinite(values.get(i, j))) {
                    throw new IllegalArgumentException("targets: " + values.get(i, j) + " at row " + i + ", column " + j);
                }
            }
        }
        return new Targets(values.copy(), null, null);
    }

    /** One regression target column. */
    public static Targets regression(double[] values) {
        return regression(DMatrix.wrap(values.clone(), values.length, 1));
    }

    /** True for one-hot class targets. */
    public boolean isClassification() {
        return classOf != null;
    }

    /** The N x c target matrix (shared; do not modify). */
    public DMatrix values() {
        return values;
    }

    public int rows() {
        return values.rows();
    }

    /** c: classes (classification) or target columns (regression). */
    public int columns() {
        return values.cols();
    }

    /** Number of classes; 0 for regression. */
    public int classCount() {
        return classOf == null ? 0 : classLabels.length;
    }

    /** The class index (0..C-1) of each row; null for regression. */
    public int[] classOf() {
        return classOf == null ? null : classOf.clone();
    }

    /** The label value of each class index; null for regression. */
    public long[] classLabels() {
        return classLabels == null ? null : classLabels.clone();
    }

    /** The targets of rows {@code rowIds}: class targets are rebuilt over the classes present in them. */
    public Targets rows(int[] rowIds) {
        if (classOf != null) {
            long[] sub = new long[rowIds.length];
            for (int i = 0; i < rowIds.length; i++) {
                sub[i] = classLabels[classOf[rowIds[i]]];
            }
            return classification(sub);
        }
        DMatrix sub = DMatrix.zeros(rowIds.length, values.cols());
        for (int i = 0; i < rowIds.length; i++) {
            for (int j = 0; j < values.cols(); j++) {
                sub.set(i, j, values.get(rowIds[i], j));
            }
        }
        return regression(sub);
    }
}
