package org.loes4j.selection.stats;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The state of a (partial) {@link LoesStatistics} as plain serialisable values, for shipping between machines
 * (a Spark partition's statistics on their way to the driver): the count n, {@code mean(z)} and the centred
 * second moment {@code M2 = ZcT Zc}, with the shape of the run they belong to. Made by
 * {@link LoesStatistics#moments()}, folded back with {@link LoesStatistics#merge(Moments)}; two snapshots of
 * the same run combine with {@link #merge} (the same pairwise update, with plain loops, so no {@code Linalg}
 * is needed where they meet).
 *
 * <p>A snapshot carries no labels, options or calibration rows: the {@link LoesStatistics} it is merged into
 * has those, and checks the shape (widths, layer indices, target columns, stream rows, calibration rows).
 *
 * @param widths          d_l by layer position
 * @param layerIndices    hidden-state index by layer position
 * @param targetColumns   c (0 label-free)
 * @param streamRows      rows of the whole stream
 * @param calibrationRows N of the whole split
 * @param n               calibration rows folded in
 * @param blocks          row blocks folded in (provenance)
 * @param mean            {@code mean(z)}, length m = D + c
 * @param m2              {@code ZcT Zc}, m x m row-major, full symmetric
 */
public record Moments(int[] widths, int[] layerIndices, int targetColumns, int streamRows, int calibrationRows,
                      long n, long blocks, double[] mean, double[] m2) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @throws IllegalArgumentException naming the field when the arrays do not fit each other
     */
    public Moments {
        if (widths == null || layerIndices == null || mean == null || m2 == null) {
            throw new IllegalArgumentException("widths, layerIndices, mean, m2: null");
        }
        if (widths.length != layerIndices.length || widths.length == 0) {
            throw new IllegalArgumentException("widths, layerIndices: " + widths.length + " and " + layerIndices.length
                    + " entries; need the same positive number");
        }
        long m = targetColumns;
        for (int w : widths) {
            m += w;
        }
        if (mean.length != m || m2.length != m * m) {
            throw new IllegalArgumentException("mean, m2: lengths " + mean.length + " and " + m2.length
                    + ", expected " + m + " and " + m * m + " (D + c = " + m + ")");
        }
        if (n < 0 || n > calibrationRows) {
            throw new IllegalArgumentException("n: " + n + " is not in [0, " + calibrationRows + "]");
        }
    }

    /** m = D + c: the length of {@code z}. */
    public int columns() {
        return mean.length;
    }

    /**
     * The statistics of the rows of this snapshot and of {@code other} together (a new snapshot; neither is
     * modified): {@code M2 = M2_a + M2_b + (n_a n_b / n) dT d}, {@code mean = mean_a + (n_b / n) d} with
     * {@code d = mean_b - mean_a}.
     *
     * @throws IllegalArgumentException when {@code other} has another shape
     */
    public Moments merge(Moments other) {
        if (other == null) {
            throw new IllegalArgumentException("other: null");
        }
        String diff = differenceFrom(other);
        if (diff != null) {
            throw new IllegalArgumentException("other: moments of another run (" + diff + ")");
        }
        if (other.n == 0) {
            return new Moments(widths, layerIndices, targetColumns, streamRows, calibrationRows, n,
                    blocks + other.blocks, mean.clone(), m2.clone());
        }
        if (n == 0) {
            return new Moments(widths, layerIndices, targetColumns, streamRows, calibrationRows, other.n,
                    blocks + other.blocks, other.mean.clone(), other.m2.clone());
        }
        int m = mean.length;
        long total = n + other.n;
        if (total > calibrationRows) {
            throw new IllegalArgumentException("other: " + n + " + " + other.n + " rows exceed the " + calibrationRows
                    + " calibration rows (a part merged twice?)");
        }
        double[] delta = new double[m];
        for (int j = 0; j < m; j++) {
            delta[j] = other.mean[j] - mean[j];
        }
        double scale = (double) n * other.n / total;
        double w = (double) other.n / total;
        double[] outMean = new double[m];
        double[] outM2 = new double[m * m];
        for (int i = 0; i < m; i++) {
            outMean[i] = mean[i] + delta[i] * w;
            double si = scale * delta[i];
            int row = i * m;
            for (int j = 0; j < m; j++) {
                outM2[row + j] = m2[row + j] + other.m2[row + j] + si * delta[j];
            }
        }
        return new Moments(widths, layerIndices, targetColumns, streamRows, calibrationRows, total,
                blocks + other.blocks, outMean, outM2);
    }

    /** Null when {@code other} has this shape, else what differs. */
    String differenceFrom(Moments other) {
        return shapeDifference(widths, layerIndices, targetColumns, streamRows, calibrationRows, other);
    }

    /** Null when {@code other} has the given shape, else what differs. */
    static String shapeDifference(int[] widths, int[] layerIndices, int targetColumns, int streamRows,
                                  int calibrationRows, Moments other) {
        if (!Arrays.equals(widths, other.widths)) {
            return "widths " + Arrays.toString(widths) + " vs " + Arrays.toString(other.widths);
        }
        if (!Arrays.equals(layerIndices, other.layerIndices)) {
            return "layers " + Arrays.toString(layerIndices) + " vs " + Arrays.toString(other.layerIndices);
        }
        if (targetColumns != other.targetColumns) {
            return "target columns " + targetColumns + " vs " + other.targetColumns;
        }
        if (streamRows != other.streamRows) {
            return "stream rows " + streamRows + " vs " + other.streamRows;
        }
        if (calibrationRows != other.calibrationRows) {
            return "calibration rows " + calibrationRows + " vs " + other.calibrationRows;
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Moments x && differenceFrom(x) == null && n == x.n && blocks == x.blocks
                && Arrays.equals(mean, x.mean) && Arrays.equals(m2, x.m2);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Long.hashCode(n);
    }

    @Override
    public String toString() {
        return "Moments[widths=" + Arrays.toString(widths) + ", c=" + targetColumns + ", n=" + n + "/" + calibrationRows
                + ", blocks=" + blocks + "]";
    }
}
