package org.loes4j.linalg.simd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.loes4j.linalg.concurrent.LinalgExecutor;
import org.loes4j.linalg.spi.Availability;
import org.loes4j.linalg.spi.Backend;
import org.loes4j.linalg.spi.CholeskyKernel;
import org.loes4j.linalg.spi.EigenKernel;
import org.loes4j.linalg.spi.Kernel;

/**
 * The Vector API backend ({@code jdk.incubator.vector}): SIMD kernels on the library executor. This
 * class touches no Vector API type itself, so it loads (and reports why it is unavailable) even when the
 * JVM was started without {@code --add-modules jdk.incubator.vector}.
 */
public final class VectorBackend implements Backend {
    private static final String MODULE = "jdk.incubator.vector";
    private volatile Availability availability;

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public String description() {
        return "Java Vector API SIMD kernels, multi-threaded on the loes4j executor";
    }

    @Override
    public Availability availability() {
        Availability a = availability;
        if (a == null) {
            a = probe();
            availability = a;
        }
        return a;
    }

    private static Availability probe() {
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return Availability.no("module " + MODULE + " is not in this JVM: start java with "
                    + "--add-modules " + MODULE + " (the ./loes launcher does)");
        }
        try {
            int bits = VectorKernels.vectorBits();
            if (bits < 128) {
                return Availability.no("preferred vector shape is only " + bits + " bits");
            }
            return Availability.yes(bits + "-bit vectors");
        } catch (LinkageError e) {
            return Availability.no("Vector API failed to load: " + e);
        }
    }

    @Override
    public int priority() {
        return 100;
    }

    /** Pure Java: nothing to cross-check against the reference. */
    @Override
    public boolean runsNativeCode() {
        return false;
    }

    @Override
    public <K extends Kernel> K kernel(Class<K> type) {
        if (type == EigenKernel.class) {
            return type.cast(VectorEigen.INSTANCE);
        }
        if (type == CholeskyKernel.class) {
            return type.cast(VectorCholesky.instance());
        }
        return VectorKernels.kernel(type);
    }

    @Override
    public Map<String, String> details() {
        Map<String, String> m = new LinkedHashMap<>();
        if (availability().available()) {
            m.put("vectorBits", Integer.toString(VectorKernels.vectorBits()));
            m.put("doubleLanes", Integer.toString(VectorKernels.doubleLanes()));
            m.put("floatLanes", Integer.toString(VectorKernels.floatLanes()));
        }
        m.put("fma", cpuHasFma());
        m.put("threads", Integer.toString(LinalgExecutor.threads()));
        return m;
    }

    /** "yes"/"no" from /proc/cpuinfo's flags on Linux, "unknown" elsewhere. */
    static String cpuHasFma() {
        Path p = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(p)) {
            return "unknown";
        }
        try (var lines = Files.lines(p)) {
            return lines.filter(l -> l.startsWith("flags"))
                    .findFirst()
                    .map(l -> (" " + l.substring(l.indexOf(':') + 1) + " ").contains(" fma ") ? "yes" : "no")
                    .orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
