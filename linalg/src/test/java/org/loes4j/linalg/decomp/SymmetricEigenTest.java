package org.loes4j.linalg.decomp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Linalg;

/**
 * Definitions of the symmetric eigen-decomposition, on every CPU backend: {@code ||A v - w v|| / ||A||}
 * small for every pair, {@code VT V = I}, eigenvalues ascending, agreement with an independent Jacobi
 * oracle and with a spectrum built in.
 */
class SymmetricEigenTest {
    /** Float64 residual and orthogonality bound: a modest multiple of n * eps for these sizes. */
    static final double TOL64 = 1e-12;
    /** Float32 bound for results rounded from a float64 solve of a float32 input. */
    static final double TOL32 = 2e-6;
    private static final int[] SIZES = {0, 1, 2, 7, 17, 63, 64, 65};

    static Stream<Arguments> backendsAndSizes() {
        return Stream.of("scalar", "vector")
                .flatMap(b -> Arrays.stream(SIZES).mapToObj(n -> Arguments.of(b, n)));
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("backendsAndSizes")
    void randomSymmetricSatisfiesDefinitionAndMatchesJacobi(String backend, int n) {
        SplittableRandom rng = new SplittableRandom(1000 + n);
        DMatrix a = EigenTestSupport.randomSymmetric(n, rng);
        DMatrix before = a.copy();
        SymmetricEigen eig = Linalg.using(backend).eigen(a, true);
        assertArrayEquals(before.toArray(), a.toArray(), "input not modified");
        assertDecomposition(a, eig, TOL64);
        double[] oracle = JacobiEigenvalues.of(a);
        assertTrue(EigenTestSupport.maxAbsDifference(oracle, eig.values()) <= TOL64 * EigenTestSupport.scale(oracle),
                "eigenvalues match the Jacobi oracle");
        double[] valuesOnly = Linalg.using(backend).eigenvalues(a);
        assertTrue(EigenTestSupport.maxAbsDifference(valuesOnly, eig.values()) <= TOL64 * EigenTestSupport.scale(oracle),
                "values-only path agrees with the path that forms vectors");
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void knownSpectrumIsRecovered(String backend) {
        SplittableRandom rng = new SplittableRandom(7);
        int n = 40;
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = -3.0 + 0.25 * i * i / n + 0.01 * i;
        }
        DMatrix a = EigenTestSupport.withSpectrum(s, rng);
        SymmetricEigen eig = Linalg.using(backend).eigen(a, true);
        double[] expected = s.clone();
        Arrays.sort(expected);
        assertTrue(EigenTestSupport.maxAbsDifference(expected, eig.values()) <= TOL64 * EigenTestSupport.scale(s),
                () -> "spectrum " + Arrays.toString(expected) + " vs " + Arrays.toString(eig.values()));
        assertDecomposition(a, eig, TOL64);
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void repeatedEigenvaluesGiveAnOrthonormalBasis(String backend) {
        SplittableRandom rng = new SplittableRandom(11);
        double[] s = {2, 2, 2, 2, -1, -1, 5, 5, 5, 0, 0, 0, 0, 0, 7};
        DMatrix a = EigenTestSupport.withSpectrum(s, rng);
        SymmetricEigen eig = Linalg.using(backend).eigen(a, true);
        double[] expected = s.clone();
        Arrays.sort(expected);
        assertTrue(EigenTestSupport.maxAbsDifference(expected, eig.values()) <= TOL64 * 7);
        assertDecomposition(a, eig, TOL64);
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void diagonalInputIsSortedWithUnitVectors(String backend) {
        double[] diag = {3, -1, 4, 1, -5, 9, 2, 6, 0, 3};
        int n = diag.length;
        DMatrix a = DMatrix.zeros(n, n);
        for (int i = 0; i < n; i++) {
            a.set(i, i, diag[i]);
        }
        SymmetricEigen eig = Linalg.using(backend).eigen(a, true);
        double[] expected = diag.clone();
        Arrays.sort(expected);
        assertArrayEquals(expected, eig.values(), 0.0, "a diagonal matrix is already diagonal");
        assertDecomposition(a, eig, TOL64);
        for (int j = 0; j < n; j++) {
            double biggest = 0;
            for (int i = 0; i < n; i++) {
                biggest = Math.max(biggest, Math.abs(eig.vectors().get(i, j)));
            }
            assertEquals(1.0, biggest, 0.0, "eigenvector " + j + " is a unit vector");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void zeroMatrixHasZeroSpectrumAndIdentityBasis(String backend) {
        DMatrix a = DMatrix.zeros(9, 9);
        SymmetricEigen eig = Linalg.using(backend).eigen(a, true);
        assertArrayEquals(new double[9], eig.values(), 0.0);
        assertEquals(0.0, EigenTestSupport.orthogonalityError(eig.vectors()), TOL64);
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void twoByTwoMatchesClosedForm(String backend) {
        double p = 1.5;
        double q = -0.75;
        double r = 4.25;
        DMatrix a = DMatrix.of(new double[][] {{p, q}, {q, r}});
        SymmetricEigen eig = Linalg.using(backend).eigen(a, true);
        double mean = (p + r) / 2;
        double radius = Math.hypot((p - r) / 2, q);
        assertArrayEquals(new double[] {mean - radius, mean + radius}, eig.values(), TOL64 * 4);
        assertDecomposition(a, eig, TOL64);
    }

    /** A Gram of 40 samples in 96 dimensions: rank 40, so 56 eigenvalues are zero up to rounding. */
    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void rankDeficientGramHasZeroEigenvalues(String backend) {
        SplittableRandom rng = new SplittableRandom(3);
        DMatrix g = EigenTestSupport.gram(40, 96, rng);
        SymmetricEigen eig = Linalg.using(backend).eigen(g, true);
        assertDecomposition(g, eig, TOL64);
        double top = eig.values()[95];
        for (int i = 0; i < 56; i++) {
            assertTrue(Math.abs(eig.values()[i]) <= TOL64 * top, "eigenvalue " + i + " is zero: " + eig.values()[i]);
        }
        assertTrue(eig.values()[56] > 1e-6 * top, "rank is 40");
    }

    /**
     * The LOES shape: a 768 x 768 Gram of 300 samples, eigenvalues only. 468 eigenvalues are zero up to
     * rounding, none is meaningfully negative, and they sum to the trace.
     */
    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void encoderSizedGramOfFewSamples(String backend) {
        SplittableRandom rng = new SplittableRandom(768);
        DMatrix g = EigenTestSupport.gram(300, 768, rng);
        double[] w = Linalg.using(backend).eigenvalues(g);
        double top = w[767];
        double trace = 0;
        double sum = 0;
        for (int i = 0; i < 768; i++) {
            trace += g.get(i, i);
            sum += w[i];
        }
        assertEquals(trace, sum, TOL64 * 768 * top, "sum of eigenvalues = trace");
        assertTrue(w[0] >= -TOL64 * top, "PSD up to rounding: smallest " + w[0]);
        for (int i = 0; i < 468; i++) {
            assertTrue(Math.abs(w[i]) <= TOL64 * top, "eigenvalue " + i + " is zero: " + w[i]);
        }
        assertTrue(w[468] > 1e-6 * top, "rank is 300");
    }

    /**
     * Scaling by a power of two is exact, and the solver normalises magnitude by powers of two, so
     * eigenvalues of {@code 2^k A} are exactly {@code 2^k} times those of A even near overflow or
     * underflow.
     */
    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void extremeMagnitudesScaleExactly(String backend) {
        SplittableRandom rng = new SplittableRandom(5);
        DMatrix a = EigenTestSupport.randomSymmetric(20, rng);
        double[] w = Linalg.using(backend).eigenvalues(a);
        for (int k : new int[] {1000, 600, -600, -1000}) {
            DMatrix b = a.copy();
            for (int i = 0; i < 20; i++) {
                for (int j = 0; j < 20; j++) {
                    b.set(i, j, Math.scalb(a.get(i, j), k));
                }
            }
            double[] wb = Linalg.using(backend).eigenvalues(b);
            for (int i = 0; i < 20; i++) {
                assertEquals(Math.scalb(w[i], k), wb[i], 0.0, "2^" + k + " scaling, eigenvalue " + i);
            }
        }
    }

    /** Eigenvalues from 1e-12 to 1e12: recovered to normwise accuracy, every pair still a good pair. */
    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void hugeDynamicRange(String backend) {
        SplittableRandom rng = new SplittableRandom(9);
        int n = 25;
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = Math.pow(10, i - 12) * (i % 2 == 0 ? 1 : -1);
        }
        DMatrix a = EigenTestSupport.withSpectrum(s, rng);
        SymmetricEigen eig = Linalg.using(backend).eigen(a, true);
        double[] expected = s.clone();
        Arrays.sort(expected);
        assertTrue(EigenTestSupport.maxAbsDifference(expected, eig.values()) <= TOL64 * 1e12);
        assertDecomposition(a, eig, TOL64);
        double[] oracle = JacobiEigenvalues.of(a);
        assertTrue(EigenTestSupport.maxAbsDifference(oracle, eig.values()) <= TOL64 * 1e12);
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void onlyTheLowerTriangleIsRead(String backend) {
        SplittableRandom rng = new SplittableRandom(13);
        DMatrix a = EigenTestSupport.randomSymmetric(12, rng);
        DMatrix garbage = a.copy();
        for (int i = 0; i < 12; i++) {
            for (int j = i + 1; j < 12; j++) {
                garbage.set(i, j, 1e300);
            }
        }
        assertArrayEquals(Linalg.using(backend).eigenvalues(a), Linalg.using(backend).eigenvalues(garbage), 0.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void stridedViewsInAndOut(String backend) {
        SplittableRandom rng = new SplittableRandom(17);
        DMatrix big = EigenTestSupport.randomSymmetric(20, rng);
        DMatrix a = big.view(3, 3, 11, 11);
        DMatrix out = DMatrix.zeros(15, 15);
        DMatrix vectors = out.view(2, 4, 11, 11);
        double[] w = new double[11];
        Linalg.using(backend).backends().kernel(org.loes4j.linalg.spi.EigenKernel.class).dsyev(a.copy(), w, vectors);
        assertDecomposition(a.copy(), new SymmetricEigen(w, vectors.copy()), TOL64);
        assertEquals(0.0, out.get(0, 0), 0.0, "nothing written outside the view");
        assertEquals(0.0, out.get(14, 14), 0.0, "nothing written outside the view");
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("backendsAndSizes")
    void float32TwinMatchesFloat64(String backend, int n) {
        SplittableRandom rng = new SplittableRandom(2000 + n);
        FMatrix af = EigenTestSupport.randomSymmetric(n, rng).toFMatrix();
        DMatrix ad = EigenTestSupport.widen(af);
        FMatrix vf = FMatrix.zeros(n, n);
        float[] wf = Linalg.using(backend).eigen(af, vf);
        double[] wd = Linalg.using(backend).eigenvalues(ad);
        double scale = EigenTestSupport.scale(wd);
        for (int i = 0; i < n; i++) {
            assertEquals(wd[i], wf[i], TOL32 * scale, "eigenvalue " + i);
        }
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = wf[i];
        }
        assertDecomposition(ad, new SymmetricEigen(w, EigenTestSupport.widen(vf)), TOL32);
        float[] valuesOnly = Linalg.using(backend).eigenvalues(af);
        assertArrayEquals(wf, valuesOnly, (float) (TOL32 * scale));
    }

    @Test
    void nonFiniteInputIsRejectedNamingTheEntry() {
        DMatrix a = DMatrix.identity(4);
        a.set(2, 1, Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Linalg.using("scalar").eigenvalues(a));
        assertTrue(e.getMessage().contains("a: entry (2, 1)"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void kernelRejectsMismatchedOutputs(String backend) {
        org.loes4j.linalg.spi.EigenKernel kernel =
                Linalg.using(backend).backends().kernel(org.loes4j.linalg.spi.EigenKernel.class);
        DMatrix a = DMatrix.identity(4);
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                () -> kernel.dsyev(a, new double[3], null));
        assertTrue(w.getMessage().startsWith("w: length 3"), w.getMessage());
        IllegalArgumentException v = assertThrows(IllegalArgumentException.class,
                () -> kernel.dsyev(a, new double[4], DMatrix.zeros(4, 5)));
        assertTrue(v.getMessage().startsWith("vectors:"), v.getMessage());
        IllegalArgumentException sq = assertThrows(IllegalArgumentException.class,
                () -> kernel.ssyev(FMatrix.zeros(3, 4), new float[3], null));
        assertTrue(sq.getMessage().startsWith("a:"), sq.getMessage());
    }

    /** Values ascending, residuals and orthogonality within {@code tol}. */
    static void assertDecomposition(DMatrix a, SymmetricEigen eig, double tol) {
        int n = a.rows();
        assertEquals(n, eig.values().length);
        for (int i = 1; i < n; i++) {
            assertTrue(eig.values()[i - 1] <= eig.values()[i], "ascending at " + i);
        }
        if (n == 0) {
            return;
        }
        double residual = EigenTestSupport.worstResidual(a, eig.values(), eig.vectors());
        assertTrue(residual <= tol, "max ||Av - wv|| / ||A|| = " + residual + " > " + tol);
        double orth = EigenTestSupport.orthogonalityError(eig.vectors());
        assertTrue(orth <= tol, "max |VT V - I| = " + orth + " > " + tol);
    }
}
