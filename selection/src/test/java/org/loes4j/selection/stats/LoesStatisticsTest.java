package org.loes4j.selection.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.loes4j.data.EmbeddingStream;
import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.selection.LoesOptions;
import org.loes4j.selection.data.CalibrationSplit;

/**
 * The statistics against their definitions, computed plainly (two passes: the exact mean, then sums of products
 * of centred values): means, every cross block {@code Xc_aT Xc_b}, {@code Xc_aT Tc}, {@code TcT Tc}; for
 * every block size, for merges in any order, for a calibration fraction below 1; stability at a large offset;
 * and the refusals.
 */
class LoesStatisticsTest {
    /** Agreement of the same sums accumulated in another order (relative to the matrix's norm). */
    static final double SAME = 1e-12;
    static final int[] WIDTHS = {3, 7, 1, 5};

    private static List<DMatrix> layers(SplittableRandom rng, int n, int[] widths, double offset) {
        List<DMatrix> out = new ArrayList<>();
        for (int w : widths) {
            DMatrix x = DMatrix.zeros(n, w);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < w; j++) {
                    x.set(i, j, offset + (j + 1) * rng.nextGaussian() + 0.1 * j);
                }
            }
            out.add(x);
        }
        return out;
    }

    private static long[] labels(SplittableRandom rng, int n, int classes) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = i < classes ? i : rng.nextInt(classes);
        }
        return out;
    }

    /** Column means, two-pass. */
    private static double[] mean(DMatrix x) {
        double[] m = new double[x.cols()];
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.cols(); j++) {
                m[j] += x.get(i, j);
            }
        }
        for (int j = 0; j < m.length; j++) {
            m[j] /= x.rows();
        }
        return m;
    }

    /** {@code (A - 1 mean(A))T (B - 1 mean(B))}, plainly. */
    private static DMatrix centredCross(DMatrix a, DMatrix b) {
        double[] ma = mean(a);
        double[] mb = mean(b);
        DMatrix out = DMatrix.zeros(a.cols(), b.cols());
        for (int i = 0; i < a.rows(); i++) {
            for (int p = 0; p < a.cols(); p++) {
                double u = a.get(i, p) - ma[p];
                for (int q = 0; q < b.cols(); q++) {
                    out.set(p, q, out.get(p, q) + u * (b.get(i, q) - mb[q]));
                }
            }
        }
        return out;
    }

    private static void assertClose(String what, DMatrix expected, DMatrix actual, double rel) {
        assertEquals(expected.rows(), actual.rows(), what);
        assertEquals(expected.cols(), actual.cols(), what);
        double norm = 0;
        double diff = 0;
        for (int i = 0; i < expected.rows(); i++) {
            for (int j = 0; j < expected.cols(); j++) {
                norm += expected.get(i, j) * expected.get(i, j);
                double d = expected.get(i, j) - actual.get(i, j);
                diff += d * d;
            }
        }
        assertTrue(Math.sqrt(diff) <= rel * Math.sqrt(norm), what + ": |diff| " + Math.sqrt(diff) + ", |expected| "
                + Math.sqrt(norm));
    }

    private static void assertClose(String what, double[] expected, double[] actual, double rel) {
        assertClose(what, DMatrix.wrap(expected.clone(), 1, expected.length),
                DMatrix.wrap(actual.clone(), 1, actual.length), rel);
    }

    /** Every block of the statistics of {@code stats} against the plain definitions on the rows {@code rows}. */
    private static void assertDefinitions(LoesStatistics stats, List<DMatrix> all, DMatrix targets, int[] rows) {
        List<DMatrix> cal = new ArrayList<>();
        for (DMatrix x : all) {
            DMatrix c = DMatrix.zeros(rows.length, x.cols());
            for (int i = 0; i < rows.length; i++) {
                c.view(i, 0, 1, x.cols()).copyFrom(x.view(rows[i], 0, 1, x.cols()));
            }
            cal.add(c);
        }
        assertEquals(rows.length, stats.accumulatedRows());
        assertEquals(rows.length, stats.calibrationRows());
        for (int a = 0; a < cal.size(); a++) {
            assertClose("mean " + a, mean(cal.get(a)), stats.mean(a), SAME);
            for (int b = 0; b < cal.size(); b++) {
                assertClose("moment " + a + "," + b, centredCross(cal.get(a), cal.get(b)), stats.moment(a, b), SAME);
            }
            if (targets != null) {
                assertClose("target cross " + a, centredCross(cal.get(a), targets),
                        stats.targetCross(new int[] {a}), SAME);
            }
        }
        if (targets != null) {
            assertClose("target moment", centredCross(targets, targets), stats.targetMoment(), SAME);
            assertClose("target mean", mean(targets), stats.targetMean(), SAME);
        }
    }

    @ParameterizedTest(name = "blocks of {0}")
    @ValueSource(ints = {1, 7, 4096})
    void momentsAreTheirDefinition(int blockRows) {
        SplittableRandom rng = new SplittableRandom(blockRows);
        List<DMatrix> x = layers(rng, 50, WIDTHS, 5.0);
        long[] y = labels(rng, 50, 4);
        Labels labels = Labels.ofIntegers(y);
        LoesOptions o = LoesOptions.builder().calibrationFraction(1.0).build();
        LoesStatistics s = LoesStatistics.accumulate(LayeredEmbeddings.ofMatrices(x), labels, o, blockRows);
        int[] all = CalibrationSplit.rows(50, 1.0, 0);
        assertDefinitions(s, x, labels.targetMatrix(), all);
        assertEquals((50 + blockRows - 1) / blockRows, s.blocks());
        assertArrayEquals(labels.classCounts(), s.classCounts());
        assertEquals(16, s.totalWidth());
        assertEquals(4, s.targetColumns());
        assertEquals(LoesStatistics.bytesFor(16, 4), s.bytes());
        // Assembled blocks are the concatenation, in the given order; accessors return copies.
        DMatrix joint = s.moment(new int[] {3, 0}, new int[] {1, 3});
        assertClose("assembled", s.moment(0, 3), joint.view(5, 7, 3, 5).copy(), 0);
        joint.fill(0);
        assertTrue(s.moment(3, 3).get(0, 0) > 0);
    }

    /** For one-hot targets, column k of {@code Xc_aT Tc} is {@code n_k (mu_k - m)}: the class centroids. */
    @Test
    void classCentroidsComeWithTheCrossMoments() {
        SplittableRandom rng = new SplittableRandom(3);
        List<DMatrix> x = layers(rng, 40, WIDTHS, -2.0);
        long[] y = labels(rng, 40, 5);
        LoesStatistics s = LoesStatistics.accumulate(LayeredEmbeddings.ofMatrices(x), Labels.ofIntegers(y),
                LoesOptions.builder().calibrationFraction(1.0).build(), 7);
        int[] counts = s.classCounts();
        for (int a = 0; a < WIDTHS.length; a++) {
            DMatrix cross = s.targetCross(new int[] {a});
            double[] m = mean(x.get(a));
            for (int k = 0; k < 5; k++) {
                double[] centroid = new double[WIDTHS[a]];
                for (int i = 0; i < 40; i++) {
                    if (y[i] == k) {
                        for (int j = 0; j < WIDTHS[a]; j++) {
                            centroid[j] += x.get(a).get(i, j) / counts[k];
                        }
                    }
                }
                for (int j = 0; j < WIDTHS[a]; j++) {
                    assertEquals(centroid[j] - m[j], cross.get(j, k) / counts[k], 1e-12);
                }
            }
        }
    }

    @Test
    void aCalibrationFractionTakesTheSplitRowsOfTheStream() {
        SplittableRandom rng = new SplittableRandom(4);
        int n = 120;
        List<DMatrix> x = layers(rng, n, WIDTHS, 1.0);
        double[][] t = new double[n][2];
        for (double[] row : t) {
            row[0] = rng.nextGaussian();
            row[1] = 3 + rng.nextGaussian();
        }
        Labels labels = Labels.regression(DMatrix.of(t));
        LoesOptions o = LoesOptions.builder().task(Task.REGRESSION).calibrationFraction(0.4).seed(3).build();
        for (int blockRows : new int[] {1, 7, 4096}) {
            LoesStatistics s = LoesStatistics.accumulate(LayeredEmbeddings.ofMatrices(x), labels, o, blockRows);
            int[] rows = CalibrationSplit.rows(n, 0.4, 3);
            assertEquals(n, s.streamRows());
            assertDefinitions(s, x, labels.rows(rows).targetMatrix(), rows);
        }
    }

    @Test
    void mergeOrderDoesNotMatter() {
        SplittableRandom rng = new SplittableRandom(5);
        List<DMatrix> x = layers(rng, 64, WIDTHS, 3.0);
        Labels labels = Labels.ofIntegers(labels(rng, 64, 3));
        LayeredEmbeddings e = LayeredEmbeddings.ofMatrices(x);
        LoesOptions o = LoesOptions.builder().calibrationFraction(0.75).seed(11).build();
        List<EmbeddingStream.RowBlock> blocks = new ArrayList<>();
        e.forEachBlock(5, blocks::add);
        LoesStatistics leftToRight = LoesStatistics.empty(e, labels, o, 64);
        for (EmbeddingStream.RowBlock b : blocks) {
            leftToRight.merge(LoesStatistics.empty(e, labels, o, 64).add(b));
        }
        LoesStatistics rightToLeft = LoesStatistics.empty(e, labels, o, 64);
        for (int i = blocks.size() - 1; i >= 0; i--) {
            rightToLeft.merge(LoesStatistics.empty(e, labels, o, 64).add(blocks.get(i)));
        }
        // Pairwise tree: halves merged recursively.
        LoesStatistics tree = tree(e, labels, o, blocks, 0, blocks.size());
        int[] rows = CalibrationSplit.rows(64, 0.75, 11);
        DMatrix targets = CalibrationSplit.labels(labels, rows).targetMatrix();
        for (LoesStatistics s : List.of(leftToRight, rightToLeft, tree)) {
            assertDefinitions(s, x, targets, rows);
            assertEquals(blocks.size(), s.blocks());
        }
    }

    private static LoesStatistics tree(LayeredEmbeddings e, Labels labels, LoesOptions o,
                                       List<EmbeddingStream.RowBlock> blocks, int from, int to) {
        if (to - from == 1) {
            return LoesStatistics.empty(e, labels, o, 64).add(blocks.get(from));
        }
        int mid = (from + to) / 2;
        return tree(e, labels, o, blocks, mid, to).merge(tree(e, labels, o, blocks, from, mid));
    }

    /**
     * Features of magnitude 1e8 with unit spread: the raw {@code XT X - N mT m} loses every digit in float64 (the
     * check below shows it); the pairwise updates keep the centred moment to about 1e-8, row by row or in one block.
     */
    @Test
    void stableAtALargeOffset() {
        SplittableRandom rng = new SplittableRandom(6);
        int n = 1000;
        List<DMatrix> x = layers(rng, n, new int[] {3}, 1e8);
        DMatrix expected = centredCross(x.getFirst(), x.getFirst());
        for (int blockRows : new int[] {1, 7, 4096}) {
            LoesStatistics s = LoesStatistics.accumulate(LayeredEmbeddings.ofMatrices(x), null,
                    LoesOptions.builder().task(Task.LABEL_FREE).calibrationFraction(1.0).build(), blockRows);
            assertClose("M2 with blocks of " + blockRows, expected, s.moment(0, 0), 1e-7);
        }
        double raw = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double v = x.getFirst().get(i, 0);
            raw += v * v;
            sum += v;
        }
        double naive = raw - sum * sum / n;
        assertTrue(Math.abs(naive - expected.get(0, 0)) > 0.01 * expected.get(0, 0),
                "the raw formula would have been wrong: " + naive + " vs " + expected.get(0, 0));
    }

    /**
     * Memory flat in N: from a {@link LayeredEmbeddings} (a mapped file) only calibration rows are gathered, at
     * most {@code blockRows} at a time, and {@code forEachBlock} (which copies every row) is never called; the
     * result equals the block-by-block accumulation of the same rows streamed plainly.
     */
    @Test
    void layeredEmbeddingsAreGatheredByCalibrationRowsOnly() {
        SplittableRandom rng = new SplittableRandom(12);
        int n = 200;
        List<DMatrix> x = layers(rng, n, WIDTHS, 2.0);
        LayeredEmbeddings source = LayeredEmbeddings.ofMatrices(x);
        Labels labels = Labels.ofIntegers(labels(rng, n, 4));
        LoesOptions o = LoesOptions.builder().calibrationFraction(0.3).seed(9).build();
        int[] cal = CalibrationSplit.rows(n, 0.3, 9);
        java.util.Set<Integer> calibration = new java.util.HashSet<>();
        for (int r : cal) {
            calibration.add(r);
        }
        int[] largest = {0};
        List<Integer> read = new ArrayList<>();
        LayeredEmbeddings recording = new LayeredEmbeddings() {
            @Override
            public int rows() {
                return n;
            }

            @Override
            public int layerCount() {
                return source.layerCount();
            }

            @Override
            public int width(int position) {
                return source.width(position);
            }

            @Override
            public int layerIndex(int position) {
                return source.layerIndex(position);
            }

            @Override
            public void gather(int position, int[] rowIds, int from, int count, DMatrix dst) {
                largest[0] = Math.max(largest[0], count);
                for (int i = 0; i < count; i++) {
                    read.add(rowIds[from + i]);
                }
                source.gather(position, rowIds, from, count, dst);
            }

            @Override
            public void forEachBlock(int blockRows, BlockConsumer consumer) {
                throw new AssertionError("forEachBlock copies every row");
            }
        };
        LoesStatistics s = LoesStatistics.accumulate(recording, labels, o, 16);
        assertTrue(calibration.containsAll(read), "only calibration rows are read");
        assertEquals(cal.length * WIDTHS.length, read.size(), "each calibration row once per layer");
        assertEquals(16, largest[0]);
        assertEquals((cal.length + 15) / 16, s.blocks());
        assertDefinitions(s, x, CalibrationSplit.labels(labels, cal).targetMatrix(), cal);
        List<EmbeddingStream.RowBlock> blocks = new ArrayList<>();
        source.forEachBlock(16, blocks::add);
        LoesStatistics plain = LoesStatistics.empty(source, labels, o, n);
        blocks.forEach(plain::add);
        assertDefinitions(plain, x, CalibrationSplit.labels(labels, cal).targetMatrix(), cal);
    }

    /** A label-free plain stream (no row count) is read once to count its rows, then accumulated. */
    @Test
    void aLabelFreePlainStreamIsCountedFirst() {
        SplittableRandom rng = new SplittableRandom(7);
        List<DMatrix> x = layers(rng, 90, WIDTHS, 0.5);
        LayeredEmbeddings e = LayeredEmbeddings.ofMatrices(x);
        List<EmbeddingStream.RowBlock> blocks = new ArrayList<>();
        e.forEachBlock(13, blocks::add);
        int[] passes = {0};
        EmbeddingStream plain = EmbeddingStream.of(WIDTHS, new int[] {0, 1, 2, 3}, () -> {
            passes[0]++;
            return blocks.iterator();
        });
        LoesOptions o = LoesOptions.builder().task(Task.LABEL_FREE).calibrationFraction(0.5).seed(2).build();
        LoesStatistics s = LoesStatistics.accumulate(plain, null, o, 4096);
        assertEquals(2, passes[0]);
        assertEquals(90, s.streamRows());
        assertDefinitions(s, x, null, CalibrationSplit.rows(90, 0.5, 2));
        assertThrows(IllegalStateException.class, s::targetMoment);
    }

    @Test
    void refusals() {
        SplittableRandom rng = new SplittableRandom(8);
        List<DMatrix> x = layers(rng, 30, WIDTHS, 0);
        LayeredEmbeddings e = LayeredEmbeddings.ofMatrices(x);
        Labels labels = Labels.ofIntegers(labels(rng, 30, 3));
        LoesOptions o = LoesOptions.builder().calibrationFraction(1.0).build();

        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class, () -> LoesStatistics.accumulate(e,
                labels, o.toBuilder().calibrationFraction(0.4).build(), 8));
        assertTrue(rows.getMessage().contains("N >= sum of d_l") && rows.getMessage().contains("N = 12 < 16")
                && rows.getMessage().contains("--streaming"), rows.getMessage());

        IllegalArgumentException budget = assertThrows(IllegalArgumentException.class,
                () -> LoesStatistics.accumulate(Linalg.get(), e, labels, o, 8, 1000));
        assertTrue(budget.getMessage().contains("--streaming") && budget.getMessage().contains("-Xmx")
                && budget.getMessage().contains("8 (D + c)(D + c + 1)") && budget.getMessage().contains("D = 16"),
                budget.getMessage());

        LoesStatistics s = LoesStatistics.accumulate(e, labels, o, 8);
        assertThrows(IllegalArgumentException.class, () -> s.merge(s));
        LoesStatistics otherSplit = LoesStatistics.empty(e, labels, o.toBuilder().calibrationFraction(0.9).build(), 30);
        IllegalArgumentException merge = assertThrows(IllegalArgumentException.class, () -> s.merge(otherSplit));
        assertTrue(merge.getMessage().contains("calibration rows"), merge.getMessage());
        LoesStatistics otherTask = LoesStatistics.empty(e, null, o.toBuilder().task(Task.LABEL_FREE).build(), 30);
        assertThrows(IllegalArgumentException.class, () -> s.merge(otherTask));

        List<DMatrix> narrow = new ArrayList<>(x);
        narrow.set(1, DMatrix.zeros(30, 6));
        LayeredEmbeddings wrong = LayeredEmbeddings.ofMatrices(narrow);
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> wrong.forEachBlock(30, b -> LoesStatistics.empty(e, labels, o, 30).add(b)));
        assertTrue(width.getMessage().contains("width 6, expected 7"), width.getMessage());

        List<EmbeddingStream.RowBlock> blocks = new ArrayList<>();
        e.forEachBlock(30, blocks::add);
        EmbeddingStream.RowBlock shifted = new EmbeddingStream.RowBlock(10, blocks.getFirst().layers());
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> LoesStatistics.empty(e, labels, o, 30).add(shifted));
        assertTrue(outside.getMessage().contains("[10, 40)"), outside.getMessage());

        Labels more = Labels.ofIntegers(labels(rng, 31, 3));
        EmbeddingStream plain = EmbeddingStream.of(WIDTHS, new int[] {0, 1, 2, 3}, blocks::iterator);
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> LoesStatistics.accumulate(plain, more, o, 8));
        assertTrue(count.getMessage().contains("stream: 30 rows, expected 31"), count.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> LoesStatistics.accumulate(e, null, o, 8));
        assertTrue(missing.getMessage().contains("labels: null"), missing.getMessage());
    }

    /** The documented example: 13 layers of width 768 and 77 classes. */
    @Test
    void memoryFormula() {
        assertEquals(8L * 10061 * 10062, LoesStatistics.bytesFor(13 * 768, 77));
        assertTrue(LoesStatistics.bytesFor(13 * 768, 77) > 800_000_000L);
    }
}
