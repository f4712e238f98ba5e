package org.loes4j.nativebindings.torch;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.NotPositiveDefiniteException;
import org.loes4j.linalg.Transpose;
import org.loes4j.linalg.spi.CholeskyKernel;
import org.loes4j.linalg.spi.EigenKernel;
import org.loes4j.linalg.spi.GemmKernel;
import org.loes4j.linalg.spi.GramKernel;
import org.loes4j.nativebindings.torch.internal.AotiShim;

/**
 * GEMM, Gram, Cholesky and symmetric eigen kernels on LibTorch CPU through its C shim.
 *
 * <p>Operands live on the Java heap, which native code may not keep pointers into (the collector moves
 * arrays), so each call copies its operands once into a confined off-heap arena, builds tensors over that
 * memory ({@code create_tensor_from_blob}: no further copy; a transposed operand is the same memory with
 * swapped strides), runs the operator, and copies the result back. Results LibTorch allocates itself
 * (Cholesky factor, SVD) are read through their own sizes and strides.
 *
 * <ul>
 *   <li>GEMM: {@code aoti_torch_cpu_addmm_out(out = C, self = C, op(A), op(B), beta, alpha)}; with
 *       {@code beta == 0} C is not copied in (the off-heap buffer starts zeroed), so NaN in C does not
 *       propagate, as BLAS requires.</li>
 *   <li>Gram: the same addmm with {@code AT} and {@code A} as two views of one buffer; LibTorch has no syrk,
 *       so the full product is computed and the lower triangle mirrored (both triangles equal, as the
 *       scalar reference writes them).</li>
 *   <li>Cholesky: {@code aten::linalg_cholesky_ex} through the dispatcher (its {@code info} names the first
 *       failing leading minor); triangular solves: {@code aten::linalg_solve_triangular}, also through the dispatcher.</li>
 *   <li>Eigen: the 2.7 dispatcher crashes on {@code linalg_eigh}'s {@code str} argument, so the
 *       decomposition is taken from {@code aten::linalg_svd} of the shifted matrix {@code B = A + sigma I},
 *       {@code sigma = max_i sum_j |a_ij| >= rho(A)}: B is positive semi-definite, so its singular values
 *       are its eigenvalues and its left singular vectors its eigenvectors, and {@code lambda_i(A) =
 *       s_i(B) - sigma}. The shift costs at most a factor 2 in the absolute error bound {@code O(eps
 *       ||A||)} every backward-stable symmetric solver has; it also handles indefinite A and +-lambda pairs,
 *       which an unshifted SVD cannot tell apart. Float32 input is solved in float64 and rounded, like the
 *       scalar reference.</li>
 * </ul>
 */
final class TorchKernels implements GemmKernel, GramKernel, CholeskyKernel, EigenKernel {
    /** Cache-line (and AVX-512 vector) alignment of every operand buffer. */
    private static final long BUFFER_ALIGNMENT = 64;

    private final int deviceCpu;
    private final int float32;
    private final int float64;

    TorchKernels(TorchLibrary.Loaded lib) {
        this.deviceCpu = lib.deviceCpu();
        this.float32 = lib.float32();
        this.float64 = lib.float64();
    }

    // ---------------------------------------------------------------- copies between heap and arena

    /**
     * A zeroed buffer of {@code elements} (at least one) aligned to 64 bytes. MKL picks code paths by operand
     * alignment, so a fixed alignment keeps results bitwise reproducible from call to call.
     */
    private static MemorySegment buffer(Arena arena, long elements, int elementBytes) {
        return arena.allocate(Math.max(1L, elements) * elementBytes, BUFFER_ALIGNMENT);
    }

    private static MemorySegment copyIn(Arena arena, DMatrix m) {
        int rows = m.rows();
        int cols = m.cols();
        MemorySegment seg = buffer(arena, (long) rows * cols, Double.BYTES);
        for (int i = 0; i < rows; i++) {
            MemorySegment.copy(m.data(), m.index(i, 0), seg, JAVA_DOUBLE, (long) i * cols * Double.BYTES, cols);
        }
        return seg;
    }

    private static MemorySegment copyIn(Arena arena, FMatrix m) {
        int rows = m.rows();
        int cols = m.cols();
        MemorySegment seg = buffer(arena, (long) rows * cols, Float.BYTES);
        for (int i = 0; i < rows; i++) {
            MemorySegment.copy(m.data(), m.index(i, 0), seg, JAVA_FLOAT, (long) i * cols * Float.BYTES, cols);
        }
        return seg;
    }

    private static void copyOut(MemorySegment seg, DMatrix m) {
        int cols = m.cols();
        for (int i = 0; i < m.rows(); i++) {
            MemorySegment.copy(seg, JAVA_DOUBLE, (long) i * cols * Double.BYTES, m.data(), m.index(i, 0), cols);
        }
    }

    private static void copyOut(MemorySegment seg, FMatrix m) {
        int cols = m.cols();
        for (int i = 0; i < m.rows(); i++) {
            MemorySegment.copy(seg, JAVA_FLOAT, (long) i * cols * Float.BYTES, m.data(), m.index(i, 0), cols);
        }
    }

    /** A tensor over a contiguous rows x cols row-major buffer, as stored or transposed (swapped strides). */
    private Tensor view(Arena arena, MemorySegment seg, int rows, int cols, Transpose t, int dtype) {
        return t == Transpose.NO
                ? Tensor.fromBlob(arena, seg, rows, cols, cols, 1, dtype, deviceCpu)
                : Tensor.fromBlob(arena, seg, cols, rows, 1, cols, dtype, deviceCpu);
    }

    // ---------------------------------------------------------------- GEMM

    @Override
    public void dgemm(Transpose transA, Transpose transB, double alpha, DMatrix a, DMatrix b, double beta, DMatrix c) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = copyIn(arena, a);
            MemorySegment sb = copyIn(arena, b);
            MemorySegment sc = beta == 0
                    ? buffer(arena, (long) c.rows() * c.cols(), Double.BYTES)
                    : copyIn(arena, c);
            addmm(arena, sa, a.rows(), a.cols(), transA, sb, b.rows(), b.cols(), transB, sc, c.rows(), c.cols(),
                    alpha, beta, float64);
            copyOut(sc, c);
        }
    }

    @Override
    public void sgemm(Transpose transA, Transpose transB, float alpha, FMatrix a, FMatrix b, float beta, FMatrix c) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = copyIn(arena, a);
            MemorySegment sb = copyIn(arena, b);
            MemorySegment sc = beta == 0
                    ? buffer(arena, (long) c.rows() * c.cols(), Float.BYTES)
                    : copyIn(arena, c);
            addmm(arena, sa, a.rows(), a.cols(), transA, sb, b.rows(), b.cols(), transB, sc, c.rows(), c.cols(),
                    alpha, beta, float32);
            copyOut(sc, c);
        }
    }

    /** {@code C = beta C + alpha op(A) op(B)} over three off-heap buffers (A and B may be the same one). */
    private void addmm(Arena arena, MemorySegment sa, int ar, int ac, Transpose ta, MemorySegment sb, int br, int bc,
                       Transpose tb, MemorySegment sc, int cr, int cc, double alpha, double beta, int dtype) {
        try (Tensor ta2 = view(arena, sa, ar, ac, ta, dtype);
             Tensor tb2 = view(arena, sb, br, bc, tb, dtype);
             Tensor tc = Tensor.fromBlob(arena, sc, cr, cc, cc, 1, dtype, deviceCpu)) {
            TorchException.check(AotiShim.aoti_torch_cpu_addmm_out(tc.handle(), tc.handle(), ta2.handle(),
                    tb2.handle(), beta, alpha), "aoti_torch_cpu_addmm_out",
                    cr + " x " + cc + " = op(" + ar + " x " + ac + ", " + ta + ") op(" + br + " x " + bc + ", " + tb + ")");
        }
    }

    // ---------------------------------------------------------------- Gram

    @Override
    public void dsyrk(Transpose trans, double alpha, DMatrix a, double beta, DMatrix c) {
        int n = c.rows();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = copyIn(arena, a);
            MemorySegment sc = beta == 0 ? buffer(arena, (long) n * n, Double.BYTES) : copyIn(arena, c);
            Transpose other = trans == Transpose.YES ? Transpose.NO : Transpose.YES;
            addmm(arena, sa, a.rows(), a.cols(), trans, sa, a.rows(), a.cols(), other, sc, n, n, alpha, beta, float64);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    double v = sc.getAtIndex(JAVA_DOUBLE, (long) i * n + j);
                    c.set(i, j, v);
                    c.set(j, i, v);
                }
            }
        }
    }

    @Override
    public void ssyrk(Transpose trans, float alpha, FMatrix a, float beta, FMatrix c) {
        int n = c.rows();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = copyIn(arena, a);
            MemorySegment sc = beta == 0 ? buffer(arena, (long) n * n, Float.BYTES) : copyIn(arena, c);
            Transpose other = trans == Transpose.YES ? Transpose.NO : Transpose.YES;
            addmm(arena, sa, a.rows(), a.cols(), trans, sa, a.rows(), a.cols(), other, sc, n, n, alpha, beta, float32);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    float v = sc.getAtIndex(JAVA_FLOAT, (long) i * n + j);
                    c.set(i, j, v);
                    c.set(j, i, v);
                }
            }
        }
    }

    // ---------------------------------------------------------------- Cholesky

    /**
     * Runs {@code aten::linalg_cholesky_ex(A, upper=False, check_errors=False) -> (L, info)} on the n x n
     * buffer and copies L into {@code out}; returns info (0, or the 1-based order of
     * the first leading minor that is not positive definite).
     */
    private int choleskyEx(Arena arena, MemorySegment sa, int n, int dtype, DMatrix out) {
        MemorySegment stack = arena.allocate(JAVA_LONG, 3);
        try (Tensor ta = Tensor.fromBlob(arena, sa, n, n, n, 1, dtype, deviceCpu)) {
            stack.setAtIndex(JAVA_LONG, 0, ta.newReference(arena));
        }
        stack.setAtIndex(JAVA_LONG, 1, 0L);
        stack.setAtIndex(JAVA_LONG, 2, 0L);
        dispatch(arena, "aten::linalg_cholesky_ex", "", stack);
        try (Tensor l = Tensor.own(MemorySegment.ofAddress(stack.getAtIndex(JAVA_LONG, 0)));
             Tensor info = Tensor.own(MemorySegment.ofAddress(stack.getAtIndex(JAVA_LONG, 1)))) {
            int code = info.itemInt32(arena);
            readInto(arena, l, out);
            return code;
        }
    }

    @Override
    public void dpotrf(DMatrix a) {
        int n = a.rows();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = lowerToSymmetric(copyIn(arena, a), n, JAVA_DOUBLE);
            DMatrix l = DMatrix.zeros(n, n);
            int info = choleskyEx(arena, sa, n, float64, l);
            if (info > 0) {
                int j = info - 1;
                double d = a.get(j, j);
                for (int k = 0; k < j; k++) {
                    d -= l.get(j, k) * l.get(j, k);
                }
                throw new NotPositiveDefiniteException(j, d);
            }
            a.copyFrom(l);
        }
    }

    @Override
    public void spotrf(FMatrix a) {
        int n = a.rows();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = lowerToSymmetric(copyIn(arena, a), n, JAVA_FLOAT);
            DMatrix l = DMatrix.zeros(n, n);
            int info = choleskyEx(arena, sa, n, float32, l);
            if (info > 0) {
                int j = info - 1;
                double d = a.get(j, j);
                for (int k = 0; k < j; k++) {
                    d -= l.get(j, k) * l.get(j, k);
                }
                throw new NotPositiveDefiniteException(j, d);
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    a.set(i, j, (float) l.get(i, j));
                }
            }
        }
    }

    /**
     * Mirrors the lower triangle of an n x n row-major buffer onto the upper one, so that LibTorch sees the
     * symmetric matrix whose lower triangle the caller gave (the kernel contract reads only that triangle).
     */
    private static MemorySegment lowerToSymmetric(MemorySegment s, int n, ValueLayout layout) {
        long size = layout.byteSize();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                MemorySegment.copy(s, ((long) j * n + i) * size, s, ((long) i * n + j) * size, size);
            }
        }
        return s;
    }

    @Override
    public void dtrsm(Transpose trans, DMatrix l, DMatrix b) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sl = copyIn(arena, l);
            MemorySegment sb = copyIn(arena, b);
            DMatrix x = DMatrix.zeros(b.rows(), b.cols());
            triangularSolve(arena, trans, sl, l.rows(), sb, b.rows(), b.cols(), float64, x);
            b.copyFrom(x);
        }
    }

    @Override
    public void strsm(Transpose trans, FMatrix l, FMatrix b) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sl = copyIn(arena, l);
            MemorySegment sb = copyIn(arena, b);
            DMatrix x = DMatrix.zeros(b.rows(), b.cols());
            triangularSolve(arena, trans, sl, l.rows(), sb, b.rows(), b.cols(), float32, x);
            for (int i = 0; i < b.rows(); i++) {
                for (int j = 0; j < b.cols(); j++) {
                    b.set(i, j, (float) x.get(i, j));
                }
            }
        }
    }

    /**
     * {@code aten::linalg_solve_triangular(Tensor self, Tensor B, *, bool upper, bool left=True, bool
     * unitriangular=False) -> Tensor} through the dispatcher. The transposed solve passes L's buffer with
     * swapped strides (a view of LT) and {@code upper = true}, so only L's lower triangle is read either way.
     * (The direct shim {@code aoti_torch_cpu_triangular_solve} works too, but LibTorch prints a deprecation
     * warning on its first use.)
     */
    private void triangularSolve(Arena arena, Transpose trans, MemorySegment sl, int n, MemorySegment sb, int rows,
                                 int cols, int dtype, DMatrix out) {
        MemorySegment stack = arena.allocate(JAVA_LONG, 5);
        try (Tensor tl = view(arena, sl, n, n, trans, dtype);
             Tensor tb = Tensor.fromBlob(arena, sb, rows, cols, cols, 1, dtype, deviceCpu)) {
            stack.setAtIndex(JAVA_LONG, 0, tl.newReference(arena));
            stack.setAtIndex(JAVA_LONG, 1, tb.newReference(arena));
        }
        stack.setAtIndex(JAVA_LONG, 2, trans == Transpose.YES ? 1L : 0L);
        stack.setAtIndex(JAVA_LONG, 3, 1L);
        stack.setAtIndex(JAVA_LONG, 4, 0L);
        dispatch(arena, "aten::linalg_solve_triangular", "", stack);
        try (Tensor x = Tensor.own(MemorySegment.ofAddress(stack.getAtIndex(JAVA_LONG, 0)))) {
            readInto(arena, x, out);
        }
    }

    // ---------------------------------------------------------------- eigen

    @Override
    public void dsyev(DMatrix a, double[] w, DMatrix vectors) {
        int n = a.rows();
        DMatrix sym = DMatrix.zeros(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                sym.set(i, j, a.get(i, j));
                sym.set(j, i, a.get(i, j));
            }
        }
        eigenByShiftedSvd(sym, w, vectors);
    }

    @Override
    public void ssyev(FMatrix a, float[] w, FMatrix vectors) {
        int n = a.rows();
        DMatrix sym = DMatrix.zeros(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                sym.set(i, j, a.get(i, j));
                sym.set(j, i, a.get(i, j));
            }
        }
        double[] wd = new double[n];
        DMatrix vd = vectors == null ? null : DMatrix.zeros(n, n);
        eigenByShiftedSvd(sym, wd, vd);
        for (int i = 0; i < n; i++) {
            w[i] = (float) wd[i];
        }
        if (vectors != null) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    vectors.set(i, j, (float) vd.get(i, j));
                }
            }
        }
    }

    /** See the class comment: eigen-pairs of the symmetric {@code sym} from the SVD of {@code sym + sigma I}. */
    private void eigenByShiftedSvd(DMatrix sym, double[] w, DMatrix vectors) {
        int n = sym.rows();
        double sigma = 0;
        for (int i = 0; i < n; i++) {
            double row = 0;
            for (int j = 0; j < n; j++) {
                row += Math.abs(sym.get(i, j));
            }
            sigma = Math.max(sigma, row);
        }
        for (int i = 0; i < n; i++) {
            sym.set(i, i, sym.get(i, i) + sigma);
        }
        double[] s = new double[n];
        DMatrix u = vectors == null ? null : DMatrix.zeros(n, n);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sb = copyIn(arena, sym);
            long input;
            try (Tensor tb = Tensor.fromBlob(arena, sb, n, n, n, 1, float64, deviceCpu)) {
                input = tb.newReference(arena);
            }
            if (vectors == null) {
                // aten::linalg_svdvals(Tensor A, *, str? driver=None) -> Tensor
                MemorySegment stack = arena.allocate(JAVA_LONG, 2);
                stack.setAtIndex(JAVA_LONG, 0, input);
                stack.setAtIndex(JAVA_LONG, 1, 0L);
                dispatch(arena, "aten::linalg_svdvals", "", stack);
                try (Tensor ts = Tensor.own(MemorySegment.ofAddress(stack.getAtIndex(JAVA_LONG, 0)))) {
                    readVector(arena, ts, s);
                }
            } else {
                // aten::linalg_svd(Tensor A, bool full_matrices=True, *, str? driver=None) -> (U, S, Vh)
                MemorySegment stack = arena.allocate(JAVA_LONG, 3);
                stack.setAtIndex(JAVA_LONG, 0, input);
                stack.setAtIndex(JAVA_LONG, 1, 0L);
                stack.setAtIndex(JAVA_LONG, 2, 0L);
                dispatch(arena, "aten::linalg_svd", "", stack);
                try (Tensor tu = Tensor.own(MemorySegment.ofAddress(stack.getAtIndex(JAVA_LONG, 0)));
                     Tensor ts = Tensor.own(MemorySegment.ofAddress(stack.getAtIndex(JAVA_LONG, 1)));
                     Tensor tv = Tensor.own(MemorySegment.ofAddress(stack.getAtIndex(JAVA_LONG, 2)))) {
                    readVector(arena, ts, s);
                    readInto(arena, tu, u);
                }
            }
        }
        // Singular values come descending; eigenvalues are reported ascending.
        for (int i = 0; i < n; i++) {
            w[i] = s[n - 1 - i] - sigma;
        }
        if (vectors != null) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    vectors.set(i, j, u.get(i, n - 1 - j));
                }
            }
        }
    }

    // ---------------------------------------------------------------- dispatcher and result reading

    private static void dispatch(Arena arena, String op, String overload, MemorySegment stack) {
        TorchException.check(AotiShim.aoti_torch_call_dispatcher(arena.allocateFrom(op), arena.allocateFrom(overload),
                stack), "aoti_torch_call_dispatcher", op);
    }

    /** Copies a 2-d float32/float64 tensor of {@code m}'s shape into m, whatever its strides. */
    private void readInto(Arena arena, Tensor t, DMatrix m) {
        long[] sizes = t.sizes(arena);
        if (sizes.length != 2 || sizes[0] != m.rows() || sizes[1] != m.cols()) {
            throw new IllegalStateException("LibTorch result has shape " + Arrays.toString(sizes)
                    + ", expected " + m.shape());
        }
        long[] strides = t.strides(arena);
        int dtype = t.dtype(arena);
        boolean f64 = dtype == float64;
        if (!f64 && dtype != float32) {
            throw new IllegalStateException("LibTorch result has dtype code " + dtype);
        }
        long span = 1 + (m.rows() - 1L) * Math.abs(strides[0]) + (m.cols() - 1L) * Math.abs(strides[1]);
        if (m.rows() == 0 || m.cols() == 0) {
            return;
        }
        MemorySegment data = t.data(arena, span * (f64 ? Double.BYTES : Float.BYTES));
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                long idx = i * strides[0] + j * strides[1];
                m.set(i, j, f64 ? data.getAtIndex(JAVA_DOUBLE, idx) : data.getAtIndex(JAVA_FLOAT, idx));
            }
        }
    }

    private void readVector(Arena arena, Tensor t, double[] out) {
        long[] sizes = t.sizes(arena);
        if (sizes.length != 1 || sizes[0] != out.length) {
            throw new IllegalStateException("LibTorch result has shape " + Arrays.toString(sizes)
                    + ", expected " + out.length);
        }
        if (out.length == 0) {
            return;
        }
        long stride = t.strides(arena)[0];
        boolean f64 = t.dtype(arena) == float64;
        MemorySegment data = t.data(arena, (1 + (out.length - 1L) * stride) * (f64 ? Double.BYTES : Float.BYTES));
        for (int i = 0; i < out.length; i++) {
            out[i] = f64 ? data.getAtIndex(JAVA_DOUBLE, i * stride) : data.getAtIndex(JAVA_FLOAT, i * stride);
        }
    }
}
