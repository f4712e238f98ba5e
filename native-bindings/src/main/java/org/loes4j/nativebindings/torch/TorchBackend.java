package org.loes4j.nativebindings.torch;

import java.util.LinkedHashMap;
import java.util.Map;

import org.loes4j.linalg.spi.Availability;
import org.loes4j.linalg.spi.Backend;
import org.loes4j.linalg.spi.CholeskyKernel;
import org.loes4j.linalg.spi.EigenKernel;
import org.loes4j.linalg.spi.GemmKernel;
import org.loes4j.linalg.spi.GramKernel;
import org.loes4j.linalg.spi.Kernel;

/**
 * LibTorch (CPU) through its C shim with FFM: GEMM, Gram, Cholesky and symmetric eigen kernels (see
 * {@link TorchKernels}). Level-1 {@link org.loes4j.linalg.spi.VectorKernel}s are not offered: a native call
 * per row slice would cost more than the loop, so they come from the next backend in the chain.
 *
 * <p>Priority 50, below the Vector API backend (100): on this project's 2-core machines LibTorch is not
 * measured faster for any operation class yet (bench/RESULTS.md), so {@code auto} keeps {@code vector};
 * {@code -Dloes4j.backend=torch} or {@code --backend torch} selects it.
 */
public final class TorchBackend implements Backend {
    private volatile TorchKernels kernels;

    @Override
    public String name() {
        return "torch";
    }

    @Override
    public String description() {
        return "LibTorch " + TorchLibrary.EXPECTED_VERSION + " CPU (MKL/OpenMP) through its C shim, bound with FFM";
    }

    @Override
    public Availability availability() {
        return TorchLibrary.availability();
    }

    @Override
    public int priority() {
        return 50;
    }

    /** Kernels run in LibTorch through FFM: cross-checked against the scalar reference before use. */
    @Override
    public boolean runsNativeCode() {
        return true;
    }

    @Override
    public <K extends Kernel> K kernel(Class<K> type) {
        if (type == GemmKernel.class || type == GramKernel.class || type == CholeskyKernel.class
                || type == EigenKernel.class) {
            return type.cast(kernels());
        }
        return null;
    }

    private TorchKernels kernels() {
        TorchKernels k = kernels;
        if (k == null) {
            TorchLibrary.Loaded lib = TorchLibrary.loaded();
            if (lib == null) {
                throw new IllegalStateException("LibTorch is not available: " + availability().reason());
            }
            k = new TorchKernels(lib);
            kernels = k;
        }
        return k;
    }

    @Override
    public Map<String, String> details() {
        Map<String, String> m = new LinkedHashMap<>();
        TorchLibrary.describe(m);
        return m;
    }
}
