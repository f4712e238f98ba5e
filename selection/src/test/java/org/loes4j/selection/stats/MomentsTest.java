package org.loes4j.selection.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.loes4j.data.EmbeddingStream;
import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.linalg.DMatrix;
import org.loes4j.selection.Loes;
import org.loes4j.selection.LoesOptions;
import org.loes4j.selection.SelectionResult;

/**
 * The serialisable snapshot of the statistics: exported, shipped through Java serialisation and merged back,
 * it gives bitwise the statistics (and so the selection) of merging the accumulators themselves; snapshots
 * merged with each other (plain loops) agree to rounding; shapes that differ are refused.
 */
class MomentsTest {
    /** Agreement of the same sums combined by another arithmetic path, relative to the largest entry. */
    static final double SAME = 1e-12;
    static final int[] WIDTHS = {3, 7, 1, 5};
    static final int ROWS = 90;

    private static List<DMatrix> layers(SplittableRandom rng) {
        List<DMatrix> out = new ArrayList<>();
        for (int w : WIDTHS) {
            DMatrix x = DMatrix.zeros(ROWS, w);
            for (int i = 0; i < ROWS; i++) {
                for (int j = 0; j < w; j++) {
                    x.set(i, j, 2.0 + (j + 1) * rng.nextGaussian());
                }
            }
            out.add(x);
        }
        return out;
    }

    private static Moments roundTrip(Moments m) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(m);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (Moments) in.readObject();
        }
    }

    @Test
    void snapshotsMergedBackEqualTheMergedAccumulatorsBitwise() throws Exception {
        SplittableRandom rng = new SplittableRandom(3);
        LayeredEmbeddings e = LayeredEmbeddings.ofMatrices(layers(rng));
        long[] y = new long[ROWS];
        for (int i = 0; i < ROWS; i++) {
            y[i] = i % 3;
        }
        Labels labels = Labels.ofIntegers(y);
        LoesOptions o = LoesOptions.builder().k(2).calibrationFraction(0.6).seed(7).build();
        List<EmbeddingStream.RowBlock> blocks = new ArrayList<>();
        e.forEachBlock(11, blocks::add);
        List<LoesStatistics> parts = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            parts.add(LoesStatistics.empty(e, labels, o, ROWS));
        }
        for (int b = 0; b < blocks.size(); b++) {
            parts.get(b % 3).add(blocks.get(b));
        }
        LoesStatistics viaAccumulators = LoesStatistics.empty(e, labels, o, ROWS);
        LoesStatistics viaSnapshots = LoesStatistics.empty(e, labels, o, ROWS);
        Moments pairwise = LoesStatistics.empty(e, labels, o, ROWS).moments();
        for (LoesStatistics part : parts) {
            viaAccumulators.merge(part);
            Moments shipped = roundTrip(part.moments());
            assertEquals(part.moments(), shipped);
            viaSnapshots.merge(shipped);
            pairwise = pairwise.merge(shipped);
        }
        assertEquals(viaAccumulators.moments(), viaSnapshots.moments());
        assertEquals(viaAccumulators.calibrationRows(), viaSnapshots.accumulatedRows());
        assertEquals(blocks.size(), viaSnapshots.blocks());

        Moments reference = LoesStatistics.accumulate(e, labels, o, 11).moments();
        assertEquals(reference.n(), pairwise.n());
        assertClose(reference.mean(), pairwise.mean());
        assertClose(reference.m2(), pairwise.m2());

        LoesStatistics fromPairwise = LoesStatistics.empty(e, labels, o, ROWS).merge(pairwise);
        Loes loes = Loes.builder().options(o).build();
        SelectionResult a = loes.select(viaAccumulators);
        SelectionResult b = loes.select(viaSnapshots);
        SelectionResult c = loes.select(fromPairwise);
        assertArrayEquals(a.selected(), b.selected());
        assertArrayEquals(a.stepScores(), b.stepScores());
        assertArrayEquals(a.selected(), c.selected());
        for (int s = 0; s < a.stepScores().length; s++) {
            assertEquals(a.stepScores()[s], c.stepScores()[s], 1e-9 * Math.max(1, Math.abs(a.stepScores()[s])));
        }
    }

    @Test
    void refusesAnotherShapeAndRowsCountedTwice() {
        SplittableRandom rng = new SplittableRandom(4);
        LayeredEmbeddings e = LayeredEmbeddings.ofMatrices(layers(rng));
        LoesOptions o = LoesOptions.builder().task(org.loes4j.data.Task.LABEL_FREE).calibrationFraction(1.0).build();
        LoesStatistics whole = LoesStatistics.accumulate(e, null, o, 32);
        Moments m = whole.moments();
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> LoesStatistics.empty(e, null, o, ROWS).merge(m).merge(m));
        assertTrue(twice.getMessage().contains("exceed"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.merge(m));
        LayeredEmbeddings fewer = LayeredEmbeddings.ofMatrices(layers(rng).subList(0, 3));
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> LoesStatistics.empty(fewer, null, o, ROWS).merge(m));
        assertTrue(other.getMessage().contains("widths"), other.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Moments(new int[] {2}, new int[] {0}, 0, 5, 5, 1, 1,
                new double[3], new double[9]));
    }

    private static void assertClose(double[] expected, double[] actual) {
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], SAME * Math.max(1, scale), "entry " + i);
        }
    }
}
