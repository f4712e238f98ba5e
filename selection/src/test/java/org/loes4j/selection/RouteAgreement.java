package org.loes4j.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.loes4j.data.EmbeddingStream;
import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.linalg.Linalg;
import org.loes4j.selection.stats.LoesStatistics;

/**
 * Compares the statistics route with the in-memory route: the same selection, and every per-layer term, step
 * score, step residual and candidate term within {@link #REL} relative, measured against the quantity's
 * natural scale as {@link LoesReferenceTest#close} does (1 for the O(1) score terms, the mean square of the
 * targets for losses). Records the largest difference seen, for the report a run prints.
 */
final class RouteAgreement {
    /** Relative agreement required between the routes. */
    static final double REL = 1e-9;
    /** Block sizes the statistics are accumulated with: row by row, an awkward size, and one block. */
    static final int[] BLOCK_ROWS = {1, 7, 4096};

    /** Largest {@code |a - b| / max(|a|, |b|, scale)} seen over all comparisons of this JVM, and where. */
    private static double maxScaled;
    private static String maxScaledAt = "";
    /** Largest plain {@code |a - b| / max(|a|, |b|)} over nonzero values (no scale floor), and where. */
    private static double maxPlain;
    private static String maxPlainAt = "";
    private static long compared;

    private RouteAgreement() {
    }

    static synchronized String summary() {
        return String.format(Locale.ROOT, "%d values compared; max scaled relative difference %.3e (%s); max plain "
                + "relative difference %.3e (%s)", compared, maxScaled, maxScaledAt, maxPlain, maxPlainAt);
    }

    static synchronized void close(String what, double expected, double actual, double scale) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            assertTrue(Double.isNaN(expected) && Double.isNaN(actual), what + ": in-memory " + expected
                    + ", statistics " + actual);
            return;
        }
        compared++;
        double diff = Math.abs(expected - actual);
        double big = Math.max(Math.abs(expected), Math.abs(actual));
        double scaled = diff == 0 ? 0 : diff / Math.max(big, scale);
        if (scaled > maxScaled) {
            maxScaled = scaled;
            maxScaledAt = what;
        }
        if (big > 0 && diff / big > maxPlain) {
            maxPlain = diff / big;
            maxPlainAt = what + " (" + expected + ")";
        }
        assertTrue(scaled <= REL, what + ": in-memory " + expected + ", statistics " + actual + " (relative "
                + scaled + " > " + REL + ")");
    }

    /** Every term of {@code viaStatistics} against {@code inMemory}. */
    static void compare(String label, SelectionResult inMemory, SelectionResult viaStatistics, double targetScale) {
        assertArrayEquals(inMemory.selected(), viaStatistics.selected(), label + ": selection");
        assertEquals(inMemory.layers().size(), viaStatistics.layers().size());
        for (int i = 0; i < inMemory.layers().size(); i++) {
            SelectionResult.LayerScore a = inMemory.layers().get(i);
            SelectionResult.LayerScore b = viaStatistics.layers().get(i);
            String at = label + " layer " + a.layer();
            assertEquals(a.layer(), b.layer());
            close(at + " isotropy", a.isotropy(), b.isotropy(), 1);
            close(at + " fitLoss", a.fitLoss(), b.fitLoss(), targetScale);
            close(at + " score0", a.score0(), b.score0(), 1);
        }
        assertEquals(inMemory.stepScores().length, viaStatistics.stepScores().length);
        for (int s = 0; s < inMemory.stepScores().length; s++) {
            close(label + " step score " + s, inMemory.stepScores()[s], viaStatistics.stepScores()[s], 1);
        }
        assertEquals(inMemory.steps().size(), viaStatistics.steps().size());
        for (int s = 0; s < inMemory.steps().size(); s++) {
            SelectionResult.Step a = inMemory.steps().get(s);
            SelectionResult.Step b = viaStatistics.steps().get(s);
            String at = label + " step " + a.step();
            assertEquals(a.step(), b.step());
            assertEquals(a.selected(), b.selected(), at);
            close(at + " score", a.score(), b.score(), 1);
            close(at + " residual mean square", a.residual(), b.residual(), targetScale);
            assertEquals(a.candidates().size(), b.candidates().size());
            for (int c = 0; c < a.candidates().size(); c++) {
                SelectionResult.Candidate x = a.candidates().get(c);
                SelectionResult.Candidate y = b.candidates().get(c);
                String cat = at + " layer " + x.layer();
                assertEquals(x.layer(), y.layer(), cat);
                close(cat + " residual loss", x.residualLoss(), y.residualLoss(), targetScale);
                close(cat + " isotropy", x.isotropy(), y.isotropy(), 1);
                close(cat + " redundancy", x.redundancy(), y.redundancy(), 1);
                close(cat + " triangle", x.triangle(), y.triangle(), 1);
                close(cat + " score", x.score(), y.score(), 1);
            }
        }
    }

    /**
     * The in-memory selection of {@code loes} on {@code layers}, then the statistics route on the same rows
     * accumulated with every block size of {@link #BLOCK_ROWS}, and from blocks of 7 accumulated separately and
     * merged in a seeded shuffled tree order; each compared with the in-memory result.
     *
     * @return the in-memory result
     */
    static SelectionResult checkAllWays(String label, Loes loes, LayeredEmbeddings layers, Labels labels,
                                        double targetScale, long shuffleSeed) {
        SelectionResult inMemory = loes.select(layers, labels);
        LoesOptions o = loes.options();
        for (int blockRows : BLOCK_ROWS) {
            LoesStatistics stats = LoesStatistics.accumulate(Linalg.get(), layers, labels, o, blockRows,
                    LoesStatistics.defaultBudgetBytes());
            compare(label + " (blocks of " + blockRows + ")", inMemory, loes.select(stats), targetScale);
        }
        compare(label + " (shuffled merge tree)", inMemory, loes.select(mergedInShuffledTree(layers, labels, o, 7,
                shuffleSeed)), targetScale);
        compare(label + " (selectStreaming)", inMemory, loes.selectStreaming(layers, labels), targetScale);
        return inMemory;
    }

    /**
     * Accumulates every block of {@code blockRows} rows into its own statistics, then merges them in a random
     * tree: repeatedly two random parts, one merged into the other.
     */
    static LoesStatistics mergedInShuffledTree(LayeredEmbeddings layers, Labels labels, LoesOptions o, int blockRows,
                                               long seed) {
        List<EmbeddingStream.RowBlock> blocks = new ArrayList<>();
        layers.forEachBlock(blockRows, blocks::add);
        List<LoesStatistics> parts = new ArrayList<>();
        for (EmbeddingStream.RowBlock b : blocks) {
            parts.add(LoesStatistics.empty(layers, labels, o, layers.rows()).add(b));
        }
        SplittableRandom rng = new SplittableRandom(seed);
        Collections.shuffle(parts, new java.util.Random(seed));
        while (parts.size() > 1) {
            int i = rng.nextInt(parts.size());
            LoesStatistics a = parts.remove(i);
            int j = rng.nextInt(parts.size());
            parts.get(j).merge(a);
        }
        return parts.getFirst();
    }
}
