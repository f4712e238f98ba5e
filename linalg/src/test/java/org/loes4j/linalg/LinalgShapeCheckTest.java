package org.loes4j.linalg;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Bad shapes are rejected at the public boundary with messages naming the argument and the shapes. */
class LinalgShapeCheckTest {
    private static final Linalg LINALG = Linalg.using("vector");

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "message '" + message + "' should mention '" + p + "'");
        }
    }

    @Test
    void gemmInnerDimensionMismatchNamesB() {
        DMatrix a = DMatrix.zeros(3, 4);
        DMatrix b = DMatrix.zeros(5, 2);
        DMatrix c = DMatrix.zeros(3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LINALG.gemm(Transpose.NO, Transpose.NO, 1.0, a, b, 0.0, c));
        assertMentions(e.getMessage(), "b:", "3 x 4", "5 x 2");

        FMatrix af = FMatrix.zeros(4, 3);
        FMatrix bf = FMatrix.zeros(2, 5);
        FMatrix cf = FMatrix.zeros(3, 2);
        IllegalArgumentException ef = assertThrows(IllegalArgumentException.class,
                () -> LINALG.gemm(Transpose.YES, Transpose.YES, 1f, af, bf, 0f, cf));
        assertMentions(ef.getMessage(), "b:", "4 x 3", "2 x 5");
    }

    @Test
    void gemmWrongOutputShapeNamesC() {
        DMatrix a = DMatrix.zeros(3, 4);
        DMatrix b = DMatrix.zeros(4, 2);
        DMatrix c = DMatrix.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LINALG.gemm(Transpose.NO, Transpose.NO, 1.0, a, b, 0.0, c));
        assertMentions(e.getMessage(), "c:", "2 x 3", "3 x 2");
    }

    @Test
    void syrkWrongOutputShapeNamesC() {
        DMatrix a = DMatrix.zeros(10, 4);
        DMatrix c = DMatrix.zeros(10, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LINALG.syrk(Transpose.YES, 1.0, a, 0.0, c));
        assertMentions(e.getMessage(), "c:", "10 x 10", "4 x 4", "10 x 4");
    }

    @Test
    void gemmOutputAliasingAnInputIsRejected() {
        DMatrix a = DMatrix.zeros(3, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LINALG.gemm(Transpose.NO, Transpose.NO, 1.0, a, DMatrix.identity(3), 0.0, a));
        assertMentions(e.getMessage(), "c:", "a");
    }

    @Test
    void nonFiniteScalarsAreRejected() {
        DMatrix a = DMatrix.zeros(2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LINALG.gemm(Transpose.NO, Transpose.NO, Double.NaN, a, a.copy(), 0.0, DMatrix.zeros(2, 2)));
        assertMentions(e.getMessage(), "alpha:", "NaN");
    }
}
