package org.loes4j.linalg;

import org.loes4j.linalg.decomp.CholeskyFactor;
import org.loes4j.linalg.decomp.SymmetricEigen;
import org.loes4j.linalg.spi.CholeskyKernel;
import org.loes4j.linalg.spi.EigenKernel;
import org.loes4j.linalg.spi.GemmKernel;
import org.loes4j.linalg.spi.GramKernel;
import org.loes4j.linalg.spi.VectorKernel;

/**
 * The public boundary of loes4j's linear algebra: every operation checks its arguments here (shapes,
 * aliasing; messages name the argument and the value) and then runs the kernel of the first backend in
 * the chain that has it. Obtain the process-wide instance with {@link #get()}, or one bound to a named
 * backend with {@link #using(String)} (tests and benchmarks compare backends that way).
 *
 * <p>Matrices are row-major; "float64" methods take {@link DMatrix}, "float32" ones {@link FMatrix}.
 */
public final class Linalg {
    private static volatile Linalg process;

    private final Backends backends;

    private Linalg(Backends backends) {
        this.backends = backends;
    }

    // Kernels are resolved per call (a map lookup, cached in Backends) so that a chain lacking one kernel
    // still serves the others.
    private GemmKernel gemm() {
        return backends.kernel(GemmKernel.class);
    }

    private GramKernel gram() {
        return backends.kernel(GramKernel.class);
    }

    private CholeskyKernel chol() {
        return backends.kernel(CholeskyKernel.class);
    }

    private EigenKernel eig() {
        return backends.kernel(EigenKernel.class);
    }

    private VectorKernel vec() {
        return backends.kernel(VectorKernel.class);
    }

    /** The process-wide instance over {@link Backends#process()}. */
    public static Linalg get() {
        Linalg l = process;
        if (l == null) {
            synchronized (Linalg.class) {
                l = process;
                if (l == null) {
                    l = new Linalg(Backends.process());
                    process = l;
                }
            }
        }
        return l;
    }

    /** An instance whose chain starts with the named backend ({@code "scalar"}, {@code "vector"}, ...). */
    public static Linalg using(String backend) {
        return new Linalg(Backends.of(backend));
    }

    /** The backend chain this instance computes on. */
    public Backends backends() {
        return backends;
    }

    // ---------------------------------------------------------------- products

    /** {@code C = alpha op(A) op(B) + beta C} in float64. */
    public void gemm(Transpose transA, Transpose transB, double alpha, DMatrix a, DMatrix b, double beta, DMatrix c) {
        checkGemm(transA, transB, a, b, c);
        Checks.finite("alpha", alpha);
        Checks.finite("beta", beta);
        if (c.rows() == 0 || c.cols() == 0) {
            return;
        }
        gemm().dgemm(transA, transB, alpha, a, b, beta, c);
    }

    /** {@code C = alpha op(A) op(B) + beta C} in float32. */
    public void gemm(Transpose transA, Transpose transB, float alpha, FMatrix a, FMatrix b, float beta, FMatrix c) {
        checkGemm(transA, transB, a, b, c);
        Checks.finite("alpha", alpha);
        Checks.finite("beta", beta);
        if (c.rows() == 0 || c.cols() == 0) {
            return;
        }
        gemm().sgemm(transA, transB, alpha, a, b, beta, c);
    }

    /** A new {@code op(A) op(B)}. */
    public DMatrix multiply(Transpose transA, DMatrix a, Transpose transB, DMatrix b) {
        DMatrix c = DMatrix.zeros(transA == Transpose.NO ? a.rows() : a.cols(),
                transB == Transpose.NO ? b.cols() : b.rows());
        gemm(transA, transB, 1.0, a, b, 0.0, c);
        return c;
    }

    /** A new {@code A B}. */
    public DMatrix multiply(DMatrix a, DMatrix b) {
        return multiply(Transpose.NO, a, Transpose.NO, b);
    }

    /** A new {@code op(A) op(B)} in float32. */
    public FMatrix multiply(Transpose transA, FMatrix a, Transpose transB, FMatrix b) {
        FMatrix c = FMatrix.zeros(transA == Transpose.NO ? a.rows() : a.cols(),
                transB == Transpose.NO ? b.cols() : b.rows());
        gemm(transA, transB, 1.0f, a, b, 0.0f, c);
        return c;
    }

    /** A new {@code A B} in float32. */
    public FMatrix multiply(FMatrix a, FMatrix b) {
        return multiply(Transpose.NO, a, Transpose.NO, b);
    }

    private static void checkGemm(Transpose ta, Transpose tb, Matrix a, Matrix b, Matrix c) {
        int m = ta == Transpose.NO ? a.rows() : a.cols();
        int k = ta == Transpose.NO ? a.cols() : a.rows();
        int kb = tb == Transpose.NO ? b.rows() : b.cols();
        int n = tb == Transpose.NO ? b.cols() : b.rows();
        if (k != kb) {
            throw new IllegalArgumentException("b: inner dimension " + kb + " of op(b) (" + b.shape() + ", "
                    + tb + ") does not match " + k + " of op(a) (" + a.shape() + ", " + ta + ")");
        }
        if (c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException("c: shape " + c.shape() + ", expected " + m + " x " + n);
        }
        Checks.noAlias("c", c, "a", a);
        Checks.noAlias("c", c, "b", b);
    }

    // ---------------------------------------------------------------- Gram products

    /** {@code C = alpha AT A + beta C} (trans YES) or {@code alpha A AT + beta C} (trans NO), float64. */
    public void syrk(Transpose trans, double alpha, DMatrix a, double beta, DMatrix c) {
        checkSyrk(trans, a, c);
        Checks.finite("alpha", alpha);
        Checks.finite("beta", beta);
        if (c.rows() == 0) {
            return;
        }
        gram().dsyrk(trans, alpha, a, beta, c);
    }

    /** Float32 twin of {@link #syrk(Transpose, double, DMatrix, double, DMatrix)}. */
    public void syrk(Transpose trans, float alpha, FMatrix a, float beta, FMatrix c) {
        checkSyrk(trans, a, c);
        Checks.finite("alpha", alpha);
        Checks.finite("beta", beta);
        if (c.rows() == 0) {
            return;
        }
        gram().ssyrk(trans, alpha, a, beta, c);
    }

    private static void checkSyrk(Transpose trans, Matrix a, Matrix c) {
        int n = trans == Transpose.YES ? a.cols() : a.rows();
        if (c.rows() != n || c.cols() != n) {
            throw new IllegalArgumentException("c: shape " + c.shape() + ", expected " + n + " x " + n
                    + " for the Gram product of a (" + a.shape() + ", " + trans + ")");
        }
        Checks.noAlias("c", c, "a", a);
    }

    /** A new {@code XT X} (cols x cols). */
    public DMatrix gramT(DMatrix x) {
        DMatrix c = DMatrix.zeros(x.cols(), x.cols());
        syrk(Transpose.YES, 1.0, x, 0.0, c);
        return c;
    }

    /** A new {@code X XT} (rows x rows). */
    public DMatrix gramN(DMatrix x) {
        DMatrix c = DMatrix.zeros(x.rows(), x.rows());
        syrk(Transpose.NO, 1.0, x, 0.0, c);
        return c;
    }

    /** A new {@code XT X} in float32. */
    public FMatrix gramT(FMatrix x) {
        FMatrix c = FMatrix.zeros(x.cols(), x.cols());
        syrk(Transpose.YES, 1.0f, x, 0.0f, c);
        return c;
    }

    /** A new {@code X XT} in float32. */
    public FMatrix gramN(FMatrix x) {
        FMatrix c = FMatrix.zeros(x.rows(), x.rows());
        syrk(Transpose.NO, 1.0f, x, 0.0f, c);
        return c;
    }

    // ---------------------------------------------------------------- Cholesky

    /**
     * Factors a copy of the symmetric positive definite {@code a} (lower triangle read).
     *
     * @throws NotPositiveDefiniteException naming the failing pivot
     */
    public CholeskyFactor cholesky(DMatrix a) {
        Checks.square("a", a);
        DMatrix l = a.copy();
        chol().dpotrf(l);
        return new CholeskyFactor(this, l);
    }

    /** Factors {@code a} in place: its lower triangle becomes L, the strict upper triangle zero. */
    public void choleskyInPlace(DMatrix a) {
        Checks.square("a", a);
        chol().dpotrf(a);
    }

    /** Float32 twin of {@link #choleskyInPlace(DMatrix)}. */
    public void choleskyInPlace(FMatrix a) {
        Checks.square("a", a);
        chol().spotrf(a);
    }

    /** Solves {@code op(L) X = B} in place in b; L lower triangular n x n, b n x m. */
    public void solveTriangular(Transpose trans, DMatrix l, DMatrix b) {
        checkTriangular(l, b);
        if (b.rows() == 0 || b.cols() == 0) {
            return;
        }
        chol().dtrsm(trans, l, b);
    }

    /** Float32 twin of {@link #solveTriangular(Transpose, DMatrix, DMatrix)}. */
    public void solveTriangular(Transpose trans, FMatrix l, FMatrix b) {
        checkTriangular(l, b);
        if (b.rows() == 0 || b.cols() == 0) {
            return;
        }
        chol().strsm(trans, l, b);
    }

    private static void checkTriangular(Matrix l, Matrix b) {
        Checks.square("l", l);
        if (b.rows() != l.rows()) {
            throw new IllegalArgumentException("b: has " + b.rows() + " rows, the factor l is " + l.shape());
        }
        Checks.noAlias("b", b, "l", l);
    }

    /** Solves {@code A X = B} for symmetric positive definite A; returns a new X. */
    public DMatrix solveSpd(DMatrix a, DMatrix b) {
        return cholesky(a).solve(b);
    }

    // ---------------------------------------------------------------- eigen

    /**
     * Eigen-decomposition of the symmetric {@code a} (lower triangle read; a is not modified):
     * eigenvalues ascending, and eigenvectors as columns when {@code wantVectors}.
     */
    public SymmetricEigen eigen(DMatrix a, boolean wantVectors) {
        Checks.square("a", a);
        int n = a.rows();
        double[] w = new double[n];
        DMatrix v = wantVectors ? DMatrix.zeros(n, n) : null;
        if (n > 0) {
            eig().dsyev(a.copy(), w, v);
        }
        return new SymmetricEigen(w, v);
    }

    /** Eigenvalues of the symmetric {@code a}, ascending. */
    public double[] eigenvalues(DMatrix a) {
        return eigen(a, false).values();
    }

    /** Float32 twin of {@link #eigenvalues(DMatrix)}. */
    public float[] eigenvalues(FMatrix a) {
        Checks.square("a", a);
        float[] w = new float[a.rows()];
        if (a.rows() > 0) {
            eig().ssyev(a.copy(), w, null);
        }
        return w;
    }

    /** Float32 eigen-decomposition; vectors written into {@code vectors} (n x n) when non-null. */
    public float[] eigen(FMatrix a, FMatrix vectors) {
        Checks.square("a", a);
        if (vectors != null) {
            Checks.sameShape("vectors", vectors, "a", a);
        }
        float[] w = new float[a.rows()];
        if (a.rows() > 0) {
            eig().ssyev(a.copy(), w, vectors);
        }
        return w;
    }

    // ---------------------------------------------------------------- reductions and statistics

    /** Frobenius inner product {@code <A, B>_F = sum_ij a_ij b_ij}. */
    public double dot(DMatrix a, DMatrix b) {
        Checks.sameShape("b", b, "a", a);
        double s = 0;
        for (int i = 0; i < a.rows(); i++) {
            s += vec().ddot(a.cols(), a.data(), a.index(i, 0), b.data(), b.index(i, 0));
        }
        return s;
    }

    /** Float32 Frobenius inner product, accumulated in float64. */
    public double dot(FMatrix a, FMatrix b) {
        Checks.sameShape("b", b, "a", a);
        double s = 0;
        for (int i = 0; i < a.rows(); i++) {
            s += vec().sdot(a.cols(), a.data(), a.index(i, 0), b.data(), b.index(i, 0));
        }
        return s;
    }

    /** {@code ||A||_F}. */
    public double frobeniusNorm(DMatrix a) {
        return Math.sqrt(dot(a, a));
    }

    /** {@code ||A||_F} of a float32 matrix, accumulated in float64. */
    public double frobeniusNorm(FMatrix a) {
        return Math.sqrt(dot(a, a));
    }

    /** Column means: the 1 x cols row vector {@code mean(X)}. Empty input gives zeros. */
    public double[] columnMeans(DMatrix x) {
        double[] mean = new double[x.cols()];
        if (x.rows() == 0) {
            return mean;
        }
        for (int i = 0; i < x.rows(); i++) {
            vec().daxpy(x.cols(), 1.0, x.data(), x.index(i, 0), mean, 0);
        }
        vec().dscal(x.cols(), 1.0 / x.rows(), mean, 0);
        return mean;
    }

    /** Subtracts {@code shift} (length cols) from every row of x, in place. */
    public void subtractRow(DMatrix x, double[] shift) {
        Checks.dimension("shift: length", shift.length, x.cols());
        for (int i = 0; i < x.rows(); i++) {
            vec().daxpy(x.cols(), -1.0, shift, 0, x.data(), x.index(i, 0));
        }
    }

    /** A new centred copy {@code Xc = X - 1 mean(X)}. */
    public DMatrix center(DMatrix x) {
        DMatrix c = x.copy();
        subtractRow(c, columnMeans(x));
        return c;
    }

    /**
     * Covariance {@code Xc^T Xc / (N - 1)} when {@code unbiased}, else divided by N. Needs N >= 2 when
     * unbiased, N >= 1 otherwise.
     */
    public DMatrix covariance(DMatrix x, boolean unbiased) {
        int n = x.rows();
        if (n < (unbiased ? 2 : 1)) {
            throw new IllegalArgumentException("x: " + n + " rows, a covariance needs at least " + (unbiased ? 2 : 1));
        }
        DMatrix xc = center(x);
        DMatrix c = DMatrix.zeros(x.cols(), x.cols());
        syrk(Transpose.YES, 1.0 / (unbiased ? n - 1 : n), xc, 0.0, c);
        return c;
    }

    /** Column means of a float32 matrix, in float64. */
    public double[] columnMeans(FMatrix x) {
        double[] mean = new double[x.cols()];
        float[] d = x.data();
        for (int i = 0; i < x.rows(); i++) {
            int o = x.index(i, 0);
            for (int j = 0; j < x.cols(); j++) {
                mean[j] += d[o + j];
            }
        }
        if (x.rows() > 0) {
            vec().dscal(x.cols(), 1.0 / x.rows(), mean, 0);
        }
        return mean;
    }
}
