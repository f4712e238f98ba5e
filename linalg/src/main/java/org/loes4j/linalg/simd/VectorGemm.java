package org.loes4j.linalg.simd;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Transpose;
import org.loes4j.linalg.concurrent.LinalgExecutor;
import org.loes4j.linalg.spi.GemmKernel;

/**
 * Vector API GEMM, {@code C = alpha op(A) op(B) + beta C}, on the packed, register-tiled engines
 * {@link PackedDgemm} and {@link PackedSgemm}; a narrow C (a few columns) with A not transposed is
 * computed without packing A. Products of at least {@link #PARALLEL_MIN_MACS} multiply-adds are split into
 * stripes of C run over {@link LinalgExecutor#parallelFor}; smaller ones stay on the calling thread. Row
 * stripes (C narrow, at least as tall as wide, or tall enough: {@link Split#of}) share one packing of
 * op(B), itself split between the threads ({@code multiplyRowStripes}), unless op(B) is small
 * ({@link #SHARED_B_MIN}) and each stripe packs it again; column stripes (C short and wide) each pack the
 * short op(A) again. Results do not depend on the thread count. Inputs are trusted:
 * {@code org.loes4j.linalg.Linalg} has checked shapes and aliasing.
 */
final class VectorGemm implements GemmKernel {
    /**
     * Below this many multiply-adds (m n k) the product stays on the calling thread. 2^21 is 0.05-0.1 ms of
     * single-thread work here; a parallelFor of trivial tasks measured about 5 us (2 threads, busy
     * machine), and the packed path runs two per panel of op(B) (row stripes) or repacks op(A) per stripe
     * (column stripes).
     */
    static final long PARALLEL_MIN_MACS = 1L << 21;
    /** Stripes per thread: more than one, so a thread slowed by other load does not hold up the rest. */
    private static final int STRIPES_PER_THREAD = 2;
    /**
     * Packed row stripes per thread: finer than {@link #STRIPES_PER_THREAD}, as they share op(B)'s packing
     * and cost no repacking; a thread slowed by other load then holds up each panel's barrier by less.
     */
    private static final int ROW_STRIPES_PER_THREAD = 4;
    /**
     * Fewest op(B) elements (k n) for which row stripes share one packing of op(B). Sharing costs a second
     * parallelFor (thread wake-ups, tens of microseconds on a loaded machine); below this size repacking
     * op(B) per stripe is cheaper. At n = 256 (k n = 2^16) sharing ran at 110 GFLOP/s against 160 with
     * repacking (float32, 2 threads, busy machine).
     */
    static final long SHARED_B_MIN = 1L << 18;

    static final VectorGemm INSTANCE = new VectorGemm();

    private VectorGemm() {
    }

    @Override
    public void dgemm(Transpose transA, Transpose transB, double alpha, DMatrix a, DMatrix b, double beta, DMatrix c) {
        boolean ta = transA == Transpose.YES;
        boolean tb = transB == Transpose.YES;
        int m = c.rows();
        int n = c.cols();
        int k = ta ? a.rows() : a.cols();
        double[] ad = a.data();
        double[] bd = b.data();
        double[] cd = c.data();
        int ao = a.offset();
        int as = a.stride();
        int bo = b.offset();
        int bs = b.stride();
        int co = c.offset();
        int cs = c.stride();
        if (!ta && PackedDgemm.narrow(n, k)) {
            Split rows = Split.rows(m, n, k, PackedDgemm.MR);
            if (rows.tasks == 1) {
                PackedDgemm.multiplyNarrow(ad, ao, as, tb, bd, bo, bs, cd, co, cs, k, 0, m, n, alpha, beta,
                        PackedDgemm.workspace());
                return;
            }
            LinalgExecutor.parallelFor(rows.tasks, t -> {
                int lo = t * rows.chunk;
                int hi = Math.min(m, lo + rows.chunk);
                PackedDgemm.multiplyNarrow(ad, ao, as, tb, bd, bo, bs, cd, co, cs, k, lo, hi, n, alpha, beta,
                        PackedDgemm.workspace());
            });
            return;
        }
        Split split = Split.of(m, n, k, PackedDgemm.MR, PackedDgemm.NR, PackedDgemm.MC);
        if (split.tasks == 1) {
            PackedDgemm.multiply(ta, ad, ao, as, tb, bd, bo, bs, cd, co, cs, k, 0, m, 0, n, false,
                    alpha, beta, PackedDgemm.workspace());
            return;
        }
        if (split.rows && (long) k * n >= SHARED_B_MIN) {
            PackedDgemm.multiplyRowStripes(ta, ad, ao, as, tb, bd, bo, bs, cd, co, cs, m, n, k, alpha, beta,
                    split.chunk, LinalgExecutor.threads());
            return;
        }
        LinalgExecutor.parallelFor(split.tasks, t -> {
            int lo = t * split.chunk;
            int hi = Math.min(split.rows ? m : n, lo + split.chunk);
            PackedDgemm.multiply(ta, ad, ao, as, tb, bd, bo, bs, cd, co, cs, k,
                    split.rows ? lo : 0, split.rows ? hi : m, split.rows ? 0 : lo, split.rows ? n : hi, false,
                    alpha, beta, PackedDgemm.workspace());
        });
    }

    @Override
    public void sgemm(Transpose transA, Transpose transB, float alpha, FMatrix a, FMatrix b, float beta, FMatrix c) {
        boolean ta = transA == Transpose.YES;
        boolean tb = transB == Transpose.YES;
        int m = c.rows();
        int n = c.cols();
        int k = ta ? a.rows() : a.cols();
        float[] ad = a.data();
        float[] bd = b.data();
        float[] cd = c.data();
        int ao = a.offset();
        int as = a.stride();
        int bo = b.offset();
        int bs = b.stride();
        int co = c.offset();
        int cs = c.stride();
        if (!ta && PackedSgemm.narrow(n, k)) {
            Split rows = Split.rows(m, n, k, PackedSgemm.MR);
            if (rows.tasks == 1) {
                PackedSgemm.multiplyNarrow(ad, ao, as, tb, bd, bo, bs, cd, co, cs, k, 0, m, n, alpha, beta,
                        PackedSgemm.workspace());
                return;
            }
            LinalgExecutor.parallelFor(rows.tasks, t -> {
                int lo = t * rows.chunk;
                int hi = Math.min(m, lo + rows.chunk);
                PackedSgemm.multiplyNarrow(ad, ao, as, tb, bd, bo, bs, cd, co, cs, k, lo, hi, n, alpha, beta,
                        PackedSgemm.workspace());
            });
            return;
        }
        Split split = Split.of(m, n, k, PackedSgemm.MR, PackedSgemm.NR, PackedSgemm.MC);
        if (split.tasks == 1) {
            PackedSgemm.multiply(ta, ad, ao, as, tb, bd, bo, bs, cd, co, cs, k, 0, m, 0, n, false,
                    alpha, beta, PackedSgemm.workspace());
            return;
        }
        if (split.rows && (long) k * n >= SHARED_B_MIN) {
            PackedSgemm.multiplyRowStripes(ta, ad, ao, as, tb, bd, bo, bs, cd, co, cs, m, n, k, alpha, beta,
                    split.chunk, LinalgExecutor.threads());
            return;
        }
        LinalgExecutor.parallelFor(split.tasks, t -> {
            int lo = t * split.chunk;
            int hi = Math.min(split.rows ? m : n, lo + split.chunk);
            PackedSgemm.multiply(ta, ad, ao, as, tb, bd, bo, bs, cd, co, cs, k,
                    split.rows ? lo : 0, split.rows ? hi : m, split.rows ? 0 : lo, split.rows ? n : hi, false,
                    alpha, beta, PackedSgemm.workspace());
        });
    }

    /**
     * How C is cut between threads: {@code tasks} stripes of {@code chunk} rows (or columns). Packed row
     * stripes share one packing of op(B) ({@code multiplyRowStripes}); packed column stripes each repack
     * all of op(A).
     */
    record Split(int tasks, int chunk, boolean rows) {
        /**
         * The packed path: row stripes when C is at least as tall as wide, or tall enough that a cut of
         * {@link #STRIPES_PER_THREAD} stripes per thread gives each an MC-row block of A (shorter stripes
         * would stream the shared B panel once per short block); column stripes otherwise, where op(A) is
         * short and repacking it per stripe is cheap.
         */
        static Split of(int m, int n, int k, int mr, int nr, int mc) {
            int threads = LinalgExecutor.threads();
            if (threads == 1 || (long) m * n * k < PARALLEL_MIN_MACS) {
                return new Split(1, Math.max(m, n), true);
            }
            if (m >= n || m >= threads * STRIPES_PER_THREAD * mc) {
                int wanted = threads * ((long) k * n >= SHARED_B_MIN ? ROW_STRIPES_PER_THREAD : STRIPES_PER_THREAD);
                int chunk = Math.max(mr, (m + wanted - 1) / wanted);
                int align = chunk >= mc ? mc : mr;
                chunk = (chunk + align - 1) / align * align;
                return new Split((m + chunk - 1) / chunk, chunk, true);
            }
            return split(n, threads, nr, false);
        }

        /** Row stripes only (the narrow path keeps every row's whole inner dimension on one thread). */
        static Split rows(int m, int n, int k, int mr) {
            int threads = LinalgExecutor.threads();
            if (threads == 1 || (long) m * n * k < PARALLEL_MIN_MACS) {
                return new Split(1, Math.max(m, n), true);
            }
            return split(m, threads, mr, true);
        }

        /** {@link #STRIPES_PER_THREAD} stripes per thread over {@code extent}, rounded up to {@code align}. */
        private static Split split(int extent, int threads, int align, boolean rows) {
            int wanted = threads * STRIPES_PER_THREAD;
            int chunk = Math.max(align, (extent + wanted - 1) / wanted);
            chunk = (chunk + align - 1) / align * align;
            return new Split((extent + chunk - 1) / chunk, chunk, rows);
        }
    }
}
