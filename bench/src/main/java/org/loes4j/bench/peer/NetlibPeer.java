package org.loes4j.bench.peer;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import dev.ludovic.netlib.lapack.JavaLAPACK;
import dev.ludovic.netlib.lapack.LAPACK;
import dev.ludovic.netlib.lapack.NativeLAPACK;
import org.loes4j.bench.peer.openblas.OpenBlas;
import org.netlib.util.intW;

/**
 * dev.ludovic.netlib (the netlib-java successor Spark uses), in one of two modes:
 * <ul>
 *   <li>{@code netlib-java}: its pure-JVM BLAS and LAPACK ({@link JavaBLAS#getInstance()}: the Vector API
 *       {@code VectorBLAS} when {@code jdk.incubator.vector} is present, else plain Java; LAPACK is the F2J
 *       translation). Single-threaded.</li>
 *   <li>{@code netlib-native}: its JNI shims ({@code JNIBLAS}/{@code JNILAPACK}) loading the same extracted
 *       OpenBLAS the {@code openblas} peer calls through FFM, via
 *       {@code -Ddev.ludovic.netlib.blas.nativeLibPath} and {@code ...lapack.nativeLibPath}; the thread
 *       count is OpenBLAS's, set through FFM on the same loaded library.</li>
 * </ul>
 * Fortran is column-major, so a row-major array is its transpose: {@code C = A B} is {@code CT = BT AT},
 * the lower triangle of a row-major symmetric matrix is the column-major upper triangle ({@code "U"}).
 */
public final class NetlibPeer implements GemmPeer, GramPeer, CholeskyPeer, EigenPeer {
    static final String BLAS_PATH_PROPERTY = "dev.ludovic.netlib.blas.nativeLibPath";
    static final String LAPACK_PATH_PROPERTY = "dev.ludovic.netlib.lapack.nativeLibPath";

    static {
        // netlib's JNI shims read these when they are first loaded (by whichever netlib class comes first,
        // in either mode), so they are set before any netlib class is touched; a user's setting wins.
        String lib = OpenBlas.library().toString();
        if (System.getProperty(BLAS_PATH_PROPERTY) == null) {
            System.setProperty(BLAS_PATH_PROPERTY, lib);
        }
        if (System.getProperty(LAPACK_PATH_PROPERTY) == null) {
            System.setProperty(LAPACK_PATH_PROPERTY, lib);
        }
    }

    private final boolean nativeOpenBlas;
    private final BLAS blas;
    private final LAPACK lapack;

    /** @param nativeOpenBlas true for the JNI path to OpenBLAS, false for the pure-JVM implementations */
    public NetlibPeer(boolean nativeOpenBlas) {
        this.nativeOpenBlas = nativeOpenBlas;
        this.blas = nativeOpenBlas ? NativeBLAS.getInstance() : JavaBLAS.getInstance();
        this.lapack = nativeOpenBlas ? NativeLAPACK.getInstance() : JavaLAPACK.getInstance();
    }

    @Override
    public String name() {
        return nativeOpenBlas ? "netlib-native" : "netlib-java";
    }

    @Override
    public int maxThreads() {
        return nativeOpenBlas ? Runtime.getRuntime().availableProcessors() : 1;
    }

    @Override
    public void useThreads(int threads) {
        Peers.checkThreads(this, threads);
        if (nativeOpenBlas) {
            OpenBlas.setThreads(threads);
        }
    }

    @Override
    public String describe() {
        return "dev.ludovic.netlib " + Peers.version("netlib") + ": "
                + blas.getClass().getSimpleName() + " + " + lapack.getClass().getSimpleName()
                + (nativeOpenBlas ? " -> " + System.getProperty(BLAS_PATH_PROPERTY) + ", OpenBLAS threads "
                + OpenBlas.threads() : "");
    }

    @Override
    public Prepared dgemm(int m, int n, int k, double[] a, double[] b) {
        Peers.checkGemm(m, n, k, a.length, b.length);
        double[] c = new double[m * n];
        return new ReadOnly(c) {
            @Override
            public Object run() {
                blas.dgemm("N", "N", n, m, k, 1.0, b, n, a, k, 0.0, c, n);
                return c;
            }
        };
    }

    @Override
    public Prepared sgemm(int m, int n, int k, float[] a, float[] b) {
        Peers.checkGemm(m, n, k, a.length, b.length);
        float[] c = new float[m * n];
        return new Prepared() {
            @Override
            public void reset() {
                // inputs are only read
            }

            @Override
            public Object run() {
                blas.sgemm("N", "N", n, m, k, 1.0f, b, n, a, k, 0.0f, c, n);
                return c;
            }

            @Override
            public double[] result() {
                return Peers.widen(c);
            }
        };
    }

    @Override
    public Prepared gram(int rows, int cols, double[] x) {
        Peers.checkRect("x", rows, cols, x.length);
        double[] g = new double[cols * cols];
        // x row-major (rows x cols) is XT column-major (cols x rows, lda cols); XT X = XT (XT)T: trans "N".
        return new ReadOnly(g) {
            @Override
            public Object run() {
                blas.dsyrk("U", "N", cols, rows, 1.0, x, cols, 0.0, g, cols);
                return g;
            }
        };
    }

    @Override
    public Prepared cholesky(int n, double[] spd) {
        Peers.checkSquare("spd", n, spd.length);
        double[] work = new double[n * n];
        return new Prepared() {
            @Override
            public void reset() {
                System.arraycopy(spd, 0, work, 0, spd.length);
            }

            @Override
            public Object run() {
                intW info = new intW(0);
                lapack.dpotrf("U", n, work, n, info);
                if (info.val != 0) {
                    throw new IllegalStateException("netlib dpotrf: info " + info.val);
                }
                return work;
            }

            @Override
            public double[] result() {
                return Peers.lowerOnly(n, work);
            }
        };
    }

    @Override
    public Prepared eigenvalues(int n, double[] symmetric) {
        Peers.checkSquare("symmetric", n, symmetric.length);
        double[] work = new double[n * n];
        double[] w = new double[n];
        // Workspace query (lwork = liwork = -1) once, outside the timing, as a LAPACK user would.
        double[] lworkOpt = new double[1];
        int[] liworkOpt = new int[1];
        intW query = new intW(0);
        lapack.dsyevd("N", "U", n, work, Math.max(1, n), w, lworkOpt, -1, liworkOpt, -1, query);
        double[] lwork = new double[Math.max(1, (int) lworkOpt[0])];
        int[] liwork = new int[Math.max(1, liworkOpt[0])];
        return new Prepared() {
            @Override
            public void reset() {
                System.arraycopy(symmetric, 0, work, 0, symmetric.length);
            }

            @Override
            public Object run() {
                intW info = new intW(0);
                lapack.dsyevd("N", "U", n, work, Math.max(1, n), w, lwork, lwork.length, liwork, liwork.length, info);
                if (info.val != 0) {
                    throw new IllegalStateException("netlib dsyevd: info " + info.val);
                }
                return w;
            }

            @Override
            public double[] result() {
                return w.clone();
            }
        };
    }
}
