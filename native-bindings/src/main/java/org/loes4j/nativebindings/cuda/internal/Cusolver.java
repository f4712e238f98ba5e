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
 * FFM bindings to cuSOLVER dense (libcusolver): handles, streams, S/D potrf and syevd with their
 * workspace-size queries. Every {@code cusolverStatus_t} is returned as an {@code int} (0 = success);
 * matrices, workspaces and devInfo are column-major device memory.
 *
 * <p>Generated style (as jextract writes it) from {@code cusolver-allowlist.txt}, which lists each
 * function with the header declaration it comes from and says how to regenerate this class: one
 * {@code static final} descriptor per function, and one {@code static final} downcall handle in a nested
 * holder class that is initialised on the first call, after {@link #bind} has supplied the loaded library.
 */
public final class Cusolver {
    private static volatile SymbolLookup library;

    private Cusolver() {
    }

    /** Gives the bindings the loaded libcusolver; must precede the first call. */
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
            throw new IllegalStateException("libcusolver is not loaded; " + name + " cannot be bound");
        }
        MemorySegment address = l.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libcusolver does not export " + name));
        return Linker.nativeLinker().downcallHandle(address, desc);
    }

    private static AssertionError unexpected(Throwable t) {
        return new AssertionError("downcall failed unexpectedly", t);
    }

    static final FunctionDescriptor DESC_CUSOLVER_DN_CREATE = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    static final FunctionDescriptor DESC_CUSOLVER_DN_DESTROY = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    static final FunctionDescriptor DESC_CUSOLVER_DN_SET_STREAM = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
    static final FunctionDescriptor DESC_CUSOLVER_DN_SPOTRF_BUFFER_SIZE = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
    static final FunctionDescriptor DESC_CUSOLVER_DN_DPOTRF_BUFFER_SIZE = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
    static final FunctionDescriptor DESC_CUSOLVER_DN_SPOTRF = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
    static final FunctionDescriptor DESC_CUSOLVER_DN_DPOTRF = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
    static final FunctionDescriptor DESC_CUSOLVER_DN_SSYEVD_BUFFER_SIZE = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
    static final FunctionDescriptor DESC_CUSOLVER_DN_DSYEVD_BUFFER_SIZE = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
    static final FunctionDescriptor DESC_CUSOLVER_DN_SSYEVD = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS);
    static final FunctionDescriptor DESC_CUSOLVER_DN_DSYEVD = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS);

    /** Symbol name to descriptor for every bound function, in allowlist order (for the consistency test). */
    public static Map<String, FunctionDescriptor> descriptors() {
        Map<String, FunctionDescriptor> m = new LinkedHashMap<>();
        m.put("cusolverDnCreate", DESC_CUSOLVER_DN_CREATE);
        m.put("cusolverDnDestroy", DESC_CUSOLVER_DN_DESTROY);
        m.put("cusolverDnSetStream", DESC_CUSOLVER_DN_SET_STREAM);
        m.put("cusolverDnSpotrf_bufferSize", DESC_CUSOLVER_DN_SPOTRF_BUFFER_SIZE);
        m.put("cusolverDnDpotrf_bufferSize", DESC_CUSOLVER_DN_DPOTRF_BUFFER_SIZE);
        m.put("cusolverDnSpotrf", DESC_CUSOLVER_DN_SPOTRF);
        m.put("cusolverDnDpotrf", DESC_CUSOLVER_DN_DPOTRF);
        m.put("cusolverDnSsyevd_bufferSize", DESC_CUSOLVER_DN_SSYEVD_BUFFER_SIZE);
        m.put("cusolverDnDsyevd_bufferSize", DESC_CUSOLVER_DN_DSYEVD_BUFFER_SIZE);
        m.put("cusolverDnSsyevd", DESC_CUSOLVER_DN_SSYEVD);
        m.put("cusolverDnDsyevd", DESC_CUSOLVER_DN_DSYEVD);
        return m;
    }

    private static final class cusolverDnCreate$ {
        static final MethodHandle HANDLE = downcall("cusolverDnCreate", DESC_CUSOLVER_DN_CREATE);
    }

    /** {@code cusolverStatus_t cusolverDnCreate(cusolverDnHandle_t* handle)} */
    public static int cusolverDnCreate(MemorySegment handle) {
        try {
            return (int) cusolverDnCreate$.HANDLE.invokeExact(handle);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cusolverDnDestroy$ {
        static final MethodHandle HANDLE = downcall("cusolverDnDestroy", DESC_CUSOLVER_DN_DESTROY);
    }

    /** {@code cusolverStatus_t cusolverDnDestroy(cusolverDnHandle_t handle)} */
    public static int cusolverDnDestroy(MemorySegment handle) {
        try {
            return (int) cusolverDnDestroy$.HANDLE.invokeExact(handle);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cusolverDnSetStream$ {
        static final MethodHandle HANDLE = downcall("cusolverDnSetStream", DESC_CUSOLVER_DN_SET_STREAM);
    }

    /** {@code cusolverStatus_t cusolverDnSetStream(cusolverDnHandle_t handle, cudaStream_t streamId)} */
    public static int cusolverDnSetStream(MemorySegment handle, MemorySegment streamId) {
        try {
            return (int) cusolverDnSetStream$.HANDLE.invokeExact(handle, streamId);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cusolverDnSpotrf_bufferSize$ {
        static final MethodHandle HANDLE = downcall("cusolverDnSpotrf_bufferSize", DESC_CUSOLVER_DN_SPOTRF_BUFFER_SIZE);
    }

    /** {@code cusolverStatus_t cusolverDnSpotrf_bufferSize(cusolverDnHandle_t handle, cublasFillMode_t uplo, int n, float* A, int lda, int* Lwork)} */
    public static int cusolverDnSpotrf_bufferSize(MemorySegment handle, int uplo, int n, MemorySegment A, int lda, MemorySegment Lwork) {
        try {
            return (int) cusolverDnSpotrf_bufferSize$.HANDLE.invokeExact(handle, uplo, n, A, lda, Lwork);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cusolverDnDpotrf_bufferSize$ {
        static final MethodHandle HANDLE = downcall("cusolverDnDpotrf_bufferSize", DESC_CUSOLVER_DN_DPOTRF_BUFFER_SIZE);
    }

    /** {@code cusolverStatus_t cusolverDnDpotrf_bufferSize(cusolverDnHandle_t handle, cublasFillMode_t uplo, int n, double* A, int lda, int* Lwork)} */
    public static int cusolverDnDpotrf_bufferSize(MemorySegment handle, int uplo, int n, MemorySegment A, int lda, MemorySegment Lwork) {
        try {
            return (int) cusolverDnDpotrf_bufferSize$.HANDLE.invokeExact(handle, uplo, n, A, lda, Lwork);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cusolverDnSpotrf$ {
        static final MethodHandle HANDLE = downcall("cusolverDnSpotrf", DESC_CUSOLVER_DN_SPOTRF);
    }

    /** {@code cusolverStatus_t cusolverDnSpotrf(cusolverDnHandle_t handle, cublasFillMode_t uplo, int n, float* A, int lda, float* Workspace, int Lwork, int* devInfo)} */
    public static int cusolverDnSpotrf(MemorySegment handle, int uplo, int n, MemorySegment A, int lda, MemorySegment Workspace, int Lwork, MemorySegment devInfo) {
        try {
            return (int) cusolverDnSpotrf$.HANDLE.invokeExact(handle, uplo, n, A, lda, Workspace, Lwork, devInfo);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cusolverDnDpotrf$ {
        static final MethodHandle HANDLE = downcall("cusolverDnDpotrf", DESC_CUSOLVER_DN_DPOTRF);
    }

    /** {@code cusolverStatus_t cusolverDnDpotrf(cusolverDnHandle_t handle, cublasFillMode_t uplo, int n, double* A, int lda, double* Workspace, int Lwork, int* devInfo)} */
    public static int cusolverDnDpotrf(MemorySegment handle, int uplo, int n, MemorySegment A, int lda, MemorySegment Workspace, int Lwork, MemorySegment devInfo) {
        try {
            return (int) cusolverDnDpotrf$.HANDLE.invokeExact(handle, uplo, n, A, lda, Workspace, Lwork, devInfo);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cusolverDnSsyevd_bufferSize$ {
        static final MethodHandle HANDLE = downcall("cusolverDnSsyevd_bufferSize", DESC_CUSOLVER_DN_SSYEVD_BUFFER_SIZE);
    }

    /** {@code cusolverStatus_t cusolverDnSsyevd_bufferSize(cusolverDnHandle_t handle, cusolverEigMode_t jobz, cublasFillMode_t uplo, int n, const float* A, int lda, const float* W, int* lwork)} */
    public static int cusolverDnSsyevd_bufferSize(MemorySegment handle, int jobz, int uplo, int n, MemorySegment A, int lda, MemorySegment W, MemorySegment lwork) {
        try {
            return (int) cusolverDnSsyevd_bufferSize$.HANDLE.invokeExact(handle, jobz, uplo, n, A, lda, W, lwork);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cusolverDnDsyevd_bufferSize$ {
        static final MethodHandle HANDLE = downcall("cusolverDnDsyevd_bufferSize", DESC_CUSOLVER_DN_DSYEVD_BUFFER_SIZE);
    }

    /** {@code cusolverStatus_t cusolverDnDsyevd_bufferSize(cusolverDnHandle_t handle, cusolverEigMode_t jobz, cublasFillMode_t uplo, int n, const double* A, int lda, const double* W, int* lwork)} */
    public static int cusolverDnDsyevd_bufferSize(MemorySegment handle, int jobz, int uplo, int n, MemorySegment A, int lda, MemorySegment W, MemorySegment lwork) {
        try {
            return (int) cusolverDnDsyevd_bufferSize$.HANDLE.invokeExact(handle, jobz, uplo, n, A, lda, W, lwork);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cusolverDnSsyevd$ {
        static final MethodHandle HANDLE = downcall("cusolverDnSsyevd", DESC_CUSOLVER_DN_SSYEVD);
    }

    /** {@code cusolverStatus_t cusolverDnSsyevd(cusolverDnHandle_t handle, cusolverEigMode_t jobz, cublasFillMode_t uplo, int n, float* A, int lda, float* W, float* work, int lwork, int* devInfo)} */
    public static int cusolverDnSsyevd(MemorySegment handle, int jobz, int uplo, int n, MemorySegment A, int lda, MemorySegment W, MemorySegment work, int lwork, MemorySegment devInfo) {
        try {
            return (int) cusolverDnSsyevd$.HANDLE.invokeExact(handle, jobz, uplo, n, A, lda, W, work, lwork, devInfo);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cusolverDnDsyevd$ {
        static final MethodHandle HANDLE = downcall("cusolverDnDsyevd", DESC_CUSOLVER_DN_DSYEVD);
    }

    /** {@code cusolverStatus_t cusolverDnDsyevd(cusolverDnHandle_t handle, cusolverEigMode_t jobz, cublasFillMode_t uplo, int n, double* A, int lda, double* W, double* work, int lwork, int* devInfo)} */
    public static int cusolverDnDsyevd(MemorySegment handle, int jobz, int uplo, int n, MemorySegment A, int lda, MemorySegment W, MemorySegment work, int lwork, MemorySegment devInfo) {
        try {
            return (int) cusolverDnDsyevd$.HANDLE.invokeExact(handle, jobz, uplo, n, A, lda, W, work, lwork, devInfo);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}
