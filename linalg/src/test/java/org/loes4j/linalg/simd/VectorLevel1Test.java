package org.loes4j.linalg.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.spi.VectorKernel;

/** The Vector API level-1 kernels against the scalar reference, on awkward lengths and offsets. */
class VectorLevel1Test {
    private static final long SEED = 1122L;
    private static final VectorKernel SCALAR = Linalg.using("scalar").backends().kernel(VectorKernel.class);
    private static final VectorKernel VECTOR = Linalg.using("vector").backends().kernel(VectorKernel.class);
    /** Dot products: n-term sums in another order differ by at most about 2 n u sum |x_i y_i|. */
    private static final double DOT_FACTOR = 2.0;
    /** axpy: one fused multiply-add against a multiply then add, at most one rounding apart per element. */
    private static final double AXPY_ULPS = 1.0;
    private static final double DOUBLE_UNIT = Math.ulp(1.0) / 2;
    private static final int X_OFFSET = 3;
    private static final int Y_OFFSET = 5;

    @Test
    void vectorBackendServesLevel1() {
        assertInstanceOf(VectorKernels.class, VECTOR);
    }

    private static double[] randomD(int n, SplittableRandom rng) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextDouble(-1, 1);
        }
        return x;
    }

    private static float[] randomF(int n, SplittableRandom rng) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextDouble(-1, 1);
        }
        return x;
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {0, 1, 7, 17, 63, 64, 65, 1000})
    void dotProductsMatchScalar(int n) {
        SplittableRandom rng = new SplittableRandom(SEED + n);
        double[] x = randomD(n + X_OFFSET, rng);
        double[] y = randomD(n + Y_OFFSET, rng);
        double abs = 0;
        for (int i = 0; i < n; i++) {
            abs += Math.abs(x[X_OFFSET + i] * y[Y_OFFSET + i]);
        }
        double tol = DOT_FACTOR * n * DOUBLE_UNIT * abs;
        assertEquals(SCALAR.ddot(n, x, X_OFFSET, y, Y_OFFSET), VECTOR.ddot(n, x, X_OFFSET, y, Y_OFFSET), tol, "ddot");

        float[] xf = randomF(n + X_OFFSET, rng);
        float[] yf = randomF(n + Y_OFFSET, rng);
        double absF = 0;
        for (int i = 0; i < n; i++) {
            absF += Math.abs((double) xf[X_OFFSET + i] * yf[Y_OFFSET + i]);
        }
        // sdot accumulates in float64 by contract, so the float64 bound applies.
        assertEquals(SCALAR.sdot(n, xf, X_OFFSET, yf, Y_OFFSET), VECTOR.sdot(n, xf, X_OFFSET, yf, Y_OFFSET),
                DOT_FACTOR * n * DOUBLE_UNIT * absF, "sdot");
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {0, 1, 7, 17, 63, 64, 65, 1000})
    void axpyAndScalMatchScalar(int n) {
        SplittableRandom rng = new SplittableRandom(SEED + 7L * n);
        double alpha = -0.37;
        double[] x = randomD(n + X_OFFSET, rng);
        double[] y0 = randomD(n + Y_OFFSET, rng);
        double[] yRef = y0.clone();
        double[] yVec = y0.clone();
        SCALAR.daxpy(n, alpha, x, X_OFFSET, yRef, Y_OFFSET);
        VECTOR.daxpy(n, alpha, x, X_OFFSET, yVec, Y_OFFSET);
        for (int i = 0; i < yRef.length; i++) {
            assertEquals(yRef[i], yVec[i], AXPY_ULPS * Math.ulp(Math.abs(y0[i]) + Math.abs(alpha * xAt(x, i))),
                    "daxpy element " + i);
        }

        float alphaF = -0.37f;
        float[] xf = randomF(n + X_OFFSET, rng);
        float[] yf0 = randomF(n + Y_OFFSET, rng);
        float[] yfRef = yf0.clone();
        float[] yfVec = yf0.clone();
        SCALAR.saxpy(n, alphaF, xf, X_OFFSET, yfRef, Y_OFFSET);
        VECTOR.saxpy(n, alphaF, xf, X_OFFSET, yfVec, Y_OFFSET);
        for (int i = 0; i < yfRef.length; i++) {
            float scale = Math.abs(yf0[i]) + Math.abs(alphaF * xAt(xf, i));
            assertEquals(yfRef[i], yfVec[i], AXPY_ULPS * 2 * Math.ulp(scale), "saxpy element " + i);
        }

        double[] s0 = randomD(n + X_OFFSET, rng);
        double[] sRef = s0.clone();
        double[] sVec = s0.clone();
        SCALAR.dscal(n, alpha, sRef, X_OFFSET);
        VECTOR.dscal(n, alpha, sVec, X_OFFSET);
        assertArrayEqualsExactly(sRef, sVec, "dscal");

        float[] sf0 = randomF(n + X_OFFSET, rng);
        float[] sfRef = sf0.clone();
        float[] sfVec = sf0.clone();
        SCALAR.sscal(n, alphaF, sfRef, X_OFFSET);
        VECTOR.sscal(n, alphaF, sfVec, X_OFFSET);
        for (int i = 0; i < sfRef.length; i++) {
            assertEquals(sfRef[i], sfVec[i], 0.0f, "sscal element " + i);
        }
    }

    /** x aligned with y's element i (zero outside the range the kernel touches). */
    private static double xAt(double[] x, int yIndex) {
        int i = yIndex - Y_OFFSET + X_OFFSET;
        return yIndex >= Y_OFFSET && i < x.length ? x[i] : 0;
    }

    private static float xAt(float[] x, int yIndex) {
        int i = yIndex - Y_OFFSET + X_OFFSET;
        return yIndex >= Y_OFFSET && i < x.length ? x[i] : 0;
    }

    /** Scaling is one rounded multiply per element in both kernels: results must be identical. */
    private static void assertArrayEqualsExactly(double[] want, double[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 0.0, what + " element " + i);
        }
    }
}
