package org.loes4j.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded assignments of N rows to k cross-validation folds: {@code fold[i]} in [0, k) is the fold row i is
 * held out in. The same seed gives the same folds.
 *
 * <p>Stratified (classification): the rows of every class, in class-code order, are shuffled with one
 * {@link SplittableRandom} and dealt round-robin to the folds, the deal continuing where the previous class
 * stopped. Every class is then spread as evenly as possible (its count per fold differs by at most 1), and
 * so are the fold sizes. Plain (regression): one shuffle of all rows dealt round-robin, fold sizes
 * differing by at most 1.
 *
 * <p>{@link #of} picks the kind from the labels; the layer probe ({@code selection.probe.LayerProbe}) and the
 * ridge probe of {@code training} both fold this way, so the same labels, k and seed give both the same folds.
 */
public final class Folds {
    private Folds() {
    }

    /**
     * The folds for {@code labels}: {@link #stratified} over the classes PRESENT (a class of the mapping with no
     * row is left out) for classification, {@link #plain} otherwise (regression targets).
     *
     * @throws IllegalArgumentException naming {@code labels} (null, or fewer than 2 classes present)
     *         or {@code folds} (k &lt; 2; a class, or the data, with fewer rows than folds)
     */
    public static int[] of(Labels labels, int k, long seed) {
        if (labels == null) {
            throw new IllegalArgumentException("labels: null");
        }
        if (labels.task() != Task.CLASSIFICATION) {
            return plain(labels.size(), k, seed);
        }
        Labels y = labels.presentClassesOnly();
        if (y.classCount() < 2) {
            throw new IllegalArgumentException("labels: only one class ('" + y.names().getFirst()
                    + "') present; a probe needs at least 2");
        }
        return stratified(y.codes(), y.classCount(), y.names(), k, seed);
    }

    /**
     * Stratified folds of class codes.
     *
     * @param classes    class code of every row, in [0, classCount)
     * @param classCount C
     * @param names      class names by code (for messages), or null
     * @param k          number of folds, {@code >= 2}
     * @param seed       seed of the shuffles
     * @throws IllegalArgumentException naming {@code folds} (and the class) when a class present has fewer rows
     *         than folds; naming {@code classes} when a code is out of range
     */
    public static int[] stratified(int[] classes, int classCount, List<String> names, int k, long seed) {
        if (classes == null) {
            throw new IllegalArgumentException("classes: null");
        }
        checkK(k);
        int[] counts = new int[classCount];
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] < 0 || classes[i] >= classCount) {
                throw new IllegalArgumentException("classes: entry " + i + " is " + classes[i] + ", outside [0, "
                        + classCount + ")");
            }
            counts[classes[i]]++;
        }
        for (int c = 0; c < classCount; c++) {
            if (counts[c] > 0 && counts[c] < k) {
                String name = names != null && c < names.size() ? "'" + names.get(c) + "'" : "code " + c;
                throw new IllegalArgumentException("folds: " + k + " folds, but class " + name + " has only "
                        + counts[c] + " row" + (counts[c] == 1 ? "" : "s") + "; every class needs at least one row per fold"
                        + (minPositive(counts) >= 2 ? " (use at most " + minPositive(counts) + " folds)"
                                : " (a class with one row cannot be cross-validated: drop it or add rows)"));
            }
        }
        int[][] members = new int[classCount][];
        int[] fill = new int[classCount];
        for (int c = 0; c < classCount; c++) {
            members[c] = new int[counts[c]];
        }
        for (int i = 0; i < classes.length; i++) {
            members[classes[i]][fill[classes[i]]++] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] fold = new int[classes.length];
        int deal = 0;
        for (int c = 0; c < classCount; c++) {
            shuffle(members[c], rng);
            for (int row : members[c]) {
                fold[row] = deal;
                deal = deal + 1 == k ? 0 : deal + 1;
            }
        }
        return fold;
    }

    /**
     * Plain folds of {@code n} rows.
     *
     * @throws IllegalArgumentException naming {@code folds} when {@code k < 2} or {@code k > n}
     */
    public static int[] plain(int n, int k, long seed) {
        checkK(k);
        if (n < k) {
            throw new IllegalArgumentException("folds: " + k + " folds for " + n + " rows; every fold needs a row");
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        shuffle(perm, new SplittableRandom(seed));
        int[] fold = new int[n];
        for (int i = 0; i < n; i++) {
            fold[perm[i]] = i % k;
        }
        return fold;
    }

    /** The rows held out in fold {@code f} ({@code heldOut}) or trained on in it, ascending. */
    public static int[] rows(int[] fold, int f, boolean heldOut) {
        int count = 0;
        for (int v : fold) {
            if ((v == f) == heldOut) {
                count++;
            }
        }
        int[] out = new int[count];
        int j = 0;
        for (int i = 0; i < fold.length; i++) {
            if ((fold[i] == f) == heldOut) {
                out[j++] = i;
            }
        }
        return out;
    }

    private static void checkK(int k) {
        if (k < 2) {
            throw new IllegalArgumentException("folds: " + k + " must be >= 2");
        }
    }

    private static int minPositive(int[] counts) {
        int m = Integer.MAX_VALUE;
        for (int c : counts) {
            if (c > 0) {
                m = Math.min(m, c);
            }
        }
        return m;
    }

    /** Fisher-Yates, from the end. */
    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
