package org.loes4j.linalg.scalar;

import java.util.Map;

import org.loes4j.linalg.spi.Availability;
import org.loes4j.linalg.spi.Backend;
import org.loes4j.linalg.spi.CholeskyKernel;
import org.loes4j.linalg.spi.EigenKernel;
import org.loes4j.linalg.spi.GemmKernel;
import org.loes4j.linalg.spi.GramKernel;
import org.loes4j.linalg.spi.Kernel;
import org.loes4j.linalg.spi.VectorKernel;

/**
 * The plain-Java reference backend: the textbook loops every faster kernel is tested against, always
 * available, single-threaded, and the last link of every chain (it offers every kernel type).
 */
public final class ScalarBackend implements Backend {
    private static final ScalarKernels KERNELS = new ScalarKernels();
    private static final ScalarEigen EIGEN = new ScalarEigen();

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public String description() {
        return "plain Java reference loops (always available, single-threaded)";
    }

    @Override
    public Availability availability() {
        return Availability.yes("pure Java");
    }

    @Override
    public int priority() {
        return 0;
    }

    /** Pure Java: nothing to cross-check against the reference. */
    @Override
    public boolean runsNativeCode() {
        return false;
    }

    @Override
    public <K extends Kernel> K kernel(Class<K> type) {
        if (type == GemmKernel.class || type == GramKernel.class || type == CholeskyKernel.class
                || type == VectorKernel.class) {
            return type.cast(KERNELS);
        }
        if (type == EigenKernel.class) {
            return type.cast(EIGEN);
        }
        return null;
    }

    @Override
    public Map<String, String> details() {
        return Map.of("threads", "1");
    }
}
