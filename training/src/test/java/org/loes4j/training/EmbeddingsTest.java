package org.loes4j.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Precision;
import org.loes4j.linalg.SegmentMatrix;

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
            Embeddings[] all = {Embeddings.of(f, L, D), Embeddings.of(d, L, D),
                    Embeddings.of(new SegmentMatrix(seg, 0, Precision.FLOAT32, N, L * D, L * D), L, D)};
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
    void shapesAreChecked() {
        FMatrix f = FMatrix.zeros(2, 12);
        assertThrows(IllegalArgumentException.class, () -> Embeddings.of(f, 5, 3));
        assertThrows(IllegalArgumentException.class, () -> Embeddings.rows(Embeddings.of(f, 3, 4), new int[] {2}));
        assertThrows(IllegalArgumentException.class,
                () -> Embeddings.of(f, 3, 4).gather(3, new int[] {0}, 0, 1, DMatrix.zeros(1, 4)));
    }
}
