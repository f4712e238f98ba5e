package org.loes4j.linalg.simd;

import java.util.Arrays;
import java.util.function.IntConsumer;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import org.loes4j.linalg.concurrent.LinalgExecutor;

/**
 * The float64 engine behind {@link VectorGemm} and {@link VectorGram}: a blocked, packed matrix product
 * over a rectangle of C, {@code C[i0:i1, j0:j1] = alpha op(A)[i0:i1, :] op(B)[:, j0:j1] + beta C}, in the
 * layout of Goto and van de Geijn ("Anatomy of high-performance matrix multiplication", 2008).
 *
 * <p>Loops, outer to inner: column panels of NC columns of C; slices of KC along the inner dimension
 * (op(B)'s KC x NC panel is packed into NR-wide slivers); row blocks of MC rows (op(A)'s MC x KC block is
 * packed into MR-tall slivers); then NR-wide by MR-tall micro-tiles, each computed in registers by
 * {@link #microKernel}: MR x 3 vectors of independent FMA accumulators, one vector load per column
 * vector and one broadcast per row of every k step. Packing zero-pads partial slivers, so the
 * micro-kernel always runs full tiles, leaving its sums in a small tile buffer from which C is updated
 * (tiles one or two vectors wide run a smaller micro-kernel instead of multiplying the padding).
 *
 * <p>Arithmetic per element of C does not depend on where the element falls in a tile or block (the
 * sum runs over k in the same order, KC slice by KC slice, and full and partial tiles store with the
 * same two roundings), so splitting C between threads gives results bitwise equal to one thread.
 *
 * <p>Matrices are passed as (array, offset, stride) triples of row-major storage; a {@code trans} flag
 * says whether the operand is used transposed. Inputs are trusted (the public boundary has checked
 * them).
 */
final class PackedDgemm {
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    static final int L = D.length();
    /** Rows of a micro-tile. With 3 column vectors: 24 accumulators + 3 loads + 1 broadcast of 32 registers. */
    static final int MR = 8;
    /** Columns of a micro-tile: three vectors. */
    static final int NR = 3 * L;
    /** MR elements as one vector, for packing transposed A (used only when the hardware has that width). */
    static final VectorSpecies<Double> PIECE =
            VectorSpecies.of(double.class, VectorShape.forBitSize(MR * Double.SIZE));
    static final boolean PIECE_IS_VECTOR = PIECE.vectorBitSize() <= D.vectorBitSize();
    /*
     * Block sizes. Rough single-thread measurements (thread CPU time, best of 5, n = 1024 square, JDK 25,
     * AVX-512 EPYC with 32 KiB L1d and 1 MiB L2 per core; the machine was shared and busy, so about +-10%):
     *   float32  KC/MC 128/128: 65-68 GFLOP/s, 256/128: 75-82, 384/64: 79-91, 512/32: 83-96, 1024/16: 96
     *   float64  KC/MC 256/128: 39-46 GFLOP/s, 384/64: 43-47, 512/32: 40-49, 1024/16: 45
     *   float64  Gram of 3000 x 768 (n^2 k flops): 256/128: 38, 384/64: 39-42, 512/32: 37-40
     * A long inner slice with a short A block beats the textbook 256/128; the choices in the plateau differ
     * by less than the noise. Both precisions use about the same bytes: an A sliver MR x KC is 24 KiB
     * (float64) or 16 KiB (float32), an A block MC x KC 192 / 64 KiB. The micro-kernel alone, with its
     * operands in L1, ran at 104-114 GFLOP/s in float32. NC (the B panel width) made no measurable
     * difference from 480 to 4000 columns; it is set a little above 1024 so that common widths (768, 1024)
     * take one panel and A is packed once per slice.
     */
    /** Inner-dimension slice (see the measurements above). */
    static final int KC = 384;
    /** Rows of C per packed A block. */
    static final int MC = 64;
    /** Columns of C per packed B panel: KC x NC x 8 bytes = 3 MiB. */
    static final int NC = 43 * NR;
    /**
     * Most packed op(B) elements {@link #multiplyRowStripes} shares in one group (two panels, 6 MiB): op(B)
     * of a 1024 x 1024 product or of an encoder's {@code X W} is packed in one parallelFor and computed in
     * one more, rather than in two per panel (each parallelFor costs thread wake-ups).
     */
    static final int SHARED_B_MAX = 2 * KC * NC;

    /** Widest C (in columns) computed by {@link #multiplyNarrow} (A not transposed) rather than packed. */
    static final int NARROW_MAX = 2 * L;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /**
     * Whether {@link #multiplyNarrow} should compute an m x n (times inner k) product: C at most
     * {@link #NARROW_MAX} wide, and its packed op(B) (k x 2 vectors) no larger than the packed B panel, so
     * the per-thread workspace stays bounded.
     */
    static boolean narrow(int n, int k) {
        return n <= NARROW_MAX && (long) k * 2 * L <= (long) KC * NC;
    }

    private PackedDgemm() {
    }

    /** Per-thread packing buffers, grown on demand and kept for the thread's life. */
    static final class Workspace {
        double[] packedA = new double[0];
        double[] packedB = new double[0];
        final double[] tile = new double[MR * NR];

        void reserve(int sizeA, int sizeB) {
            if (packedA.length < sizeA) {
                packedA = new double[sizeA];
            }
            if (packedB.length < sizeB) {
                packedB = new double[sizeB];
            }
        }
    }

    static Workspace workspace() {
        return WORKSPACE.get();
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /**
     * {@code C[i, j] = alpha sum_p op(A)[i, p] op(B)[p, j] + beta C[i, j]} for i in [i0, i1), j in [j0, j1);
     * element (i, j) of C is {@code c[co + i * cs + j]}, of A {@code a[ao + i * as + j]}, of B likewise.
     * With {@code lowerOnly}, only micro-tiles holding some element with {@code i >= j} are computed (for
     * the Gram product); elements above the diagonal are then left unspecified. {@code beta == 0} means C
     * is not read.
     */
    static void multiply(boolean transA, double[] a, int ao, int as,
                         boolean transB, double[] b, int bo, int bs,
                         double[] c, int co, int cs,
                         int k, int i0, int i1, int j0, int j1, boolean lowerOnly,
                         double alpha, double beta, Workspace ws) {
        if (i0 >= i1 || j0 >= j1) {
            return;
        }
        if (k == 0) {
            scale(c, co, cs, i0, i1, j0, j1, beta);
            return;
        }
        ws.reserve(roundUp(Math.min(MC, i1 - i0), MR) * Math.min(KC, k),
                roundUp(Math.min(NC, j1 - j0), NR) * Math.min(KC, k));
        double[] pa = ws.packedA;
        double[] pb = ws.packedB;
        double[] tile = ws.tile;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            int rowStart = lowerOnly ? Math.max(i0, jc) : i0;
            if (rowStart >= i1) {
                continue;
            }
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean first = pc == 0;
                packB(transB, b, bo, bs, pc, kc, jc, nc, 0, nc, pb, 0);
                panelRows(transA, a, ao, as, pb, 0, c, co, cs, pc, kc, jc, nc, rowStart, i1, lowerOnly,
                        alpha, first ? beta : 1.0, !first || beta != 0, pa, tile);
            }
        }
    }

    /**
     * Rows [i0, i1) of C against one packed panel of op(B):
     * {@code C[i, jc + j] = alpha sum_p op(A)[i, pc + p] op(B)[pc + p, jc + j] + betaHere C[i, jc + j]} for
     * p in [0, kc), j in [0, nc), with op(B)[pc:pc+kc, jc:jc+nc] already in {@code pb} from {@code pbo} on,
     * as {@link #packB} leaves it. op(A) is packed MC rows at a time into {@code pa} (at least MC x kc long); C is not read
     * when {@code readC} is false. {@code lowerOnly} as in {@link #multiply}. Modifies C, pa and tile.
     */
    private static void panelRows(boolean transA, double[] a, int ao, int as, double[] pb, int pbo,
                                  double[] c, int co, int cs, int pc, int kc, int jc, int nc, int i0, int i1,
                                  boolean lowerOnly, double alpha, double betaHere, boolean readC,
                                  double[] pa, double[] tile) {
        for (int ic = i0; ic < i1; ic += MC) {
            int mc = Math.min(MC, i1 - ic);
            packA(transA, a, ao, as, ic, mc, pc, kc, pa);
            int colEnd = lowerOnly ? Math.min(nc, ic + mc - jc) : nc;
            for (int jr = 0; jr < colEnd; jr += NR) {
                int nr = Math.min(NR, nc - jr);
                int irStart = 0;
                if (lowerOnly) {
                    // first row sliver whose last row reaches the sliver's first column
                    int need = jc + jr - ic - MR + 1;
                    irStart = need <= 0 ? 0 : roundUp(need, MR);
                }
                for (int ir = irStart; ir < mc; ir += MR) {
                    int mr = Math.min(MR, mc - ir);
                    microKernel(kc, pa, ir * kc, pb, pbo + jr * kc, c, co + (ic + ir) * cs + jc + jr, cs,
                            mr, nr, alpha, betaHere, readC, tile);
                }
            }
        }
    }

    /**
     * All of C, {@code C = alpha op(A) op(B) + beta C} (C m x n, inner dimension k), split into stripes of
     * {@code rowChunk} rows over {@link LinalgExecutor#parallelFor}, with op(B) packed once and shared
     * rather than once per stripe. The panels of op(B) (NC columns by a KC slice of the inner dimension,
     * in {@link #multiply}'s order) are taken in groups of at most {@link #SHARED_B_MAX} packed elements
     * (the whole of op(B) when it fits, so one group): for each group a first parallelFor packs it into the
     * calling thread's workspace, each panel's NR-wide slivers dealt to {@code packParts} tasks in
     * contiguous runs, and a second computes the row stripes against it, each stripe packing its own
     * blocks of op(A) into the workspace of the thread that runs it. Every element of C goes through the
     * same slices in the same order, with the same micro-kernel arithmetic, as in {@link #multiply}, so the
     * result is bitwise the one-thread result whatever {@code rowChunk}, {@code packParts} and the thread
     * count. Allocates one small task object per call.
     *
     * @param rowChunk rows per stripe, a positive multiple of MR
     * @param packParts tasks the packing of one panel is split into, at least 1
     */
    static void multiplyRowStripes(boolean transA, double[] a, int ao, int as,
                                   boolean transB, double[] b, int bo, int bs,
                                   double[] c, int co, int cs, int m, int n, int k,
                                   double alpha, double beta, int rowChunk, int packParts) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            scale(c, co, cs, 0, m, 0, n, beta);
            return;
        }
        int slices = (k + KC - 1) / KC;
        int panels = (n + NC - 1) / NC * slices;
        long onePanel = (long) roundUp(Math.min(NC, n), NR) * Math.min(KC, k);
        int capacity = (int) Math.min((long) roundUp(n, NR) * k, Math.max(SHARED_B_MAX, onePanel));
        Workspace own = workspace();
        own.reserve(0, capacity);
        RowStripes job = new RowStripes(transA, a, ao, as, transB, b, bo, bs, own.packedB, c, co, cs,
                m, n, k, slices, rowChunk, packParts, alpha, beta);
        int stripes = (m + rowChunk - 1) / rowChunk;
        int q0 = 0;
        while (q0 < panels) {
            int q1 = q0 + 1;
            while (q1 < panels && job.offset(q1 + 1) - job.offset(q0) <= capacity) {
                q1++;
            }
            job.first = q0;
            job.end = q1;
            job.packing = true;
            LinalgExecutor.parallelFor((q1 - q0) * packParts, job);
            job.packing = false;
            LinalgExecutor.parallelFor(stripes, job);
            q0 = q1;
        }
    }

    /**
     * The tasks of {@link #multiplyRowStripes} for the group of panels [first, end) (panel q is column
     * panel q / slices, slice q % slices): with {@code packing}, task t packs run t % packParts of the
     * slivers of panel first + t / packParts; otherwise task t computes rows [t rowChunk, (t + 1) rowChunk)
     * of C against every panel of the group, in order. The calling thread sets the group fields between
     * parallelFor calls; handing tasks to the pool and waiting for them orders those writes, and the packed
     * panels, with the tasks.
     */
    private static final class RowStripes implements IntConsumer {
        private final boolean transA;
        private final double[] a;
        private final int ao;
        private final int as;
        private final boolean transB;
        private final double[] b;
        private final int bo;
        private final int bs;
        private final double[] pb;
        private final double[] c;
        private final int co;
        private final int cs;
        private final int m;
        private final int n;
        private final int k;
        private final int slices;
        private final int rowChunk;
        private final int packParts;
        private final double alpha;
        private final double beta;
        boolean packing;
        int first;
        int end;

        RowStripes(boolean transA, double[] a, int ao, int as, boolean transB, double[] b, int bo, int bs,
                   double[] pb, double[] c, int co, int cs, int m, int n, int k, int slices, int rowChunk,
                   int packParts, double alpha, double beta) {
            this.transA = transA;
            this.a = a;
            this.ao = ao;
            this.as = as;
            this.transB = transB;
            this.b = b;
            this.bo = bo;
            this.bs = bs;
            this.pb = pb;
            this.c = c;
            this.co = co;
            this.cs = cs;
            this.m = m;
            this.n = n;
            this.k = k;
            this.slices = slices;
            this.rowChunk = rowChunk;
            this.packParts = packParts;
            this.alpha = alpha;
            this.beta = beta;
        }

        /**
         * Where panel q starts in all of op(B) packed panel after panel: the column panels before it
         * hold NC x k elements each (NC is a multiple of NR), the slices before it in its own column
         * panel roundUp(nc, NR) x KC each.
         */
        long offset(int q) {
            int jc = q / slices * NC;
            if (jc >= n) {
                return (long) roundUp(n, NR) * k;
            }
            return (long) jc * k + (long) roundUp(Math.min(NC, n - jc), NR) * (q % slices) * KC;
        }

        @Override
        public void accept(int t) {
            if (packing) {
                int q = first + t / packParts;
                int jc = q / slices * NC;
                int nc = Math.min(NC, n - jc);
                int pc = q % slices * KC;
                int perPart = roundUp((nc + NR - 1) / NR, packParts) / packParts * NR;
                int t0 = t % packParts * perPart;
                int base = (int) (offset(q) - offset(first));
                packB(transB, b, bo, bs, pc, Math.min(KC, k - pc), jc, nc, t0, Math.min(nc, t0 + perPart),
                        pb, base);
                return;
            }
            int lo = t * rowChunk;
            int hi = Math.min(m, lo + rowChunk);
            Workspace ws = workspace();
            ws.reserve(roundUp(Math.min(MC, hi - lo), MR) * Math.min(KC, k), 0);
            for (int q = first; q < end; q++) {
                int jc = q / slices * NC;
                int pc = q % slices * KC;
                boolean firstSlice = pc == 0;
                panelRows(transA, a, ao, as, pb, (int) (offset(q) - offset(first)), c, co, cs, pc,
                        Math.min(KC, k - pc), jc, Math.min(NC, n - jc), lo, hi, false, alpha,
                        firstSlice ? beta : 1.0, !firstSlice || beta != 0, ws.packedA, ws.tile);
            }
        }
    }

    /**
     * {@code C = alpha A op(B) + beta C} (A not transposed) for narrow C, {@code n <= NARROW_MAX}
     * columns (e.g. {@code X W} with few targets): every element of A is used only n times, so packing A
     * would cost more than the arithmetic. op(B) is packed into k rows of two vectors (zero-padded); rows
     * [i0, i1) of C are then computed four at a time straight from A's rows, each with two vector
     * accumulators over the whole inner dimension (so stripes of rows give the same bits as one run).
     * Measured in float64 (thread CPU time, 3000 x 768 times 768 x c): 2.0-2.5 ms against 2.7-3.2 ms
     * packed for c = 1, 2.3 ms against 3.5-3.7 ms for c = 16. With A transposed ({@code XT y}) reading A's
     * columns straight was slower than packing, so that case keeps the packed path.
     */
    static void multiplyNarrow(double[] a, int ao, int as, boolean transB, double[] b, int bo, int bs,
                               double[] c, int co, int cs,
                               int k, int i0, int i1, int n, double alpha, double beta, Workspace ws) {
        if (i0 >= i1 || n == 0) {
            return;
        }
        if (k == 0) {
            scale(c, co, cs, i0, i1, 0, n, beta);
            return;
        }
        int width = 2 * L;
        ws.reserve(0, k * width);
        double[] pb = ws.packedB;
        for (int p = 0; p < k; p++) {
            int row = p * width;
            for (int j = 0; j < n; j++) {
                pb[row + j] = transB ? b[bo + j * bs + p] : b[bo + p * bs + j];
            }
            Arrays.fill(pb, row + n, row + width, 0.0);
        }
        double[] tile = ws.tile;
        int i = i0;
        for (; i + 4 <= i1; i += 4) {
            int r0 = ao + i * as;
            int r1 = r0 + as;
            int r2 = r1 + as;
            int r3 = r2 + as;
            DoubleVector c00 = DoubleVector.zero(D);
            DoubleVector c01 = c00;
            DoubleVector c10 = c00;
            DoubleVector c11 = c00;
            DoubleVector c20 = c00;
            DoubleVector c21 = c00;
            DoubleVector c30 = c00;
            DoubleVector c31 = c00;
            for (int p = 0; p < k; p++) {
                DoubleVector b0 = DoubleVector.fromArray(D, pb, p * width);
                DoubleVector b1 = DoubleVector.fromArray(D, pb, p * width + L);
                DoubleVector x = DoubleVector.broadcast(D, a[r0 + p]);
                c00 = b0.fma(x, c00);
                c01 = b1.fma(x, c01);
                x = DoubleVector.broadcast(D, a[r1 + p]);
                c10 = b0.fma(x, c10);
                c11 = b1.fma(x, c11);
                x = DoubleVector.broadcast(D, a[r2 + p]);
                c20 = b0.fma(x, c20);
                c21 = b1.fma(x, c21);
                x = DoubleVector.broadcast(D, a[r3 + p]);
                c30 = b0.fma(x, c30);
                c31 = b1.fma(x, c31);
            }
            c00.intoArray(tile, 0);
            c01.intoArray(tile, L);
            c10.intoArray(tile, NR);
            c11.intoArray(tile, NR + L);
            c20.intoArray(tile, 2 * NR);
            c21.intoArray(tile, 2 * NR + L);
            c30.intoArray(tile, 3 * NR);
            c31.intoArray(tile, 3 * NR + L);
            updateC(tile, c, co + i * cs, cs, 4, n, alpha, beta, beta != 0);
        }
        for (; i < i1; i++) {
            int r0 = ao + i * as;
            DoubleVector c00 = DoubleVector.zero(D);
            DoubleVector c01 = c00;
            for (int p = 0; p < k; p++) {
                DoubleVector x = DoubleVector.broadcast(D, a[r0 + p]);
                c00 = DoubleVector.fromArray(D, pb, p * width).fma(x, c00);
                c01 = DoubleVector.fromArray(D, pb, p * width + L).fma(x, c01);
            }
            c00.intoArray(tile, 0);
            c01.intoArray(tile, L);
            updateC(tile, c, co + i * cs, cs, 1, n, alpha, beta, beta != 0);
        }
    }

    /** {@code C = beta C} on the rectangle (zero when beta is 0, without reading C). */
    private static void scale(double[] c, int co, int cs, int i0, int i1, int j0, int j1, double beta) {
        for (int i = i0; i < i1; i++) {
            int row = co + i * cs;
            if (beta == 0) {
                Arrays.fill(c, row + j0, row + j1, 0.0);
            } else {
                for (int j = j0; j < j1; j++) {
                    c[row + j] *= beta;
                }
            }
        }
    }

    /**
     * Packs op(A)[i0:i0+mc, p0:p0+kc] into MR-tall slivers: element (i0 + s + r, p0 + p) goes to
     * {@code pa[s * kc + p * MR + r]}; rows past mc are zero.
     */
    static void packA(boolean trans, double[] a, int ao, int as, int i0, int mc, int p0, int kc, double[] pa) {
        if (trans) {
            packRowsOfA(a, ao, as, i0, mc, p0, kc, pa);
            return;
        }
        int full = mc - mc % MR;
        for (int s = 0; s < full; s += MR) {
            // eight row streams of A, one contiguous MR-group of the sliver written per step
            int base = s * kc;
            int q0 = ao + (i0 + s) * as + p0;
            int q1 = q0 + as;
            int q2 = q1 + as;
            int q3 = q2 + as;
            int q4 = q3 + as;
            int q5 = q4 + as;
            int q6 = q5 + as;
            int q7 = q6 + as;
            for (int p = 0; p < kc; p++) {
                int d = base + p * MR;
                pa[d] = a[q0 + p];
                pa[d + 1] = a[q1 + p];
                pa[d + 2] = a[q2 + p];
                pa[d + 3] = a[q3 + p];
                pa[d + 4] = a[q4 + p];
                pa[d + 5] = a[q5 + p];
                pa[d + 6] = a[q6 + p];
                pa[d + 7] = a[q7 + p];
            }
        }
        if (full < mc) {
            int mr = mc - full;
            int base = full * kc;
            for (int p = 0; p < kc; p++) {
                int d = base + p * MR;
                for (int r = 0; r < mr; r++) {
                    pa[d + r] = a[ao + (i0 + full + r) * as + p0 + p];
                }
                Arrays.fill(pa, d + mr, d + MR, 0.0);
            }
        }
    }

    /**
     * {@link #packA} for a transposed A, whose op(A) rows are A's columns: streams each row of A once,
     * dealing MR-wide pieces to the slivers, so reads are sequential (this pack dominates {@code XT Y}
     * when Y has few columns). Packing all of a 3000 x 768 float64 A this way took 3.2 ms with scalar
     * copies and 1.5-1.9 ms with one vector per piece (thread CPU time).
     */
    private static void packRowsOfA(double[] a, int ao, int as, int i0, int mc, int p0, int kc, double[] pa) {
        int full = mc - mc % MR;
        for (int p = 0; p < kc; p++) {
            int src = ao + (p0 + p) * as + i0;
            int dst = p * MR;
            for (int s = 0; s < full; s += MR) {
                int d = s * kc + dst;
                int q = src + s;
                if (PIECE_IS_VECTOR) {
                    DoubleVector.fromArray(PIECE, a, q).intoArray(pa, d);
                } else {
                    pa[d] = a[q];
                    pa[d + 1] = a[q + 1];
                    pa[d + 2] = a[q + 2];
                    pa[d + 3] = a[q + 3];
                    pa[d + 4] = a[q + 4];
                    pa[d + 5] = a[q + 5];
                    pa[d + 6] = a[q + 6];
                    pa[d + 7] = a[q + 7];
                }
            }
            if (full < mc) {
                int d = full * kc + dst;
                int mr = mc - full;
                System.arraycopy(a, src + full, pa, d, mr);
                Arrays.fill(pa, d + mr, d + MR, 0.0);
            }
        }
    }

    /**
     * Packs op(B)[p0:p0+kc, j0:j0+nc] into NR-wide slivers: element (p0 + p, j0 + t + j) goes to
     * {@code pb[t * kc + p * NR + j]}; columns past nc are zero. Only the slivers starting at t in
     * [t0, t1) are written (t0 a multiple of NR), so disjoint runs of slivers can be packed concurrently;
     * all indices of pb are shifted by {@code pbo}.
     */
    static void packB(boolean trans, double[] b, int bo, int bs, int p0, int kc, int j0, int nc, int t0, int t1,
                      double[] pb, int pbo) {
        for (int t = t0; t < t1; t += NR) {
            int nr = Math.min(NR, nc - t);
            int base = pbo + t * kc;
            if (!trans) {
                for (int p = 0; p < kc; p++) {
                    int src = bo + (p0 + p) * bs + j0 + t;
                    int dst = base + p * NR;
                    if (nr == NR) {
                        DoubleVector.fromArray(D, b, src).intoArray(pb, dst);
                        DoubleVector.fromArray(D, b, src + L).intoArray(pb, dst + L);
                        DoubleVector.fromArray(D, b, src + 2 * L).intoArray(pb, dst + 2 * L);
                    } else {
                        System.arraycopy(b, src, pb, dst, nr);
                        Arrays.fill(pb, dst + nr, dst + NR, 0.0);
                    }
                }
            } else {
                for (int j = 0; j < nr; j++) {
                    int src = bo + (j0 + t + j) * bs + p0;
                    for (int p = 0; p < kc; p++) {
                        pb[base + p * NR + j] = b[src + p];
                    }
                }
                for (int j = nr; j < NR; j++) {
                    for (int p = 0; p < kc; p++) {
                        pb[base + p * NR + j] = 0.0;
                    }
                }
            }
        }
    }

    /**
     * One MR x NR micro-tile: {@code acc = sum_p pa[., p] pb[p, .]} in register accumulators, then
     * {@code C = alpha acc + beta C} (C not read when {@code readC} is false) on the leading mr x nr part.
     * Tiles at most one or two vectors wide (narrow products such as {@code XT y}, right edges) run a
     * kernel with fewer accumulators instead of multiplying zero padding.
     */
    static void microKernel(int kc, double[] pa, int pao, double[] pb, int pbo,
                            double[] c, int co, int cs, int mr, int nr,
                            double alpha, double beta, boolean readC, double[] tile) {
        if (nr > 2 * L) {
            kernel3(kc, pa, pao, pb, pbo, tile);
        } else if (nr > L) {
            kernel2(kc, pa, pao, pb, pbo, tile);
        } else {
            kernel1(kc, pa, pao, pb, pbo, tile);
        }
        updateC(tile, c, co, cs, mr, nr, alpha, beta, readC);
    }

    /**
     * The MR x 3-vector register tile into {@code tile}: 24 accumulators, 3 loads and 1 broadcast of the
     * 32 vector registers of AVX-512. The code is written out by hand (no helper taking vectors): C2 keeps
     * vectors in registers only inside one compiled method, and a call that is not inlined boxes them.
     */
    private static void kernel3(int kc, double[] pa, int pao, double[] pb, int pbo, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(D);
        DoubleVector c01 = c00;
        DoubleVector c02 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c12 = c00;
        DoubleVector c20 = c00;
        DoubleVector c21 = c00;
        DoubleVector c22 = c00;
        DoubleVector c30 = c00;
        DoubleVector c31 = c00;
        DoubleVector c32 = c00;
        DoubleVector c40 = c00;
        DoubleVector c41 = c00;
        DoubleVector c42 = c00;
        DoubleVector c50 = c00;
        DoubleVector c51 = c00;
        DoubleVector c52 = c00;
        DoubleVector c60 = c00;
        DoubleVector c61 = c00;
        DoubleVector c62 = c00;
        DoubleVector c70 = c00;
        DoubleVector c71 = c00;
        DoubleVector c72 = c00;
        int ai = pao;
        int bi = pbo;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            DoubleVector b0 = DoubleVector.fromArray(D, pb, bi);
            DoubleVector b1 = DoubleVector.fromArray(D, pb, bi + L);
            DoubleVector b2 = DoubleVector.fromArray(D, pb, bi + 2 * L);
            DoubleVector x = DoubleVector.broadcast(D, pa[ai]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            x = DoubleVector.broadcast(D, pa[ai + 1]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            x = DoubleVector.broadcast(D, pa[ai + 2]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            x = DoubleVector.broadcast(D, pa[ai + 3]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
            x = DoubleVector.broadcast(D, pa[ai + 4]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            c42 = b2.fma(x, c42);
            x = DoubleVector.broadcast(D, pa[ai + 5]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            c52 = b2.fma(x, c52);
            x = DoubleVector.broadcast(D, pa[ai + 6]);
            c60 = b0.fma(x, c60);
            c61 = b1.fma(x, c61);
            c62 = b2.fma(x, c62);
            x = DoubleVector.broadcast(D, pa[ai + 7]);
            c70 = b0.fma(x, c70);
            c71 = b1.fma(x, c71);
            c72 = b2.fma(x, c72);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c02.intoArray(tile, 2 * L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c12.intoArray(tile, NR + 2 * L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c22.intoArray(tile, 2 * NR + 2 * L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c32.intoArray(tile, 3 * NR + 2 * L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c42.intoArray(tile, 4 * NR + 2 * L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c52.intoArray(tile, 5 * NR + 2 * L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c62.intoArray(tile, 6 * NR + 2 * L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
        c72.intoArray(tile, 7 * NR + 2 * L);
    }

    /** The MR x 2-vector tile (16 accumulators), for tiles at most two vectors wide. */
    private static void kernel2(int kc, double[] pa, int pao, double[] pb, int pbo, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(D);
        DoubleVector c01 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c20 = c00;
        DoubleVector c21 = c00;
        DoubleVector c30 = c00;
        DoubleVector c31 = c00;
        DoubleVector c40 = c00;
        DoubleVector c41 = c00;
        DoubleVector c50 = c00;
        DoubleVector c51 = c00;
        DoubleVector c60 = c00;
        DoubleVector c61 = c00;
        DoubleVector c70 = c00;
        DoubleVector c71 = c00;
        int ai = pao;
        int bi = pbo;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            DoubleVector b0 = DoubleVector.fromArray(D, pb, bi);
            DoubleVector b1 = DoubleVector.fromArray(D, pb, bi + L);
            DoubleVector x = DoubleVector.broadcast(D, pa[ai]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = DoubleVector.broadcast(D, pa[ai + 1]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = DoubleVector.broadcast(D, pa[ai + 2]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = DoubleVector.broadcast(D, pa[ai + 3]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            x = DoubleVector.broadcast(D, pa[ai + 4]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            x = DoubleVector.broadcast(D, pa[ai + 5]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            x = DoubleVector.broadcast(D, pa[ai + 6]);
            c60 = b0.fma(x, c60);
            c61 = b1.fma(x, c61);
            x = DoubleVector.broadcast(D, pa[ai + 7]);
            c70 = b0.fma(x, c70);
            c71 = b1.fma(x, c71);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
    }

    /** The MR x 1-vector tile (8 accumulators), for tiles at most one vector wide. */
    private static void kernel1(int kc, double[] pa, int pao, double[] pb, int pbo, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(D);
        DoubleVector c10 = c00;
        DoubleVector c20 = c00;
        DoubleVector c30 = c00;
        DoubleVector c40 = c00;
        DoubleVector c50 = c00;
        DoubleVector c60 = c00;
        DoubleVector c70 = c00;
        int ai = pao;
        int bi = pbo;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            DoubleVector b0 = DoubleVector.fromArray(D, pb, bi);
            DoubleVector x = DoubleVector.broadcast(D, pa[ai]);
            c00 = b0.fma(x, c00);
            x = DoubleVector.broadcast(D, pa[ai + 1]);
            c10 = b0.fma(x, c10);
            x = DoubleVector.broadcast(D, pa[ai + 2]);
            c20 = b0.fma(x, c20);
            x = DoubleVector.broadcast(D, pa[ai + 3]);
            c30 = b0.fma(x, c30);
            x = DoubleVector.broadcast(D, pa[ai + 4]);
            c40 = b0.fma(x, c40);
            x = DoubleVector.broadcast(D, pa[ai + 5]);
            c50 = b0.fma(x, c50);
            x = DoubleVector.broadcast(D, pa[ai + 6]);
            c60 = b0.fma(x, c60);
            x = DoubleVector.broadcast(D, pa[ai + 7]);
            c70 = b0.fma(x, c70);
        }
        c00.intoArray(tile, 0);
        c10.intoArray(tile, NR);
        c20.intoArray(tile, 2 * NR);
        c30.intoArray(tile, 3 * NR);
        c40.intoArray(tile, 4 * NR);
        c50.intoArray(tile, 5 * NR);
        c60.intoArray(tile, 6 * NR);
        c70.intoArray(tile, 7 * NR);
    }

    /**
     * {@code C = alpha tile + beta C} on the leading mr x nr part (C not read when {@code readC} is
     * false). Vector and scalar paths round alike: {@code alpha * acc}, then {@code + beta * c}.
     */
    private static void updateC(double[] tile, double[] c, int co, int cs, int mr, int nr,
                                double alpha, double beta, boolean readC) {
        int bound = nr == NR ? NR : D.loopBound(nr);
        for (int r = 0; r < mr; r++) {
            int row = co + r * cs;
            int t0 = r * NR;
            int j = 0;
            for (; j < bound; j += L) {
                DoubleVector y = DoubleVector.fromArray(D, tile, t0 + j).mul(alpha);
                if (readC) {
                    y = y.add(DoubleVector.fromArray(D, c, row + j).mul(beta));
                }
                y.intoArray(c, row + j);
            }
            for (; j < nr; j++) {
                double t = alpha * tile[t0 + j];
                c[row + j] = readC ? t + beta * c[row + j] : t;
            }
        }
    }
}
