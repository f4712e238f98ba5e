package org.loes4j.bench.peer;

import java.util.Arrays;

import org.ejml.concurrency.EjmlConcurrency;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * EJML (row-major {@code DMatrixRMaj}/{@code FMatrixRMaj} wrapping the input arrays, no copy). One
 * thread uses {@code CommonOps_DDRM}; more use EJML's concurrent twins {@code CommonOps_MT_DDRM} with
 * {@link EjmlConcurrency#setMaxThreads}. EJML's decompositions have no concurrent versions, so Cholesky
 * and eigenvalues are single-threaded whatever the setting.
 */
public final class EjmlPeer implements GemmPeer, GramPeer, CholeskyPeer, EigenPeer, RidgePeer {
    private int threads = 1;

    @Override
    public String name() {
        return "ejml";
    }

    @Override
    public int maxThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    public void useThreads(int threads) {
        Peers.checkThreads(this, threads);
        EjmlConcurrency.setMaxThreads(threads);
        this.threads = threads;
    }

    @Override
    public String describe() {
        return "EJML " + Peers.version("ejml") + ", threads " + threads
                + (threads > 1 ? " (CommonOps_MT_*)" : " (CommonOps_*)");
    }

    @Override
    public Prepared dgemm(int m, int n, int k, double[] a, double[] b) {
        Peers.checkGemm(m, n, k, a.length, b.length);
        DMatrixRMaj am = DMatrixRMaj.wrap(m, k, a);
        DMatrixRMaj bm = DMatrixRMaj.wrap(k, n, b);
        DMatrixRMaj c = new DMatrixRMaj(m, n);
        boolean mt = threads > 1;
        return new ReadOnly(c.data) {
            @Override
            public Object run() {
                if (mt) {
                    CommonOps_MT_DDRM.mult(am, bm, c);
                } else {
                    CommonOps_DDRM.mult(am, bm, c);
                }
                return c;
            }
        };
    }

    @Override
    public Prepared sgemm(int m, int n, int k, float[] a, float[] b) {
        Peers.checkGemm(m, n, k, a.length, b.length);
        FMatrixRMaj am = FMatrixRMaj.wrap(m, k, a);
        FMatrixRMaj bm = FMatrixRMaj.wrap(k, n, b);
        FMatrixRMaj c = new FMatrixRMaj(m, n);
        boolean mt = threads > 1;
        return new Prepared() {
            @Override
            public void reset() {
                // inputs are only read
            }

            @Override
            public Object run() {
                if (mt) {
                    CommonOps_MT_FDRM.mult(am, bm, c);
                } else {
                    CommonOps_FDRM.mult(am, bm, c);
                }
                return c;
            }

            @Override
            public double[] result() {
                return Peers.widen(c.data);
            }
        };
    }

    @Override
    public Prepared gram(int rows, int cols, double[] x) {
        Peers.checkRect("x", rows, cols, x.length);
        DMatrixRMaj xm = DMatrixRMaj.wrap(rows, cols, x);
        DMatrixRMaj g = new DMatrixRMaj(cols, cols);
        boolean mt = threads > 1;
        return new ReadOnly(g.data) {
            @Override
            public Object run() {
                if (mt) {
                    CommonOps_MT_DDRM.multInner(xm, g);
                } else {
                    CommonOps_DDRM.multInner(xm, g);
                }
                return g;
            }
        };
    }

    @Override
    public Prepared cholesky(int n, double[] spd) {
        Peers.checkSquare("spd", n, spd.length);
        DMatrixRMaj work = new DMatrixRMaj(n, n);
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(n, true);
        return new Prepared() {
            @Override
            public void reset() {
                System.arraycopy(spd, 0, work.data, 0, spd.length);
            }

            @Override
            public Object run() {
                if (!chol.decompose(work)) {
                    throw new IllegalStateException("EJML: matrix is not positive definite");
                }
                return chol;
            }

            @Override
            public double[] result() {
                return Peers.lowerOnly(n, chol.getT(null).data);
            }
        };
    }

    @Override
    public Prepared eigenvalues(int n, double[] symmetric) {
        Peers.checkSquare("symmetric", n, symmetric.length);
        DMatrixRMaj work = new DMatrixRMaj(n, n);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
        double[] w = new double[n];
        return new Prepared() {
            @Override
            public void reset() {
                System.arraycopy(symmetric, 0, work.data, 0, symmetric.length);
            }

            @Override
            public Object run() {
                if (!eig.decompose(work)) {
                    throw new IllegalStateException("EJML: symmetric eigen-decomposition did not converge");
                }
                // Reading the values out (and sorting them, as LAPACK returns them) is part of the job.
                for (int i = 0; i < n; i++) {
                    w[i] = eig.getEigenvalue(i).real;
                }
                Arrays.sort(w);
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
        DMatrixRMaj xm = DMatrixRMaj.wrap(n, p, x);
        DMatrixRMaj tm = DMatrixRMaj.wrap(n, c, t);
        boolean mt = threads > 1;
        return new Prepared() {
            private double[] out = new double[0];

            @Override
            public void reset() {
                // inputs are copied before centring
            }

            @Override
            public Object run() {
                DMatrixRMaj xMean = CommonOps_DDRM.sumCols(xm, null);
                CommonOps_DDRM.divide(xMean, n);
                DMatrixRMaj tMean = CommonOps_DDRM.sumCols(tm, null);
                CommonOps_DDRM.divide(tMean, n);
                DMatrixRMaj xc = centred(xm, xMean);
                DMatrixRMaj tc = centred(tm, tMean);
                DMatrixRMaj g = new DMatrixRMaj(p, p);
                DMatrixRMaj rhs = new DMatrixRMaj(p, c);
                if (mt) {
                    CommonOps_MT_DDRM.multInner(xc, g);
                    CommonOps_MT_DDRM.multTransA(xc, tc, rhs);
                } else {
                    CommonOps_DDRM.multInner(xc, g);
                    CommonOps_DDRM.multTransA(xc, tc, rhs);
                }
                for (int i = 0; i < p; i++) {
                    g.add(i, i, lambda);
                }
                LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.chol(p);
                if (!solver.setA(g)) {
                    throw new IllegalStateException("EJML: XcT Xc + lambda I is not positive definite");
                }
                DMatrixRMaj w = new DMatrixRMaj(p, c);
                solver.solve(rhs, w);
                DMatrixRMaj bias = new DMatrixRMaj(1, c);
                CommonOps_DDRM.mult(xMean, w, bias);
                CommonOps_DDRM.subtract(tMean, bias, bias);
                out = Peers.ridgeResult(p, c, w.data, bias.data);
                return out;
            }

            @Override
            public double[] result() {
                return out.clone();
            }
        };
    }

    private static DMatrixRMaj centred(DMatrixRMaj a, DMatrixRMaj mean) {
        DMatrixRMaj out = a.copy();
        int rows = out.numRows;
        int cols = out.numCols;
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            for (int j = 0; j < cols; j++) {
                out.data[o + j] -= mean.data[j];
            }
        }
        return out;
    }
}
