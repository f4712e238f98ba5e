package org.loes4j.selection.stats;

import java.util.Arrays;

import org.loes4j.data.EmbeddingStream;
import org.loes4j.data.Labels;
import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;
import org.loes4j.selection.LoesOptions;
import org.loes4j.selection.data.CalibrationSplit;

/**
 * What every partial {@link LoesStatistics} of one run shares: the layout of the layers (widths, hidden-state
 * indices, column offsets in the concatenated vector), the calibration rows of the whole stream (the same
 * {@link CalibrationSplit} the in-memory {@code Loes} draws), and the targets of those rows (one-hot over the
 * classes present, or the regression values), in calibration order. Class targets are kept as one int code per
 * calibration row and expanded to one-hot rows a block at a time ({@link #copyTargets}): an N x c one-hot matrix
 * would grow with N times the class count.
 */
final class CalibrationPlan {
    final int[] widths;
    final int[] layerIndices;
    /** offset[p] = d_0 + ... + d_{p-1}; offset[L] = D. */
    final int[] offset;
    /** D = sum of d_l. */
    final int totalWidth;
    /** c: target columns (0 label-free). */
    final int targetColumns;
    final Task task;
    /** The options that decide the calibration rows and the targets: task, calibration fraction, seed. */
    final LoesOptions options;
    /** Rows of the whole stream. */
    final int totalRows;
    /** Calibration row ids of the whole stream, ascending. */
    final int[] rows;
    /** N x c regression targets of the calibration rows in calibration order; null otherwise. */
    final DMatrix targets;
    /** Class code (over the classes present) of each calibration row in calibration order; null unless classification. */
    final int[] classCodes;
    /** Calibration rows per class (classification), else null. */
    final int[] classCounts;

    private CalibrationPlan(int[] widths, int[] layerIndices, Task task, LoesOptions options, int totalRows,
                            int[] rows, DMatrix targets, int[] classCodes, int[] classCounts) {
        this.widths = widths;
        this.layerIndices = layerIndices;
        this.offset = new int[widths.length + 1];
        for (int p = 0; p < widths.length; p++) {
            offset[p + 1] = offset[p] + widths[p];
        }
        this.totalWidth = offset[widths.length];
        this.targetColumns = targets != null ? targets.cols() : classCounts != null ? classCounts.length : 0;
        this.task = task;
        this.options = options;
        this.totalRows = totalRows;
        this.rows = rows;
        this.targets = targets;
        this.classCodes = classCodes;
        this.classCounts = classCounts;
    }

    /**
     * @param rows rows of the whole stream (the calibration split is drawn over them)
     * @throws IllegalArgumentException naming the argument: no layers, a total width past int, labels that do
     *                                  not fit the task or the row count, a calibration set with one class
     */
    static CalibrationPlan of(EmbeddingStream layout, Labels labels, LoesOptions options, int rows) {
        if (layout == null) {
            throw new IllegalArgumentException("stream: null");
        }
        if (options == null) {
            throw new IllegalArgumentException("options: null");
        }
        int count = layout.layerCount();
        if (count < 1) {
            throw new IllegalArgumentException("stream: no layers");
        }
        int[] widths = new int[count];
        int[] indices = new int[count];
        long total = 0;
        for (int p = 0; p < count; p++) {
            widths[p] = layout.width(p);
            indices[p] = layout.layerIndex(p);
            total += widths[p];
        }
        if (total >= Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("stream: total width " + total + " is too large for the statistics route");
        }
        Task task = options.task();
        boolean labelled = task != Task.LABEL_FREE;
        if (labelled) {
            requireLabels(labels, task, rows);
        }
        int[] cal = CalibrationSplit.rows(rows, options.calibrationFraction(), options.seed());
        DMatrix targets = null;
        int[] classCodes = null;
        int[] classCounts = null;
        if (labelled) {
            Labels calLabels = CalibrationSplit.labels(labels, cal);
            if (calLabels.isClassification()) {
                classCodes = calLabels.codes();
                classCounts = calLabels.classCounts();
            } else {
                targets = calLabels.targetMatrix();
            }
        }
        return new CalibrationPlan(widths, indices, task, options, rows, cal, targets, classCodes, classCounts);
    }

    private static void requireLabels(Labels labels, Task task, int rows) {
        if (labels == null) {
            throw new IllegalArgumentException("labels: null, but the task is " + task.cliName());
        }
        if (labels.size() != rows) {
            throw new IllegalArgumentException("labels: " + labels.size() + " rows, the stream has " + rows);
        }
        if (task == Task.CLASSIFICATION && !labels.isClassification()) {
            throw new IllegalArgumentException("labels: regression values given for a classification task");
        }
        if (task == Task.REGRESSION && labels.isClassification()) {
            throw new IllegalArgumentException("labels: class labels given for a regression task");
        }
    }

    /** N. */
    int calibrationRows() {
        return rows.length;
    }

    /** True when the rows carry targets (not label-free). */
    boolean labelled() {
        return targets != null || classCodes != null;
    }

    /**
     * Writes the targets of calibration positions {@code [from, from + count)} into rows {@code [0, count)} of
     * {@code dst} (count x c): one-hot rows for classes, the values for regression.
     */
    void copyTargets(int from, int count, DMatrix dst) {
        if (targets != null) {
            dst.copyFrom(targets.view(from, 0, count, targetColumns));
            return;
        }
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < targetColumns; j++) {
                dst.set(i, j, 0.0);
            }
            dst.set(i, classCodes[from + i], 1.0);
        }
    }

    /** Columns of the concatenated vector [X_0 | ... | X_{L-1} | T]: D + c. */
    int columns() {
        return totalWidth + targetColumns;
    }

    /** The first calibration position whose row id is {@code >= row}. */
    int firstAtOrAfter(long row) {
        int lo = 0;
        int hi = rows.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (rows[mid] < row) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Null when {@code other} describes the same run, else what differs (for the message of a refused merge).
     */
    String differenceFrom(CalibrationPlan other) {
        if (other == this) {
            return null;
        }
        if (!Arrays.equals(widths, other.widths)) {
            return "widths " + Arrays.toString(widths) + " vs " + Arrays.toString(other.widths);
        }
        if (!Arrays.equals(layerIndices, other.layerIndices)) {
            return "layers " + Arrays.toString(layerIndices) + " vs " + Arrays.toString(other.layerIndices);
        }
        if (task != other.task) {
            return "task " + task.cliName() + " vs " + other.task.cliName();
        }
        if (totalRows != other.totalRows) {
            return "stream rows " + totalRows + " vs " + other.totalRows;
        }
        if (!Arrays.equals(rows, other.rows)) {
            return "calibration rows (calibrationFraction " + options.calibrationFraction() + ", seed " + options.seed()
                    + " vs " + other.options.calibrationFraction() + ", " + other.options.seed() + ")";
        }
        if (targetColumns != other.targetColumns) {
            return "target columns " + targetColumns + " vs " + other.targetColumns;
        }
        if (targets != null && !Arrays.equals(targets.data(), other.targets.data())
                || !Arrays.equals(classCodes, other.classCodes)) {
            return "the targets of the calibration rows";
        }
        return null;
    }
}
