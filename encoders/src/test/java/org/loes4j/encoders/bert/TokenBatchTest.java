package org.loes4j.encoders.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TokenBatchTest {

    @Test
    void rowOffsetsArePrefixSumsOfTheLengths() {
        TokenBatch batch = new TokenBatch(3, 40, new int[3 * 40], new int[] {3, 40, 17});
        assertArrayEquals(new int[] {0, 3, 43, 60}, batch.rowOffsets());
        assertEquals(0, batch.rowOffset(0));
        assertEquals(3, batch.rowOffset(1));
        assertEquals(43, batch.rowOffset(2));
        assertEquals(60, batch.rowOffset(3), "rowOffset(B) is T");
        assertEquals(60, batch.realTokens());
        assertEquals(120, batch.positions());
    }

    @Test
    void packedRowsCoverEveryRealPositionExactlyOnce() {
        // Definition: the map (b, s) -> rowOffset(b) + s, s < lengths[b], is a bijection onto [0, T).
        SplittableRandom rng = new SplittableRandom(41);
        for (int trial = 0; trial < 20; trial++) {
            int size = 1 + rng.nextInt(33);
            int seqLen = 1 + rng.nextInt(65);
            int[] lengths = new int[size];
            for (int b = 0; b < size; b++) {
                lengths[b] = 1 + rng.nextInt(seqLen);
            }
            TokenBatch batch = new TokenBatch(size, seqLen, new int[size * seqLen], lengths);
            int[] offsets = batch.rowOffsets();
            assertEquals(size + 1, offsets.length);
            int t = Math.toIntExact(batch.realTokens());
            int[] hits = new int[t];
            for (int b = 0; b < size; b++) {
                assertEquals(offsets[b], batch.rowOffset(b), "trial " + trial + " sample " + b);
                for (int s = 0; s < lengths[b]; s++) {
                    hits[offsets[b] + s]++;
                }
            }
            assertEquals(t, offsets[size]);
            for (int r = 0; r < t; r++) {
                assertEquals(1, hits[r], "trial " + trial + " packed row " + r);
            }
        }
    }

    @Test
    void rowOffsetRejectsASampleOutsideTheBatch() {
        TokenBatch batch = new TokenBatch(2, 4, new int[8], new int[] {4, 2});
        IllegalArgumentException low = assertThrows(IllegalArgumentException.class, () -> batch.rowOffset(-1));
        assertTrue(low.getMessage().contains("b: -1"), low.getMessage());
        IllegalArgumentException high = assertThrows(IllegalArgumentException.class, () -> batch.rowOffset(3));
        assertTrue(high.getMessage().contains("b: 3"), high.getMessage());
    }

    @Test
    void rejectsLengthsOutsideTheRow() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> new TokenBatch(2, 4, new int[8], new int[] {4, 0}));
        assertTrue(zero.getMessage().contains("row 1 has length 0"), zero.getMessage());
        IllegalArgumentException longer = assertThrows(IllegalArgumentException.class,
                () -> new TokenBatch(2, 4, new int[8], new int[] {5, 1}));
        assertTrue(longer.getMessage().contains("row 0 has length 5"), longer.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TokenBatch(2, 4, new int[7], new int[] {1, 1}));
    }
}
