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
 * FFM bindings to the CUDA runtime (libcudart): device count and attributes, versions, device memory,
 * copies, streams and error strings. Every {@code cudaError_t} is returned as an {@code int} (0 = cudaSuccess)
 * for the caller to check.
 *
 * <p>Generated style (as jextract writes it) from {@code cudart-allowlist.txt}, which lists each
 * function with the header declaration it comes from and says how to regenerate this class: one
 * {@code static final} descriptor per function, and one {@code static final} downcall handle in a nested
 * holder class that is initialised on the first call, after {@link #bind} has supplied the loaded library.
 */
public final class Cudart {
    private static volatile SymbolLookup library;

    private Cudart() {
    }

    /** Gives the bindings the loaded libcudart; must precede the first call. */
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
            throw new IllegalStateException("libcudart is not loaded; " + name + " cannot be bound");
        }
        MemorySegment address = l.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libcudart does not export " + name));
        return Linker.nativeLinker().downcallHandle(address, desc);
    }

    private static AssertionError unexpected(Throwable t) {
        return new AssertionError("downcall failed unexpectedly", t);
    }

    static final FunctionDescriptor DESC_CUDA_GET_DEVICE_COUNT = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    static final FunctionDescriptor DESC_CUDA_DEVICE_GET_ATTRIBUTE = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    static final FunctionDescriptor DESC_CUDA_RUNTIME_GET_VERSION = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    static final FunctionDescriptor DESC_CUDA_DRIVER_GET_VERSION = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    static final FunctionDescriptor DESC_CUDA_MEM_GET_INFO = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
    static final FunctionDescriptor DESC_CUDA_MALLOC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG);
    static final FunctionDescriptor DESC_CUDA_FREE = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    static final FunctionDescriptor DESC_CUDA_MEMCPY = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT);
    static final FunctionDescriptor DESC_CUDA_STREAM_CREATE = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    static final FunctionDescriptor DESC_CUDA_STREAM_DESTROY = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    static final FunctionDescriptor DESC_CUDA_STREAM_SYNCHRONIZE = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    static final FunctionDescriptor DESC_CUDA_GET_ERROR_NAME = FunctionDescriptor.of(ADDRESS, JAVA_INT);
    static final FunctionDescriptor DESC_CUDA_GET_ERROR_STRING = FunctionDescriptor.of(ADDRESS, JAVA_INT);

    /** Symbol name to descriptor for every bound function, in allowlist order (for the consistency test). */
    public static Map<String, FunctionDescriptor> descriptors() {
        Map<String, FunctionDescriptor> m = new LinkedHashMap<>();
        m.put("cudaGetDeviceCount", DESC_CUDA_GET_DEVICE_COUNT);
        m.put("cudaDeviceGetAttribute", DESC_CUDA_DEVICE_GET_ATTRIBUTE);
        m.put("cudaRuntimeGetVersion", DESC_CUDA_RUNTIME_GET_VERSION);
        m.put("cudaDriverGetVersion", DESC_CUDA_DRIVER_GET_VERSION);
        m.put("cudaMemGetInfo", DESC_CUDA_MEM_GET_INFO);
        m.put("cudaMalloc", DESC_CUDA_MALLOC);
        m.put("cudaFree", DESC_CUDA_FREE);
        m.put("cudaMemcpy", DESC_CUDA_MEMCPY);
        m.put("cudaStreamCreate", DESC_CUDA_STREAM_CREATE);
        m.put("cudaStreamDestroy", DESC_CUDA_STREAM_DESTROY);
        m.put("cudaStreamSynchronize", DESC_CUDA_STREAM_SYNCHRONIZE);
        m.put("cudaGetErrorName", DESC_CUDA_GET_ERROR_NAME);
        m.put("cudaGetErrorString", DESC_CUDA_GET_ERROR_STRING);
        return m;
    }

    private static final class cudaGetDeviceCount$ {
        static final MethodHandle HANDLE = downcall("cudaGetDeviceCount", DESC_CUDA_GET_DEVICE_COUNT);
    }

    /** {@code cudaError_t cudaGetDeviceCount(int* count)} */
    public static int cudaGetDeviceCount(MemorySegment count) {
        try {
            return (int) cudaGetDeviceCount$.HANDLE.invokeExact(count);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cudaDeviceGetAttribute$ {
        static final MethodHandle HANDLE = downcall("cudaDeviceGetAttribute", DESC_CUDA_DEVICE_GET_ATTRIBUTE);
    }

    /** {@code cudaError_t cudaDeviceGetAttribute(int* value, enum cudaDeviceAttr attr, int device)} */
    public static int cudaDeviceGetAttribute(MemorySegment value, int attr, int device) {
        try {
            return (int) cudaDeviceGetAttribute$.HANDLE.invokeExact(value, attr, device);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cudaRuntimeGetVersion$ {
        static final MethodHandle HANDLE = downcall("cudaRuntimeGetVersion", DESC_CUDA_RUNTIME_GET_VERSION);
    }

    /** {@code cudaError_t cudaRuntimeGetVersion(int* runtimeVersion)} */
    public static int cudaRuntimeGetVersion(MemorySegment runtimeVersion) {
        try {
            return (int) cudaRuntimeGetVersion$.HANDLE.invokeExact(runtimeVersion);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cudaDriverGetVersion$ {
        static final MethodHandle HANDLE = downcall("cudaDriverGetVersion", DESC_CUDA_DRIVER_GET_VERSION);
    }

    /** {@code cudaError_t cudaDriverGetVersion(int* driverVersion)} */
    public static int cudaDriverGetVersion(MemorySegment driverVersion) {
        try {
            return (int) cudaDriverGetVersion$.HANDLE.invokeExact(driverVersion);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cudaMemGetInfo$ {
        static final MethodHandle HANDLE = downcall("cudaMemGetInfo", DESC_CUDA_MEM_GET_INFO);
    }

    /** {@code cudaError_t cudaMemGetInfo(size_t* free, size_t* total)} */
    public static int cudaMemGetInfo(MemorySegment free, MemorySegment total) {
        try {
            return (int) cudaMemGetInfo$.HANDLE.invokeExact(free, total);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cudaMalloc$ {
        static final MethodHandle HANDLE = downcall("cudaMalloc", DESC_CUDA_MALLOC);
    }

    /** {@code cudaError_t cudaMalloc(void** devPtr, size_t size)} */
    public static int cudaMalloc(MemorySegment devPtr, long size) {
        try {
            return (int) cudaMalloc$.HANDLE.invokeExact(devPtr, size);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cudaFree$ {
        static final MethodHandle HANDLE = downcall("cudaFree", DESC_CUDA_FREE);
    }

    /** {@code cudaError_t cudaFree(void* devPtr)} */
    public static int cudaFree(MemorySegment devPtr) {
        try {
            return (int) cudaFree$.HANDLE.invokeExact(devPtr);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cudaMemcpy$ {
        static final MethodHandle HANDLE = downcall("cudaMemcpy", DESC_CUDA_MEMCPY);
    }

    /** {@code cudaError_t cudaMemcpy(void* dst, const void* src, size_t count, enum cudaMemcpyKind kind)} */
    public static int cudaMemcpy(MemorySegment dst, MemorySegment src, long count, int kind) {
        try {
            return (int) cudaMemcpy$.HANDLE.invokeExact(dst, src, count, kind);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cudaStreamCreate$ {
        static final MethodHandle HANDLE = downcall("cudaStreamCreate", DESC_CUDA_STREAM_CREATE);
    }

    /** {@code cudaError_t cudaStreamCreate(cudaStream_t* pStream)} */
    public static int cudaStreamCreate(MemorySegment pStream) {
        try {
            return (int) cudaStreamCreate$.HANDLE.invokeExact(pStream);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cudaStreamDestroy$ {
        static final MethodHandle HANDLE = downcall("cudaStreamDestroy", DESC_CUDA_STREAM_DESTROY);
    }

    /** {@code cudaError_t cudaStreamDestroy(cudaStream_t stream)} */
    public static int cudaStreamDestroy(MemorySegment stream) {
        try {
            return (int) cudaStreamDestroy$.HANDLE.invokeExact(stream);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cudaStreamSynchronize$ {
        static final MethodHandle HANDLE = downcall("cudaStreamSynchronize", DESC_CUDA_STREAM_SYNCHRONIZE);
    }

    /** {@code cudaError_t cudaStreamSynchronize(cudaStream_t stream)} */
    public static int cudaStreamSynchronize(MemorySegment stream) {
        try {
            return (int) cudaStreamSynchronize$.HANDLE.invokeExact(stream);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cudaGetErrorName$ {
        static final MethodHandle HANDLE = downcall("cudaGetErrorName", DESC_CUDA_GET_ERROR_NAME);
    }

    /** {@code const char* cudaGetErrorName(cudaError_t error)} */
    public static MemorySegment cudaGetErrorName(int error) {
        try {
            return (MemorySegment) cudaGetErrorName$.HANDLE.invokeExact(error);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class cudaGetErrorString$ {
        static final MethodHandle HANDLE = downcall("cudaGetErrorString", DESC_CUDA_GET_ERROR_STRING);
    }

    /** {@code const char* cudaGetErrorString(cudaError_t error)} */
    public static MemorySegment cudaGetErrorString(int error) {
        try {
            return (MemorySegment) cudaGetErrorString$.HANDLE.invokeExact(error);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}
