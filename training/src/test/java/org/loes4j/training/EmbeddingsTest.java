package org.loes4j.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Precision;
import org.loes4j.linalg.SegmentMatrix;
import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyArray;

/** The three storages of an (N, L, d) array gather the same batches; row views remap indices. */
class EmbeddingsTest {
    private static final int N = 7;
    private static final int L = 3;
    private static final int D = 5;

    @Test
    void heapFloat32Float64AndOffHeapAgree() {
        FMatrix f = FMatrix.random(N, L * D, new SplittableRandom(1));
        DMatrix d = f.toDMatrix();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(4L * N * L * D);
            for (int i = 0; i < N * L * D; i++) {
                seg.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i, f.data()[i]);
            }
            SegmentMatrix flat = new SegmentMatrix(seg, 0, Precision.FLOAT32, N, L * D, L * D);
            List<SegmentMatrix> perLayer = new ArrayList<>();
            for (int l = 0; l < L; l++) {
                perLayer.add(flat.view(0, l * D, N, D));
            }
            Embeddings[] all = {Embeddings.of(f, L, D), Embeddings.of(d, L, D), Embeddings.of(flat, L, D),
                    Embeddings.ofLayers(perLayer)};
            int[] rows = {6, 0, 3, 3};
            for (int layer = 0; layer < L; layer++) {
                DMatrix expected = DMatrix.zeros(4, D);
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < D; j++) {
                        expected.set(i, j, f.get(rows[i], layer * D + j));
                    }
                }
                for (Embeddings e : all) {
                    DMatrix got = DMatrix.zeros(4, D);
                    e.gather(layer, rows, 0, 4, got);
                    assertArrayEquals(expected.data(), got.data());
                }
                Embeddings sub = Embeddings.rows(all[2], new int[] {3, 6, 0});
                DMatrix got = DMatrix.zeros(2, D);
                sub.gather(layer, new int[] {1, 2}, 0, 2, got);
                assertArrayEquals(expected.view(0, 0, 2, D).copy().data(), got.data(), "rows 6, 0 through the view");
            }
        }
    }

    @Test
    void npyArraysMustBeThreeDimensional(@TempDir Path dir)
            throws IOException {
        Path flat = dir.resolve("flat.npy");
        Npy.write(flat, new double[] {1, 2, 3});
        try (NpyArray a = Npy.map(flat)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Embeddings.of(a));
            assertTrue(e.getMessage().contains("flat.npy"), e.getMessage());
        }
    }

    @Test
    void shapesAreChecked() {
        FMatrix f = FMatrix.zeros(2, 12);
        assertThrows(IllegalArgumentException.class, () -> Embeddings.of(f, 5, 3));
        assertThrows(IllegalArgumentException.class, () -> Embeddings.rows(Embeddings.of(f, 3, 4), new int[] {2}));
        assertThrows(IllegalArgumentException.class,
                () -> Embeddings.of(f, 3, 4).gather(3, new int[] {0}, 0, 1, DMatrix.zeros(1, 4)));
        assertThrows(IllegalArgumentException.class,
                () -> Embeddings.ofLayers(List.of(FMatrix.zeros(2, 4), FMatrix.zeros(3, 4))));
    }
}
