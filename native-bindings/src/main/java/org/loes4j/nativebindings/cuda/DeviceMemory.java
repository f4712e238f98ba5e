package org.loes4j.nativebindings.cuda;

import java.lang.foreign.MemorySegment;

/**
 * The three device-memory operations {@link DeviceBufferCache} needs, behind an interface so that the
 * cache's bookkeeping is tested without a GPU (with a host-memory fake) and run with one through
 * {@code cudaMalloc}/{@code cudaFree}/{@code cudaMemcpy}.
 */
interface DeviceMemory {

    /** A new device allocation of {@code bytes} (> 0) bytes; returns its address. */
    long allocate(long bytes);

    /** Frees an address {@link #allocate} returned. */
    void free(long address);

    /** Copies {@code host} (its whole size) to the device address. */
    void upload(MemorySegment host, long address);
}
