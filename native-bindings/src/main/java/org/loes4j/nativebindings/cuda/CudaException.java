package org.loes4j.nativebindings.cuda;

/** A CUDA runtime, cuBLAS or cuSOLVER call returned an error status; the message names the function. */
public final class CudaException extends RuntimeException {
    public CudaException(String message) {
        super(message);
    }
}
