package org.loes4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Precision;
import org.loes4j.linalg.SegmentMatrix;

/**
 * {@link LayeredEmbeddings#checkFinite()} on heap and mapped layers (moved here from the selection module's
 * layer stack, which it replaced): the first non-finite value in (layer position, row, column) order is
 * named, whatever the file order, the scan chunk or the thread that finds it.
 */
class FinitenessCheckTest {
    @Test
    void finitenessCheckNamesLayerRowAndColumn() {
        DMatrix ok = DMatrix.zeros(4, 3);
        DMatrix bad = DMatrix.zeros(4, 5);
        bad.set(2, 1, Double.POSITIVE_INFINITY);
        LayeredEmbeddings heap = LayeredEmbeddings.ofMatrices(List.of(ok, bad), new int[] {3, 8});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, heap::checkFinite);
        assertEquals("embeddings: Infinity at layer 8, row 2, column 1", e.getMessage());

        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(8L * 4 * 2 * 3);
            ValueLayout.OfDouble f64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            // (N=4, L=2, d=3) float64, NaN at [1, 1, 2]
            seg.set(f64, 8L * ((1 * 2 + 1) * 3 + 2), Double.NaN);
            SegmentMatrix l0 = new SegmentMatrix(seg, 0, Precision.FLOAT64, 4, 3, 6);
            SegmentMatrix l1 = new SegmentMatrix(seg, 24, Precision.FLOAT64, 4, 3, 6);
            LayeredEmbeddings mapped = LayeredEmbeddings.ofMatrices(List.of(l0, l1), new int[] {0, 1});
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
                assertEquals(Float.isFinite(f), MatrixLayers.allFinite(bits, len),
                        "float32 bits " + Integer.toHexString(bits[len / 2]));
            }
        }
        double[] doubles = {0, -0.0, 1, Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, Double.longBitsToDouble(0x7ff0000000000001L),
            Double.longBitsToDouble(0xffffffffffffffffL)};
        for (double v : doubles) {
            for (int len : new int[] {1, 7, 64, 101}) {
                long[] bits = new long[len];
                bits[len - 1] = Double.doubleToRawLongBits(v);
                assertEquals(Double.isFinite(v), MatrixLayers.allFinite(bits, len), "float64 " + v);
            }
        }
    }

    /**
     * A float32 (N, L, d) file spanning several scan chunks with two bad values: the one reported is the
     * first in (layer, row, column) order, not the first in file order, whatever chunk finds it first; a view
     * by layers (scanned row by row, not as whole records) reports in its own position order.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void finitenessCheckReportsTheFirstByLayerThenRowAcrossChunks(boolean shared) {
        int n = 3 * MatrixLayers.FINITE_ROWS_PER_TASK + 17;
        int layers = 3;
        int d = 11;
        // A shared mapping is scanned by the library's threads, a confined one on the calling thread only.
        try (Arena arena = shared ? Arena.ofShared() : Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(4L * n * layers * d);
            ValueLayout.OfFloat f32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < (long) n * layers * d; i++) {
                seg.set(f32, 4 * i, (float) Math.sin(i));
            }
            List<SegmentMatrix> mats = new ArrayList<>();
            for (int l = 0; l < layers; l++) {
                mats.add(new SegmentMatrix(seg, 4L * l * d, Precision.FLOAT32, n, d, (long) layers * d));
            }
            LayeredEmbeddings stack = LayeredEmbeddings.ofMatrices(mats, new int[] {4, 5, 6});
            stack.checkFinite();
            // Whole records (all layers in file order) are scanned as one stretch; a subset row by row.
            stack.layers(new int[] {0, 2}).checkFinite();
            // Row 3 of layer position 2 comes first in the file; row n - 2 of layer position 1 comes first by layer.
            seg.set(f32, 4L * ((3L * layers + 2) * d + 4), Float.NEGATIVE_INFINITY);
            seg.set(f32, 4L * (((long) (n - 2) * layers + 1) * d + 9), Float.NaN);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, stack::checkFinite);
            assertEquals("embeddings: NaN at layer 5, row " + (n - 2) + ", column 9", e.getMessage());
            IllegalArgumentException sub = assertThrows(IllegalArgumentException.class,
                    () -> stack.layers(new int[] {2, 1}).checkFinite());
            assertEquals("embeddings: -Infinity at layer 6, row 3, column 4", sub.getMessage(),
                    "layer position 0 of the subset is layer 6");
            seg.set(f32, 4L * (((long) (n - 2) * layers + 1) * d + 9), 0f);
            e = assertThrows(IllegalArgumentException.class, stack::checkFinite);
            assertEquals("embeddings: -Infinity at layer 6, row 3, column 4", e.getMessage());
        }
    }

    @Test
    void layersCheckRowsAndIndicesAndKeepLayerNumbers() {
        DMatrix a = DMatrix.zeros(3, 2);
        DMatrix b = DMatrix.zeros(3, 4);
        LayeredEmbeddings mixed = LayeredEmbeddings.ofMatrices(List.of(a, b));
        assertArrayEquals(new int[] {2, 4}, mixed.widths(), "layers may differ in width");
        assertThrows(IllegalArgumentException.class, () -> LayeredEmbeddings.ofMatrices(List.of(a, DMatrix.zeros(4, 2))));
        LayeredEmbeddings s = LayeredEmbeddings.ofMatrices(List.of(a, a.copy(), a.copy()), new int[] {2, 5, 9});
        LayeredEmbeddings sub = s.layers(new int[] {2, 0});
        assertArrayEquals(new int[] {9, 2}, sub.layerIndices());
        assertThrows(IllegalArgumentException.class, () -> LayeredEmbeddings.ofMatrices(List.of(a, a), new int[] {1, 1}));
    }
}
