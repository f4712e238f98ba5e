package org.loes4j.bench.peer;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.loes4j.bench.peer.openblas.OpenBlas;

/**
 * OpenBLAS 0.3.31 (bytedeco build) through FFM. Operands live in native memory, copied there when the
 * operation is prepared (as an OpenBLAS user keeps them), so the timed call is the bare CBLAS/LAPACKE
 * call. BLAS calls use {@code CblasRowMajor}; LAPACKE is called column-major on the (symmetric) row-major
 * data with {@code uplo = 'U'}, which is the row-major lower triangle, because LAPACKE's row-major entry
 * points transpose the whole matrix into a temporary first. Threads: {@code openblas_set_num_threads},
 * checked with {@code openblas_get_num_threads}.
 *
 * <p>Native buffers come from {@link Arena#ofAuto()}: they live as long as the prepared operation that
 * holds them (a JMH trial), which no lexical scope matches.
 */
public final class OpenBlasPeer implements GemmPeer, GramPeer, CholeskyPeer, EigenPeer {
    private int threads = 1;

    @Override
    public String name() {
        return "openblas";
    }

    @Override
    public int maxThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    public void useThreads(int threads) {
        Peers.checkThreads(this, threads);
        OpenBlas.setThreads(threads);
        if (OpenBlas.threads() != threads) {
            throw new IllegalStateException("openblas_set_num_threads(" + threads + ") left "
                    + OpenBlas.threads() + " threads (OPENBLAS_NUM_THREADS caps it?)");
        }
        this.threads = threads;
    }

    @Override
    public String describe() {
        return "bytedeco openblas " + Peers.version("openblas") + " (" + OpenBlas.config() + "), core " + OpenBlas.coreName() + ", threads " + OpenBlas.threads()
                + ", from " + OpenBlas.library();
    }

    private static MemorySegment copyOf(double[] values) {
        MemorySegment s = Arena.ofAuto().allocate(JAVA_DOUBLE, Math.max(1, values.length));
        MemorySegment.copy(values, 0, s, JAVA_DOUBLE, 0, values.length);
        return s;
    }

    private static MemorySegment doubles(int count) {
        return Arena.ofAuto().allocate(JAVA_DOUBLE, Math.max(1, count));
    }

    private static double[] read(MemorySegment s, int count) {
        double[] out = new double[count];
        MemorySegment.copy(s, JAVA_DOUBLE, 0, out, 0, count);
        return out;
    }

    @Override
    public Prepared dgemm(int m, int n, int k, double[] a, double[] b) {
        Peers.checkGemm(m, n, k, a.length, b.length);
        MemorySegment as = copyOf(a);
        MemorySegment bs = copyOf(b);
        MemorySegment cs = doubles(m * n);
        return new Prepared() {
            @Override
            public void reset() {
                // inputs are only read
            }

            @Override
            public Object run() {
                OpenBlas.dgemm(OpenBlas.ROW_MAJOR, OpenBlas.NO_TRANS, OpenBlas.NO_TRANS, m, n, k,
                        1.0, as, k, bs, n, 0.0, cs, n);
                return cs;
            }

            @Override
            public double[] result() {
                return read(cs, m * n);
            }
        };
    }

    @Override
    public Prepared sgemm(int m, int n, int k, float[] a, float[] b) {
        Peers.checkGemm(m, n, k, a.length, b.length);
        MemorySegment as = Arena.ofAuto().allocate(JAVA_FLOAT, Math.max(1, a.length));
        MemorySegment.copy(a, 0, as, JAVA_FLOAT, 0, a.length);
        MemorySegment bs = Arena.ofAuto().allocate(JAVA_FLOAT, Math.max(1, b.length));
        MemorySegment.copy(b, 0, bs, JAVA_FLOAT, 0, b.length);
        MemorySegment cs = Arena.ofAuto().allocate(JAVA_FLOAT, Math.max(1, m * n));
        return new Prepared() {
            @Override
            public void reset() {
                // inputs are only read
            }

            @Override
            public Object run() {
                OpenBlas.sgemm(OpenBlas.ROW_MAJOR, OpenBlas.NO_TRANS, OpenBlas.NO_TRANS, m, n, k,
                        1.0f, as, k, bs, n, 0.0f, cs, n);
                return cs;
            }

            @Override
            public double[] result() {
                float[] c = new float[m * n];
                MemorySegment.copy(cs, JAVA_FLOAT, 0, c, 0, c.length);
                return Peers.widen(c);
            }
        };
    }

    @Override
    public Prepared gram(int rows, int cols, double[] x) {
        Peers.checkRect("x", rows, cols, x.length);
        MemorySegment xs = copyOf(x);
        MemorySegment gs = doubles(cols * cols);
        return new Prepared() {
            @Override
            public void reset() {
                // inputs are only read
            }

            @Override
            public Object run() {
                OpenBlas.dsyrk(OpenBlas.ROW_MAJOR, OpenBlas.LOWER, OpenBlas.TRANS, cols, rows, 1.0, xs, cols,
                        0.0, gs, cols);
                return gs;
            }

            @Override
            public double[] result() {
                return read(gs, cols * cols);
            }
        };
    }

    @Override
    public Prepared cholesky(int n, double[] spd) {
        Peers.checkSquare("spd", n, spd.length);
        MemorySegment work = doubles(n * n);
        return new Prepared() {
            @Override
            public void reset() {
                MemorySegment.copy(spd, 0, work, JAVA_DOUBLE, 0, spd.length);
            }

            @Override
            public Object run() {
                int info = OpenBlas.dpotrf(OpenBlas.COL_MAJOR, 'U', n, work, Math.max(1, n));
                if (info != 0) {
                    throw new IllegalStateException("OpenBLAS dpotrf: info " + info);
                }
                return work;
            }

            @Override
            public double[] result() {
                return Peers.lowerOnly(n, read(work, n * n));
            }
        };
    }

    @Override
    public Prepared eigenvalues(int n, double[] symmetric) {
        Peers.checkSquare("symmetric", n, symmetric.length);
        MemorySegment work = doubles(n * n);
        MemorySegment w = doubles(n);
        return new Prepared() {
            @Override
            public void reset() {
                MemorySegment.copy(symmetric, 0, work, JAVA_DOUBLE, 0, symmetric.length);
            }

            @Override
            public Object run() {
                int info = OpenBlas.dsyevd(OpenBlas.COL_MAJOR, 'N', 'U', n, work, Math.max(1, n), w);
                if (info != 0) {
                    throw new IllegalStateException("OpenBLAS dsyevd: info " + info);
                }
                return w;
            }

            @Override
            public double[] result() {
                return read(w, n);
            }
        };
    }
}
