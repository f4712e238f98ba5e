package org.loes4j.nativebindings.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.NotPositiveDefiniteException;
import org.loes4j.linalg.Transpose;
import org.loes4j.linalg.spi.CholeskyKernel;
import org.loes4j.linalg.spi.EigenKernel;
import org.loes4j.linalg.spi.GemmKernel;
import org.loes4j.linalg.spi.GramKernel;
import org.loes4j.nativebindings.cuda.internal.Cublas;
import org.loes4j.nativebindings.cuda.internal.Cudart;
import org.loes4j.nativebindings.cuda.internal.Cusolver;

/**
 * GEMM, Gram, Cholesky and eigen kernels on one CUDA device with cuBLAS and cuSOLVER.
 *
 * <p><b>Layout.</b> cuBLAS is column-major; a row-major r x c buffer read column-major is its transpose
 * (c x r, leading dimension = the row length). So row-major {@code C = op(A) op(B)} is computed as the
 * column-major {@code CT = op(B)T op(A)T}: the same transpose flags, operands swapped, m and n swapped. A
 * symmetric matrix's row-major lower triangle is the column-major upper one, so syrk, potrf and syevd run
 * with {@code CUBLAS_FILL_MODE_UPPER}; {@code op(L) X = B} becomes {@code XT op(L)T = BT}, a right-side
 * trsm with the column-major view of L, which is upper triangular.
 *
 * <p><b>Residency.</b> Read-only operands (A and B of GEMM, A of syrk, L of trsm) go through the
 * {@link DeviceBufferCache}; outputs and matrices a routine overwrites (C, potrf/syevd input, trsm right
 * side) are uploaded per call. Calls are serialised on this object (one cuBLAS/cuSOLVER handle, one stream).
 */
final class CudaKernels implements GemmKernel, GramKernel, CholeskyKernel, EigenKernel, AutoCloseable {
    private static final int OP_N = 0;
    private static final int OP_T = 1;
    private static final int FILL_UPPER = 1;
    private static final int SIDE_RIGHT = 1;
    private static final int DIAG_NON_UNIT = 0;
    private static final int EIG_NOVECTOR = 0;
    private static final int EIG_VECTOR = 1;

    private final CudaDeviceMemory memory = new CudaDeviceMemory();
    private final DeviceBufferCache cache;
    private final MemorySegment stream;
    private final MemorySegment blas;
    private final MemorySegment solver;

    /** Creates the stream and handles; {@code withSolver} when cuSOLVER is loaded and bound. */
    CudaKernels(long cacheBytes, boolean withSolver) {
        this.cache = new DeviceBufferCache(memory, cacheBytes);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocate(ADDRESS);
            CudaStatus.runtime(Cudart.cudaStreamCreate(p), "cudaStreamCreate");
            stream = p.get(ADDRESS, 0);
            CudaStatus.cublas(Cublas.cublasCreate_v2(p), "cublasCreate_v2");
            blas = p.get(ADDRESS, 0);
            CudaStatus.cublas(Cublas.cublasSetStream_v2(blas, stream), "cublasSetStream_v2");
            if (withSolver) {
                CudaStatus.cusolver(Cusolver.cusolverDnCreate(p), "cusolverDnCreate");
                solver = p.get(ADDRESS, 0);
                CudaStatus.cusolver(Cusolver.cusolverDnSetStream(solver, stream), "cusolverDnSetStream");
            } else {
                solver = null;
            }
        }
    }

    boolean hasSolver() {
        return solver != null;
    }

    DeviceBufferCache cache() {
        return cache;
    }

    private static MemorySegment dev(long address) {
        return MemorySegment.ofAddress(address);
    }

    private static int op(Transpose t) {
        return t == Transpose.NO ? OP_N : OP_T;
    }

    private void sync() {
        CudaStatus.runtime(Cudart.cudaStreamSynchronize(stream), "cudaStreamSynchronize");
    }

    // ---------------------------------------------------------------- staging

    private static MemorySegment stage(Arena arena, DMatrix m) {
        MemorySegment s = arena.allocate(JAVA_DOUBLE, Math.max(1L, (long) m.rows() * m.cols()));
        for (int i = 0; i < m.rows(); i++) {
            MemorySegment.copy(m.data(), m.index(i, 0), s, JAVA_DOUBLE, (long) i * m.cols() * Double.BYTES, m.cols());
        }
        return s;
    }

    private static MemorySegment stage(Arena arena, FMatrix m) {
        MemorySegment s = arena.allocate(JAVA_FLOAT, Math.max(1L, (long) m.rows() * m.cols()));
        for (int i = 0; i < m.rows(); i++) {
            MemorySegment.copy(m.data(), m.index(i, 0), s, JAVA_FLOAT, (long) i * m.cols() * Float.BYTES, m.cols());
        }
        return s;
    }

    private long uploadNew(MemorySegment host) {
        long address = memory.allocate(host.byteSize());
        try {
            memory.upload(host, address);
        } catch (RuntimeException e) {
            memory.free(address);
            throw e;
        }
        return address;
    }

    // ---------------------------------------------------------------- GEMM

    @Override
    public synchronized void dgemm(Transpose ta, Transpose tb, double alpha, DMatrix a, DMatrix b, double beta, DMatrix c) {
        int m = c.rows();
        int n = c.cols();
        int k = ta == Transpose.NO ? a.cols() : a.rows();
        try (Arena arena = Arena.ofConfined();
             DeviceBufferCache.Lease la = cache.lease(a);
             DeviceBufferCache.Lease lb = cache.lease(b)) {
            MemorySegment hc = stage(arena, c);
            long dc = beta == 0 ? memory.allocate(hc.byteSize()) : uploadNew(hc);
            try {
                CudaStatus.cublas(Cublas.cublasDgemm_v2(blas, op(tb), op(ta), n, m, k, arena.allocateFrom(JAVA_DOUBLE, alpha),
                        dev(lb.address()), Math.max(1, b.cols()), dev(la.address()), Math.max(1, a.cols()),
                        arena.allocateFrom(JAVA_DOUBLE, beta), dev(dc), Math.max(1, n)), "cublasDgemm_v2");
                sync();
                memory.download(dc, hc);
            } finally {
                memory.free(dc);
            }
            for (int i = 0; i < m; i++) {
                MemorySegment.copy(hc, JAVA_DOUBLE, (long) i * n * Double.BYTES, c.data(), c.index(i, 0), n);
            }
        }
    }

    @Override
    public synchronized void sgemm(Transpose ta, Transpose tb, float alpha, FMatrix a, FMatrix b, float beta, FMatrix c) {
        int m = c.rows();
        int n = c.cols();
        int k = ta == Transpose.NO ? a.cols() : a.rows();
        try (Arena arena = Arena.ofConfined();
             DeviceBufferCache.Lease la = cache.lease(a);
             DeviceBufferCache.Lease lb = cache.lease(b)) {
            MemorySegment hc = stage(arena, c);
            long dc = beta == 0 ? memory.allocate(hc.byteSize()) : uploadNew(hc);
            try {
                CudaStatus.cublas(Cublas.cublasSgemm_v2(blas, op(tb), op(ta), n, m, k, arena.allocateFrom(JAVA_FLOAT, alpha),
                        dev(lb.address()), Math.max(1, b.cols()), dev(la.address()), Math.max(1, a.cols()),
                        arena.allocateFrom(JAVA_FLOAT, beta), dev(dc), Math.max(1, n)), "cublasSgemm_v2");
                sync();
                memory.download(dc, hc);
            } finally {
                memory.free(dc);
            }
            for (int i = 0; i < m; i++) {
                MemorySegment.copy(hc, JAVA_FLOAT, (long) i * n * Float.BYTES, c.data(), c.index(i, 0), n);
            }
        }
    }

    // ---------------------------------------------------------------- Gram

    @Override
    public synchronized void dsyrk(Transpose trans, double alpha, DMatrix a, double beta, DMatrix c) {
        int n = c.rows();
        int k = trans == Transpose.YES ? a.rows() : a.cols();
        try (Arena arena = Arena.ofConfined(); DeviceBufferCache.Lease la = cache.lease(a)) {
            MemorySegment hc = stage(arena, c);
            long dc = beta == 0 ? memory.allocate(hc.byteSize()) : uploadNew(hc);
            try {
                // Row-major AT A (trans YES) is X XT for the column-major view X = AT: cuBLAS "N"; and vice versa.
                CudaStatus.cublas(Cublas.cublasDsyrk_v2(blas, FILL_UPPER, trans == Transpose.YES ? OP_N : OP_T, n, k,
                        arena.allocateFrom(JAVA_DOUBLE, alpha), dev(la.address()), Math.max(1, a.cols()),
                        arena.allocateFrom(JAVA_DOUBLE, beta), dev(dc), Math.max(1, n)), "cublasDsyrk_v2");
                sync();
                memory.download(dc, hc);
            } finally {
                memory.free(dc);
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    double v = hc.getAtIndex(JAVA_DOUBLE, (long) i * n + j);
                    c.set(i, j, v);
                    c.set(j, i, v);
                }
            }
        }
    }

    @Override
    public synchronized void ssyrk(Transpose trans, float alpha, FMatrix a, float beta, FMatrix c) {
        int n = c.rows();
        int k = trans == Transpose.YES ? a.rows() : a.cols();
        try (Arena arena = Arena.ofConfined(); DeviceBufferCache.Lease la = cache.lease(a)) {
            MemorySegment hc = stage(arena, c);
            long dc = beta == 0 ? memory.allocate(hc.byteSize()) : uploadNew(hc);
            try {
                CudaStatus.cublas(Cublas.cublasSsyrk_v2(blas, FILL_UPPER, trans == Transpose.YES ? OP_N : OP_T, n, k,
                        arena.allocateFrom(JAVA_FLOAT, alpha), dev(la.address()), Math.max(1, a.cols()),
                        arena.allocateFrom(JAVA_FLOAT, beta), dev(dc), Math.max(1, n)), "cublasSsyrk_v2");
                sync();
                memory.download(dc, hc);
            } finally {
                memory.free(dc);
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    float v = hc.getAtIndex(JAVA_FLOAT, (long) i * n + j);
                    c.set(i, j, v);
                    c.set(j, i, v);
                }
            }
        }
    }

    // ---------------------------------------------------------------- Cholesky

    @Override
    public synchronized void dpotrf(DMatrix a) {
        int n = a.rows();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ha = stage(arena, a);
            long da = uploadNew(ha);
            long dinfo = memory.allocate(Integer.BYTES);
            long dwork = 0;
            try {
                MemorySegment lwork = arena.allocate(JAVA_INT);
                CudaStatus.cusolver(Cusolver.cusolverDnDpotrf_bufferSize(solver, FILL_UPPER, n, dev(da), n, lwork),
                        "cusolverDnDpotrf_bufferSize");
                int lw = lwork.get(JAVA_INT, 0);
                dwork = memory.allocate(Math.max(1L, (long) lw * Double.BYTES));
                CudaStatus.cusolver(Cusolver.cusolverDnDpotrf(solver, FILL_UPPER, n, dev(da), n, dev(dwork), lw, dev(dinfo)),
                        "cusolverDnDpotrf");
                sync();
                memory.download(da, ha);
                int info = downloadInfo(arena, dinfo, "cusolverDnDpotrf");
                if (info > 0) {
                    int j = info - 1;
                    double d = a.get(j, j);
                    for (int p = 0; p < j; p++) {
                        double l = ha.getAtIndex(JAVA_DOUBLE, (long) j * n + p);
                        d -= l * l;
                    }
                    throw new NotPositiveDefiniteException(j, d);
                }
            } finally {
                memory.free(da);
                memory.free(dinfo);
                if (dwork != 0) {
                    memory.free(dwork);
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    a.set(i, j, j <= i ? ha.getAtIndex(JAVA_DOUBLE, (long) i * n + j) : 0.0);
                }
            }
        }
    }

    @Override
    public synchronized void spotrf(FMatrix a) {
        int n = a.rows();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ha = stage(arena, a);
            long da = uploadNew(ha);
            long dinfo = memory.allocate(Integer.BYTES);
            long dwork = 0;
            try {
                MemorySegment lwork = arena.allocate(JAVA_INT);
                CudaStatus.cusolver(Cusolver.cusolverDnSpotrf_bufferSize(solver, FILL_UPPER, n, dev(da), n, lwork),
                        "cusolverDnSpotrf_bufferSize");
                int lw = lwork.get(JAVA_INT, 0);
                dwork = memory.allocate(Math.max(1L, (long) lw * Float.BYTES));
                CudaStatus.cusolver(Cusolver.cusolverDnSpotrf(solver, FILL_UPPER, n, dev(da), n, dev(dwork), lw, dev(dinfo)),
                        "cusolverDnSpotrf");
                sync();
                memory.download(da, ha);
                int info = downloadInfo(arena, dinfo, "cusolverDnSpotrf");
                if (info > 0) {
                    int j = info - 1;
                    double d = a.get(j, j);
                    for (int p = 0; p < j; p++) {
                        double l = ha.getAtIndex(JAVA_FLOAT, (long) j * n + p);
                        d -= l * l;
                    }
                    throw new NotPositiveDefiniteException(j, d);
                }
            } finally {
                memory.free(da);
                memory.free(dinfo);
                if (dwork != 0) {
                    memory.free(dwork);
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    a.set(i, j, j <= i ? ha.getAtIndex(JAVA_FLOAT, (long) i * n + j) : 0.0f);
                }
            }
        }
    }

    private int downloadInfo(Arena arena, long dinfo, String function) {
        MemorySegment h = arena.allocate(JAVA_INT);
        memory.download(dinfo, h);
        int info = h.get(JAVA_INT, 0);
        if (info < 0) {
            throw new CudaException(function + ": argument " + (-info) + " is invalid (devInfo " + info + ")");
        }
        return info;
    }

    @Override
    public synchronized void dtrsm(Transpose trans, DMatrix l, DMatrix b) {
        int n = l.rows();
        int m = b.cols();
        try (Arena arena = Arena.ofConfined(); DeviceBufferCache.Lease ll = cache.lease(l)) {
            MemorySegment hb = stage(arena, b);
            long db = uploadNew(hb);
            try {
                CudaStatus.cublas(Cublas.cublasDtrsm_v2(blas, SIDE_RIGHT, FILL_UPPER, op(trans), DIAG_NON_UNIT, m, n,
                        arena.allocateFrom(JAVA_DOUBLE, 1.0), dev(ll.address()), n, dev(db), Math.max(1, m)),
                        "cublasDtrsm_v2");
                sync();
                memory.download(db, hb);
            } finally {
                memory.free(db);
            }
            for (int i = 0; i < n; i++) {
                MemorySegment.copy(hb, JAVA_DOUBLE, (long) i * m * Double.BYTES, b.data(), b.index(i, 0), m);
            }
        }
    }

    @Override
    public synchronized void strsm(Transpose trans, FMatrix l, FMatrix b) {
        int n = l.rows();
        int m = b.cols();
        try (Arena arena = Arena.ofConfined(); DeviceBufferCache.Lease ll = cache.lease(l)) {
            MemorySegment hb = stage(arena, b);
            long db = uploadNew(hb);
            try {
                CudaStatus.cublas(Cublas.cublasStrsm_v2(blas, SIDE_RIGHT, FILL_UPPER, op(trans), DIAG_NON_UNIT, m, n,
                        arena.allocateFrom(JAVA_FLOAT, 1.0f), dev(ll.address()), n, dev(db), Math.max(1, m)),
                        "cublasStrsm_v2");
                sync();
                memory.download(db, hb);
            } finally {
                memory.free(db);
            }
            for (int i = 0; i < n; i++) {
                MemorySegment.copy(hb, JAVA_FLOAT, (long) i * m * Float.BYTES, b.data(), b.index(i, 0), m);
            }
        }
    }

    // ---------------------------------------------------------------- eigen

    @Override
    public synchronized void dsyev(DMatrix a, double[] w, DMatrix vectors) {
        int n = a.rows();
        int jobz = vectors == null ? EIG_NOVECTOR : EIG_VECTOR;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ha = stage(arena, a);
            long da = uploadNew(ha);
            long dw = memory.allocate((long) n * Double.BYTES);
            long dinfo = memory.allocate(Integer.BYTES);
            long dwork = 0;
            MemorySegment hw = arena.allocate(JAVA_DOUBLE, n);
            try {
                MemorySegment lwork = arena.allocate(JAVA_INT);
                CudaStatus.cusolver(Cusolver.cusolverDnDsyevd_bufferSize(solver, jobz, FILL_UPPER, n, dev(da), n, dev(dw),
                        lwork), "cusolverDnDsyevd_bufferSize");
                int lw = lwork.get(JAVA_INT, 0);
                dwork = memory.allocate(Math.max(1L, (long) lw * Double.BYTES));
                CudaStatus.cusolver(Cusolver.cusolverDnDsyevd(solver, jobz, FILL_UPPER, n, dev(da), n, dev(dw), dev(dwork),
                        lw, dev(dinfo)), "cusolverDnDsyevd");
                sync();
                if (downloadInfo(arena, dinfo, "cusolverDnDsyevd") > 0) {
                    throw new CudaException("cusolverDnDsyevd: the eigen-solver did not converge");
                }
                memory.download(dw, hw);
                if (vectors != null) {
                    memory.download(da, ha);
                }
            } finally {
                memory.free(da);
                memory.free(dw);
                memory.free(dinfo);
                if (dwork != 0) {
                    memory.free(dwork);
                }
            }
            MemorySegment.copy(hw, JAVA_DOUBLE, 0, w, 0, n);
            if (vectors != null) {
                // Column-major eigenvector columns: element (i, j) of V sits at j * n + i.
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        vectors.set(i, j, ha.getAtIndex(JAVA_DOUBLE, (long) j * n + i));
                    }
                }
            }
        }
    }

    @Override
    public synchronized void ssyev(FMatrix a, float[] w, FMatrix vectors) {
        int n = a.rows();
        int jobz = vectors == null ? EIG_NOVECTOR : EIG_VECTOR;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ha = stage(arena, a);
            long da = uploadNew(ha);
            long dw = memory.allocate((long) n * Float.BYTES);
            long dinfo = memory.allocate(Integer.BYTES);
            long dwork = 0;
            MemorySegment hw = arena.allocate(JAVA_FLOAT, n);
            try {
                MemorySegment lwork = arena.allocate(JAVA_INT);
                CudaStatus.cusolver(Cusolver.cusolverDnSsyevd_bufferSize(solver, jobz, FILL_UPPER, n, dev(da), n, dev(dw),
                        lwork), "cusolverDnSsyevd_bufferSize");
                int lw = lwork.get(JAVA_INT, 0);
                dwork = memory.allocate(Math.max(1L, (long) lw * Float.BYTES));
                CudaStatus.cusolver(Cusolver.cusolverDnSsyevd(solver, jobz, FILL_UPPER, n, dev(da), n, dev(dw), dev(dwork),
                        lw, dev(dinfo)), "cusolverDnSsyevd");
                sync();
                if (downloadInfo(arena, dinfo, "cusolverDnSsyevd") > 0) {
                    throw new CudaException("cusolverDnSsyevd: the eigen-solver did not converge");
                }
                memory.download(dw, hw);
                if (vectors != null) {
                    memory.download(da, ha);
                }
            } finally {
                memory.free(da);
                memory.free(dw);
                memory.free(dinfo);
                if (dwork != 0) {
                    memory.free(dwork);
                }
            }
            MemorySegment.copy(hw, JAVA_FLOAT, 0, w, 0, n);
            if (vectors != null) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        vectors.set(i, j, ha.getAtIndex(JAVA_FLOAT, (long) j * n + i));
                    }
                }
            }
        }
    }

    /** Frees the cached device buffers, the handles and the stream. */
    @Override
    public synchronized void close() {
        cache.close();
        if (solver != null) {
            CudaStatus.cusolver(Cusolver.cusolverDnDestroy(solver), "cusolverDnDestroy");
        }
        CudaStatus.cublas(Cublas.cublasDestroy_v2(blas), "cublasDestroy_v2");
        CudaStatus.runtime(Cudart.cudaStreamDestroy(stream), "cudaStreamDestroy");
    }
}
