package org.loes4j.linalg.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.loes4j.linalg.simd.ProductCheck.DOUBLE_UNIT;
import static org.loes4j.linalg.simd.ProductCheck.FLOAT_UNIT;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.Transpose;
import org.loes4j.linalg.spi.GramKernel;

/** The Vector API Gram product (syrk) against the scalar reference and against the full GEMM. */
class VectorGramTest {
    private static final long SEED = 7_2026_1122L;
    private static final Linalg SCALAR = Linalg.using("scalar");
    private static final Linalg VECTOR = Linalg.using("vector");

    /** (rows, cols) of A: empty, single, odd, around tile multiples, tall, wide. */
    private static final int[][] SHAPES = {
        {0, 5}, {5, 0}, {1, 1}, {7, 7}, {17, 7}, {7, 17}, {63, 64}, {64, 65}, {65, 63}, {1000, 17}, {17, 1000},
        {30, 100},
    };
    private static final double[][] SCALINGS = {{1, 0}, {-0.5, 0}, {0.75, 1.25}, {2, -1}};

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (int[] s : SHAPES) {
            for (Transpose t : Transpose.values()) {
                for (double[] ab : SCALINGS) {
                    out.add(Arguments.of(s[0], s[1], t, ab[0], ab[1]));
                }
            }
        }
        return out.stream();
    }

    @Test
    void vectorBackendServesGram() {
        assertInstanceOf(VectorGram.class, VECTOR.backends().kernel(GramKernel.class));
    }

    @ParameterizedTest(name = "dsyrk {0}x{1} {2} alpha={3} beta={4}")
    @MethodSource("cases")
    void dsyrkMatchesScalar(int rows, int cols, Transpose trans, double alpha, double beta) {
        SplittableRandom rng = new SplittableRandom(SEED + 31L * rows + cols);
        DMatrix a = ProductCheck.stridedD(rows, cols, rng);
        int n = trans == Transpose.YES ? cols : rows;
        int k = trans == Transpose.YES ? rows : cols;
        // C is deliberately not symmetric: syrk reads only its lower triangle.
        DMatrix c = ProductCheck.stridedD(n, n, rng);
        if (beta == 0) {
            c.fill(Double.NaN);
        }
        DMatrix before = c.copy();
        DMatrix ref = c.copy();
        SCALAR.syrk(trans, alpha, a, beta, ref);
        VECTOR.syrk(trans, alpha, a, beta, c);
        Transpose other = trans == Transpose.YES ? Transpose.NO : Transpose.YES;
        double[][] got = c.toArray();
        ProductCheck.assertProductClose("dsyrk", got, ref.toArray(),
                ProductCheck.absProductD(trans, a, other, a, n, n, k), alpha, beta, lowerMirrored(before.toArray()),
                k, DOUBLE_UNIT);
        assertSymmetric(got);
    }

    @ParameterizedTest(name = "ssyrk {0}x{1} {2} alpha={3} beta={4}")
    @MethodSource("cases")
    void ssyrkMatchesScalar(int rows, int cols, Transpose trans, double alpha, double beta) {
        SplittableRandom rng = new SplittableRandom(SEED + 37L * rows + cols);
        FMatrix a = ProductCheck.stridedF(rows, cols, rng);
        int n = trans == Transpose.YES ? cols : rows;
        int k = trans == Transpose.YES ? rows : cols;
        FMatrix c = ProductCheck.stridedF(n, n, rng);
        if (beta == 0) {
            c.fill(Float.NaN);
        }
        FMatrix before = c.copy();
        FMatrix ref = c.copy();
        SCALAR.syrk(trans, (float) alpha, a, (float) beta, ref);
        VECTOR.syrk(trans, (float) alpha, a, (float) beta, c);
        Transpose other = trans == Transpose.YES ? Transpose.NO : Transpose.YES;
        double[][] got = ProductCheck.toDouble(c);
        ProductCheck.assertProductClose("ssyrk", got, ProductCheck.toDouble(ref),
                ProductCheck.absProductF(trans, a, other, a, n, n, k), alpha, beta,
                lowerMirrored(ProductCheck.toDouble(before)), k, FLOAT_UNIT);
        assertSymmetric(got);
    }

    /** The lower triangle of the Gram product is exactly the GEMM {@code op(A) op'(A)}: same engine, same order. */
    @Test
    void lowerTriangleEqualsGemm() {
        SplittableRandom rng = new SplittableRandom(SEED);
        DMatrix a = ProductCheck.stridedD(97, 70, rng);
        DMatrix gram = DMatrix.zeros(70, 70);
        DMatrix full = DMatrix.zeros(70, 70);
        VECTOR.syrk(Transpose.YES, 1.0, a, 0.0, gram);
        VECTOR.gemm(Transpose.YES, Transpose.NO, 1.0, a, a, 0.0, full);
        for (int i = 0; i < 70; i++) {
            for (int j = 0; j <= i; j++) {
                assertEquals(full.get(i, j), gram.get(i, j), 0.0, "element (" + i + ", " + j + ")");
            }
        }
    }

    /**
     * Above the parallel threshold the row blocks of C run over the executor; each element is computed in
     * the same order as on one thread, so the results are bitwise equal to the engine run on one thread.
     */
    @Test
    void parallelGramEqualsSingleThread() {
        SplittableRandom rng = new SplittableRandom(SEED + 1);
        int rows = 150;
        int cols = 230;
        assertTrue((long) cols * cols * rows / 2 >= VectorGemm.PARALLEL_MIN_MACS, "shape must be above the threshold");
        DMatrix a = ProductCheck.stridedD(rows, cols, rng);
        DMatrix c0 = DMatrix.random(cols, cols, rng);
        DMatrix par = c0.copy();
        DMatrix one = c0.copy();
        VectorGram.INSTANCE.dsyrk(Transpose.YES, 0.5, a, 2.0, par);
        PackedDgemm.multiply(true, a.data(), a.offset(), a.stride(), false, a.data(), a.offset(), a.stride(),
                one.data(), 0, cols, rows, 0, cols, 0, cols, true, 0.5, 2.0, PackedDgemm.workspace());
        VectorGram.mirror(one.data(), 0, cols, 0, cols);
        assertArrayEquals(one.data(), par.data(), "dsyrk");

        FMatrix af = ProductCheck.stridedF(cols, rows, rng);
        FMatrix parF = FMatrix.zeros(cols, cols);
        FMatrix oneF = FMatrix.zeros(cols, cols);
        VectorGram.INSTANCE.ssyrk(Transpose.NO, 1f, af, 0f, parF);
        PackedSgemm.multiply(false, af.data(), af.offset(), af.stride(), true, af.data(), af.offset(), af.stride(),
                oneF.data(), 0, cols, rows, 0, cols, 0, cols, true, 1f, 0f, PackedSgemm.workspace());
        VectorGram.mirror(oneF.data(), 0, cols, 0, cols);
        assertArrayEquals(oneF.data(), parF.data(), "ssyrk");

        FMatrix refF = FMatrix.zeros(cols, cols);
        SCALAR.syrk(Transpose.NO, 1f, af, 0f, refF);
        ProductCheck.assertProductClose("parallel ssyrk", ProductCheck.toDouble(parF), ProductCheck.toDouble(refF),
                ProductCheck.absProductF(Transpose.NO, af, Transpose.YES, af, cols, cols, rows), 1, 0, null, rows,
                FLOAT_UNIT);
    }

    /**
     * C wider than one B panel (NC columns): the lower-triangle bookkeeping across panels, on one thread
     * (the engine directly) and split into row blocks (the kernel).
     */
    @Test
    void gramSpanningSeveralPanels() {
        SplittableRandom rng = new SplittableRandom(SEED + 2);
        int n = PackedDgemm.NC + 9;
        int k = 5;
        DMatrix a = ProductCheck.stridedD(k, n, rng);
        DMatrix c0 = DMatrix.random(n, n, rng);
        DMatrix ref = c0.copy();
        SCALAR.syrk(Transpose.YES, 1.0, a, 1.0, ref);
        DMatrix viaKernel = c0.copy();
        VectorGram.INSTANCE.dsyrk(Transpose.YES, 1.0, a, 1.0, viaKernel);
        ProductCheck.assertProductClose("dsyrk", viaKernel.toArray(), ref.toArray(),
                ProductCheck.absProductD(Transpose.YES, a, Transpose.NO, a, n, n, k), 1, 1,
                lowerMirrored(c0.toArray()), k, DOUBLE_UNIT);
        DMatrix oneRun = c0.copy();
        PackedDgemm.multiply(true, a.data(), a.offset(), a.stride(), false, a.data(), a.offset(), a.stride(),
                oneRun.data(), 0, n, k, 0, n, 0, n, true, 1.0, 1.0, PackedDgemm.workspace());
        VectorGram.mirror(oneRun.data(), 0, n, 0, n);
        assertArrayEquals(oneRun.data(), viaKernel.data(), "dsyrk threads vs one run");

        int nf = PackedSgemm.NC + 9;
        int kf = 2;
        FMatrix af = ProductCheck.stridedF(nf, kf, rng);
        FMatrix cf = FMatrix.zeros(nf, nf);
        FMatrix reff = FMatrix.zeros(nf, nf);
        SCALAR.syrk(Transpose.NO, 1f, af, 0f, reff);
        VectorGram.INSTANCE.ssyrk(Transpose.NO, 1f, af, 0f, cf);
        ProductCheck.assertProductClose("ssyrk", ProductCheck.toDouble(cf), ProductCheck.toDouble(reff),
                ProductCheck.absProductF(Transpose.NO, af, Transpose.YES, af, nf, nf, kf), 1, 0, null, kf, FLOAT_UNIT);
        assertSymmetric(ProductCheck.toDouble(cf));
    }

    /** The C that syrk effectively reads: its lower triangle, mirrored. */
    private static double[][] lowerMirrored(double[][] c) {
        double[][] out = new double[c.length][];
        for (int i = 0; i < c.length; i++) {
            out[i] = new double[c[i].length];
            for (int j = 0; j < c[i].length; j++) {
                out[i][j] = i >= j ? c[i][j] : c[j][i];
            }
        }
        return out;
    }

    private static void assertSymmetric(double[][] c) {
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < i; j++) {
                assertEquals(c[i][j], c[j][i], 0.0, "C not symmetric at (" + i + ", " + j + ")");
            }
        }
    }

    /** The lower-only variant: bitwise the same lower triangle as the full syrk (the upper one is unspecified). */
    @Test
    void lowerOnlyVariantWritesTheSameLowerTriangle() {
        GramKernel gram = new VectorBackend().kernel(GramKernel.class);
        for (int[] shape : new int[][] {{7, 5}, {65, 17}, {300, 64}, {1000, 33}}) {
            DMatrix a = DMatrix.random(shape[0], shape[1], new SplittableRandom(shape[0]));
            int n = shape[0];
            DMatrix full = DMatrix.random(n, n, new SplittableRandom(7));
            DMatrix lower = full.copy();
            gram.dsyrk(Transpose.NO, -1.0, a, 1.0, full);
            gram.dsyrkLower(Transpose.NO, -1.0, a, 1.0, lower);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    assertEquals(full.get(i, j), lower.get(i, j), 0.0, "(" + i + ", " + j + ") of " + n);
                }
            }
            FMatrix af = a.toFMatrix();
            FMatrix fullF = lower.toFMatrix();
            FMatrix lowerF = fullF.copy();
            gram.ssyrk(Transpose.NO, -1.0f, af, 1.0f, fullF);
            gram.ssyrkLower(Transpose.NO, -1.0f, af, 1.0f, lowerF);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    assertEquals(fullF.get(i, j), lowerF.get(i, j), 0.0f, "float (" + i + ", " + j + ") of " + n);
                }
            }
        }
    }
}
