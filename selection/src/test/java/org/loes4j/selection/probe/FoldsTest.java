package org.loes4j.selection.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Stratified and plain folds: balanced, seeded, every row in exactly one held-out fold. */
class FoldsTest {

    /** Classes of 10, 7, 23 and 5 rows, interleaved. */
    static int[] unevenClasses() {
        int[] counts = {10, 7, 23, 5};
        int n = Arrays.stream(counts).sum();
        int[] cls = new int[n];
        int[] left = counts.clone();
        int i = 0;
        while (i < n) {
            for (int c = 0; c < counts.length; c++) {
                if (left[c] > 0) {
                    cls[i++] = c;
                    left[c]--;
                }
            }
        }
        return cls;
    }

    @Test
    void stratifiedFoldsSpreadEveryClassAsEvenlyAsPossible() {
        int[] cls = unevenClasses();
        for (int k : new int[] {2, 3, 5}) {
            int[] fold = Folds.stratified(cls, 4, null, k, 42);
            int[][] perClass = new int[4][k];
            int[] sizes = new int[k];
            for (int i = 0; i < cls.length; i++) {
                assertTrue(fold[i] >= 0 && fold[i] < k);
                perClass[cls[i]][fold[i]]++;
                sizes[fold[i]]++;
            }
            for (int c = 0; c < 4; c++) {
                int min = Arrays.stream(perClass[c]).min().orElseThrow();
                int max = Arrays.stream(perClass[c]).max().orElseThrow();
                assertTrue(max - min <= 1, "class " + c + " over " + k + " folds: " + Arrays.toString(perClass[c]));
            }
            int min = Arrays.stream(sizes).min().orElseThrow();
            int max = Arrays.stream(sizes).max().orElseThrow();
            assertTrue(max - min <= 1, "fold sizes " + Arrays.toString(sizes));
        }
    }

    @Test
    void theSameSeedGivesTheSameFoldsAndAnotherSeedOthers() {
        int[] cls = unevenClasses();
        assertArrayEquals(Folds.stratified(cls, 4, null, 5, 42), Folds.stratified(cls, 4, null, 5, 42));
        assertFalse(Arrays.equals(Folds.stratified(cls, 4, null, 5, 42), Folds.stratified(cls, 4, null, 5, 43)));
        assertArrayEquals(Folds.plain(45, 5, 7), Folds.plain(45, 5, 7));
        assertFalse(Arrays.equals(Folds.plain(45, 5, 7), Folds.plain(45, 5, 8)));
    }

    @Test
    void plainFoldsHaveSizesWithinOne() {
        int[] fold = Folds.plain(47, 5, 3);
        int[] sizes = new int[5];
        for (int f : fold) {
            sizes[f]++;
        }
        assertArrayEquals(new int[] {10, 10, 9, 9, 9}, sizes);
        int total = 0;
        for (int f = 0; f < 5; f++) {
            int[] out = Folds.rows(fold, f, true);
            int[] in = Folds.rows(fold, f, false);
            assertEquals(47, out.length + in.length);
            total += out.length;
        }
        assertEquals(47, total);
    }

    @Test
    void aClassWithFewerRowsThanFoldsIsRefusedByName() {
        int[] cls = {0, 0, 0, 0, 0, 1, 1, 1, 0, 0};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Folds.stratified(cls, 2, List.of("cat", "dog"), 5, 1));
        assertTrue(e.getMessage().startsWith("folds: "), e.getMessage());
        assertTrue(e.getMessage().contains("'dog'") && e.getMessage().contains("3 rows"), e.getMessage());
        assertTrue(e.getMessage().contains("at most 3 folds"), e.getMessage());
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class, () -> Folds.plain(3, 5, 1));
        assertTrue(few.getMessage().startsWith("folds: "), few.getMessage());
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> Folds.plain(30, 1, 1));
        assertTrue(one.getMessage().startsWith("folds: 1 must be >= 2"), one.getMessage());
    }
}
