package org.loes4j.linalg.spi;

import java.util.Map;

/**
 * A provider of linear-algebra kernels: the scalar reference, the Vector API, and (in
 * {@code native-bindings}) LibTorch and CUDA. Found with {@link java.util.ServiceLoader}; the process
 * chooses one per run (see {@code org.loes4j.linalg.Backends}) and every kernel the chosen backend lacks
 * is taken from the next available backend in priority order, down to the scalar reference, which has
 * them all.
 *
 * <p>Kernels take whole matrices, never element callbacks, so a backend may run them anywhere.
 */
public interface Backend {

    /** Short stable name used by {@code -Dloes4j.backend=NAME} and {@code --backend NAME}. */
    String name();

    /** One line for humans. */
    String description();

    /**
     * Whether this backend can run in this process, and why not. Must not throw and must be cheap after
     * the first call (implementations cache it).
     */
    Availability availability();

    /** Order of preference among available backends for {@code auto}: higher first. */
    int priority();

    /**
     * Whether this backend's kernels run code the JVM cannot vouch for (FFM downcalls into LibTorch, cuBLAS,
     * a device). Such a backend is cross-checked against the scalar reference before it computes (see
     * {@code org.loes4j.linalg.BackendSelfCheck}); a pure-Java backend is not, since it is the same Java
     * the reference is. True unless a backend says otherwise: a backend that forgets to declare itself
     * costs a few milliseconds of checking, one wrongly trusted could silently corrupt every result.
     */
    default boolean runsNativeCode() {
        return true;
    }

    /**
     * This backend's implementation of a kernel type, or {@code null} when it lacks it (the chain then
     * asks the next backend). Only called when {@link #availability()} is available.
     */
    <K extends Kernel> K kernel(Class<K> type);

    /** Facts for {@code loes doctor}: vector width, device, library version... Empty by default. */
    default Map<String, String> details() {
        return Map.of();
    }
}
