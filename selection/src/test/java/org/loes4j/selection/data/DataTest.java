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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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

    /** The bit test against its definition (Float.isFinite / Double.isFinite) on every special pattern. */
    @Test
    void bitTestAgreesWithIsFinite() {
        float[] floats = {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
            -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            Float.intBitsToFloat(0x7f800001), Float.intBitsToFloat(0xffffffff), Float.intBitsToFloat(0x7fc00000)};
        for (float f : floats) {
            for (int len : new int[] {1, 7, 64, 101}) {
                int[] bits = new int[len];
                bits[len / 2] = Float.floatToRawIntBits(f);
                assertEquals(Float.isFinite(f), LayerStack.allFinite(bits), "float32 bits " + Integer.toHexString(bits[len / 2]));
            }
        }
        double[] doubles = {0, -0.0, 1, Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, Double.longBitsToDouble(0x7ff0000000000001L),
            Double.longBitsToDouble(0xffffffffffffffffL)};
        for (double v : doubles) {
            for (int len : new int[] {1, 7, 64, 101}) {
                long[] bits = new long[len];
                bits[len - 1] = Double.doubleToRawLongBits(v);
                assertEquals(Double.isFinite(v), LayerStack.allFinite(bits), "float64 " + v);
            }
        }
    }

    /**
     * A float32 (N, L, d) stack spanning several scan chunks with two bad values: the one reported is the
     * first in (layer, row, column) order, not the first in file order, whatever chunk finds it first.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void finitenessCheckReportsTheFirstByLayerThenRowAcrossChunks(boolean shared) {
        int n = 3 * LayerStack.FINITE_ROWS_PER_TASK + 17;
        int layers = 3;
        int d = 11;
        // A shared mapping is scanned by the library's threads, a confined one on the calling thread only.
        try (Arena arena = shared ? Arena.ofShared() : Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(4L * n * layers * d);
            ValueLayout.OfFloat f32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < (long) n * layers * d; i++) {
                seg.set(f32, 4 * i, (float) Math.sin(i));
            }
            List<SegmentMatrix> mats = new java.util.ArrayList<>();
            for (int l = 0; l < layers; l++) {
                mats.add(new SegmentMatrix(seg, 4L * l * d, Precision.FLOAT32, n, d, (long) layers * d));
            }
            LayerStack stack = LayerStack.ofSegments(mats, new int[] {4, 5, 6});
            stack.checkFinite();
            // Whole records (all layers in file order) are scanned as one stretch; a subset row by row.
            stack.subset(new int[] {0, 2}).checkFinite();
            // Row 3 of layer position 2 comes first in the file; row n - 2 of layer position 1 comes first by layer.
            seg.set(f32, 4L * ((3L * layers + 2) * d + 4), Float.NEGATIVE_INFINITY);
            seg.set(f32, 4L * (((long) (n - 2) * layers + 1) * d + 9), Float.NaN);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, stack::checkFinite);
            assertEquals("embeddings: NaN at layer 5, row " + (n - 2) + ", column 9", e.getMessage());
            IllegalArgumentException sub = assertThrows(IllegalArgumentException.class,
                    () -> stack.subset(new int[] {2, 1}).checkFinite());
            assertEquals("embeddings: -Infinity at layer 6, row 3, column 4", sub.getMessage(),
                    "layer position 0 of the subset is layer 6");
            seg.set(f32, 4L * (((long) (n - 2) * layers + 1) * d + 9), 0f);
            e = assertThrows(IllegalArgumentException.class, stack::checkFinite);
            assertEquals("embeddings: -Infinity at layer 6, row 3, column 4", e.getMessage());
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
