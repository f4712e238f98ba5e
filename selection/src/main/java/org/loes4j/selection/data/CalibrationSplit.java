package org.loes4j.selection.data;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.loes4j.data.Labels;

/**
 * The calibration set LOES scores layers on: a uniform random (not stratified) fraction of the training
 * rows, drawn with a seeded generator (spec section 2). The rows stay part of the training set.
 */
public final class CalibrationSplit {
    private CalibrationSplit() {
    }

    /**
     * The row indices of the calibration set, ascending: {@code round(fraction * n)} rows (at least 2, at most
     * n) drawn without replacement by a partial Fisher-Yates shuffle from {@code new SplittableRandom(seed)}.
     * With {@code fraction == 1} every row is used, in order, and nothing is drawn.
     *
     * @param n        rows in the training set, {@code >= 2}
     * @param fraction in (0, 1]
     */
    public static int[] rows(int n, double fraction, long seed) {
        int m = size(n, fraction);
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        if (fraction == 1.0) {
            return all;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] out = Arrays.copyOf(all, m);
        Arrays.sort(out);
        return out;
    }

    /**
     * The number of calibration rows {@link #rows} draws from n rows: {@code round(fraction * n)}, at least 2, at
     * most n (a route decision needs it before any row is drawn).
     *
     * @param n        rows in the training set, {@code >= 2}
     * @param fraction in (0, 1]
     */
    public static int size(int n, double fraction) {
        if (n < 2) {
            throw new IllegalArgumentException("n: " + n + " rows, the calibration set needs at least 2");
        }
        if (!(fraction > 0) || fraction > 1) {
            throw new IllegalArgumentException("fraction: " + fraction + " must be in (0, 1]");
        }
        return fraction == 1.0 ? n : (int) Math.min(n, Math.max(2, Math.round(fraction * n)));
    }

    /**
     * The labels of the calibration rows {@code rows}. Class labels are recoded over the classes present in
     * those rows (keeping their order), so their one-hot target has one column per class present, in
     * ascending order of the original coding.
     *
     * @throws IllegalArgumentException when the calibration rows hold fewer than 2 classes
     */
    public static Labels labels(Labels labels, int[] rows) {
        Labels cal = labels.rows(rows);
        if (!cal.isClassification()) {
            return cal;
        }
        cal = cal.presentClassesOnly();
        if (cal.classCount() < 2) {
            throw new IllegalArgumentException("calibration split: only class '" + cal.names().getFirst()
                    + "' among its " + rows.length + " rows; raise --calibration-fraction or check the labels");
        }
        return cal;
    }
}
