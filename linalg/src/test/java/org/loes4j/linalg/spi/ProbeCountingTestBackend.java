package org.loes4j.linalg.spi;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only backend at the bottom of the priority order (below the scalar reference, so a JVM without the
 * Vector API still chooses scalar) that counts how often its availability is probed, to check that a chain
 * whose chosen backend has every kernel never probes the backends below it (in production: LibTorch below
 * the vector backend). It offers no kernels.
 */
public final class ProbeCountingTestBackend implements Backend {
    /** Calls of {@link #availability()} on any instance. */
    public static final AtomicInteger PROBES = new AtomicInteger();

    @Override
    public String name() {
        return "probe-counting-test";
    }

    @Override
    public String description() {
        return "test backend that counts availability probes";
    }

    @Override
    public Availability availability() {
        PROBES.incrementAndGet();
        return Availability.yes("counting");
    }

    @Override
    public int priority() {
        return -10;
    }

    @Override
    public <K extends Kernel> K kernel(Class<K> type) {
        return null;
    }
}
