package org.loes4j.cli;

import java.util.List;
import java.util.Locale;

import org.loes4j.linalg.Backends;
import org.loes4j.linalg.concurrent.LinalgExecutor;
import org.loes4j.linalg.spi.Availability;
import org.loes4j.linalg.spi.Backend;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Options every command takes. They are applied as system properties while the command line is parsed,
 * before anything computes, because the backend and the thread pool are chosen once per process. A bad value
 * is a usage error naming the option ({@link ParameterException}: picocli passes it on as it is, where any
 * other exception from a setter would become "Could not invoke ... with 0").
 */
public final class CommonOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Linear-algebra backend: auto (default), vector, scalar, or a native one.")
    void backend(String name) {
        String requested = name.strip().toLowerCase(Locale.ROOT);
        if (!requested.isEmpty() && !requested.equals("auto")) {
            List<Backend> all = Backends.discover();
            Backend chosen = null;
            for (Backend b : all) {
                if (b.name().equals(requested)) {
                    chosen = b;
                }
            }
            if (chosen == null) {
                throw new ParameterException(command.commandLine(), "--backend: unknown backend '" + name
                        + "'; known: auto, " + String.join(", ", all.stream().map(Backend::name).toList()));
            }
            Availability a = chosen.availability();
            if (!a.available()) {
                throw new ParameterException(command.commandLine(), "--backend: " + requested
                        + " is not available here: " + a.reason());
            }
        }
        System.setProperty(Backends.BACKEND_PROPERTY, name);
    }

    @Option(names = "--threads", paramLabel = "N", description = "Threads to compute on (default: all cores).")
    void threads(int n) {
        if (n < 1) {
            throw new ParameterException(command.commandLine(), "--threads: " + n + " must be >= 1");
        }
        System.setProperty(LinalgExecutor.THREADS_PROPERTY, Integer.toString(n));
    }
}
