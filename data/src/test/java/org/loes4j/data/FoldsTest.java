package org.loes4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * {@link Folds#of}, the folds the layer probe and the ridge probe share: stratified over the classes present,
 * plain for regression (the definitions of stratified and plain are tested in {@code selection.probe.FoldsTest}).
 */
class FoldsTest {

    @Test
    void classificationIsStratifiedOverThePresentClasses() {
        int[] codes = {0, 2, 2, 0, 2, 0, 2, 0, 2, 0};
        Labels y = Labels.ofCodes(codes, List.of("a", "absent", "c"));
        int[] present = {0, 1, 1, 0, 1, 0, 1, 0, 1, 0};
        assertArrayEquals(Folds.stratified(present, 2, List.of("a", "c"), 3, 7), Folds.of(y, 3, 7));
    }

    @Test
    void regressionIsPlain() {
        Labels y = Labels.regression(new double[] {1, 2, 3, 4, 5, 6, 7});
        assertArrayEquals(Folds.plain(7, 3, 11), Folds.of(y, 3, 11));
    }

    @Test
    void oneClassOrTooFewRowsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Folds.of(Labels.ofCodes(new int[] {1, 1, 1}, List.of("a", "b")), 2, 1));
        assertTrue(e.getMessage().startsWith("labels: only one class ('b')"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Folds.of(Labels.ofCodes(new int[] {0, 0, 0, 1}, List.of("a", "b")), 2, 1));
        assertTrue(e.getMessage().startsWith("folds: 2 folds, but class 'b' has only 1 row"), e.getMessage());
    }
}
