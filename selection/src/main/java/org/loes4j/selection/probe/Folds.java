package org.loes4j.selection.probe;

import java.util.List;

/**
 * The probe's folds under the name {@code selection.probe} has always exported: each method is
 * {@link org.loes4j.data.Folds}'s, which the closed-form ridge probe of {@code training} shares (training does
 * not depend on selection, so the definition lives in {@code data}).
 */
public final class Folds {
    private Folds() {
    }

    /** {@link org.loes4j.data.Folds#stratified}. */
    public static int[] stratified(int[] classes, int classCount, List<String> names, int k, long seed) {
        return org.loes4j.data.Folds.stratified(classes, classCount, names, k, seed);
    }

    /** {@link org.loes4j.data.Folds#plain}. */
    public static int[] plain(int n, int k, long seed) {
        return org.loes4j.data.Folds.plain(n, k, seed);
    }

    /** {@link org.loes4j.data.Folds#rows}. */
    public static int[] rows(int[] fold, int f, boolean heldOut) {
        return org.loes4j.data.Folds.rows(fold, f, heldOut);
    }
}
