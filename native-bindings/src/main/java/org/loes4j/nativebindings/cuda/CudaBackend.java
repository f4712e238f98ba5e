package org.loes4j.nativebindings.cuda;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

import org.loes4j.linalg.spi.Availability;
import org.loes4j.linalg.spi.Backend;
import org.loes4j.linalg.spi.CholeskyKernel;
import org.loes4j.linalg.spi.EigenKernel;
import org.loes4j.linalg.spi.GemmKernel;
import org.loes4j.linalg.spi.GramKernel;
import org.loes4j.linalg.spi.Kernel;
import org.loes4j.nativebindings.cuda.internal.Cublas;
import org.loes4j.nativebindings.cuda.internal.Cudart;
import org.loes4j.nativebindings.cuda.internal.Cusolver;

/**
 * CUDA through FFM: cuBLAS GEMM, Gram and triangular solves, cuSOLVER Cholesky and eigen (see
 * {@link CudaKernels}), with device-resident copies of reused operands ({@link DeviceBufferCache}).
 *
 * <p>Available when libcudart and cuBLAS load and the runtime reports at least one device; cuSOLVER is
 * needed only for the Cholesky and eigen kernels (without it those fall back per kernel). When anything
 * is missing, {@link #availability()} names every missing piece (no libcudart / no cuBLAS / no cuSOLVER /
 * no device with the runtime's error) and every kernel comes from the CPU backends. Priority 200: when
 * usable, {@code auto} prefers it.
 *
 * <p>{@code -Dloes4j.cuda.dir=DIR} adds a library directory; {@code -Dloes4j.cuda.cacheBytes=N} sets the
 * device cache capacity (default: a quarter of the free device memory at start).
 */
public final class CudaBackend implements Backend {
    private static volatile CudaLibraries.Probe probe;
    private static volatile CudaKernels kernels;

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String description() {
        return "CUDA cuBLAS/cuSOLVER on the first GPU, bound with FFM, with device-resident operand cache";
    }

    private static CudaLibraries.Probe probe() {
        CudaLibraries.Probe p = probe;
        if (p == null) {
            synchronized (CudaBackend.class) {
                p = probe;
                if (p == null) {
                    p = CudaLibraries.probe(CudaLibraries.defaultDirs(), true);
                    probe = p;
                }
            }
        }
        return p;
    }

    @Override
    public Availability availability() {
        try {
            CudaLibraries.Probe p = probe();
            if (!p.usable()) {
                return Availability.no(String.join("; ", p.problems()));
            }
            return Availability.yes(p.device() + (p.problems().isEmpty() ? "" : " (" + String.join("; ", p.problems()) + ")"));
        } catch (RuntimeException | LinkageError e) {
            return Availability.no("CUDA probe failed: " + e);
        }
    }

    @Override
    public int priority() {
        return 200;
    }

    /** Kernels run in cuBLAS and cuSOLVER on a device, through FFM: cross-checked against the scalar reference before use. */
    @Override
    public boolean runsNativeCode() {
        return true;
    }

    @Override
    public <K extends Kernel> K kernel(Class<K> type) {
        if (type == GemmKernel.class || type == GramKernel.class) {
            return type.cast(kernels());
        }
        if (type == CholeskyKernel.class || type == EigenKernel.class) {
            CudaKernels k = kernels();
            return k.hasSolver() ? type.cast(k) : null;
        }
        return null;
    }

    private static CudaKernels kernels() {
        CudaKernels k = kernels;
        if (k == null) {
            synchronized (CudaBackend.class) {
                k = kernels;
                if (k == null) {
                    CudaLibraries.Probe p = probe();
                    if (!p.usable()) {
                        throw new IllegalStateException("CUDA is not available: " + String.join("; ", p.problems()));
                    }
                    Cublas.bind(p.cublas());
                    boolean solver = p.cusolver() != null;
                    if (solver) {
                        Cusolver.bind(p.cusolver());
                    }
                    k = new CudaKernels(cacheBytes(), solver);
                    kernels = k;
                }
            }
        }
        return k;
    }

    private static long cacheBytes() {
        String explicit = System.getProperty("loes4j.cuda.cacheBytes");
        if (explicit != null && !explicit.isBlank()) {
            return Long.parseLong(explicit.trim());
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment free = arena.allocate(JAVA_LONG);
            MemorySegment total = arena.allocate(JAVA_LONG);
            if (Cudart.cudaMemGetInfo(free, total) == 0) {
                return free.get(JAVA_LONG, 0) / 4;
            }
        }
        return 256L << 20;
    }

    @Override
    public Map<String, String> details() {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            CudaLibraries.Probe p = probe();
            m.put("cudart", p.cudartFile() == null ? "not found" : p.cudartFile());
            m.put("cublas", p.cublasFile() == null ? "not found" : p.cublasFile());
            m.put("cusolver", p.cusolverFile() == null ? "not found" : p.cusolverFile());
            if (p.cudart() != null && Cudart.isBound()) {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment v = arena.allocate(JAVA_INT);
                    if (Cudart.cudaRuntimeGetVersion(v) == 0) {
                        m.put("runtimeVersion", version(v.get(JAVA_INT, 0)));
                    }
                    if (Cudart.cudaDriverGetVersion(v) == 0) {
                        int d = v.get(JAVA_INT, 0);
                        m.put("driverVersion", d == 0 ? "no driver" : version(d));
                    }
                }
            }
            m.put("devices", Integer.toString(p.deviceCount()));
            if (p.device() != null) {
                m.put("device", p.device());
            }
        } catch (RuntimeException | LinkageError e) {
            m.put("error", e.toString());
        }
        return m;
    }

    /** CUDA encodes versions as 1000 * major + 10 * minor. */
    private static String version(int v) {
        return (v / 1000) + "." + (v % 1000) / 10;
    }
}
