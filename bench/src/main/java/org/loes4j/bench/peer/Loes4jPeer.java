package org.loes4j.bench.peer;

import java.util.List;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.LibraryInfo;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.Transpose;
import org.loes4j.linalg.concurrent.LinalgExecutor;
import org.loes4j.linalg.regression.Ridge;
import org.loes4j.linalg.regression.RidgeFit;
import org.loes4j.linalg.spi.CholeskyKernel;
import org.loes4j.linalg.spi.EigenKernel;
import org.loes4j.linalg.spi.GemmKernel;
import org.loes4j.linalg.spi.GramKernel;
import org.loes4j.linalg.spi.Kernel;

/**
 * loes4j through its public API only ({@link Linalg#using(String)} and {@link Ridge#fit}), on one named
 * backend ({@code vector}, {@code scalar}, or {@code torch}: LibTorch CPU through FFM, whose ATen thread pool
 * takes {@code -Dloes4j.threads} when the library loads). Threads: {@code -Dloes4j.threads}, which
 * {@link LinalgExecutor} reads once; {@link #useThreads} sets it before that first read and then checks
 * that it took.
 */
public final class Loes4jPeer implements GemmPeer, GramPeer, CholeskyPeer, EigenPeer, RidgePeer {
    private final String backend;
    private Linalg linalg;

    /** @param backend a loes4j backend name, e.g. {@code vector}, {@code scalar} or {@code torch} */
    public Loes4jPeer(String backend) {
        this.backend = backend;
    }

    private Linalg linalg() {
        if (linalg == null) {
            linalg = Linalg.using(backend);
        }
        return linalg;
    }

    @Override
    public String name() {
        return "loes4j-" + backend;
    }

    @Override
    public int maxThreads() {
        // The scalar backend is single-threaded by definition.
        return backend.equals("scalar") ? 1 : Runtime.getRuntime().availableProcessors();
    }

    @Override
    public void useThreads(int threads) {
        Peers.checkThreads(this, threads);
        System.setProperty(LinalgExecutor.THREADS_PROPERTY, Integer.toString(threads));
        if (!backend.equals("scalar") && LinalgExecutor.threads() != threads) {
            throw new IllegalStateException("loes4j's thread count was already fixed at " + LinalgExecutor.threads()
                    + " before " + threads + " could be set (pass -D" + LinalgExecutor.THREADS_PROPERTY + "=" + threads
                    + " to the JVM instead)");
        }
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("loes4j ").append(LibraryInfo.version())
                .append(", chain ").append(linalg().backends().chain().stream().map(b -> b.name()).toList())
                .append(", threads ").append(LinalgExecutor.threads()).append(", kernels from");
        // Which backend really serves each kernel: a chain falls back per kernel, so "loes4j-vector" may run
        // scalar code for a kernel the vector backend lacks, and the results must say so.
        for (Class<? extends Kernel> k : List.of(GemmKernel.class, GramKernel.class, CholeskyKernel.class,
                EigenKernel.class)) {
            String owner;
            try {
                owner = linalg().backends().kernelOwners(List.of(k)).get(k.getSimpleName());
            } catch (IllegalStateException e) {
                owner = "none";
            }
            sb.append(' ').append(k.getSimpleName()).append('=').append(owner);
        }
        return sb.toString();
    }

    @Override
    public Prepared dgemm(int m, int n, int k, double[] a, double[] b) {
        Peers.checkGemm(m, n, k, a.length, b.length);
        DMatrix am = DMatrix.wrap(a, m, k);
        DMatrix bm = DMatrix.wrap(b, k, n);
        DMatrix c = DMatrix.zeros(m, n);
        Linalg l = linalg();
        return new ReadOnly(c.data()) {
            @Override
            public Object run() {
                l.gemm(Transpose.NO, Transpose.NO, 1.0, am, bm, 0.0, c);
                return c;
            }
        };
    }

    @Override
    public Prepared sgemm(int m, int n, int k, float[] a, float[] b) {
        Peers.checkGemm(m, n, k, a.length, b.length);
        FMatrix am = FMatrix.wrap(a, m, k);
        FMatrix bm = FMatrix.wrap(b, k, n);
        FMatrix c = FMatrix.zeros(m, n);
        Linalg l = linalg();
        return new Prepared() {
            @Override
            public void reset() {
                // inputs are only read
            }

            @Override
            public Object run() {
                l.gemm(Transpose.NO, Transpose.NO, 1.0f, am, bm, 0.0f, c);
                return c;
            }

            @Override
            public double[] result() {
                return Peers.widen(c.data());
            }
        };
    }

    @Override
    public Prepared gram(int rows, int cols, double[] x) {
        Peers.checkRect("x", rows, cols, x.length);
        DMatrix xm = DMatrix.wrap(x, rows, cols);
        DMatrix g = DMatrix.zeros(cols, cols);
        Linalg l = linalg();
        return new ReadOnly(g.data()) {
            @Override
            public Object run() {
                l.syrk(Transpose.YES, 1.0, xm, 0.0, g);
                return g;
            }
        };
    }

    @Override
    public Prepared cholesky(int n, double[] spd) {
        Peers.checkSquare("spd", n, spd.length);
        DMatrix work = DMatrix.zeros(n, n);
        Linalg l = linalg();
        return new Prepared() {
            @Override
            public void reset() {
                System.arraycopy(spd, 0, work.data(), 0, spd.length);
            }

            @Override
            public Object run() {
                l.choleskyInPlace(work);
                return work;
            }

            @Override
            public double[] result() {
                return Peers.lowerOnly(n, work.data());
            }
        };
    }

    @Override
    public Prepared eigenvalues(int n, double[] symmetric) {
        Peers.checkSquare("symmetric", n, symmetric.length);
        DMatrix a = DMatrix.wrap(symmetric, n, n);
        Linalg l = linalg();
        return new Prepared() {
            private double[] w = new double[0];

            @Override
            public void reset() {
                // Linalg.eigenvalues works on its own copy of a
            }

            @Override
            public Object run() {
                w = l.eigenvalues(a);
                return w;
            }

            @Override
            public double[] result() {
                return w.clone();
            }
        };
    }

    @Override
    public Prepared ridge(int n, int p, int c, double[] x, double[] t, double lambda) {
        Peers.checkRidge(n, p, c, x.length, t.length, lambda);
        DMatrix xm = DMatrix.wrap(x, n, p);
        DMatrix tm = DMatrix.wrap(t, n, c);
        Linalg l = linalg();
        return new Prepared() {
            private RidgeFit fit;

            @Override
            public void reset() {
                // Ridge.fit centres copies of x and t
            }

            @Override
            public Object run() {
                fit = Ridge.fit(l, xm, tm, lambda, Ridge.Form.AUTO);
                return fit;
            }

            @Override
            public double[] result() {
                return Peers.ridgeResult(p, c, fit.weights().copy().data(), fit.bias());
            }
        };
    }
}
