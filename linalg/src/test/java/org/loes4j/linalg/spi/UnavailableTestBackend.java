package org.loes4j.linalg.spi;

/** A test-only backend that is never available, to check that requesting it fails with its reason. */
public final class UnavailableTestBackend implements Backend {
    @Override
    public String name() {
        return "unavailable-test";
    }

    @Override
    public String description() {
        return "test backend that cannot run";
    }

    @Override
    public Availability availability() {
        return Availability.no("no such device in tests");
    }

    @Override
    public int priority() {
        return 1000;
    }

    @Override
    public <K extends Kernel> K kernel(Class<K> type) {
        throw new AssertionError("kernel() must not be called on an unavailable backend");
    }
}
