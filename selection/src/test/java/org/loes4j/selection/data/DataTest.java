package org.loes4j.selection.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Precision;
import org.loes4j.linalg.SegmentMatrix;

class DataTest {
    @Test
    void calibrationSplitIsUniformSeededSortedAndComplete() {
        int[] a = CalibrationSplit.rows(1000, 0.2, 42);
        assertEquals(200, a.length);
        assertArrayEquals(a, CalibrationSplit.rows(1000, 0.2, 42));
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(CalibrationSplit.rows(1000, 0.2, 43)));
        for (int i = 1; i < a.length; i++) {
            assertTrue(a[i] > a[i - 1], "ascending and distinct");
        }
        int[] all = CalibrationSplit.rows(7, 1.0, 1);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, all);
        assertEquals(2, CalibrationSplit.rows(5, 0.01, 1).length, "at least 2 rows");
        // Uniform, not stratified: over many seeds every row is drawn about fraction of the time.
        int[] hits = new int[50];
        for (long seed = 0; seed < 2000; seed++) {
            for (int r : CalibrationSplit.rows(50, 0.2, seed)) {
                hits[r]++;
            }
        }
        for (int h : hits) {
            assertTrue(Math.abs(h - 400) < 90, "row drawn " + h + " times of an expected 400");
        }
        assertThrows(IllegalArgumentException.class, () -> CalibrationSplit.rows(10, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> CalibrationSplit.rows(1, 1.0, 1));
    }

    @Test
    void classTargetsAreOneHotOverTheClassesPresent() {
        Targets t = Targets.classification(new long[] {40, -2, 40, 7, -2});
        assertEquals(3, t.classCount());
        assertArrayEquals(new long[] {-2, 7, 40}, t.classLabels());
        assertArrayEquals(new int[] {2, 0, 2, 1, 0}, t.classOf());
        assertEquals(1.0, t.values().get(3, 1));
        Targets sub = t.rows(new int[] {0, 3});
        assertEquals(2, sub.classCount(), "rebuilt over the classes present in the rows");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Targets.classification(new long[] {3, 3, 3}));
        assertTrue(e.getMessage().contains("only one class"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Targets.regression(new double[] {1, Double.NaN}));
    }

    @Test
    void finitenessCheckNamesLayerRowAndColumn() {
        DMatrix ok = DMatrix.zeros(4, 3);
        DMatrix bad = DMatrix.zeros(4, 3);
        bad.set(2, 1, Double.POSITIVE_INFINITY);
        LayerStack heap = LayerStack.ofMatrices(List.of(ok, bad), new int[] {3, 8});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, heap::checkFinite);
        assertEquals("embeddings: Infinity at layer 8, row 2, column 1", e.getMessage());

        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(8L * 4 * 2 * 3);
            ValueLayout.OfDouble f64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            // (N=4, L=2, d=3) float64, NaN at [1, 1, 2]
            seg.set(f64, 8L * ((1 * 2 + 1) * 3 + 2), Double.NaN);
            SegmentMatrix l0 = new SegmentMatrix(seg, 0, Precision.FLOAT64, 4, 3, 6);
            SegmentMatrix l1 = new SegmentMatrix(seg, 24, Precision.FLOAT64, 4, 3, 6);
            LayerStack mapped = LayerStack.ofSegments(List.of(l0, l1), new int[] {0, 1});
            IllegalArgumentException m = assertThrows(IllegalArgumentException.class, mapped::checkFinite);
            assertEquals("embeddings: NaN at layer 1, row 1, column 2", m.getMessage());
            DMatrix rows = mapped.load(1, new int[] {3, 1});
            assertTrue(Double.isNaN(rows.get(1, 2)));
            assertEquals(0.0, rows.get(0, 0));
        }
    }

    @Test
    void stacksCheckShapesAndKeepLayerNumbers() {
        DMatrix a = DMatrix.zeros(3, 2);
        DMatrix b = DMatrix.zeros(3, 4);
        assertThrows(IllegalArgumentException.class, () -> LayerStack.ofMatrices(List.of(a, b)));
        LayerStack s = LayerStack.ofMatrices(List.of(a, a.copy(), a.copy()), new int[] {2, 5, 9});
        LayerStack sub = s.subset(new int[] {2, 0});
        assertArrayEquals(new int[] {9, 2}, sub.layerIndices());
        assertThrows(IllegalArgumentException.class, () -> LayerStack.ofMatrices(List.of(a, a), new int[] {1, 1}));
    }

    @Test
    void syntheticEmbeddingsPeakInTheMiddle() {
        SyntheticEmbeddings s = new SyntheticEmbeddings(100, 12, 8, 3, 7);
        assertEquals(5, argmax(12, s));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticEmbeddings(10, 3, 4, 1, 7));
    }

    private static int argmax(int layers, SyntheticEmbeddings s) {
        int best = 0;
        for (int l = 1; l < layers; l++) {
            if (s.signal(l) > s.signal(best)) {
                best = l;
            }
        }
        return best;
    }
}
