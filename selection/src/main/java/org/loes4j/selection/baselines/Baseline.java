package org.loes4j.selection.baselines;

import java.util.Locale;

/** The layer-choice baselines of spec section 3 that need no training. */
public enum Baseline {
    /** The last candidate layer only. */
    LAST,
    /** The last k candidate layers, in layer order. */
    LAST_K,
    /** k layers drawn uniformly without replacement from a seeded generator, in draw order. */
    RANDOM,
    /** The k layers of largest dataset entropy (Layer-by-Layer), largest first. */
    ENTROPY,
    /** The k layers of smallest curvature across consecutive calibration samples, smallest first. */
    CURVATURE,
    /** The k layers of largest TwoNN intrinsic dimension, largest first. */
    INTRINSIC,
    /** The k-subset with the best cross-validated ridge probe among all k-subsets (small L only). */
    EXHAUSTIVE;

    /** The CLI name: {@code last}, {@code last-k}, {@code random}, ... */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a CLI name. */
    public static Baseline parse(String s) {
        for (Baseline b : values()) {
            if (b.cliName().equals(s)) {
                return b;
            }
        }
        throw new IllegalArgumentException("baseline: '" + s
                + "', expected last, last-k, random, entropy, curvature, intrinsic or exhaustive");
    }
}
