package org.loes4j.nativebindings.cuda;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;

/**
 * The device-resident operand cache, run against a host-memory fake device: a reused matrix is uploaded
 * once, a changed one again, views are told apart, LRU eviction respects capacity and pins, collected
 * arrays free their copies, and close frees everything.
 */
class DeviceBufferCacheTest {
    private static final long MB = 1 << 20;

    @Test
    void aReusedMatrixCrossesOnceAndItsCopyHoldsTheContiguousContents() {
        FakeDeviceMemory mem = new FakeDeviceMemory();
        DMatrix big = DMatrix.random(10, 9, new SplittableRandom(1));
        DMatrix view = big.view(2, 3, 5, 4);
        try (DeviceBufferCache cache = new DeviceBufferCache(mem, MB)) {
            long address;
            try (DeviceBufferCache.Lease l = cache.lease(view)) {
                address = l.address();
            }
            for (int step = 0; step < 5; step++) {
                try (DeviceBufferCache.Lease l = cache.lease(view)) {
                    assertEquals(address, l.address());
                }
            }
            assertEquals(1, mem.uploads, "a Gram block reused across steps must be uploaded once");
            assertEquals(5, cache.hits());
            MemorySegment dev = MemorySegment.ofArray(mem.live.get(address));
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 4; j++) {
                    assertEquals(view.get(i, j), dev.getAtIndex(JAVA_DOUBLE_UNALIGNED, i * 4L + j));
                }
            }
            assertEquals(5 * 4 * Double.BYTES, cache.residentBytes());
        }
        assertEquals(0, mem.live.size(), "close must free every device copy");
    }

    @Test
    void aChangedMatrixIsUploadedAgain() {
        FakeDeviceMemory mem = new FakeDeviceMemory();
        FMatrix m = FMatrix.random(6, 7, new SplittableRandom(2));
        try (DeviceBufferCache cache = new DeviceBufferCache(mem, MB)) {
            cache.lease(m).close();
            m.set(3, 4, m.get(3, 4) + 1.0f);
            long address;
            try (DeviceBufferCache.Lease l = cache.lease(m)) {
                address = l.address();
            }
            assertEquals(2, mem.uploads);
            assertEquals(1, cache.size(), "the stale copy must be replaced, not kept");
            assertEquals(m.get(3, 4), MemorySegment.ofArray(mem.live.get(address)).getAtIndex(JAVA_FLOAT_UNALIGNED, 3 * 7L + 4));
        }
    }

    @Test
    void differentViewsOfOneArrayAreDifferentEntries() {
        FakeDeviceMemory mem = new FakeDeviceMemory();
        DMatrix big = DMatrix.random(8, 8, new SplittableRandom(3));
        try (DeviceBufferCache cache = new DeviceBufferCache(mem, MB);
             DeviceBufferCache.Lease a = cache.lease(big.view(0, 0, 4, 4));
             DeviceBufferCache.Lease b = cache.lease(big.view(4, 4, 4, 4))) {
            assertNotEquals(a.address(), b.address());
            assertEquals(2, cache.size());
        }
    }

    @Test
    void leastRecentlyUsedUnpinnedEntriesAreEvictedAtCapacity() {
        FakeDeviceMemory mem = new FakeDeviceMemory();
        SplittableRandom rng = new SplittableRandom(4);
        DMatrix a = DMatrix.random(16, 16, rng);
        DMatrix b = DMatrix.random(16, 16, rng);
        DMatrix c = DMatrix.random(16, 16, rng);
        long each = 16 * 16 * Double.BYTES;
        try (DeviceBufferCache cache = new DeviceBufferCache(mem, 2 * each)) {
            cache.lease(a).close();
            cache.lease(b).close();
            cache.lease(a).close();
            cache.lease(c).close();
            assertEquals(2, cache.size());
            assertEquals(1, cache.evictions(), "b was least recently used");
            cache.lease(a).close();
            assertEquals(3, mem.uploads, "a must still be resident");
            cache.lease(b).close();
            assertEquals(4, mem.uploads, "b was evicted and comes back");
            assertTrue(cache.residentBytes() <= 2 * each);
            assertEquals(cache.residentBytes(), mem.liveBytes());
        }
    }

    @Test
    void pinnedOperandsAreNeverEvictedEvenOverCapacity() {
        FakeDeviceMemory mem = new FakeDeviceMemory();
        SplittableRandom rng = new SplittableRandom(5);
        DMatrix a = DMatrix.random(16, 16, rng);
        DMatrix b = DMatrix.random(16, 16, rng);
        long each = 16 * 16 * Double.BYTES;
        try (DeviceBufferCache cache = new DeviceBufferCache(mem, each)) {
            try (DeviceBufferCache.Lease la = cache.lease(a); DeviceBufferCache.Lease lb = cache.lease(b)) {
                assertTrue(mem.live.containsKey(la.address()), "a was evicted while pinned");
                assertTrue(mem.live.containsKey(lb.address()));
                assertEquals(2 * each, cache.residentBytes());
            }
            DMatrix c = DMatrix.random(16, 16, rng);
            cache.lease(c).close();
            assertTrue(cache.residentBytes() <= each, "back under capacity once unpinned");
        }
    }

    @Test
    void aMatrixChangedWhileLeasedIsRefused() {
        FakeDeviceMemory mem = new FakeDeviceMemory();
        DMatrix a = DMatrix.random(4, 4, new SplittableRandom(6));
        try (DeviceBufferCache cache = new DeviceBufferCache(mem, MB); DeviceBufferCache.Lease l = cache.lease(a)) {
            a.set(0, 0, 42.0);
            assertThrows(IllegalStateException.class, () -> cache.lease(a));
        }
    }

    @Test
    void aCollectedArrayFreesItsDeviceCopy() throws InterruptedException {
        FakeDeviceMemory mem = new FakeDeviceMemory();
        try (DeviceBufferCache cache = new DeviceBufferCache(mem, 64 * MB)) {
            cache.lease(DMatrix.random(32, 32, new SplittableRandom(7))).close();
            assertEquals(1, cache.size());
            DMatrix keep = DMatrix.random(2, 2, new SplittableRandom(8));
            for (int attempt = 0; attempt < 50 && mem.frees == 0; attempt++) {
                System.gc();
                Thread.sleep(20);
                cache.lease(keep).close();
            }
            assertEquals(1, mem.frees, "the collected matrix's copy must be freed on a later lease");
            assertEquals(1, cache.size());
        }
    }

    @Test
    void hashesSeeEveryElementOfTheViewOnly() {
        DMatrix big = DMatrix.random(6, 6, new SplittableRandom(9));
        DMatrix view = big.view(1, 1, 3, 3);
        long h = DeviceBufferCache.hash(view);
        big.set(0, 0, 99.0);
        assertEquals(h, DeviceBufferCache.hash(view), "elements outside the view must not matter");
        big.set(3, 3, big.get(3, 3) + Math.ulp(big.get(3, 3)));
        assertNotEquals(h, DeviceBufferCache.hash(view), "a one-ulp change inside the view must");
        assertThrows(IllegalArgumentException.class, () -> new DeviceBufferCache(new FakeDeviceMemory(), -1));
    }
}
