package org.loes4j.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class MatrixTest {

    @Test
    void viewsShareStorageAndCopiesDoNot() {
        DMatrix m = DMatrix.of(new double[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
        DMatrix v = m.view(1, 1, 2, 2);
        assertEquals(5, v.get(0, 0));
        assertEquals(9, v.get(1, 1));
        assertEquals(3, v.stride());
        v.set(0, 0, 50);
        assertEquals(50, m.get(1, 1));
        DMatrix c = v.copy();
        c.set(0, 0, -1);
        assertEquals(50, m.get(1, 1));
        assertTrue(c.isContiguous());
        assertArrayEquals(new double[] {-1, 6, 8, 9}, c.data());
        assertArrayEquals(new double[][] {{-1, 8}, {6, 9}}, c.transposeCopy().toArray());
    }

    @Test
    void emptyViewsAtTheEdgeAreAllowed() {
        DMatrix m = DMatrix.zeros(2, 3);
        assertEquals(0, m.view(2, 1, 0, 2).rows());
        assertEquals(0, m.view(1, 3, 1, 0).cols());
    }

    @Test
    void floatAndDoubleConvertExactlyWhereTheyCan() {
        FMatrix f = FMatrix.random(5, 7, new SplittableRandom(3));
        DMatrix d = f.toDMatrix();
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 7; j++) {
                assertEquals(f.get(i, j), d.get(i, j));
            }
        }
        FMatrix back = d.toFMatrix();
        assertArrayEquals(f.data(), back.data());
    }

    @Test
    void badShapesNameTheArgument() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DMatrix.zeros(-1, 3)).getMessage()
                .startsWith("rows: -1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DMatrix.wrap(new double[5], 2, 3))
                .getMessage().startsWith("data: length 5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DMatrix.zeros(2, 2).view(1, 1, 2, 1))
                .getMessage().startsWith("view: window 2 x 1 at (1, 1) is outside 2 x 2"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DMatrix.of(new double[][] {{1, 2}, {3}})).getMessage().startsWith("values: row 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DMatrix(new double[4], 0, 2, 3, 2))
                .getMessage().startsWith("stride: 2"));
    }

    @Test
    void segmentMatrixReadsAStridedLayerOfAnNldArray() {
        int n = 4;
        int layers = 3;
        int d = 5;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate((long) n * layers * d * 4);
            var f32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                for (int l = 0; l < layers; l++) {
                    for (int j = 0; j < d; j++) {
                        seg.set(f32, 4L * ((i * layers + l) * d + j), i * 100 + l * 10 + j + 0.5f);
                    }
                }
            }
            SegmentMatrix layer1 = new SegmentMatrix(seg, 4L * d, Precision.FLOAT32, n, d, (long) layers * d);
            DMatrix h = layer1.toDMatrix();
            FMatrix hf = layer1.toFMatrix();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    assertEquals(i * 100 + 10 + j + 0.5, h.get(i, j));
                    assertEquals(i * 100 + 10 + j + 0.5f, hf.get(i, j));
                    assertEquals(i * 100 + 10 + j + 0.5, layer1.getDouble(i, j));
                }
            }
            SegmentMatrix sub = layer1.view(1, 2, 2, 3);
            assertEquals(112.5, sub.getDouble(0, 0));
            assertEquals(214.5, sub.getDouble(1, 2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new SegmentMatrix(seg, 4L * d, Precision.FLOAT32, n + 1, d, (long) layers * d));
            assertTrue(e.getMessage().startsWith("segment: "), e.getMessage());
        }
    }

    @Test
    void segmentMatrixReadsFloat64() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(6 * 8);
            var f64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < 6; k++) {
                seg.set(f64, 8L * k, k * 1.25);
            }
            SegmentMatrix m = new SegmentMatrix(seg, 0, Precision.FLOAT64, 2, 3, 3);
            assertArrayEquals(new double[][] {{0, 1.25, 2.5}, {3.75, 5, 6.25}}, m.toDMatrix().toArray());
            assertArrayEquals(new float[] {0, 1.25f, 2.5f, 3.75f, 5, 6.25f}, m.toFMatrix().data());
        }
    }
}
