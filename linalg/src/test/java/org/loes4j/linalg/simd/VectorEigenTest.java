package org.loes4j.linalg.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.decomp.EigenTestSupport;
import org.loes4j.linalg.decomp.RowOps;
import org.loes4j.linalg.decomp.SymmetricEigen;
import org.loes4j.linalg.spi.EigenKernel;

/**
 * The Vector API eigen kernel against its scalar twin: each SIMD row primitive against a plain loop on
 * awkward lengths and offsets, and whole decompositions against the scalar backend, including sizes
 * where the reduction and the QL rotations are split over the executor.
 */
class VectorEigenTest {
    /** Row primitives: the SIMD sums are reassociated, so agreement is to rounding, relative to the data. */
    private static final double PRIMITIVE_TOL = 1e-13;
    /** Eigenvalues of the two backends, relative to the largest magnitude. */
    private static final double VALUES_TOL = 1e-12;
    private static final int[] LENGTHS = {0, 1, 2, 7, 17, 63, 64, 65, 1000};
    private static final RowOps SIMD = new VectorEigen.SimdRowOps();

    @Test
    void vectorBackendServesTheVectorKernel() {
        assertSame(VectorEigen.INSTANCE, Linalg.using("vector").backends().kernel(EigenKernel.class));
    }

    private static double[] random(int n, SplittableRandom rng) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextDouble(-1.0, 1.0);
        }
        return x;
    }

    @Test
    void rowPrimitivesMatchPlainLoops() {
        SplittableRandom rng = new SplittableRandom(41);
        for (int n : LENGTHS) {
            int xo = 3;
            int yo = 5;
            double[] x = random(n + 8, rng);
            double[] y = random(n + 8, rng);
            double[] v = random(n + 8, rng);
            double dot = 0;
            for (int k = 0; k < n; k++) {
                dot += x[xo + k] * y[yo + k];
            }
            assertEquals(dot, SIMD.dot(n, x, xo, y, yo), PRIMITIVE_TOL * (n + 1), "dot n=" + n);

            double[] yAxpy = y.clone();
            SIMD.axpy(n, 0.7, x, xo, yAxpy, yo);
            double[] yExpected = y.clone();
            for (int k = 0; k < n; k++) {
                yExpected[yo + k] += 0.7 * x[xo + k];
            }
            assertArrayEquals(yExpected, yAxpy, PRIMITIVE_TOL, "axpy n=" + n);

            double[] yFused = y.clone();
            double fused = SIMD.dotAndAxpy(n, x, xo, v, 1, -1.3, yFused, yo);
            double fusedDot = 0;
            yExpected = y.clone();
            for (int k = 0; k < n; k++) {
                fusedDot += x[xo + k] * v[1 + k];
                yExpected[yo + k] += -1.3 * x[xo + k];
            }
            assertEquals(fusedDot, fused, PRIMITIVE_TOL * (n + 1), "dotAndAxpy n=" + n);
            assertArrayEquals(yExpected, yFused, PRIMITIVE_TOL, "dotAndAxpy n=" + n);

            double[] y2 = y.clone();
            SIMD.axpy2(n, 0.25, x, xo, -2.0, v, 2, y2, yo);
            yExpected = y.clone();
            for (int k = 0; k < n; k++) {
                yExpected[yo + k] += 0.25 * x[xo + k] - 2.0 * v[2 + k];
            }
            assertArrayEquals(yExpected, y2, PRIMITIVE_TOL, "axpy2 n=" + n);

            double[] row = x.clone();
            double[] p = new double[n + 8];
            double got = SIMD.updateDotAndAxpy(n, row, xo, 0.5, y, yo, -0.75, v, 0, v, 4, 1.5, p, 2);
            double[] rowExpected = x.clone();
            double[] pExpected = new double[n + 8];
            double s = 0;
            for (int k = 0; k < n; k++) {
                double r = x[xo + k] + 0.5 * y[yo + k] - 0.75 * v[k];
                rowExpected[xo + k] = r;
                s += r * v[4 + k];
                pExpected[2 + k] += 1.5 * r;
            }
            assertEquals(s, got, PRIMITIVE_TOL * (n + 1), "updateDotAndAxpy n=" + n);
            assertArrayEquals(rowExpected, row, PRIMITIVE_TOL, "updateDotAndAxpy row n=" + n);
            assertArrayEquals(pExpected, p, PRIMITIVE_TOL, "updateDotAndAxpy y n=" + n);

            double[] a = random(2 * n + 8, rng);
            double[] a2 = a.clone();
            double[] y3 = y.clone();
            double[] dots = new double[2];
            SIMD.updateDotAndAxpy2(n, a2, 1, n + 4, 0.5, -0.25, 1.5, 0.75, x, xo, y, yo, v, 3, -0.6, 0.9, y3, 2, dots);
            double[] aExpected = a.clone();
            double[] y3Expected = y.clone();
            double d0 = 0;
            double d1 = 0;
            for (int k = 0; k < n; k++) {
                double r0 = a[1 + k] + 0.5 * x[xo + k] - 0.25 * y[yo + k];
                double r1 = a[n + 4 + k] + 1.5 * x[xo + k] + 0.75 * y[yo + k];
                aExpected[1 + k] = r0;
                aExpected[n + 4 + k] = r1;
                d0 += r0 * v[3 + k];
                d1 += r1 * v[3 + k];
                y3Expected[2 + k] += -0.6 * r0 + 0.9 * r1;
            }
            assertEquals(d0, dots[0], PRIMITIVE_TOL * (n + 1), "updateDotAndAxpy2 dot 0 n=" + n);
            assertEquals(d1, dots[1], PRIMITIVE_TOL * (n + 1), "updateDotAndAxpy2 dot 1 n=" + n);
            assertArrayEquals(aExpected, a2, PRIMITIVE_TOL, "updateDotAndAxpy2 rows n=" + n);
            assertArrayEquals(y3Expected, y3, PRIMITIVE_TOL, "updateDotAndAxpy2 y n=" + n);
        }
    }

    /** Three sweeps over different row ranges; 600 columns is large enough to be split over the executor. */
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 17, 65, 600})
    void rotateSweepsMatchOneRotationAtATime(int n) {
        SplittableRandom rng = new SplittableRandom(43 + n);
        int rows = Math.max(2, Math.min(n, 300));
        double[] z = random(rows * n, rng);
        int count = 3;
        double[][] c = new double[count][rows];
        double[][] s = new double[count][rows];
        for (int b = 0; b < count; b++) {
            for (int i = 0; i < rows; i++) {
                double angle = rng.nextDouble(0, 2 * Math.PI);
                c[b][i] = Math.cos(angle);
                s[b][i] = Math.sin(angle);
            }
        }
        int[] lo = {rows > 2 ? 1 : 0, 0, rows / 2};
        int[] hi = {rows - 1, rows - 1, rows - 1};
        double[] expected = z.clone();
        for (int b = 0; b < count; b++) {
            for (int i = hi[b] - 1; i >= lo[b]; i--) {
                for (int k = 0; k < n; k++) {
                    double zi = expected[i * n + k];
                    double zj = expected[(i + 1) * n + k];
                    expected[i * n + k] = c[b][i] * zi - s[b][i] * zj;
                    expected[(i + 1) * n + k] = s[b][i] * zi + c[b][i] * zj;
                }
            }
        }
        SIMD.rotateSweeps(n, count, lo, hi, c, s, z);
        assertArrayEquals(expected, z, PRIMITIVE_TOL * rows);
    }

    /** 500 exceeds the reduction's parallel threshold, so its passes run split over the executor. */
    @ParameterizedTest
    @ValueSource(ints = {7, 65, 129, 300, 500})
    void eigenvaluesAgreeWithScalarBackend(int n) {
        DMatrix a = EigenTestSupport.randomSymmetric(n, new SplittableRandom(47 + n));
        double[] scalar = Linalg.using("scalar").eigenvalues(a);
        double[] vector = Linalg.using("vector").eigenvalues(a);
        double diff = EigenTestSupport.maxAbsDifference(scalar, vector);
        assertTrue(diff <= VALUES_TOL * EigenTestSupport.scale(scalar), "max difference " + diff);
    }

    @ParameterizedTest
    @ValueSource(ints = {300, 450})
    void largeDecompositionSatisfiesDefinition(int n) {
        DMatrix a = EigenTestSupport.randomSymmetric(n, new SplittableRandom(53 + n));
        SymmetricEigen eig = Linalg.using("vector").eigen(a, true);
        double residual = EigenTestSupport.worstResidual(a, eig.values(), eig.vectors());
        assertTrue(residual <= VALUES_TOL, "max ||Av - wv|| / ||A|| = " + residual);
        double orth = EigenTestSupport.orthogonalityError(eig.vectors());
        assertTrue(orth <= VALUES_TOL, "max |VT V - I| = " + orth);
        double[] scalar = Linalg.using("scalar").eigenvalues(a);
        assertTrue(EigenTestSupport.maxAbsDifference(scalar, eig.values()) <= VALUES_TOL * EigenTestSupport.scale(scalar));
    }

    @Test
    void sameInputSameBitsAcrossRuns() {
        DMatrix a = EigenTestSupport.randomSymmetric(500, new SplittableRandom(59));
        SymmetricEigen first = Linalg.using("vector").eigen(a, true);
        SymmetricEigen second = Linalg.using("vector").eigen(a, true);
        assertArrayEquals(first.values(), second.values(), 0.0);
        assertArrayEquals(first.vectors().data(), second.vectors().data(), 0.0);
    }
}
