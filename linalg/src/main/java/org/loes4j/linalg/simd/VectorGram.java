package org.loes4j.linalg.simd;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Transpose;
import org.loes4j.linalg.concurrent.LinalgExecutor;
import org.loes4j.linalg.spi.GramKernel;

/**
 * Vector API Gram product (BLAS syrk): {@code C = alpha AT A + beta C} ({@code trans == YES}, C is
 * cols x cols) or {@code C = alpha A AT + beta C} ({@code trans == NO}, C is rows x rows). Written as the
 * product {@code op1(A) op2(A)} on the GEMM engines with only the micro-tiles touching the lower triangle
 * computed (about half the work), then the strict upper triangle is copied from the lower one. C's
 * upper triangle is never read. Large products are split into row blocks of C over
 * {@link LinalgExecutor#parallelFor}, the largest (lowest) blocks first.
 */
final class VectorGram implements GramKernel {
    /**
     * Rows of C per parallel task. Work of a row block grows with its index, so blocks are handed out
     * bottom first and kept small enough that the last ones balance the threads.
     */
    private static final int ROW_BLOCK = 96;
    /** Block edge of the cache-blocked mirror (32 float64 = 4 cache lines per row segment). */
    private static final int MIRROR_BLOCK = 32;

    static final VectorGram INSTANCE = new VectorGram();

    private VectorGram() {
    }

    @Override
    public void dsyrk(Transpose trans, double alpha, DMatrix a, double beta, DMatrix c) {
        dsyrk(trans, alpha, a, beta, c, true);
    }

    /** No mirroring: the strict upper triangle of C is left unspecified (a blocked Cholesky reads only the lower one). */
    @Override
    public void dsyrkLower(Transpose trans, double alpha, DMatrix a, double beta, DMatrix c) {
        dsyrk(trans, alpha, a, beta, c, false);
    }

    private static void dsyrk(Transpose trans, double alpha, DMatrix a, double beta, DMatrix c, boolean mirrorUpper) {
        boolean aFirst = trans == Transpose.YES;
        int n = c.rows();
        int k = aFirst ? a.rows() : a.cols();
        double[] ad = a.data();
        double[] cd = c.data();
        int ao = a.offset();
        int as = a.stride();
        int co = c.offset();
        int cs = c.stride();
        int blocks = blocks(n, k);
        if (blocks == 1) {
            PackedDgemm.multiply(aFirst, ad, ao, as, !aFirst, ad, ao, as, cd, co, cs, k, 0, n, 0, n, true,
                    alpha, beta, PackedDgemm.workspace());
            if (mirrorUpper) {
                mirror(cd, co, cs, 0, n);
            }
            return;
        }
        LinalgExecutor.parallelFor(blocks, t -> {
            int i0 = (blocks - 1 - t) * ROW_BLOCK;
            int i1 = Math.min(n, i0 + ROW_BLOCK);
            PackedDgemm.multiply(aFirst, ad, ao, as, !aFirst, ad, ao, as, cd, co, cs, k, i0, i1, 0, i1, true,
                    alpha, beta, PackedDgemm.workspace());
            if (mirrorUpper) {
                mirror(cd, co, cs, i0, i1);
            }
        });
    }

    @Override
    public void ssyrk(Transpose trans, float alpha, FMatrix a, float beta, FMatrix c) {
        ssyrk(trans, alpha, a, beta, c, true);
    }

    /** No mirroring: the strict upper triangle of C is left unspecified (a blocked Cholesky reads only the lower one). */
    @Override
    public void ssyrkLower(Transpose trans, float alpha, FMatrix a, float beta, FMatrix c) {
        ssyrk(trans, alpha, a, beta, c, false);
    }

    private static void ssyrk(Transpose trans, float alpha, FMatrix a, float beta, FMatrix c, boolean mirrorUpper) {
        boolean aFirst = trans == Transpose.YES;
        int n = c.rows();
        int k = aFirst ? a.rows() : a.cols();
        float[] ad = a.data();
        float[] cd = c.data();
        int ao = a.offset();
        int as = a.stride();
        int co = c.offset();
        int cs = c.stride();
        int blocks = blocks(n, k);
        if (blocks == 1) {
            PackedSgemm.multiply(aFirst, ad, ao, as, !aFirst, ad, ao, as, cd, co, cs, k, 0, n, 0, n, true,
                    alpha, beta, PackedSgemm.workspace());
            if (mirrorUpper) {
                mirror(cd, co, cs, 0, n);
            }
            return;
        }
        LinalgExecutor.parallelFor(blocks, t -> {
            int i0 = (blocks - 1 - t) * ROW_BLOCK;
            int i1 = Math.min(n, i0 + ROW_BLOCK);
            PackedSgemm.multiply(aFirst, ad, ao, as, !aFirst, ad, ao, as, cd, co, cs, k, i0, i1, 0, i1, true,
                    alpha, beta, PackedSgemm.workspace());
            if (mirrorUpper) {
                mirror(cd, co, cs, i0, i1);
            }
        });
    }

    /** Number of row blocks: 1 (the calling thread does all) below the GEMM parallel threshold. */
    private static int blocks(int n, int k) {
        if (LinalgExecutor.threads() == 1 || (long) n * n * k / 2 < VectorGemm.PARALLEL_MIN_MACS) {
            return 1;
        }
        return (n + ROW_BLOCK - 1) / ROW_BLOCK;
    }

    /**
     * For rows i in [i0, i1): {@code C[j, i] = C[i, j]} for every j < i. Square blocks keep the column
     * writes within a few cache lines per row (768 x 768, thread CPU time: 0.78 ms row by row, 0.39 ms
     * blocked).
     */
    static void mirror(double[] c, int co, int cs, int i0, int i1) {
        for (int ib = i0; ib < i1; ib += MIRROR_BLOCK) {
            int ie = Math.min(i1, ib + MIRROR_BLOCK);
            for (int jb = 0; jb < ie; jb += MIRROR_BLOCK) {
                for (int i = ib; i < ie; i++) {
                    int row = co + i * cs;
                    int je = Math.min(i, jb + MIRROR_BLOCK);
                    for (int j = jb; j < je; j++) {
                        c[co + j * cs + i] = c[row + j];
                    }
                }
            }
        }
    }

    /** Float32 twin of {@link #mirror(double[], int, int, int, int)}. */
    static void mirror(float[] c, int co, int cs, int i0, int i1) {
        for (int ib = i0; ib < i1; ib += MIRROR_BLOCK) {
            int ie = Math.min(i1, ib + MIRROR_BLOCK);
            for (int jb = 0; jb < ie; jb += MIRROR_BLOCK) {
                for (int i = ib; i < ie; i++) {
                    int row = co + i * cs;
                    int je = Math.min(i, jb + MIRROR_BLOCK);
                    for (int j = jb; j < je; j++) {
                        c[co + j * cs + i] = c[row + j];
                    }
                }
            }
        }
    }
}
