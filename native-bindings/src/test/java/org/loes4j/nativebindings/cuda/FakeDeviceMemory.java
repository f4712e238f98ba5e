package org.loes4j.nativebindings.cuda;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/** Host-memory stand-in for a device: records allocations, frees and uploaded bytes. */
final class FakeDeviceMemory implements DeviceMemory {
    final Map<Long, byte[]> live = new HashMap<>();
    long nextAddress = 0x1000;
    int allocations;
    int frees;
    int uploads;

    @Override
    public long allocate(long bytes) {
        long a = nextAddress;
        nextAddress += bytes + 256;
        live.put(a, new byte[Math.toIntExact(bytes)]);
        allocations++;
        return a;
    }

    @Override
    public void free(long address) {
        if (live.remove(address) == null) {
            throw new IllegalStateException("free of unknown or already freed address " + address);
        }
        frees++;
    }

    @Override
    public void upload(MemorySegment host, long address) {
        byte[] dst = live.get(address);
        if (dst == null || dst.length != host.byteSize()) {
            throw new IllegalStateException("upload to unknown address or size mismatch");
        }
        MemorySegment.copy(host, 0, MemorySegment.ofArray(dst), 0, dst.length);
        uploads++;
    }

    long liveBytes() {
        long s = 0;
        for (byte[] b : live.values()) {
            s += b.length;
        }
        return s;
    }
}
