package org.loes4j.nativebindings.cuda;

import java.lang.foreign.MemorySegment;

import org.loes4j.nativebindings.cuda.internal.Cudart;

/** Turns CUDA, cuBLAS and cuSOLVER status codes into exceptions that name the failing function. */
final class CudaStatus {
    private CudaStatus() {
    }

    /** {@code "35 (cudaErrorInsufficientDriver: CUDA driver version is insufficient ...)"}. */
    static String runtimeError(int code) {
        return code + " (" + cString(Cudart.cudaGetErrorName(code)) + ": " + cString(Cudart.cudaGetErrorString(code)) + ")";
    }

    private static String cString(MemorySegment p) {
        return p.address() == 0 ? "?" : p.reinterpret(4096).getString(0);
    }

    static void runtime(int code, String function) {
        if (code != 0) {
            throw new CudaException(function + " returned " + runtimeError(code));
        }
    }

    static void cublas(int code, String function) {
        if (code != 0) {
            throw new CudaException(function + " returned cublasStatus_t " + code);
        }
    }

    static void cusolver(int code, String function) {
        if (code != 0) {
            throw new CudaException(function + " returned cusolverStatus_t " + code);
        }
    }
}
