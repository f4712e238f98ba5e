package org.loes4j.linalg.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.Transpose;
import org.loes4j.linalg.decomp.CholeskyTestSupport;
import org.loes4j.linalg.scalar.ScalarBackend;
import org.loes4j.linalg.spi.CholeskyKernel;
import org.loes4j.linalg.spi.GemmKernel;
import org.loes4j.linalg.spi.GramKernel;

/**
 * The blocked Vector API Cholesky (with its own trailing-update loops, whatever Gram kernel the backend
 * has) against the scalar reference on awkward sizes, both precisions, strided views, and sizes where
 * the panel solve and the trailing update are split over the executor.
 */
class VectorCholeskyTest {
    /** Float64 elementwise agreement with the scalar factor, relative to the largest entry of L. */
    private static final double TOL64 = 1e-12;
    /** Float32 elementwise agreement (different summation order in float32). */
    private static final double TOL32 = 1e-4;

    private static final CholeskyKernel OWN_LOOPS = new VectorCholesky(null);
    private static final CholeskyKernel SCALAR = new ScalarBackend().kernel(CholeskyKernel.class);

    @Test
    void vectorBackendServesTheVectorKernel() {
        assertInstanceOf(VectorCholesky.class, Linalg.using("vector").backends().kernel(CholeskyKernel.class));
    }

    private static double maxAbs(DMatrix a) {
        double m = 0;
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                m = Math.max(m, Math.abs(a.get(i, j)));
            }
        }
        return m == 0 ? 1 : m;
    }

    private static double maxDiff(DMatrix a, DMatrix b) {
        double m = 0;
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                m = Math.max(m, Math.abs(a.get(i, j) - b.get(i, j)));
            }
        }
        return m;
    }

    private static DMatrix widen(FMatrix f) {
        DMatrix d = DMatrix.zeros(f.rows(), f.cols());
        for (int i = 0; i < f.rows(); i++) {
            for (int j = 0; j < f.cols(); j++) {
                d.set(i, j, f.get(i, j));
            }
        }
        return d;
    }

    /** 300 and 520 run the panel solve and the trailing update on the executor (>= 256 rows). */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 17, 63, 64, 65, 127, 128, 129, 300, 520})
    void factorMatchesScalarTwin(int n) {
        DMatrix a = CholeskyTestSupport.spd(n, new SplittableRandom(61 + n));
        DMatrix ls = a.copy();
        SCALAR.dpotrf(ls);
        DMatrix lv = a.copy();
        OWN_LOOPS.dpotrf(lv);
        assertTrue(maxDiff(ls, lv) <= TOL64 * maxAbs(ls), "float64 n=" + n + ": " + maxDiff(ls, lv));

        FMatrix fs = a.toFMatrix();
        SCALAR.spotrf(fs);
        FMatrix fv = a.toFMatrix();
        OWN_LOOPS.spotrf(fv);
        assertTrue(maxDiff(widen(fs), widen(fv)) <= TOL32 * maxAbs(widen(fs)), "float32 n=" + n);
    }

    /** The trailing update through the vector backend's Gram kernel, as the backend's instance runs it. */
    @ParameterizedTest
    @ValueSource(ints = {65, 130, 300})
    void factorWithTheBackendGramKernelMatchesScalarTwin(int n) {
        GramKernel gram = new VectorBackend().kernel(GramKernel.class);
        assertNotNull(gram, "the vector backend offers a Gram kernel");
        CholeskyKernel withGram = new VectorCholesky(gram);
        DMatrix a = CholeskyTestSupport.spd(n, new SplittableRandom(79 + n));
        DMatrix ls = a.copy();
        SCALAR.dpotrf(ls);
        DMatrix lv = a.copy();
        withGram.dpotrf(lv);
        assertTrue(maxDiff(ls, lv) <= TOL64 * maxAbs(ls), "float64 n=" + n + ": " + maxDiff(ls, lv));
        FMatrix fs = a.toFMatrix();
        SCALAR.spotrf(fs);
        FMatrix fv = a.toFMatrix();
        withGram.spotrf(fv);
        assertTrue(maxDiff(widen(fs), widen(fv)) <= TOL32 * maxAbs(widen(fs)), "float32 n=" + n);
    }

    /** Parallel panel solve and trailing update, twice on the same input: bitwise the same factor. */
    @Test
    void sameInputSameBitsAcrossRuns() {
        DMatrix a = CholeskyTestSupport.spd(520, new SplittableRandom(83));
        DMatrix first = a.copy();
        DMatrix second = a.copy();
        CholeskyKernel backendKernel = Linalg.using("vector").backends().kernel(CholeskyKernel.class);
        backendKernel.dpotrf(first);
        backendKernel.dpotrf(second);
        assertArrayEquals(first.data(), second.data(), 0.0);
        DMatrix own = a.copy();
        DMatrix ownAgain = a.copy();
        OWN_LOOPS.dpotrf(own);
        OWN_LOOPS.dpotrf(ownAgain);
        assertArrayEquals(own.data(), ownAgain.data(), 0.0);
    }

    @Test
    void factorsAStridedView() {
        int n = 70;
        DMatrix a = CholeskyTestSupport.spd(n, new SplittableRandom(67));
        DMatrix big = DMatrix.zeros(n + 5, n + 9);
        big.fill(-7.0);
        DMatrix view = big.view(2, 3, n, n);
        view.copyFrom(a);
        OWN_LOOPS.dpotrf(view);
        assertTrue(CholeskyTestSupport.reconstructionError(view, a) <= TOL64);
        assertEquals(-7.0, big.get(0, 0), 0.0, "outside the view untouched");
        assertEquals(-7.0, big.get(2, 3 + n), 0.0, "outside the view untouched");
        assertEquals(-7.0, big.get(n + 4, n + 8), 0.0, "outside the view untouched");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 17, 63, 64, 65, 1000})
    void triangularSolveMatchesScalarTwin(int m) {
        int n = 37;
        SplittableRandom rng = new SplittableRandom(71 + m);
        DMatrix l = CholeskyTestSupport.spd(n, rng);
        SCALAR.dpotrf(l);
        DMatrix b = DMatrix.random(n, m, rng);
        for (Transpose trans : Transpose.values()) {
            DMatrix xs = b.copy();
            SCALAR.dtrsm(trans, l, xs);
            // B as a strided view, to check indexing through offset and stride.
            DMatrix holder = DMatrix.zeros(n + 2, m + 3);
            DMatrix xv = holder.view(1, 2, n, m);
            xv.copyFrom(b);
            OWN_LOOPS.dtrsm(trans, l, xv);
            assertTrue(maxDiff(xs, xv) <= TOL64 * maxAbs(xs), trans + " m=" + m + ": " + maxDiff(xs, xv));
            assertEquals(0.0, holder.get(0, 0), 0.0);

            FMatrix fs = b.toFMatrix();
            SCALAR.strsm(trans, l.toFMatrix(), fs);
            FMatrix fv = b.toFMatrix();
            OWN_LOOPS.strsm(trans, l.toFMatrix(), fv);
            assertTrue(maxDiff(widen(fs), widen(fv)) <= TOL32 * maxAbs(widen(fs)), "float32 " + trans + " m=" + m);
        }
    }

    /** A solve big enough (n * n * m above the threshold) to be split over the executor by column strips. */
    @Test
    void largeTriangularSolveIsSplitAndStillExact() {
        int n = 256;
        int m = 200;
        SplittableRandom rng = new SplittableRandom(73);
        DMatrix l = CholeskyTestSupport.spd(n, rng);
        SCALAR.dpotrf(l);
        DMatrix b = DMatrix.random(n, m, rng);
        for (Transpose trans : Transpose.values()) {
            DMatrix xs = b.copy();
            SCALAR.dtrsm(trans, l, xs);
            DMatrix xv = b.copy();
            OWN_LOOPS.dtrsm(trans, l, xv);
            assertTrue(maxDiff(xs, xv) <= TOL64 * maxAbs(xs), trans.toString());
        }
    }

    /**
     * Blocked solves (n above {@link VectorCholesky#TRSM_BLOCK}: diagonal blocks by strips, the rest by
     * GEMM) against the scalar twin, with a ragged last block, B as a strided view, both precisions.
     */
    @ParameterizedTest
    @ValueSource(ints = {4, 8, 33, 200})
    void blockedTriangularSolveMatchesScalarTwin(int m) {
        CholeskyKernel blocked = new VectorCholesky(null, new VectorBackend().kernel(GemmKernel.class));
        int n = 2 * VectorCholesky.TRSM_BLOCK + 45;
        SplittableRandom rng = new SplittableRandom(79 + m);
        DMatrix l = CholeskyTestSupport.spd(n, rng);
        SCALAR.dpotrf(l);
        DMatrix b = DMatrix.random(n, m, rng);
        for (Transpose trans : Transpose.values()) {
            DMatrix xs = b.copy();
            SCALAR.dtrsm(trans, l, xs);
            DMatrix holder = DMatrix.zeros(n + 3, m + 5);
            holder.fill(-3.0);
            DMatrix xv = holder.view(2, 1, n, m);
            xv.copyFrom(b);
            blocked.dtrsm(trans, l, xv);
            assertTrue(maxDiff(xs, xv) <= TOL64 * maxAbs(xs), trans + " m=" + m + ": " + maxDiff(xs, xv));
            assertEquals(-3.0, holder.get(0, 0), 0.0, "outside the view untouched");
            assertEquals(-3.0, holder.get(n + 2, m + 4), 0.0, "outside the view untouched");
            assertEquals(-3.0, holder.get(5, m + 1), 0.0, "outside the view untouched");

            FMatrix fs = b.toFMatrix();
            SCALAR.strsm(trans, l.toFMatrix(), fs);
            FMatrix fv = b.toFMatrix();
            blocked.strsm(trans, l.toFMatrix(), fv);
            assertTrue(maxDiff(widen(fs), widen(fv)) <= TOL32 * maxAbs(widen(fs)), "float32 " + trans + " m=" + m);
        }
    }
}
