package org.loes4j.linalg.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.NotPositiveDefiniteException;
import org.loes4j.linalg.Transpose;
import org.loes4j.linalg.concurrent.LinalgExecutor;
import org.loes4j.linalg.spi.CholeskyKernel;
import org.loes4j.linalg.spi.GemmKernel;
import org.loes4j.linalg.spi.GramKernel;

/**
 * Blocked right-looking Cholesky {@code A = L LT} and triangular solves on the Vector API.
 *
 * <p>{@code potrf}: for each diagonal block of {@link #BLOCK} columns, factor the block with a small
 * unblocked row-oriented kernel (SIMD dot products of rows), solve the panel below it
 * ({@code L21 = A21 L11^-T}, rows independent, split over the executor), then subtract the symmetric
 * rank-kb update {@code A22 -= L21 L21T} from the trailing matrix. The update uses the vector backend's
 * own {@link GramKernel} when it has one, and otherwise this class's SIMD loops (register-tiled axpys
 * over a transposed copy of the panel, split over the executor above {@link #PARALLEL_ROWS} rows). A
 * pivot that is not positive raises {@link NotPositiveDefiniteException} with its global index; only the
 * lower triangle is read, and the strict upper triangle is zeroed on success.
 *
 * <p>{@code trsm}: {@code op(L) X = B} in place, B n x m row-major. Rows of B are contiguous, so the
 * substitution runs on strips of columns ({@code B_i -= L_ik B_k} as SIMD axpys kept in registers),
 * strips split over the executor; with fewer columns than vector lanes each column is solved as a
 * contiguous vector (dot products of rows of L going forward, axpys of rows of L going back).
 * With a GEMM kernel and more than {@link #TRSM_BLOCK} rows the solve is blocked: each diagonal block of
 * {@link #TRSM_BLOCK} rows is solved by the strips above, then the rows still to solve are updated with
 * one GEMM ({@code B_after -= L_after,k X_k} going forward, {@code B_before -= L_k,beforeT X_k} going
 * back), so all but a {@code TRSM_BLOCK / n} share of the multiply-adds run in the packed GEMM engine.
 *
 * <p>Float32 twins accumulate in float32, as LAPACK's spotrf does.
 */
final class VectorCholesky implements CholeskyKernel {
    /**
     * Columns per diagonal block. Measured with {@code bench/run-jmh.sh CholeskyBench} (n = 4608, 1 thread,
     * 2026-11-22, together with the lower-only trailing update): BLOCK 64 took 1242 ms, 128 took 1092 ms
     * (OpenBLAS dpotrf: 761 ms); the rank-128 update keeps the packed GEMM engine's inner loop longer.
     */
    static final int BLOCK = 128;

    /** Trailing blocks or panels with fewer rows run on the calling thread (executor hand-off costs more). */
    static final int PARALLEL_ROWS = 256;

    /** Triangular solves below about this many multiply-adds (n * n * m) stay on the calling thread. */
    static final long PARALLEL_TRSM_FLOPS = 1L << 21;

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /**
     * Rows per diagonal block of the blocked triangular solve: the factorisation's {@link #BLOCK}, so the
     * GEMM updates have the inner dimension the packed engine was tuned on; the effect is measured end to
     * end in bench/RESULTS.md (LOES selection, whose orthogonalisation solves against up to 4 x 768 columns).
     */
    static final int TRSM_BLOCK = 128;

    /** The vector backend's Gram kernel when it has one, else null (use this class's own update). */
    private final GramKernel gram;

    /** The vector backend's GEMM kernel when it has one, else null (triangular solves by strips only). */
    private final GemmKernel gemm;

    /** A kernel that updates the trailing matrix with {@code gram}, or with its own loops when null. */
    VectorCholesky(GramKernel gram) {
        this(gram, null);
    }

    /**
     * As {@link #VectorCholesky(GramKernel)}; triangular solves with more than {@link #TRSM_BLOCK} rows are
     * blocked around {@code gemm} when it is not null.
     */
    VectorCholesky(GramKernel gram, GemmKernel gemm) {
        this.gram = gram;
        this.gemm = gemm;
    }

    /**
     * The backend's instance, built on first use: its trailing update is the vector backend's
     * {@link GramKernel} when that backend has one (looked up on the backend itself, not the process
     * chain, so the vector backend's tests measure vector kernels), else this class's own loops.
     */
    static VectorCholesky instance() {
        return Holder.INSTANCE;
    }

    private static final class Holder {
        static final VectorCholesky INSTANCE = new VectorCholesky(new VectorBackend().kernel(GramKernel.class),
                new VectorBackend().kernel(GemmKernel.class));
    }



    /** Row boundaries splitting the lower triangle of an m x m block into equal-area chunks. */
    static int[] triangleBounds(int m, int tasks) {
        int[] bounds = new int[tasks + 1];
        for (int t = 1; t < tasks; t++) {
            bounds[t] = (int) Math.round(m * Math.sqrt((double) t / tasks));
        }
        bounds[tasks] = m;
        return bounds;
    }

    // ================================================================== float64

    @Override
    public void dpotrf(DMatrix a) {
        int n = a.rows();
        double[] x = a.data();
        int off = a.offset();
        int st = a.stride();
        for (int k0 = 0; k0 < n; k0 += BLOCK) {
            int kb = Math.min(BLOCK, n - k0);
            dfactorBlock(x, off, st, k0, kb);
            int next = k0 + kb;
            int m = n - next;
            if (m == 0) {
                break;
            }
            dsolvePanel(x, off, st, k0, kb, next, n);
            DMatrix l21 = a.view(next, k0, m, kb);
            DMatrix a22 = a.view(next, next, m, m);
            if (gram != null) {
                gram.dsyrkLower(Transpose.NO, -1.0, l21, 1.0, a22);
            } else {
                dsubtractGram(l21, a22);
            }
        }
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(x, off + i * st + i + 1, off + i * st + n, 0.0);
        }
    }

    /**
     * Unblocked row-oriented Cholesky of the kb x kb diagonal block at (k0, k0), whose earlier columns
     * were already subtracted by the trailing updates: {@code L_ij = (A_ij - L_i. . L_j.) / L_jj},
     * {@code L_ii = sqrt(A_ii - L_i. . L_i.)}.
     */
    private static void dfactorBlock(double[] x, int off, int st, int k0, int kb) {
        for (int i = 0; i < kb; i++) {
            int ri = off + (k0 + i) * st + k0;
            for (int j = 0; j < i; j++) {
                int rj = off + (k0 + j) * st + k0;
                x[ri + j] = (x[ri + j] - ddot(j, x, ri, x, rj)) / x[rj + j];
            }
            double d = x[ri + i] - ddot(i, x, ri, x, ri);
            if (!(d > 0)) {
                throw new NotPositiveDefiniteException(k0 + i, d);
            }
            x[ri + i] = Math.sqrt(d);
        }
    }

    /** {@code L21 = A21 L11^-T}, one row of A21 (rows [r0, r1), columns k0..k0+kb) at a time. */
    private static void dsolvePanel(double[] x, int off, int st, int k0, int kb, int r0, int r1) {
        int rows = r1 - r0;
        if (rows >= PARALLEL_ROWS && LinalgExecutor.threads() > 1) {
            int tasks = LinalgExecutor.threads();
            int chunk = (rows + tasks - 1) / tasks;
            LinalgExecutor.parallelFor(tasks, t ->
                    dsolvePanelRows(x, off, st, k0, kb, r0 + t * chunk, Math.min(r1, r0 + (t + 1) * chunk)));
        } else {
            dsolvePanelRows(x, off, st, k0, kb, r0, r1);
        }
    }

    private static void dsolvePanelRows(double[] x, int off, int st, int k0, int kb, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int rr = off + r * st + k0;
            for (int j = 0; j < kb; j++) {
                int rj = off + (k0 + j) * st + k0;
                x[rr + j] = (x[rr + j] - ddot(j, x, rr, x, rj)) / x[rj + j];
            }
        }
    }

    /**
     * The trailing update {@code A22 -= L21 L21T} on the lower triangle of A22 (m x m), with this
     * class's own SIMD loops: L21 (m x kb) is transposed once into a contiguous kb x m panel, so the
     * update of a row of A22 is kb axpys of panel rows; two rows of A22 share every panel load and each
     * loaded strip of four vectors is updated kb times in registers. Rows are split over the executor
     * in chunks of equal triangle area. Entries just above the diagonal may be touched (rows are
     * processed in vector-wide strips); the caller zeroes the strict upper triangle at the end.
     */
    static void dsubtractGram(DMatrix l21, DMatrix a22) {
        int m = a22.rows();
        int kb = l21.cols();
        double[] panel = new double[kb * m];
        for (int i = 0; i < m; i++) {
            int src = l21.index(i, 0);
            for (int p = 0; p < kb; p++) {
                panel[p * m + i] = l21.data()[src + p];
            }
        }
        int tasks = LinalgExecutor.threads();
        if (m >= PARALLEL_ROWS && tasks > 1) {
            int[] bounds = triangleBounds(m, tasks);
            LinalgExecutor.parallelFor(tasks, t -> dsubtractGramRows(l21, a22, panel, bounds[t], bounds[t + 1]));
        } else {
            dsubtractGramRows(l21, a22, panel, 0, m);
        }
    }

    private static void dsubtractGramRows(DMatrix l21, DMatrix a22, double[] panel, int r0, int r1) {
        int m = a22.rows();
        int kb = l21.cols();
        double[] l = l21.data();
        double[] c = a22.data();
        int lanes = D.length();
        int i = r0;
        for (; i + 1 < r1; i += 2) {
            int li0 = l21.index(i, 0);
            int li1 = l21.index(i + 1, 0);
            int ci0 = a22.index(i, 0);
            int ci1 = a22.index(i + 1, 0);
            int width = i + 2;
            int j = 0;
            for (; j + 4 * lanes <= width || (j < width && j + 4 * lanes <= m); j += 4 * lanes) {
                DoubleVector a0 = DoubleVector.fromArray(D, c, ci0 + j);
                DoubleVector a1 = DoubleVector.fromArray(D, c, ci0 + j + lanes);
                DoubleVector a2 = DoubleVector.fromArray(D, c, ci0 + j + 2 * lanes);
                DoubleVector a3 = DoubleVector.fromArray(D, c, ci0 + j + 3 * lanes);
                DoubleVector b0 = DoubleVector.fromArray(D, c, ci1 + j);
                DoubleVector b1 = DoubleVector.fromArray(D, c, ci1 + j + lanes);
                DoubleVector b2 = DoubleVector.fromArray(D, c, ci1 + j + 2 * lanes);
                DoubleVector b3 = DoubleVector.fromArray(D, c, ci1 + j + 3 * lanes);
                for (int p = 0; p < kb; p++) {
                    int po = p * m + j;
                    DoubleVector u0 = DoubleVector.broadcast(D, -l[li0 + p]);
                    DoubleVector u1 = DoubleVector.broadcast(D, -l[li1 + p]);
                    DoubleVector q0 = DoubleVector.fromArray(D, panel, po);
                    DoubleVector q1 = DoubleVector.fromArray(D, panel, po + lanes);
                    DoubleVector q2 = DoubleVector.fromArray(D, panel, po + 2 * lanes);
                    DoubleVector q3 = DoubleVector.fromArray(D, panel, po + 3 * lanes);
                    a0 = q0.fma(u0, a0);
                    a1 = q1.fma(u0, a1);
                    a2 = q2.fma(u0, a2);
                    a3 = q3.fma(u0, a3);
                    b0 = q0.fma(u1, b0);
                    b1 = q1.fma(u1, b1);
                    b2 = q2.fma(u1, b2);
                    b3 = q3.fma(u1, b3);
                }
                a0.intoArray(c, ci0 + j);
                a1.intoArray(c, ci0 + j + lanes);
                a2.intoArray(c, ci0 + j + 2 * lanes);
                a3.intoArray(c, ci0 + j + 3 * lanes);
                b0.intoArray(c, ci1 + j);
                b1.intoArray(c, ci1 + j + lanes);
                b2.intoArray(c, ci1 + j + 2 * lanes);
                b3.intoArray(c, ci1 + j + 3 * lanes);
            }
            for (; j + lanes <= m && j < width; j += lanes) {
                DoubleVector a0 = DoubleVector.fromArray(D, c, ci0 + j);
                DoubleVector b0 = DoubleVector.fromArray(D, c, ci1 + j);
                for (int p = 0; p < kb; p++) {
                    DoubleVector q0 = DoubleVector.fromArray(D, panel, p * m + j);
                    a0 = q0.fma(DoubleVector.broadcast(D, -l[li0 + p]), a0);
                    b0 = q0.fma(DoubleVector.broadcast(D, -l[li1 + p]), b0);
                }
                a0.intoArray(c, ci0 + j);
                b0.intoArray(c, ci1 + j);
            }
            for (; j < width; j++) {
                double s0 = c[ci0 + j];
                double s1 = c[ci1 + j];
                for (int p = 0; p < kb; p++) {
                    double q = panel[p * m + j];
                    s0 -= l[li0 + p] * q;
                    s1 -= l[li1 + p] * q;
                }
                c[ci0 + j] = s0;
                c[ci1 + j] = s1;
            }
        }
        for (; i < r1; i++) {
            int li = l21.index(i, 0);
            int ci = a22.index(i, 0);
            for (int j = 0; j <= i; j++) {
                double s = c[ci + j];
                for (int p = 0; p < kb; p++) {
                    s -= l[li + p] * panel[p * m + j];
                }
                c[ci + j] = s;
            }
        }
    }

    @Override
    public void dtrsm(Transpose trans, DMatrix l, DMatrix b) {
        int n = l.rows();
        int m = b.cols();
        if (m < D.length()) {
            double[] col = new double[n];
            for (int c = 0; c < m; c++) {
                for (int i = 0; i < n; i++) {
                    col[i] = b.get(i, c);
                }
                if (trans == Transpose.NO) {
                    dforwardColumn(l, col);
                } else {
                    dbackwardColumn(l, col);
                }
                for (int i = 0; i < n; i++) {
                    b.set(i, c, col[i]);
                }
            }
            return;
        }
        if (gemm == null || n <= TRSM_BLOCK) {
            dtrsmStrips(trans, l, b);
            return;
        }
        if (trans == Transpose.NO) {
            for (int k0 = 0; k0 < n; k0 += TRSM_BLOCK) {
                int kb = Math.min(TRSM_BLOCK, n - k0);
                DMatrix xk = b.view(k0, 0, kb, m);
                dtrsmStrips(trans, l.view(k0, k0, kb, kb), xk);
                int rest = n - k0 - kb;
                if (rest > 0) {
                    gemm.dgemm(Transpose.NO, Transpose.NO, -1.0, l.view(k0 + kb, k0, rest, kb), xk, 1.0,
                            b.view(k0 + kb, 0, rest, m));
                }
            }
        } else {
            for (int k0 = (n - 1) / TRSM_BLOCK * TRSM_BLOCK; k0 >= 0; k0 -= TRSM_BLOCK) {
                int kb = Math.min(TRSM_BLOCK, n - k0);
                DMatrix xk = b.view(k0, 0, kb, m);
                dtrsmStrips(trans, l.view(k0, k0, kb, kb), xk);
                if (k0 > 0) {
                    gemm.dgemm(Transpose.YES, Transpose.NO, -1.0, l.view(k0, 0, kb, k0), xk, 1.0,
                            b.view(0, 0, k0, m));
                }
            }
        }
    }

    /** The unblocked solve by column strips, split over the executor when large enough. */
    private static void dtrsmStrips(Transpose trans, DMatrix l, DMatrix b) {
        int n = l.rows();
        int m = b.cols();
        int strip = 4 * D.length();
        int strips = (m + strip - 1) / strip;
        int tasks = LinalgExecutor.threads();
        if (tasks > 1 && strips > 1 && (long) n * n * m >= PARALLEL_TRSM_FLOPS) {
            int perTask = (strips + tasks - 1) / tasks;
            LinalgExecutor.parallelFor(tasks, t -> dtrsmColumns(trans, l, b,
                    Math.min(m, t * perTask * strip), Math.min(m, (t + 1) * perTask * strip)));
        } else {
            dtrsmColumns(trans, l, b, 0, m);
        }
    }

    /** {@code x <- L^-1 x} by rows: {@code x_i = (x_i - L_i. . x) / L_ii}. */
    private static void dforwardColumn(DMatrix l, double[] x) {
        double[] ld = l.data();
        for (int i = 0; i < l.rows(); i++) {
            int li = l.index(i, 0);
            x[i] = (x[i] - ddot(i, ld, li, x, 0)) / ld[li + i];
        }
    }

    /** {@code x <- L^-T x} by columns of LT (rows of L): {@code x_i /= L_ii; x_0..i-1 -= x_i L_i.}. */
    private static void dbackwardColumn(DMatrix l, double[] x) {
        double[] ld = l.data();
        for (int i = l.rows() - 1; i >= 0; i--) {
            int li = l.index(i, 0);
            double xi = x[i] / ld[li + i];
            x[i] = xi;
            daxpy(i, -xi, ld, li, x, 0);
        }
    }

    /**
     * Substitution on the columns {@code [c0, c1)} of B, one strip of four vectors at a time: the strip
     * of row i is accumulated in registers against the already solved strips of the other rows
     * ({@code B_i -= L_ik B_k}), then divided by {@code L_ii}.
     */
    private static void dtrsmColumns(Transpose trans, DMatrix l, DMatrix b, int c0, int c1) {
        int n = l.rows();
        double[] ld = l.data();
        double[] x = b.data();
        int lanes = D.length();
        boolean forward = trans == Transpose.NO;
        int j = c0;
        for (; j + 4 * lanes <= c1; j += 4 * lanes) {
            for (int step = 0; step < n; step++) {
                int i = forward ? step : n - 1 - step;
                int bi = b.index(i, j);
                DoubleVector a0 = DoubleVector.fromArray(D, x, bi);
                DoubleVector a1 = DoubleVector.fromArray(D, x, bi + lanes);
                DoubleVector a2 = DoubleVector.fromArray(D, x, bi + 2 * lanes);
                DoubleVector a3 = DoubleVector.fromArray(D, x, bi + 3 * lanes);
                int kFrom = forward ? 0 : i + 1;
                int kTo = forward ? i : n;
                for (int k = kFrom; k < kTo; k++) {
                    double lik = forward ? ld[l.index(i, k)] : ld[l.index(k, i)];
                    DoubleVector u = DoubleVector.broadcast(D, -lik);
                    int bk = b.index(k, j);
                    a0 = DoubleVector.fromArray(D, x, bk).fma(u, a0);
                    a1 = DoubleVector.fromArray(D, x, bk + lanes).fma(u, a1);
                    a2 = DoubleVector.fromArray(D, x, bk + 2 * lanes).fma(u, a2);
                    a3 = DoubleVector.fromArray(D, x, bk + 3 * lanes).fma(u, a3);
                }
                double lii = ld[l.index(i, i)];
                a0.div(lii).intoArray(x, bi);
                a1.div(lii).intoArray(x, bi + lanes);
                a2.div(lii).intoArray(x, bi + 2 * lanes);
                a3.div(lii).intoArray(x, bi + 3 * lanes);
            }
        }
        for (; j + lanes <= c1; j += lanes) {
            for (int step = 0; step < n; step++) {
                int i = forward ? step : n - 1 - step;
                int bi = b.index(i, j);
                DoubleVector a0 = DoubleVector.fromArray(D, x, bi);
                int kFrom = forward ? 0 : i + 1;
                int kTo = forward ? i : n;
                for (int k = kFrom; k < kTo; k++) {
                    double lik = forward ? ld[l.index(i, k)] : ld[l.index(k, i)];
                    a0 = DoubleVector.fromArray(D, x, b.index(k, j)).fma(DoubleVector.broadcast(D, -lik), a0);
                }
                a0.div(ld[l.index(i, i)]).intoArray(x, bi);
            }
        }
        for (; j < c1; j++) {
            for (int step = 0; step < n; step++) {
                int i = forward ? step : n - 1 - step;
                double s = x[b.index(i, j)];
                int kFrom = forward ? 0 : i + 1;
                int kTo = forward ? i : n;
                for (int k = kFrom; k < kTo; k++) {
                    double lik = forward ? ld[l.index(i, k)] : ld[l.index(k, i)];
                    s -= lik * x[b.index(k, j)];
                }
                x[b.index(i, j)] = s / ld[l.index(i, i)];
            }
        }
    }

    private static double ddot(int n, double[] x, int xo, double[] y, int yo) {
        int lanes = D.length();
        DoubleVector acc0 = DoubleVector.zero(D);
        DoubleVector acc1 = DoubleVector.zero(D);
        int k = 0;
        for (; k + 2 * lanes <= n; k += 2 * lanes) {
            acc0 = DoubleVector.fromArray(D, x, xo + k).fma(DoubleVector.fromArray(D, y, yo + k), acc0);
            acc1 = DoubleVector.fromArray(D, x, xo + k + lanes).fma(DoubleVector.fromArray(D, y, yo + k + lanes), acc1);
        }
        for (; k + lanes <= n; k += lanes) {
            acc0 = DoubleVector.fromArray(D, x, xo + k).fma(DoubleVector.fromArray(D, y, yo + k), acc0);
        }
        double s = VectorKernels.sumLanes(acc0.add(acc1));
        for (; k < n; k++) {
            s += x[xo + k] * y[yo + k];
        }
        return s;
    }

    private static void daxpy(int n, double alpha, double[] x, int xo, double[] y, int yo) {
        DoubleVector va = DoubleVector.broadcast(D, alpha);
        int k = 0;
        for (; k + D.length() <= n; k += D.length()) {
            DoubleVector.fromArray(D, x, xo + k).fma(va, DoubleVector.fromArray(D, y, yo + k)).intoArray(y, yo + k);
        }
        for (; k < n; k++) {
            y[yo + k] += alpha * x[xo + k];
        }
    }

    // ================================================================== float32

    @Override
    public void spotrf(FMatrix a) {
        int n = a.rows();
        float[] x = a.data();
        int off = a.offset();
        int st = a.stride();
        for (int k0 = 0; k0 < n; k0 += BLOCK) {
            int kb = Math.min(BLOCK, n - k0);
            sfactorBlock(x, off, st, k0, kb);
            int next = k0 + kb;
            int m = n - next;
            if (m == 0) {
                break;
            }
            ssolvePanel(x, off, st, k0, kb, next, n);
            FMatrix l21 = a.view(next, k0, m, kb);
            FMatrix a22 = a.view(next, next, m, m);
            if (gram != null) {
                gram.ssyrkLower(Transpose.NO, -1.0f, l21, 1.0f, a22);
            } else {
                ssubtractGram(l21, a22);
            }
        }
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(x, off + i * st + i + 1, off + i * st + n, 0.0f);
        }
    }

    /**
     * Unblocked row-oriented Cholesky of the kb x kb diagonal block at (k0, k0), whose earlier columns
     * were already subtracted by the trailing updates: {@code L_ij = (A_ij - L_i. . L_j.) / L_jj},
     * {@code L_ii = sqrt(A_ii - L_i. . L_i.)}.
     */
    private static void sfactorBlock(float[] x, int off, int st, int k0, int kb) {
        for (int i = 0; i < kb; i++) {
            int ri = off + (k0 + i) * st + k0;
            for (int j = 0; j < i; j++) {
                int rj = off + (k0 + j) * st + k0;
                x[ri + j] = (x[ri + j] - sdot(j, x, ri, x, rj)) / x[rj + j];
            }
            float d = x[ri + i] - sdot(i, x, ri, x, ri);
            if (!(d > 0)) {
                throw new NotPositiveDefiniteException(k0 + i, d);
            }
            x[ri + i] = (float) Math.sqrt(d);
        }
    }

    /** {@code L21 = A21 L11^-T}, one row of A21 (rows [r0, r1), columns k0..k0+kb) at a time. */
    private static void ssolvePanel(float[] x, int off, int st, int k0, int kb, int r0, int r1) {
        int rows = r1 - r0;
        if (rows >= PARALLEL_ROWS && LinalgExecutor.threads() > 1) {
            int tasks = LinalgExecutor.threads();
            int chunk = (rows + tasks - 1) / tasks;
            LinalgExecutor.parallelFor(tasks, t ->
                    ssolvePanelRows(x, off, st, k0, kb, r0 + t * chunk, Math.min(r1, r0 + (t + 1) * chunk)));
        } else {
            ssolvePanelRows(x, off, st, k0, kb, r0, r1);
        }
    }

    private static void ssolvePanelRows(float[] x, int off, int st, int k0, int kb, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int rr = off + r * st + k0;
            for (int j = 0; j < kb; j++) {
                int rj = off + (k0 + j) * st + k0;
                x[rr + j] = (x[rr + j] - sdot(j, x, rr, x, rj)) / x[rj + j];
            }
        }
    }

    /**
     * The trailing update {@code A22 -= L21 L21T} on the lower triangle of A22 (m x m), with this
     * class's own SIMD loops: L21 (m x kb) is transposed once into a contiguous kb x m panel, so the
     * update of a row of A22 is kb axpys of panel rows; two rows of A22 share every panel load and each
     * loaded strip of four vectors is updated kb times in registers. Rows are split over the executor
     * in chunks of equal triangle area. Entries just above the diagonal may be touched (rows are
     * processed in vector-wide strips); the caller zeroes the strict upper triangle at the end.
     */
    static void ssubtractGram(FMatrix l21, FMatrix a22) {
        int m = a22.rows();
        int kb = l21.cols();
        float[] panel = new float[kb * m];
        for (int i = 0; i < m; i++) {
            int src = l21.index(i, 0);
            for (int p = 0; p < kb; p++) {
                panel[p * m + i] = l21.data()[src + p];
            }
        }
        int tasks = LinalgExecutor.threads();
        if (m >= PARALLEL_ROWS && tasks > 1) {
            int[] bounds = triangleBounds(m, tasks);
            LinalgExecutor.parallelFor(tasks, t -> ssubtractGramRows(l21, a22, panel, bounds[t], bounds[t + 1]));
        } else {
            ssubtractGramRows(l21, a22, panel, 0, m);
        }
    }

    private static void ssubtractGramRows(FMatrix l21, FMatrix a22, float[] panel, int r0, int r1) {
        int m = a22.rows();
        int kb = l21.cols();
        float[] l = l21.data();
        float[] c = a22.data();
        int lanes = F.length();
        int i = r0;
        for (; i + 1 < r1; i += 2) {
            int li0 = l21.index(i, 0);
            int li1 = l21.index(i + 1, 0);
            int ci0 = a22.index(i, 0);
            int ci1 = a22.index(i + 1, 0);
            int width = i + 2;
            int j = 0;
            for (; j + 4 * lanes <= width || (j < width && j + 4 * lanes <= m); j += 4 * lanes) {
                FloatVector a0 = FloatVector.fromArray(F, c, ci0 + j);
                FloatVector a1 = FloatVector.fromArray(F, c, ci0 + j + lanes);
                FloatVector a2 = FloatVector.fromArray(F, c, ci0 + j + 2 * lanes);
                FloatVector a3 = FloatVector.fromArray(F, c, ci0 + j + 3 * lanes);
                FloatVector b0 = FloatVector.fromArray(F, c, ci1 + j);
                FloatVector b1 = FloatVector.fromArray(F, c, ci1 + j + lanes);
                FloatVector b2 = FloatVector.fromArray(F, c, ci1 + j + 2 * lanes);
                FloatVector b3 = FloatVector.fromArray(F, c, ci1 + j + 3 * lanes);
                for (int p = 0; p < kb; p++) {
                    int po = p * m + j;
                    FloatVector u0 = FloatVector.broadcast(F, -l[li0 + p]);
                    FloatVector u1 = FloatVector.broadcast(F, -l[li1 + p]);
                    FloatVector q0 = FloatVector.fromArray(F, panel, po);
                    FloatVector q1 = FloatVector.fromArray(F, panel, po + lanes);
                    FloatVector q2 = FloatVector.fromArray(F, panel, po + 2 * lanes);
                    FloatVector q3 = FloatVector.fromArray(F, panel, po + 3 * lanes);
                    a0 = q0.fma(u0, a0);
                    a1 = q1.fma(u0, a1);
                    a2 = q2.fma(u0, a2);
                    a3 = q3.fma(u0, a3);
                    b0 = q0.fma(u1, b0);
                    b1 = q1.fma(u1, b1);
                    b2 = q2.fma(u1, b2);
                    b3 = q3.fma(u1, b3);
                }
                a0.intoArray(c, ci0 + j);
                a1.intoArray(c, ci0 + j + lanes);
                a2.intoArray(c, ci0 + j + 2 * lanes);
                a3.intoArray(c, ci0 + j + 3 * lanes);
                b0.intoArray(c, ci1 + j);
                b1.intoArray(c, ci1 + j + lanes);
                b2.intoArray(c, ci1 + j + 2 * lanes);
                b3.intoArray(c, ci1 + j + 3 * lanes);
            }
            for (; j + lanes <= m && j < width; j += lanes) {
                FloatVector a0 = FloatVector.fromArray(F, c, ci0 + j);
                FloatVector b0 = FloatVector.fromArray(F, c, ci1 + j);
                for (int p = 0; p < kb; p++) {
                    FloatVector q0 = FloatVector.fromArray(F, panel, p * m + j);
                    a0 = q0.fma(FloatVector.broadcast(F, -l[li0 + p]), a0);
                    b0 = q0.fma(FloatVector.broadcast(F, -l[li1 + p]), b0);
                }
                a0.intoArray(c, ci0 + j);
                b0.intoArray(c, ci1 + j);
            }
            for (; j < width; j++) {
                float s0 = c[ci0 + j];
                float s1 = c[ci1 + j];
                for (int p = 0; p < kb; p++) {
                    float q = panel[p * m + j];
                    s0 -= l[li0 + p] * q;
                    s1 -= l[li1 + p] * q;
                }
                c[ci0 + j] = s0;
                c[ci1 + j] = s1;
            }
        }
        for (; i < r1; i++) {
            int li = l21.index(i, 0);
            int ci = a22.index(i, 0);
            for (int j = 0; j <= i; j++) {
                float s = c[ci + j];
                for (int p = 0; p < kb; p++) {
                    s -= l[li + p] * panel[p * m + j];
                }
                c[ci + j] = s;
            }
        }
    }

    @Override
    public void strsm(Transpose trans, FMatrix l, FMatrix b) {
        int n = l.rows();
        int m = b.cols();
        if (m < F.length()) {
            float[] col = new float[n];
            for (int c = 0; c < m; c++) {
                for (int i = 0; i < n; i++) {
                    col[i] = b.get(i, c);
                }
                if (trans == Transpose.NO) {
                    sforwardColumn(l, col);
                } else {
                    sbackwardColumn(l, col);
                }
                for (int i = 0; i < n; i++) {
                    b.set(i, c, col[i]);
                }
            }
            return;
        }
        if (gemm == null || n <= TRSM_BLOCK) {
            strsmStrips(trans, l, b);
            return;
        }
        if (trans == Transpose.NO) {
            for (int k0 = 0; k0 < n; k0 += TRSM_BLOCK) {
                int kb = Math.min(TRSM_BLOCK, n - k0);
                FMatrix xk = b.view(k0, 0, kb, m);
                strsmStrips(trans, l.view(k0, k0, kb, kb), xk);
                int rest = n - k0 - kb;
                if (rest > 0) {
                    gemm.sgemm(Transpose.NO, Transpose.NO, -1f, l.view(k0 + kb, k0, rest, kb), xk, 1f,
                            b.view(k0 + kb, 0, rest, m));
                }
            }
        } else {
            for (int k0 = (n - 1) / TRSM_BLOCK * TRSM_BLOCK; k0 >= 0; k0 -= TRSM_BLOCK) {
                int kb = Math.min(TRSM_BLOCK, n - k0);
                FMatrix xk = b.view(k0, 0, kb, m);
                strsmStrips(trans, l.view(k0, k0, kb, kb), xk);
                if (k0 > 0) {
                    gemm.sgemm(Transpose.YES, Transpose.NO, -1f, l.view(k0, 0, kb, k0), xk, 1f,
                            b.view(0, 0, k0, m));
                }
            }
        }
    }

    /** The unblocked solve by column strips, split over the executor when large enough. */
    private static void strsmStrips(Transpose trans, FMatrix l, FMatrix b) {
        int n = l.rows();
        int m = b.cols();
        int strip = 4 * F.length();
        int strips = (m + strip - 1) / strip;
        int tasks = LinalgExecutor.threads();
        if (tasks > 1 && strips > 1 && (long) n * n * m >= PARALLEL_TRSM_FLOPS) {
            int perTask = (strips + tasks - 1) / tasks;
            LinalgExecutor.parallelFor(tasks, t -> strsmColumns(trans, l, b,
                    Math.min(m, t * perTask * strip), Math.min(m, (t + 1) * perTask * strip)));
        } else {
            strsmColumns(trans, l, b, 0, m);
        }
    }

    /** {@code x <- L^-1 x} by rows: {@code x_i = (x_i - L_i. . x) / L_ii}. */
    private static void sforwardColumn(FMatrix l, float[] x) {
        float[] ld = l.data();
        for (int i = 0; i < l.rows(); i++) {
            int li = l.index(i, 0);
            x[i] = (x[i] - sdot(i, ld, li, x, 0)) / ld[li + i];
        }
    }

    /** {@code x <- L^-T x} by columns of LT (rows of L): {@code x_i /= L_ii; x_0..i-1 -= x_i L_i.}. */
    private static void sbackwardColumn(FMatrix l, float[] x) {
        float[] ld = l.data();
        for (int i = l.rows() - 1; i >= 0; i--) {
            int li = l.index(i, 0);
            float xi = x[i] / ld[li + i];
            x[i] = xi;
            saxpy(i, -xi, ld, li, x, 0);
        }
    }

    /**
     * Substitution on the columns {@code [c0, c1)} of B, one strip of four vectors at a time: the strip
     * of row i is accumulated in registers against the already solved strips of the other rows
     * ({@code B_i -= L_ik B_k}), then divided by {@code L_ii}.
     */
    private static void strsmColumns(Transpose trans, FMatrix l, FMatrix b, int c0, int c1) {
        int n = l.rows();
        float[] ld = l.data();
        float[] x = b.data();
        int lanes = F.length();
        boolean forward = trans == Transpose.NO;
        int j = c0;
        for (; j + 4 * lanes <= c1; j += 4 * lanes) {
            for (int step = 0; step < n; step++) {
                int i = forward ? step : n - 1 - step;
                int bi = b.index(i, j);
                FloatVector a0 = FloatVector.fromArray(F, x, bi);
                FloatVector a1 = FloatVector.fromArray(F, x, bi + lanes);
                FloatVector a2 = FloatVector.fromArray(F, x, bi + 2 * lanes);
                FloatVector a3 = FloatVector.fromArray(F, x, bi + 3 * lanes);
                int kFrom = forward ? 0 : i + 1;
                int kTo = forward ? i : n;
                for (int k = kFrom; k < kTo; k++) {
                    float lik = forward ? ld[l.index(i, k)] : ld[l.index(k, i)];
                    FloatVector u = FloatVector.broadcast(F, -lik);
                    int bk = b.index(k, j);
                    a0 = FloatVector.fromArray(F, x, bk).fma(u, a0);
                    a1 = FloatVector.fromArray(F, x, bk + lanes).fma(u, a1);
                    a2 = FloatVector.fromArray(F, x, bk + 2 * lanes).fma(u, a2);
                    a3 = FloatVector.fromArray(F, x, bk + 3 * lanes).fma(u, a3);
                }
                float lii = ld[l.index(i, i)];
                a0.div(lii).intoArray(x, bi);
                a1.div(lii).intoArray(x, bi + lanes);
                a2.div(lii).intoArray(x, bi + 2 * lanes);
                a3.div(lii).intoArray(x, bi + 3 * lanes);
            }
        }
        for (; j + lanes <= c1; j += lanes) {
            for (int step = 0; step < n; step++) {
                int i = forward ? step : n - 1 - step;
                int bi = b.index(i, j);
                FloatVector a0 = FloatVector.fromArray(F, x, bi);
                int kFrom = forward ? 0 : i + 1;
                int kTo = forward ? i : n;
                for (int k = kFrom; k < kTo; k++) {
                    float lik = forward ? ld[l.index(i, k)] : ld[l.index(k, i)];
                    a0 = FloatVector.fromArray(F, x, b.index(k, j)).fma(FloatVector.broadcast(F, -lik), a0);
                }
                a0.div(ld[l.index(i, i)]).intoArray(x, bi);
            }
        }
        for (; j < c1; j++) {
            for (int step = 0; step < n; step++) {
                int i = forward ? step : n - 1 - step;
                float s = x[b.index(i, j)];
                int kFrom = forward ? 0 : i + 1;
                int kTo = forward ? i : n;
                for (int k = kFrom; k < kTo; k++) {
                    float lik = forward ? ld[l.index(i, k)] : ld[l.index(k, i)];
                    s -= lik * x[b.index(k, j)];
                }
                x[b.index(i, j)] = s / ld[l.index(i, i)];
            }
        }
    }

    private static float sdot(int n, float[] x, int xo, float[] y, int yo) {
        int lanes = F.length();
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int k = 0;
        for (; k + 2 * lanes <= n; k += 2 * lanes) {
            acc0 = FloatVector.fromArray(F, x, xo + k).fma(FloatVector.fromArray(F, y, yo + k), acc0);
            acc1 = FloatVector.fromArray(F, x, xo + k + lanes).fma(FloatVector.fromArray(F, y, yo + k + lanes), acc1);
        }
        for (; k + lanes <= n; k += lanes) {
            acc0 = FloatVector.fromArray(F, x, xo + k).fma(FloatVector.fromArray(F, y, yo + k), acc0);
        }
        float s = VectorKernels.sumLanes(acc0.add(acc1));
        for (; k < n; k++) {
            s += x[xo + k] * y[yo + k];
        }
        return s;
    }

    private static void saxpy(int n, float alpha, float[] x, int xo, float[] y, int yo) {
        FloatVector va = FloatVector.broadcast(F, alpha);
        int k = 0;
        for (; k + F.length() <= n; k += F.length()) {
            FloatVector.fromArray(F, x, xo + k).fma(va, FloatVector.fromArray(F, y, yo + k)).intoArray(y, yo + k);
        }
        for (; k < n; k++) {
            y[yo + k] += alpha * x[xo + k];
        }
    }
}
