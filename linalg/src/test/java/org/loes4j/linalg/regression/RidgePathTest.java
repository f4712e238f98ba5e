package org.loes4j.linalg.regression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;

/**
 * The eigen-decomposition path against the Cholesky ridge ({@link Ridge}) it must equal at every lambda: weights
 * and intercept from {@link RidgePath#solution}, held-out predictions from {@link RidgePath#predict}, through the
 * primal (d &lt;= n) and the dual (d &gt; n) route, on every backend; and the standardiser's definition.
 */
class RidgePathTest {
    /** Path vs Cholesky, relative to the largest magnitude compared (float64, different algorithms). */
    private static final double AGREE = 1e-9;

    static Stream<Arguments> backendsAndShapes() {
        return Stream.of("scalar", "vector").flatMap(b -> Stream.of(
                Arguments.of(b, 60, 15, 1), Arguments.of(b, 15, 60, 3), Arguments.of(b, 30, 30, 2),
                Arguments.of(b, 1, 7, 1), Arguments.of(b, 65, 17, 4)));
    }

    @ParameterizedTest
    @MethodSource("backendsAndShapes")
    void everyLambdaOfThePathIsTheCholeskyRidge(String backend, int n, int d, int c) {
        Linalg la = Linalg.using(backend);
        SplittableRandom rng = new SplittableRandom(31L * n + d);
        DMatrix x = DMatrix.random(n, d, rng);
        DMatrix heldOut = DMatrix.random(9, d, rng);
        DMatrix t = DMatrix.random(n, c, rng);
        Standardiser st = Standardiser.of(x);
        st.apply(x);
        st.apply(heldOut);
        RidgePath path = RidgePath.fit(la, x, t, heldOut);
        assertEquals(d > n, path.dual());
        DMatrix p = DMatrix.zeros(9, c);
        for (double lambda : new double[] {1e-3, 0.1, 1, 10, 1e3}) {
            RidgeFit want = Ridge.fit(la, x, t, lambda, Ridge.Form.AUTO);
            RidgeFit got = path.solution(lambda);
            close(want.weights().copy().data(), got.weights().copy().data(), "weights at " + lambda);
            close(want.bias(), got.bias(), "intercept at " + lambda);
            path.predict(lambda, p);
            close(want.predict(la, heldOut).data(), p.copy().data(), "held-out prediction at " + lambda);
        }
    }

    @Test
    void withoutHeldOutRowsOnlyTheSolutionIsAvailable() {
        Linalg la = Linalg.using("scalar");
        DMatrix x = DMatrix.random(20, 4, new SplittableRandom(1));
        RidgePath path = RidgePath.fit(la, x, DMatrix.random(20, 1, new SplittableRandom(2)), null);
        assertEquals(4, path.solution(1).weights().rows());
        assertThrows(IllegalStateException.class, () -> path.predict(1, DMatrix.zeros(1, 1)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> path.solution(0)).getMessage()
                .startsWith("lambda: 0.0"));
    }

    @Test
    void standardiserCentresScalesAndZeroesAConstantColumn() {
        DMatrix x = DMatrix.of(new double[][] {{1, 5, 7}, {3, 5, 7}, {5, 5, 7 + 1e-14}});
        Standardiser st = Standardiser.of(x);
        assertArrayEquals(new double[] {3, 5, 7 + 1e-14 / 3}, st.mean(), 1e-15);
        assertEquals(1 / Math.sqrt(8.0 / 3), st.scale()[0], 1e-15, "1 / population std");
        assertEquals(0.0, st.scale()[1], 0.0, "exactly constant");
        assertEquals(0.0, st.scale()[2], 0.0, "constant up to rounding (std <= 1e-12 |mean|)");
        DMatrix y = DMatrix.of(new double[][] {{3, 9, 100}});
        st.apply(y);
        assertArrayEquals(new double[] {0, 0, 0}, y.data(), 0.0);
        Standardiser copy = Standardiser.of(st.mean(), st.scale());
        assertArrayEquals(st.scale(), copy.scale(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> Standardiser.of(new double[] {1}, new double[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> st.apply(DMatrix.zeros(1, 2)));
    }

    @Test
    void chooseTakesTheLargestLambdaOfTheTiedBest() {
        assertEquals(2, RidgeCv.choose(new double[] {0.5, 0.7, 0.7, 0.6}));
        assertEquals(0, RidgeCv.choose(new double[] {0.9, 0.7}));
        assertEquals(1, RidgeCv.choose(new double[] {0.7, 0.7 - 1e-15}));
        assertArrayEquals(new double[] {1e-2, 1, 100}, RidgeCv.logGrid(1e-2, 100, 3), 1e-12);
    }

    private static void close(double[] want, double[] got, String what) {
        assertEquals(want.length, got.length, what);
        double scale = 1e-300;
        for (double v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], AGREE * scale, what + " [" + i + "]");
        }
    }
}
