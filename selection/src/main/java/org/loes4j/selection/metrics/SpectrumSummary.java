package org.loes4j.selection.metrics;

import java.util.Arrays;

/**
 * A short description of the eigenvalue spectrum of a layer's covariance {@code S = XcT Xc / N}: the
 * largest eigenvalues (descending, at most {@link #TOP}), their total (= tr S), the fraction of the total
 * carried by the largest one, and the numerical rank (eigenvalues above {@code 1e-12 * largest}).
 */
public record SpectrumSummary(double[] top, double total, double topFraction, int numericalRank, int dimension) {
    /** How many leading eigenvalues are kept. */
    public static final int TOP = 10;

    /** Summary of the eigenvalues (any order; negatives from rounding are clamped at 0) of an m-dim S. */
    public static SpectrumSummary of(double[] eigenvalues, int dimension) {
        double[] e = new double[eigenvalues.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = Math.max(0, eigenvalues[i]);
        }
        Arrays.sort(e);
        double total = 0;
        for (double v : e) {
            total += v;
        }
        int keep = Math.min(TOP, e.length);
        double[] top = new double[keep];
        for (int i = 0; i < keep; i++) {
            top[i] = e[e.length - 1 - i];
        }
        double largest = e.length == 0 ? 0 : e[e.length - 1];
        int rank = 0;
        for (double v : e) {
            if (largest > 0 && v > 1e-12 * largest) {
                rank++;
            }
        }
        return new SpectrumSummary(top, total, total > 0 ? largest / total : 0, rank, dimension);
    }
}
