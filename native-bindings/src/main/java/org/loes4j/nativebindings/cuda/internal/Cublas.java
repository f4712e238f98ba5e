package org.loes4j.nativebindings.cuda.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * FFM bindings to cuBLAS (libcublas, the _v2 API): handles, streams, S/D gemm, syrk and trsm. Every
 * {@code cublasStatus_t} is returned as an {@code int} (0 = CUBLAS_STATUS_SUCCESS). Matrices are column-major
 * device memory; alpha and beta are host pointers.
 *
 * <p>Generated style (as jextract writes it) from {@code cublas-allowlist.txt}, which lists each
 * function with the header declaration it comes from and says how to regenerate this class: one
 * {@code static final} descriptor per function, and one {@code static final} downcall handle in a nested
 * holder class that is initialised on the first call, after {@link #bind} has supplied the loaded library.
 */
public final class Cublas {
    private static volatile SymbolLookup library;

    private Cublas() {
    }

    /** Gives the bindings the loaded libcublas; must precede the first call. */
    public static void bind(SymbolLookup lookup) {
        library = lookup;
    }

    /** Whether {@link #bind} was called. */
    public static boolean isBound() {
        return library != null;
    }

    private static MethodHandle downcall(String name, FunctionDescriptor desc) {
        SymbolLookup l = library;
        if (l == null) {
            throw new IllegalStateException("libcublas is not loaded; " + name + " cannot be bound");
        }
        MemorySegment address = l.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libcublas does not export " + name));
        return Linker.nativeLinker().downcallHandle(address, desc);
    }

    private static AssertionError unexpected(Throwable t) {
        return new AssertionError("downcall failed unexpectedly", t);
    }

    static final FunctionDescriptor DESC_CUBLAS_CREATE_V2 = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    static final FunctionDescriptor DESC_CUBLAS_DESTROY_V2 = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    static final FunctionDescriptor DESC_CUBLAS_GET_VERSION_V2 = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
    static final FunctionDescriptor DESC_CUBLAS_SET_STREAM_V2 = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
    static final FunctionDescriptor DESC_CUBLAS_SGEMM_V2 = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    static final FunctionDescriptor DESC_CUBLAS_DGEMM_V2 = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    static final FunctionDescriptor DESC_CUBLAS_SSYRK_V2 = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    static final FunctionDescriptor DESC_CUBLAS_DSYRK_V2 = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    static final FunctionDescriptor DESC_CUBLAS_STRSM_V2 = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT);
    static final FunctionDescriptor DESC_CUBLAS_DTRSM_V2 = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT);

    /** Symbol name to descriptor for every bound function, in allowlist order (for the consistency test). */
    public static Map<String, FunctionDescriptor> descriptors() {
        Map<String, FunctionDescriptor> m = new LinkedHashMap<>();
        m.put("cublasCreate_v2", DESC_CUBLAS_CREATE_V2);
        m.put("cublasDestroy_v2", DESC_CUBLAS_DESTROY_V2);
        m.put("cublasGetVersion_v2", DESC_CUBLAS_GET_VERSION_V2);
        m.put("cublasSetStream_v2", DESC_CUBLAS_SET_STREAM_V2);
        m.put("cublasSgemm_v2", DESC_CUBLAS_SGEMM_V2);
        m.put("cublasDgemm_v2", DESC_CUBLAS_DGEMM_V2);
        m.put("cublasSsyrk_v2", DESC_CUBLAS_SSYRK_V2);
        m.put("cublasDsyrk_v2", DESC_CUBLAS_DSYRK_V2);
        m.put("cublasStrsm_v2", DESC_CUBLAS_STRSM_V2);
        m.put("cublasDtrsm_v2", DESC_CUBLAS_DTRSM_V2);
        return m;
    }

    private static final class cublasCreate_v2$ {
        static final MethodHandle HANDLE = downcall("cublasCreate_v2", DESC_CUBLAS_CREATE_V2);
    }

    /** {@code cublasStatus_t cublasCreate_v2(cublasHandle_t* handle)} */
    public static int cublasCreate_v2(MemorySegment handle) {
        try {
            return (int) cublasCreate_v2$.HANDLE.invokeExact(handle);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cublasDestroy_v2$ {
        static final MethodHandle HANDLE = downcall("cublasDestroy_v2", DESC_CUBLAS_DESTROY_V2);
    }

    /** {@code cublasStatus_t cublasDestroy_v2(cublasHandle_t handle)} */
    public static int cublasDestroy_v2(MemorySegment handle) {
        try {
            return (int) cublasDestroy_v2$.HANDLE.invokeExact(handle);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cublasGetVersion_v2$ {
        static final MethodHandle HANDLE = downcall("cublasGetVersion_v2", DESC_CUBLAS_GET_VERSION_V2);
    }

    /** {@code cublasStatus_t cublasGetVersion_v2(cublasHandle_t handle, int* version)} */
    public static int cublasGetVersion_v2(MemorySegment handle, MemorySegment version) {
        try {
            return (int) cublasGetVersion_v2$.HANDLE.invokeExact(handle, version);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cublasSetStream_v2$ {
        static final MethodHandle HANDLE = downcall("cublasSetStream_v2", DESC_CUBLAS_SET_STREAM_V2);
    }

    /** {@code cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId)} */
    public static int cublasSetStream_v2(MemorySegment handle, MemorySegment streamId) {
        try {
            return (int) cublasSetStream_v2$.HANDLE.invokeExact(handle, streamId);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cublasSgemm_v2$ {
        static final MethodHandle HANDLE = downcall("cublasSgemm_v2", DESC_CUBLAS_SGEMM_V2);
    }

    /** {@code cublasStatus_t cublasSgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const float* alpha, const float* A, int lda, const float* B, int ldb, const float* beta, float* C, int ldc)} */
    public static int cublasSgemm_v2(MemorySegment handle, int transa, int transb, int m, int n, int k, MemorySegment alpha, MemorySegment A, int lda, MemorySegment B, int ldb, MemorySegment beta, MemorySegment C, int ldc) {
        try {
            return (int) cublasSgemm_v2$.HANDLE.invokeExact(handle, transa, transb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cublasDgemm_v2$ {
        static final MethodHandle HANDLE = downcall("cublasDgemm_v2", DESC_CUBLAS_DGEMM_V2);
    }

    /** {@code cublasStatus_t cublasDgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const double* alpha, const double* A, int lda, const double* B, int ldb, const double* beta, double* C, int ldc)} */
    public static int cublasDgemm_v2(MemorySegment handle, int transa, int transb, int m, int n, int k, MemorySegment alpha, MemorySegment A, int lda, MemorySegment B, int ldb, MemorySegment beta, MemorySegment C, int ldc) {
        try {
            return (int) cublasDgemm_v2$.HANDLE.invokeExact(handle, transa, transb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cublasSsyrk_v2$ {
        static final MethodHandle HANDLE = downcall("cublasSsyrk_v2", DESC_CUBLAS_SSYRK_V2);
    }

    /** {@code cublasStatus_t cublasSsyrk_v2(cublasHandle_t handle, cublasFillMode_t uplo, cublasOperation_t trans, int n, int k, const float* alpha, const float* A, int lda, const float* beta, float* C, int ldc)} */
    public static int cublasSsyrk_v2(MemorySegment handle, int uplo, int trans, int n, int k, MemorySegment alpha, MemorySegment A, int lda, MemorySegment beta, MemorySegment C, int ldc) {
        try {
            return (int) cublasSsyrk_v2$.HANDLE.invokeExact(handle, uplo, trans, n, k, alpha, A, lda, beta, C, ldc);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cublasDsyrk_v2$ {
        static final MethodHandle HANDLE = downcall("cublasDsyrk_v2", DESC_CUBLAS_DSYRK_V2);
    }

    /** {@code cublasStatus_t cublasDsyrk_v2(cublasHandle_t handle, cublasFillMode_t uplo, cublasOperation_t trans, int n, int k, const double* alpha, const double* A, int lda, const double* beta, double* C, int ldc)} */
    public static int cublasDsyrk_v2(MemorySegment handle, int uplo, int trans, int n, int k, MemorySegment alpha, MemorySegment A, int lda, MemorySegment beta, MemorySegment C, int ldc) {
        try {
            return (int) cublasDsyrk_v2$.HANDLE.invokeExact(handle, uplo, trans, n, k, alpha, A, lda, beta, C, ldc);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cublasStrsm_v2$ {
        static final MethodHandle HANDLE = downcall("cublasStrsm_v2", DESC_CUBLAS_STRSM_V2);
    }

    /** {@code cublasStatus_t cublasStrsm_v2(cublasHandle_t handle, cublasSideMode_t side, cublasFillMode_t uplo, cublasOperation_t trans, cublasDiagType_t diag, int m, int n, const float* alpha, const float* A, int lda, float* B, int ldb)} */
    public static int cublasStrsm_v2(MemorySegment handle, int side, int uplo, int trans, int diag, int m, int n, MemorySegment alpha, MemorySegment A, int lda, MemorySegment B, int ldb) {
        try {
            return (int) cublasStrsm_v2$.HANDLE.invokeExact(handle, side, uplo, trans, diag, m, n, alpha, A, lda, B, ldb);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cublasDtrsm_v2$ {
        static final MethodHandle HANDLE = downcall("cublasDtrsm_v2", DESC_CUBLAS_DTRSM_V2);
    }

    /** {@code cublasStatus_t cublasDtrsm_v2(cublasHandle_t handle, cublasSideMode_t side, cublasFillMode_t uplo, cublasOperation_t trans, cublasDiagType_t diag, int m, int n, const double* alpha, const double* A, int lda, double* B, int ldb)} */
    public static int cublasDtrsm_v2(MemorySegment handle, int side, int uplo, int trans, int diag, int m, int n, MemorySegment alpha, MemorySegment A, int lda, MemorySegment B, int ldb) {
        try {
            return (int) cublasDtrsm_v2$.HANDLE.invokeExact(handle, side, uplo, trans, diag, m, n, alpha, A, lda, B, ldb);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}
