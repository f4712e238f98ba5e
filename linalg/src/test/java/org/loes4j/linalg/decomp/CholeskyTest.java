package org.loes4j.linalg.decomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.NotPositiveDefiniteException;
import org.loes4j.linalg.Transpose;

/**
 * Definitions of the Cholesky factorisation and triangular solves on every CPU backend: {@code L LT = A}
 * (relative Frobenius error), strict upper triangle zero, the failing pivot named, and solve residuals.
 */
class CholeskyTest {
    /** Float64 relative error bound for these well-conditioned matrices (n up to 300). */
    static final double TOL64 = 1e-12;
    /** Float32 relative error bound (float32 accumulation, n up to 300). */
    static final double TOL32 = 1e-4;
    private static final int[] SIZES = {0, 1, 2, 7, 17, 63, 64, 65, 130, 300};

    static Stream<Arguments> backendsAndSizes() {
        return Stream.of("scalar", "vector")
                .flatMap(b -> Arrays.stream(SIZES).mapToObj(n -> Arguments.of(b, n)));
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("backendsAndSizes")
    void factorReproducesTheMatrixWithZeroUpperTriangle(String backend, int n) {
        DMatrix a = CholeskyTestSupport.spd(n, new SplittableRandom(100 + n));
        DMatrix l = a.copy();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                l.set(i, j, Double.NaN);
            }
        }
        Linalg.using(backend).choleskyInPlace(l);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                assertEquals(0.0, l.get(i, j), 0.0, "strict upper (" + i + ", " + j + ")");
            }
            assertTrue(l.get(i, i) > 0, "positive diagonal at " + i);
        }
        double err = CholeskyTestSupport.reconstructionError(l, a);
        assertTrue(err <= TOL64, "||L LT - A|| / ||A|| = " + err);
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("backendsAndSizes")
    void float32FactorReproducesTheMatrix(String backend, int n) {
        FMatrix af = CholeskyTestSupport.spd(n, new SplittableRandom(200 + n)).toFMatrix();
        FMatrix lf = af.copy();
        Linalg.using(backend).choleskyInPlace(lf);
        double err = CholeskyTestSupport.reconstructionError(EigenTestSupport.widen(lf), EigenTestSupport.widen(af));
        assertTrue(err <= TOL32, "||L LT - A|| / ||A|| = " + err);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                assertEquals(0.0f, lf.get(i, j), 0.0f);
            }
        }
    }

    /** A = L LT with the Schur complement at pivot {@code failing} made -1: the factorisation stops there. */
    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void notPositiveDefiniteNamesPivotThree(String backend) {
        assertFailsAt(backend, 8, 3);
    }

    /** The failing pivot lies in the third diagonal block of the blocked kernel: its global index is named. */
    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void notPositiveDefiniteNamesGlobalPivotAcrossBlocks(String backend) {
        assertFailsAt(backend, 200, 150);
    }

    private static void assertFailsAt(String backend, int n, int failing) {
        SplittableRandom rng = new SplittableRandom(31);
        DMatrix l = DMatrix.zeros(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                l.set(i, j, rng.nextDouble(-0.5, 0.5));
            }
            l.set(i, i, 1.0 + rng.nextDouble());
        }
        DMatrix a = DMatrix.zeros(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k <= j; k++) {
                    s += l.get(i, k) * l.get(j, k);
                }
                a.set(i, j, s);
                a.set(j, i, s);
            }
        }
        double lff = l.get(failing, failing);
        a.set(failing, failing, a.get(failing, failing) - lff * lff - 1.0);
        NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
                () -> Linalg.using(backend).cholesky(a));
        assertEquals(failing, e.pivot());
        assertEquals(-1.0, e.value(), 1e-9, "the Schur complement at the failing pivot");
        assertTrue(e.getMessage().contains("pivot " + failing), e.getMessage());
        FMatrix af = a.toFMatrix();
        NotPositiveDefiniteException ef = assertThrows(NotPositiveDefiniteException.class,
                () -> Linalg.using(backend).choleskyInPlace(af));
        assertEquals(failing, ef.pivot());
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("backendsAndSizes")
    void solvesSpdSystems(String backend, int n) {
        SplittableRandom rng = new SplittableRandom(300 + n);
        DMatrix a = CholeskyTestSupport.spd(n, rng);
        for (int m : new int[] {1, 3, 17, 40}) {
            DMatrix b = DMatrix.random(n, m, rng);
            DMatrix x = Linalg.using(backend).solveSpd(a, b);
            double r = CholeskyTestSupport.solveResidual(a, Transpose.NO, x, b);
            assertTrue(r <= TOL64, "n=" + n + " m=" + m + " residual " + r);
        }
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("backendsAndSizes")
    void triangularSolvesBothWays(String backend, int n) {
        SplittableRandom rng = new SplittableRandom(400 + n);
        DMatrix l = CholeskyTestSupport.spd(n, rng);
        Linalg.using(backend).choleskyInPlace(l);
        for (Transpose trans : Transpose.values()) {
            for (int m : new int[] {1, 2, 7, 17, 64, 65}) {
                DMatrix b = DMatrix.random(n, m, rng);
                DMatrix x = b.copy();
                Linalg.using(backend).solveTriangular(trans, l, x);
                double r = CholeskyTestSupport.solveResidual(l, trans, x, b);
                assertTrue(r <= TOL64, trans + " n=" + n + " m=" + m + " residual " + r);
                FMatrix xf = b.toFMatrix();
                Linalg.using(backend).solveTriangular(trans, l.toFMatrix(), xf);
                double rf = CholeskyTestSupport.solveResidual(l, trans, EigenTestSupport.widen(xf), b);
                assertTrue(rf <= TOL32, "float32 " + trans + " n=" + n + " m=" + m + " residual " + rf);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void logDeterminantMatchesEigenvalues(String backend) {
        DMatrix a = CholeskyTestSupport.spd(30, new SplittableRandom(55));
        double expected = 0;
        for (double w : Linalg.using(backend).eigenvalues(a)) {
            expected += Math.log(w);
        }
        assertEquals(expected, Linalg.using(backend).cholesky(a).logDeterminant(), 1e-10 * Math.abs(expected));
    }
}
