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
import org.loes4j.linalg.concurrent.LinalgExecutor;
import org.loes4j.linalg.spi.GemmKernel;

/** The Vector API GEMM against the scalar reference, on awkward shapes, transposes, views and alpha/beta. */
class VectorGemmTest {
    private static final long SEED = 20261122L;
    private static final Linalg SCALAR = Linalg.using("scalar");
    private static final Linalg VECTOR = Linalg.using("vector");

    /** (m, n, k): empty, single, odd, around vector and tile multiples, tall, wide, long inner dimension. */
    private static final int[][] SHAPES = {
        {0, 5, 3}, {5, 0, 3}, {4, 6, 0}, {1, 1, 1}, {7, 7, 7}, {17, 7, 63}, {7, 17, 64}, {63, 65, 17},
        {64, 64, 64}, {65, 63, 65}, {1000, 65, 17}, {17, 1000, 7}, {9, 17, 1000}, {1, 65, 63}, {65, 1, 63},
    };
    /** (alpha, beta): plain product, negative alpha with C ignored, accumulate with a negative beta. */
    private static final double[][] SCALINGS = {{1, 0}, {-0.5, 0}, {0.75, -1.25}};

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (int[] s : SHAPES) {
            for (Transpose ta : Transpose.values()) {
                for (Transpose tb : Transpose.values()) {
                    for (double[] ab : SCALINGS) {
                        out.add(Arguments.of(s[0], s[1], s[2], ta, tb, ab[0], ab[1]));
                    }
                }
            }
        }
        return out.stream();
    }

    @Test
    void vectorBackendServesGemm() {
        assertInstanceOf(VectorGemm.class, VECTOR.backends().kernel(GemmKernel.class));
    }

    @ParameterizedTest(name = "dgemm {0}x{1}x{2} {3}{4} alpha={5} beta={6}")
    @MethodSource("cases")
    void dgemmMatchesScalar(int m, int n, int k, Transpose ta, Transpose tb, double alpha, double beta) {
        SplittableRandom rng = new SplittableRandom(SEED + 31L * m + 17L * n + k);
        DMatrix a = ta == Transpose.NO ? ProductCheck.stridedD(m, k, rng) : ProductCheck.stridedD(k, m, rng);
        DMatrix b = tb == Transpose.NO ? ProductCheck.stridedD(k, n, rng) : ProductCheck.stridedD(n, k, rng);
        DMatrix cParent = DMatrix.random(m + 3, n + 3, rng);
        DMatrix c = cParent.view(2, 1, m, n);
        if (beta == 0) {
            c.fill(Double.NaN);
        }
        DMatrix before = cParent.copy();
        DMatrix ref = c.copy();
        SCALAR.gemm(ta, tb, alpha, a, b, beta, ref);
        VECTOR.gemm(ta, tb, alpha, a, b, beta, c);
        ProductCheck.assertProductClose("dgemm", c.toArray(), ref.toArray(),
                ProductCheck.absProductD(ta, a, tb, b, m, n, k), alpha, beta,
                before.view(2, 1, m, n).toArray(), k, DOUBLE_UNIT);
        assertOutsideUntouched(before.toArray(), cParent.toArray(), 2, 1, m, n);
    }

    @ParameterizedTest(name = "sgemm {0}x{1}x{2} {3}{4} alpha={5} beta={6}")
    @MethodSource("cases")
    void sgemmMatchesScalar(int m, int n, int k, Transpose ta, Transpose tb, double alpha, double beta) {
        SplittableRandom rng = new SplittableRandom(SEED + 37L * m + 13L * n + k);
        FMatrix a = ta == Transpose.NO ? ProductCheck.stridedF(m, k, rng) : ProductCheck.stridedF(k, m, rng);
        FMatrix b = tb == Transpose.NO ? ProductCheck.stridedF(k, n, rng) : ProductCheck.stridedF(n, k, rng);
        FMatrix cParent = FMatrix.random(m + 3, n + 3, rng);
        FMatrix c = cParent.view(2, 1, m, n);
        if (beta == 0) {
            c.fill(Float.NaN);
        }
        FMatrix before = cParent.copy();
        FMatrix ref = c.copy();
        SCALAR.gemm(ta, tb, (float) alpha, a, b, (float) beta, ref);
        VECTOR.gemm(ta, tb, (float) alpha, a, b, (float) beta, c);
        ProductCheck.assertProductClose("sgemm", ProductCheck.toDouble(c), ProductCheck.toDouble(ref),
                ProductCheck.absProductF(ta, a, tb, b, m, n, k), alpha, beta,
                ProductCheck.toDouble(before.view(2, 1, m, n)), k, FLOAT_UNIT);
        assertOutsideUntouched(ProductCheck.toDouble(before), ProductCheck.toDouble(cParent), 2, 1, m, n);
    }

    /** Narrow C (few columns, A not transposed) takes the unpacked path; its row stripes equal one thread's run. */
    @Test
    void parallelNarrowProductEqualsSingleThread() {
        int m = 5000;
        int n = 3;
        int k = 200;
        assertTrue((long) m * n * k >= VectorGemm.PARALLEL_MIN_MACS, "shape must be above the threshold");
        assertTrue(PackedDgemm.narrow(n, k) && PackedSgemm.narrow(n, k), "shape must take the narrow path");
        SplittableRandom rng = new SplittableRandom(SEED + 2);
        DMatrix a = ProductCheck.stridedD(m, k, rng);
        DMatrix b = ProductCheck.stridedD(n, k, rng);
        DMatrix c0 = DMatrix.random(m, n, rng);
        DMatrix par = c0.copy();
        DMatrix one = c0.copy();
        VectorGemm.INSTANCE.dgemm(Transpose.NO, Transpose.YES, -1.0, a, b, 0.5, par);
        PackedDgemm.multiplyNarrow(a.data(), a.offset(), a.stride(), true, b.data(), b.offset(), b.stride(),
                one.data(), 0, n, k, 0, m, n, -1.0, 0.5, PackedDgemm.workspace());
        assertArrayEquals(one.data(), par.data(), "dgemm " + m + "x" + n + "x" + k);

        FMatrix af = ProductCheck.stridedF(m, k, rng);
        FMatrix bf = ProductCheck.stridedF(k, n, rng);
        FMatrix parF = FMatrix.zeros(m, n);
        FMatrix oneF = FMatrix.zeros(m, n);
        VectorGemm.INSTANCE.sgemm(Transpose.NO, Transpose.NO, 1f, af, bf, 0f, parF);
        PackedSgemm.multiplyNarrow(af.data(), af.offset(), af.stride(), false, bf.data(), bf.offset(),
                bf.stride(), oneF.data(), 0, n, k, 0, m, n, 1f, 0f, PackedSgemm.workspace());
        assertArrayEquals(oneF.data(), parF.data(), "sgemm " + m + "x" + n + "x" + k);
    }

    /**
     * C wider than one B panel (NC columns) and an inner dimension longer than one slice (KC), through the
     * public kernel (which splits columns between threads here) and through one single-threaded engine run.
     */
    @Test
    void productsSpanningSeveralPanelsAndSlices() {
        SplittableRandom rng = new SplittableRandom(SEED + 3);
        int m = 9;
        int n = PackedDgemm.NC + 17;
        int k = PackedDgemm.KC + 5;
        DMatrix a = ProductCheck.stridedD(m, k, rng);
        DMatrix b = ProductCheck.stridedD(n, k, rng);
        DMatrix c0 = DMatrix.random(m, n, rng);
        DMatrix ref = c0.copy();
        SCALAR.gemm(Transpose.NO, Transpose.YES, 1.5, a, b, -0.5, ref);
        double[][] abs = ProductCheck.absProductD(Transpose.NO, a, Transpose.YES, b, m, n, k);
        DMatrix viaKernel = c0.copy();
        VectorGemm.INSTANCE.dgemm(Transpose.NO, Transpose.YES, 1.5, a, b, -0.5, viaKernel);
        ProductCheck.assertProductClose("dgemm kernel", viaKernel.toArray(), ref.toArray(), abs, 1.5, -0.5,
                c0.toArray(), k, DOUBLE_UNIT);
        DMatrix oneRun = c0.copy();
        PackedDgemm.multiply(false, a.data(), a.offset(), a.stride(), true, b.data(), b.offset(), b.stride(),
                oneRun.data(), 0, n, k, 0, m, 0, n, false, 1.5, -0.5, PackedDgemm.workspace());
        assertArrayEquals(oneRun.data(), viaKernel.data(), "dgemm threads vs one run");

        int nf = PackedSgemm.NC + 17;
        int kf = PackedSgemm.KC + 5;
        int mf = 2;
        FMatrix af = ProductCheck.stridedF(kf, mf, rng);
        FMatrix bf = ProductCheck.stridedF(kf, nf, rng);
        FMatrix cf = FMatrix.zeros(mf, nf);
        FMatrix reff = FMatrix.zeros(mf, nf);
        SCALAR.gemm(Transpose.YES, Transpose.NO, 1f, af, bf, 0f, reff);
        VectorGemm.INSTANCE.sgemm(Transpose.YES, Transpose.NO, 1f, af, bf, 0f, cf);
        ProductCheck.assertProductClose("sgemm kernel", ProductCheck.toDouble(cf), ProductCheck.toDouble(reff),
                ProductCheck.absProductF(Transpose.YES, af, Transpose.NO, bf, mf, nf, kf), 1, 0, null, kf,
                FLOAT_UNIT);
    }

    /** Elements of the parent outside the view of C must keep their values. */
    private static void assertOutsideUntouched(double[][] before, double[][] after, int r0, int c0, int m, int n) {
        for (int i = 0; i < before.length; i++) {
            for (int j = 0; j < before[i].length; j++) {
                boolean inside = i >= r0 && i < r0 + m && j >= c0 && j < c0 + n;
                if (!inside) {
                    assertEquals(before[i][j], after[i][j], 0.0, "element (" + i + ", " + j + ") outside C changed");
                }
            }
        }
    }

    /**
     * Above the parallel threshold C is split into stripes over the executor; every element is computed in
     * the same order as on one thread, so the results are bitwise equal. Tall (row stripes) and wide
     * (column stripes) products, both precisions.
     */
    @Test
    void parallelProductEqualsSingleThread() {
        int[][] shapes = {{301, 130, 67}, {130, 301, 67}};
        SplittableRandom rng = new SplittableRandom(SEED);
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            assertTrue((long) m * n * k >= VectorGemm.PARALLEL_MIN_MACS, "shape must be above the threshold");
            VectorGemm.Split split = VectorGemm.Split.of(m, n, k, PackedDgemm.MR, PackedDgemm.NR, PackedDgemm.MC);
            assertEquals(LinalgExecutor.threads() > 1, split.tasks() > 1, "split " + split);

            DMatrix a = ProductCheck.stridedD(k, m, rng);
            DMatrix b = ProductCheck.stridedD(k, n, rng);
            DMatrix c0 = DMatrix.random(m, n, rng);
            DMatrix par = c0.copy();
            DMatrix one = c0.copy();
            VectorGemm.INSTANCE.dgemm(Transpose.YES, Transpose.NO, 0.5, a, b, 1.5, par);
            PackedDgemm.multiply(true, a.data(), a.offset(), a.stride(), false, b.data(), b.offset(), b.stride(),
                    one.data(), 0, n, k, 0, m, 0, n, false, 0.5, 1.5, PackedDgemm.workspace());
            assertArrayEquals(one.data(), par.data(), "dgemm " + m + "x" + n + "x" + k);

            FMatrix af = ProductCheck.stridedF(m, k, rng);
            FMatrix bf = ProductCheck.stridedF(n, k, rng);
            FMatrix parF = FMatrix.zeros(m, n);
            FMatrix oneF = FMatrix.zeros(m, n);
            VectorGemm.INSTANCE.sgemm(Transpose.NO, Transpose.YES, 1f, af, bf, 0f, parF);
            PackedSgemm.multiply(false, af.data(), af.offset(), af.stride(), true, bf.data(), bf.offset(),
                    bf.stride(), oneF.data(), 0, n, k, 0, m, 0, n, false, 1f, 0f, PackedSgemm.workspace());
            assertArrayEquals(oneF.data(), parF.data(), "sgemm " + m + "x" + n + "x" + k);

            FMatrix refF = FMatrix.zeros(m, n);
            SCALAR.gemm(Transpose.NO, Transpose.YES, 1f, af, bf, 0f, refF);
            ProductCheck.assertProductClose("parallel sgemm", ProductCheck.toDouble(parF), ProductCheck.toDouble(refF),
                    ProductCheck.absProductF(Transpose.NO, af, Transpose.YES, bf, m, n, k), 1, 0, null, k,
                    FLOAT_UNIT);
        }
    }

    /** (rows per stripe in units of MR, most packing tasks per panel) for {@link #rowStripesEqualOneRun}. */
    private static final int[][] ROW_SPLITS = {{1, 1}, {3, 3}, {5, 7}, {4, 2}, {2, 64}};

    static Stream<Arguments> transposes() {
        List<Arguments> out = new ArrayList<>();
        for (Transpose ta : Transpose.values()) {
            for (Transpose tb : Transpose.values()) {
                out.add(Arguments.of(ta, tb));
            }
        }
        return out.stream();
    }

    /**
     * Row stripes over one shared packing of op(B) ({@code multiplyRowStripes}) give bitwise the one-run
     * result for any stripe height and any split of the packing (including more packing tasks than
     * slivers, and stripe counts a 3- or 5-thread cut would make), on C wider than two B panels with an
     * inner dimension longer than one slice (so op(B) is shared in more than one group of panels) and rows
     * not a multiple of MR, written through a view.
     */
    @ParameterizedTest(name = "row stripes {0}{1}")
    @MethodSource("transposes")
    void rowStripesEqualOneRun(Transpose ta, Transpose tb) {
        SplittableRandom rng = new SplittableRandom(SEED + 5 + ta.ordinal() * 2 + tb.ordinal());
        boolean tA = ta == Transpose.YES;
        boolean tB = tb == Transpose.YES;
        int m = 29;
        int n = 2 * PackedDgemm.NC + 17;
        int k = PackedDgemm.KC + 5;
        assertTrue((long) n * k > PackedDgemm.SHARED_B_MAX, "op(B) must take more than one shared group");
        DMatrix a = tA ? ProductCheck.stridedD(k, m, rng) : ProductCheck.stridedD(m, k, rng);
        DMatrix b = tB ? ProductCheck.stridedD(n, k, rng) : ProductCheck.stridedD(k, n, rng);
        DMatrix parent0 = DMatrix.random(m + 3, n + 2, rng);
        DMatrix one = parent0.copy();
        DMatrix oneC = one.view(1, 2, m, n);
        PackedDgemm.multiply(tA, a.data(), a.offset(), a.stride(), tB, b.data(), b.offset(), b.stride(),
                oneC.data(), oneC.offset(), oneC.stride(), k, 0, m, 0, n, false, 0.75, -1.25,
                PackedDgemm.workspace());
        for (int[] split : ROW_SPLITS) {
            DMatrix striped = parent0.copy();
            DMatrix c = striped.view(1, 2, m, n);
            PackedDgemm.multiplyRowStripes(tA, a.data(), a.offset(), a.stride(), tB, b.data(), b.offset(),
                    b.stride(), c.data(), c.offset(), c.stride(), m, n, k, 0.75, -1.25,
                    split[0] * PackedDgemm.MR, split[1]);
            assertArrayEquals(one.data(), striped.data(), "dgemm stripes " + split[0] + "xMR, " + split[1]
                    + " packing tasks");
        }
        DMatrix ref = parent0.view(1, 2, m, n).copy();
        SCALAR.gemm(ta, tb, 0.75, a, b, -1.25, ref);
        ProductCheck.assertProductClose("dgemm stripes vs scalar", oneC.toArray(), ref.toArray(),
                ProductCheck.absProductD(ta, a, tb, b, m, n, k), 0.75, -1.25,
                parent0.view(1, 2, m, n).toArray(), k, DOUBLE_UNIT);

        int nf = 2 * PackedSgemm.NC + 17;
        int kf = PackedSgemm.KC + 5;
        assertTrue((long) nf * kf > PackedSgemm.SHARED_B_MAX, "op(B) must take more than one shared group");
        FMatrix af = tA ? ProductCheck.stridedF(kf, m, rng) : ProductCheck.stridedF(m, kf, rng);
        FMatrix bf = tB ? ProductCheck.stridedF(nf, kf, rng) : ProductCheck.stridedF(kf, nf, rng);
        FMatrix parentF = FMatrix.random(m + 3, nf + 2, rng);
        parentF.view(1, 2, m, nf).fill(Float.NaN);
        FMatrix oneF = parentF.copy();
        FMatrix oneCF = oneF.view(1, 2, m, nf);
        PackedSgemm.multiply(tA, af.data(), af.offset(), af.stride(), tB, bf.data(), bf.offset(), bf.stride(),
                oneCF.data(), oneCF.offset(), oneCF.stride(), kf, 0, m, 0, nf, false, -0.5f, 0f,
                PackedSgemm.workspace());
        for (int[] split : ROW_SPLITS) {
            FMatrix striped = parentF.copy();
            FMatrix c = striped.view(1, 2, m, nf);
            PackedSgemm.multiplyRowStripes(tA, af.data(), af.offset(), af.stride(), tB, bf.data(), bf.offset(),
                    bf.stride(), c.data(), c.offset(), c.stride(), m, nf, kf, -0.5f, 0f,
                    split[0] * PackedSgemm.MR, split[1]);
            assertArrayEquals(oneF.data(), striped.data(), "sgemm stripes " + split[0] + "xMR, " + split[1]
                    + " packing tasks");
        }
        FMatrix refF = FMatrix.zeros(m, nf);
        SCALAR.gemm(ta, tb, -0.5f, af, bf, 0f, refF);
        ProductCheck.assertProductClose("sgemm stripes vs scalar", ProductCheck.toDouble(oneCF),
                ProductCheck.toDouble(refF), ProductCheck.absProductF(ta, af, tb, bf, m, nf, kf), -0.5, 0, null,
                kf, FLOAT_UNIT);
        assertOutsideUntouched(ProductCheck.toDouble(parentF), ProductCheck.toDouble(oneF), 1, 2, m, nf);
    }

    /**
     * C wider than tall but with enough rows (an encoder's {@code X W}, scaled down) is cut into row
     * stripes sharing op(B)'s packing; through the public kernel the result equals one engine run bitwise
     * and the scalar reference within the product bound.
     */
    @Test
    void wideProductWithEnoughRowsTakesSharedRowStripes() {
        int m = 300;
        int n = 700;
        int k = 380;
        SplittableRandom rng = new SplittableRandom(SEED + 4);
        assertTrue((long) m * n * k >= VectorGemm.PARALLEL_MIN_MACS, "shape must be above the threshold");
        assertTrue((long) k * n >= VectorGemm.SHARED_B_MIN, "op(B) must be large enough to share");
        VectorGemm.Split split = VectorGemm.Split.of(m, n, k, PackedDgemm.MR, PackedDgemm.NR, PackedDgemm.MC);
        VectorGemm.Split splitF = VectorGemm.Split.of(m, n, k, PackedSgemm.MR, PackedSgemm.NR, PackedSgemm.MC);
        boolean parallel = LinalgExecutor.threads() > 1;
        assertEquals(parallel, split.tasks() > 1 && split.rows(), "split " + split);
        assertEquals(parallel, splitF.tasks() > 1 && splitF.rows(), "split " + splitF);

        DMatrix a = ProductCheck.stridedD(m, k, rng);
        DMatrix b = ProductCheck.stridedD(k, n, rng);
        DMatrix c0 = DMatrix.random(m, n, rng);
        DMatrix par = c0.copy();
        DMatrix one = c0.copy();
        VectorGemm.INSTANCE.dgemm(Transpose.NO, Transpose.NO, 1.0, a, b, 1.0, par);
        PackedDgemm.multiply(false, a.data(), a.offset(), a.stride(), false, b.data(), b.offset(), b.stride(),
                one.data(), 0, n, k, 0, m, 0, n, false, 1.0, 1.0, PackedDgemm.workspace());
        assertArrayEquals(one.data(), par.data(), "dgemm " + m + "x" + n + "x" + k);

        FMatrix af = ProductCheck.stridedF(k, m, rng);
        FMatrix bf = ProductCheck.stridedF(k, n, rng);
        FMatrix parF = FMatrix.zeros(m, n);
        FMatrix oneF = FMatrix.zeros(m, n);
        VectorGemm.INSTANCE.sgemm(Transpose.YES, Transpose.NO, 1f, af, bf, 0f, parF);
        PackedSgemm.multiply(true, af.data(), af.offset(), af.stride(), false, bf.data(), bf.offset(),
                bf.stride(), oneF.data(), 0, n, k, 0, m, 0, n, false, 1f, 0f, PackedSgemm.workspace());
        assertArrayEquals(oneF.data(), parF.data(), "sgemm " + m + "x" + n + "x" + k);
        FMatrix refF = FMatrix.zeros(m, n);
        SCALAR.gemm(Transpose.YES, Transpose.NO, 1f, af, bf, 0f, refF);
        ProductCheck.assertProductClose("shared-row-stripe sgemm", ProductCheck.toDouble(parF),
                ProductCheck.toDouble(refF), ProductCheck.absProductF(Transpose.YES, af, Transpose.NO, bf, m, n, k),
                1, 0, null, k, FLOAT_UNIT);
    }
}
