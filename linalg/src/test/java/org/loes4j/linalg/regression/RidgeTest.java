package org.loes4j.linalg.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;

/**
 * Ridge regression by its definitions: the primal and dual (Woodbury) systems give the same fit, the
 * intercept makes the fit invariant to shifting the inputs, an under-determined fit with small lambda
 * interpolates, and bad arguments are named.
 */
class RidgeTest {
    /** Primal vs dual weights and intercepts, relative Frobenius, float64. */
    private static final double FORMS_AGREE = 1e-9;
    /** Training MSE relative to the target variance when p >= N and lambda is tiny. */
    private static final double INTERPOLATION_TOL = 1e-8;
    /** Predictions on shifted inputs, relative to the prediction scale. */
    private static final double SHIFT_TOL = 1e-9;

    static Stream<Arguments> backendsAndShapes() {
        return Stream.of("scalar", "vector").flatMap(b -> Stream.of(
                Arguments.of(b, 60, 15, 1), Arguments.of(b, 15, 60, 1), Arguments.of(b, 30, 30, 1),
                Arguments.of(b, 80, 25, 4), Arguments.of(b, 25, 80, 4), Arguments.of(b, 40, 40, 3)));
    }

    private static DMatrix targets(DMatrix x, int outputs, SplittableRandom rng, double noise) {
        DMatrix w = DMatrix.random(x.cols(), outputs, rng);
        DMatrix t = DMatrix.zeros(x.rows(), outputs);
        for (int i = 0; i < x.rows(); i++) {
            for (int c = 0; c < outputs; c++) {
                double s = 3.0 + c;
                for (int j = 0; j < x.cols(); j++) {
                    s += x.get(i, j) * w.get(j, c);
                }
                t.set(i, c, s + noise * rng.nextDouble(-1.0, 1.0));
            }
        }
        return t;
    }

    private static double relativeDifference(DMatrix a, DMatrix b) {
        double d = 0;
        double n = 0;
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                double e = a.get(i, j) - b.get(i, j);
                d += e * e;
                n += a.get(i, j) * a.get(i, j);
            }
        }
        return Math.sqrt(d) / Math.max(Math.sqrt(n), Double.MIN_NORMAL);
    }

    private static double relativeDifference(double[] a, double[] b) {
        return relativeDifference(DMatrix.wrap(a.clone(), 1, a.length), DMatrix.wrap(b.clone(), 1, b.length));
    }

    @ParameterizedTest(name = "{0} N={1} p={2} c={3}")
    @MethodSource("backendsAndShapes")
    void primalEqualsDual(String backend, int n, int p, int outputs) {
        SplittableRandom rng = new SplittableRandom(n * 1000L + p * 10L + outputs);
        DMatrix x = DMatrix.random(n, p, rng);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                x.set(i, j, x.get(i, j) + 0.5 * j);
            }
        }
        DMatrix t = targets(x, outputs, rng, 0.3);
        Linalg linalg = Linalg.using(backend);
        for (double lambda : new double[] {1e-3, 1.0, 100.0}) {
            RidgeFit primal = Ridge.fit(linalg, x, t, lambda, Ridge.Form.PRIMAL);
            RidgeFit dual = Ridge.fit(linalg, x, t, lambda, Ridge.Form.DUAL);
            assertEquals(Ridge.Form.PRIMAL, primal.form());
            assertEquals(Ridge.Form.DUAL, dual.form());
            double dw = relativeDifference(primal.weights(), dual.weights());
            double db = relativeDifference(primal.bias(), dual.bias());
            assertTrue(dw <= FORMS_AGREE, "weights differ by " + dw + " at lambda " + lambda);
            assertTrue(db <= FORMS_AGREE, "intercepts differ by " + db + " at lambda " + lambda);
            assertEquals(p, primal.weights().rows());
            assertEquals(outputs, primal.weights().cols());
            assertEquals(outputs, primal.bias().length);
        }
        RidgeFit auto = Ridge.fit(linalg, x, t, 1.0, Ridge.Form.AUTO);
        assertEquals(p <= n ? Ridge.Form.PRIMAL : Ridge.Form.DUAL, auto.form(), "AUTO picks the smaller system");
    }

    /**
     * Shifting every input column by a constant leaves the centred problem unchanged: same weights,
     * intercept absorbing the shift, same predictions on the correspondingly shifted inputs.
     */
    @ParameterizedTest(name = "{0} N={1} p={2} c={3}")
    @MethodSource("backendsAndShapes")
    void interceptAbsorbsShiftedInputs(String backend, int n, int p, int outputs) {
        SplittableRandom rng = new SplittableRandom(7 + n + p);
        DMatrix x = DMatrix.random(n, p, rng);
        DMatrix t = targets(x, outputs, rng, 0.1);
        double[] shift = new double[p];
        DMatrix shifted = x.copy();
        for (int j = 0; j < p; j++) {
            shift[j] = 10.0 * rng.nextDouble(-1.0, 1.0);
            for (int i = 0; i < n; i++) {
                shifted.set(i, j, x.get(i, j) + shift[j]);
            }
        }
        Linalg linalg = Linalg.using(backend);
        RidgeFit base = Ridge.fit(linalg, x, t, 0.5, Ridge.Form.AUTO);
        RidgeFit moved = Ridge.fit(linalg, shifted, t, 0.5, Ridge.Form.AUTO);
        assertTrue(relativeDifference(base.weights(), moved.weights()) <= SHIFT_TOL, "weights unchanged by a shift");
        for (int c = 0; c < outputs; c++) {
            double expected = base.bias()[c];
            for (int j = 0; j < p; j++) {
                expected -= shift[j] * base.weights().get(j, c);
            }
            assertEquals(expected, moved.bias()[c], SHIFT_TOL * (1 + Math.abs(expected)), "b' = b - shift W");
        }
        DMatrix probe = DMatrix.random(9, p, rng);
        DMatrix probeShifted = probe.copy();
        for (int i = 0; i < 9; i++) {
            for (int j = 0; j < p; j++) {
                probeShifted.set(i, j, probe.get(i, j) + shift[j]);
            }
        }
        double d = relativeDifference(base.predict(linalg, probe), moved.predict(linalg, probeShifted));
        assertTrue(d <= SHIFT_TOL, "predictions on shifted data differ by " + d);
    }

    /** Without noise and with a tiny lambda, the intercept of an exactly linear target is recovered. */
    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void interceptOfAnExactLinearTarget(String backend) {
        SplittableRandom rng = new SplittableRandom(19);
        DMatrix x = DMatrix.random(200, 6, rng);
        DMatrix t = targets(x, 2, rng, 0.0);
        RidgeFit fit = Ridge.fit(Linalg.using(backend), x, t, 1e-10, Ridge.Form.AUTO);
        assertEquals(3.0, fit.bias()[0], 1e-6, "intercept of output 0");
        assertEquals(4.0, fit.bias()[1], 1e-6, "intercept of output 1");
        assertTrue(fit.meanSquaredError(Linalg.using(backend), x, t) <= 1e-12);
    }

    /** With p >= N the data can be interpolated: training loss ~0 for a small lambda, primal or dual. */
    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void underDeterminedFitInterpolates(String backend) {
        SplittableRandom rng = new SplittableRandom(23);
        for (int[] shape : new int[][] {{20, 60}, {30, 30}}) {
            DMatrix x = DMatrix.random(shape[0], shape[1], rng);
            DMatrix t = DMatrix.random(shape[0], 3, rng);
            double variance = 1.0 / 3;
            for (Ridge.Form form : new Ridge.Form[] {Ridge.Form.DUAL, Ridge.Form.PRIMAL}) {
                RidgeFit fit = Ridge.fit(Linalg.using(backend), x, t, 1e-9, form);
                double mse = fit.meanSquaredError(Linalg.using(backend), x, t);
                assertTrue(mse <= INTERPOLATION_TOL * variance,
                        form + " N=" + shape[0] + " p=" + shape[1] + " training MSE " + mse);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void badArgumentsAreNamed(String backend) {
        Linalg linalg = Linalg.using(backend);
        SplittableRandom rng = new SplittableRandom(29);
        DMatrix x = DMatrix.random(10, 4, rng);
        DMatrix t = DMatrix.random(10, 2, rng);
        assertMessageStarts("t:", () -> Ridge.fit(linalg, x, DMatrix.random(9, 2, rng), 1.0, Ridge.Form.AUTO));
        assertMessageStarts("lambda:", () -> Ridge.fit(linalg, x, t, 0.0, Ridge.Form.AUTO));
        assertMessageStarts("lambda:", () -> Ridge.fit(linalg, x, t, -1.0, Ridge.Form.AUTO));
        assertMessageStarts("lambda:", () -> Ridge.fit(linalg, x, t, Double.NaN, Ridge.Form.AUTO));
        assertMessageStarts("lambda:", () -> Ridge.fit(linalg, x, t, Double.POSITIVE_INFINITY, Ridge.Form.AUTO));
        assertMessageStarts("x:", () -> Ridge.fit(linalg, DMatrix.zeros(0, 4), DMatrix.zeros(0, 2), 1.0, Ridge.Form.AUTO));
        DMatrix badX = x.copy();
        badX.set(3, 1, Double.NaN);
        assertMessageStarts("x:", () -> Ridge.fit(linalg, badX, t, 1.0, Ridge.Form.AUTO));
        DMatrix badT = t.copy();
        badT.set(2, 0, Double.POSITIVE_INFINITY);
        assertMessageStarts("t:", () -> Ridge.fit(linalg, x, badT, 1.0, Ridge.Form.AUTO));
        assertMessageStarts("form:", () -> Ridge.fit(linalg, x, t, 1.0, null));
    }

    private static void assertMessageStarts(String prefix, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(prefix), "message names the argument: " + e.getMessage());
    }
}
