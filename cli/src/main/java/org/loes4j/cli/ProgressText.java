package org.loes4j.cli;

import java.util.Locale;

/** Human-readable durations for the progress lines of every command. */
public final class ProgressText {
    private ProgressText() {
    }

    /** {@code 45s}, {@code 2m05s}, {@code 1h02m}; non-finite or negative input reads {@code ?}. */
    public static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "?";
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return seconds < 10 ? String.format(Locale.ROOT, "%.1fs", seconds) : s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
