package org.loes4j.bench.peer;

import java.util.Arrays;
import java.util.Optional;

import org.ojalgo.OjAlgoUtils;
import org.ojalgo.matrix.decomposition.Cholesky;
import org.ojalgo.matrix.decomposition.Eigenvalue;
import org.ojalgo.matrix.store.MatrixStore;
import org.ojalgo.matrix.store.R032Store;
import org.ojalgo.matrix.store.R064Store;

/**
 * ojAlgo. Its dense stores are column-major, so a row-major array wrapped as a store is the transpose:
 * {@code C = A B} is computed as {@code CT = BT AT} on wrapped arrays (no copies), and symmetric inputs
 * need no conversion at all. Threads: {@link OjAlgoUtils#limitThreadsTo} (ojAlgo otherwise decides by
 * itself from the hardware and the problem size).
 */
public final class OjalgoPeer implements GemmPeer, GramPeer, CholeskyPeer, EigenPeer {
    private int threads = 1;

    @Override
    public String name() {
        return "ojalgo";
    }

    @Override
    public int maxThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    public void useThreads(int threads) {
        Peers.checkThreads(this, threads);
        OjAlgoUtils.limitThreadsTo(threads);
        this.threads = threads;
    }

    @Override
    public String describe() {
        return "ojAlgo " + Peers.version("ojalgo") + ", threads limited to " + threads + ", environment "
                + OjAlgoUtils.ENVIRONMENT;
    }

    @Override
    public Prepared dgemm(int m, int n, int k, double[] a, double[] b) {
        Peers.checkGemm(m, n, k, a.length, b.length);
        R064Store at = R064Store.wrap(a, k);
        R064Store bt = R064Store.wrap(b, n);
        R064Store ct = R064Store.wrap(new double[m * n], n);
        return new ReadOnly(ct.data) {
            @Override
            public Object run() {
                ct.fillByMultiplying(bt, at);
                return ct;
            }
        };
    }

    @Override
    public Prepared sgemm(int m, int n, int k, float[] a, float[] b) {
        Peers.checkGemm(m, n, k, a.length, b.length);
        R032Store at = R032Store.wrap(a, k);
        R032Store bt = R032Store.wrap(b, n);
        float[] cData = new float[m * n];
        R032Store ct = R032Store.wrap(cData, n);
        return new Prepared() {
            @Override
            public void reset() {
                // inputs are only read
            }

            @Override
            public Object run() {
                ct.fillByMultiplying(bt, at);
                return ct;
            }

            @Override
            public double[] result() {
                return Peers.widen(cData);
            }
        };
    }

    @Override
    public Prepared gram(int rows, int cols, double[] x) {
        Peers.checkRect("x", rows, cols, x.length);
        R064Store xt = R064Store.wrap(x, cols);
        R064Store g = R064Store.wrap(new double[cols * cols], cols);
        return new ReadOnly(g.data) {
            @Override
            public Object run() {
                g.fillByMultiplying(xt, xt.transpose());
                return g;
            }
        };
    }

    @Override
    public Prepared cholesky(int n, double[] spd) {
        Peers.checkSquare("spd", n, spd.length);
        R064Store a = R064Store.wrap(spd, n);
        Cholesky<Double> chol = Cholesky.R064.make(a);
        return new Prepared() {
            @Override
            public void reset() {
                // ojAlgo decomposes a copy it owns
            }

            @Override
            public Object run() {
                if (!chol.decompose(a) || !chol.isSPD()) {
                    throw new IllegalStateException("ojAlgo: matrix is not positive definite");
                }
                return chol;
            }

            @Override
            public double[] result() {
                MatrixStore<Double> l = chol.getL();
                double[] out = new double[n * n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j <= i; j++) {
                        out[i * n + j] = l.doubleValue(i, j);
                    }
                }
                return out;
            }
        };
    }

    @Override
    public Prepared eigenvalues(int n, double[] symmetric) {
        Peers.checkSquare("symmetric", n, symmetric.length);
        R064Store a = R064Store.wrap(symmetric, n);
        Eigenvalue<Double> eig = Eigenvalue.R064.make(a, true);
        double[] w = new double[n];
        return new Prepared() {
            @Override
            public void reset() {
                // ojAlgo decomposes a copy it owns
            }

            @Override
            public Object run() {
                if (!eig.computeValuesOnly(a)) {
                    throw new IllegalStateException("ojAlgo: symmetric eigenvalues did not converge");
                }
                eig.getEigenvalues(w, Optional.empty());
                Arrays.sort(w);
                return w;
            }

            @Override
            public double[] result() {
                return w.clone();
            }
        };
    }
}
