package org.loes4j.cli;

import org.loes4j.linalg.Backends;
import org.loes4j.linalg.concurrent.LinalgExecutor;

import picocli.CommandLine.Option;

/**
 * Options every command takes. They are applied as system properties while the command line is parsed,
 * before anything computes, because the backend and the thread pool are chosen once per process.
 */
public final class CommonOptions {

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Linear-algebra backend: auto (default), vector, scalar, or a native one.")
    void backend(String name) {
        System.setProperty(Backends.BACKEND_PROPERTY, name);
    }

    @Option(names = "--threads", paramLabel = "N", description = "Threads to compute on (default: all cores).")
    void threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("--threads: " + n + " must be >= 1");
        }
        System.setProperty(LinalgExecutor.THREADS_PROPERTY, Integer.toString(n));
    }
}
