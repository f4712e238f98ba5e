package org.loes4j.nativebindings.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.loes4j.nativebindings.cuda.internal.Cudart;

/** {@link DeviceMemory} on the current CUDA device: {@code cudaMalloc}, {@code cudaFree}, {@code cudaMemcpy}. */
final class CudaDeviceMemory implements DeviceMemory {
    static final int HOST_TO_DEVICE = 1;
    static final int DEVICE_TO_HOST = 2;

    @Override
    public long allocate(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocate(ADDRESS);
            CudaStatus.runtime(Cudart.cudaMalloc(p, bytes), "cudaMalloc(" + bytes + " bytes)");
            return p.get(ADDRESS, 0).address();
        }
    }

    @Override
    public void free(long address) {
        CudaStatus.runtime(Cudart.cudaFree(MemorySegment.ofAddress(address)), "cudaFree");
    }

    @Override
    public void upload(MemorySegment host, long address) {
        CudaStatus.runtime(Cudart.cudaMemcpy(MemorySegment.ofAddress(address), host, host.byteSize(), HOST_TO_DEVICE),
                "cudaMemcpy(host to device)");
    }

    /** Copies {@code host.byteSize()} bytes from the device address into {@code host}. */
    void download(long address, MemorySegment host) {
        CudaStatus.runtime(Cudart.cudaMemcpy(host, MemorySegment.ofAddress(address), host.byteSize(), DEVICE_TO_HOST),
                "cudaMemcpy(device to host)");
    }
}
