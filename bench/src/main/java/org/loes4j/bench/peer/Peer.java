package org.loes4j.bench.peer;

/**
 * An implementation measured by the benchmarks: loes4j on one backend, or a peer library. What it can
 * compute is given by the capability interfaces it implements ({@link GemmPeer}, {@link GramPeer},
 * {@link CholeskyPeer}, {@link EigenPeer}, {@link RidgePeer}). Every prepare method checks that the arrays
 * have the stated number of elements and the sizes are >= 1, and throws {@link IllegalArgumentException}
 * naming the argument otherwise.
 */
public interface Peer {

    /** The name used in the {@code impl} benchmark parameter, without the thread suffix. */
    String name();

    /** The largest thread count this implementation can be limited to; 1 for single-threaded ones. */
    int maxThreads();

    /**
     * Limits this implementation to {@code threads} threads for the rest of the process (JMH forks a JVM
     * per parameter combination, so this is called once per JVM before any computation).
     *
     * @throws IllegalArgumentException if threads is outside [1, {@link #maxThreads()}]
     * @throws IllegalStateException    if the setting could not be applied (then the numbers would lie)
     */
    void useThreads(int threads);

    /** Version and configuration facts for the results' provenance (e.g. OpenBLAS core, BLAS class). */
    String describe();
}
