package org.loes4j.nativebindings.cuda;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.loes4j.nativebindings.cuda.internal.Cudart;

/**
 * Finds and loads the CUDA libraries and checks for a device, producing a {@link Probe} that says exactly
 * what is missing: no libcudart, no cuBLAS, no cuSOLVER, no device (with the runtime's own error name and
 * text). Nothing here throws; a failed {@code dlopen} is a reason, not an exception.
 *
 * <p>Search order for each library: {@code -Dloes4j.cuda.dir}, {@code $CUDA_HOME/lib64},
 * {@code $CUDA_PATH/lib64}, {@code /usr/local/cuda/lib64}, then the dynamic linker's own search
 * ({@code LD_LIBRARY_PATH}, ld.so.cache), each with the unversioned name and the sonames of CUDA 13, 12 and 11.
 */
final class CudaLibraries {
    static final List<String> CUDART = List.of("libcudart.so", "libcudart.so.13", "libcudart.so.12", "libcudart.so.11.0");
    static final List<String> CUBLAS = List.of("libcublas.so", "libcublas.so.13", "libcublas.so.12", "libcublas.so.11");
    static final List<String> CUSOLVER = List.of("libcusolver.so", "libcusolver.so.12", "libcusolver.so.11");

    /** Device attributes from driver_types.h. */
    static final int ATTR_MULTIPROCESSORS = 16;
    static final int ATTR_CC_MAJOR = 75;
    static final int ATTR_CC_MINOR = 76;

    /**
     * What a probe found. {@code cudart}, {@code cublas}, {@code cusolver} are null when not loaded;
     * {@code problems} lists every reason the backend cannot (fully) run, empty when it can.
     */
    record Probe(SymbolLookup cudart, String cudartFile, SymbolLookup cublas, String cublasFile, SymbolLookup cusolver,
                 String cusolverFile, int deviceCount, String device, List<String> problems) {

        /** Usable for GEMM and Gram: the runtime, cuBLAS and at least one device. */
        boolean usable() {
            return cudart != null && cublas != null && deviceCount > 0;
        }
    }

    private CudaLibraries() {
    }

    /** The default search directories (see the class comment); the system search is added by {@link #probe}. */
    static List<Path> defaultDirs() {
        List<Path> dirs = new ArrayList<>();
        String explicit = System.getProperty("loes4j.cuda.dir");
        if (explicit != null && !explicit.isBlank()) {
            dirs.add(Path.of(explicit));
        }
        for (String env : new String[] {"CUDA_HOME", "CUDA_PATH"}) {
            String v = System.getenv(env);
            if (v != null && !v.isBlank()) {
                dirs.add(Path.of(v, "lib64"));
            }
        }
        dirs.add(Path.of("/usr/local/cuda/lib64"));
        return dirs;
    }

    /**
     * Loads what it can from {@code dirs} (and the dynamic linker's search when {@code systemSearch}) and
     * asks the runtime for devices. Binds {@link Cudart} to the runtime it loaded when none was bound yet.
     */
    static Probe probe(List<Path> dirs, boolean systemSearch) {
        List<String> problems = new ArrayList<>();
        String[] file = new String[1];
        SymbolLookup cudart = load(CUDART, dirs, systemSearch, file, problems, "libcudart (CUDA runtime)");
        String cudartFile = file[0];
        int count = 0;
        String device = null;
        if (cudart != null) {
            if (!Cudart.isBound()) {
                Cudart.bind(cudart);
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment n = arena.allocate(JAVA_INT);
                int err = Cudart.cudaGetDeviceCount(n);
                if (err != 0) {
                    problems.add("no CUDA device: cudaGetDeviceCount returned " + CudaStatus.runtimeError(err));
                } else {
                    count = n.get(JAVA_INT, 0);
                    if (count == 0) {
                        problems.add("no CUDA device: cudaGetDeviceCount found 0 devices");
                    } else {
                        device = describeDevice(arena);
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                problems.add("no CUDA device: querying the runtime failed: " + e);
            }
        }
        SymbolLookup cublas = load(CUBLAS, dirs, systemSearch, file, problems, "cuBLAS");
        String cublasFile = file[0];
        SymbolLookup cusolver = load(CUSOLVER, dirs, systemSearch, file, problems, "cuSOLVER");
        String cusolverFile = file[0];
        return new Probe(cudart, cudartFile, cublas, cublasFile, cusolver, cusolverFile, count, device,
                List.copyOf(problems));
    }

    private static String describeDevice(Arena arena) {
        MemorySegment v = arena.allocate(JAVA_INT);
        StringBuilder sb = new StringBuilder("device 0");
        if (Cudart.cudaDeviceGetAttribute(v, ATTR_CC_MAJOR, 0) == 0) {
            int major = v.get(JAVA_INT, 0);
            if (Cudart.cudaDeviceGetAttribute(v, ATTR_CC_MINOR, 0) == 0) {
                sb.append(", compute capability ").append(major).append('.').append(v.get(JAVA_INT, 0));
            }
        }
        if (Cudart.cudaDeviceGetAttribute(v, ATTR_MULTIPROCESSORS, 0) == 0) {
            sb.append(", ").append(v.get(JAVA_INT, 0)).append(" SMs");
        }
        return sb.toString();
    }

    private static SymbolLookup load(List<String> names, List<Path> dirs, boolean systemSearch, String[] file,
                                     List<String> problems, String what) {
        file[0] = null;
        List<String> failures = new ArrayList<>();
        for (Path dir : dirs) {
            for (String name : names) {
                Path p = dir.resolve(name);
                if (Files.exists(p)) {
                    try {
                        SymbolLookup l = SymbolLookup.libraryLookup(p, Arena.global());
                        file[0] = p.toString();
                        return l;
                    } catch (IllegalArgumentException | IllegalCallerException e) {
                        failures.add(p + ": " + e.getMessage());
                    }
                }
            }
        }
        if (systemSearch) {
            for (String name : names) {
                try {
                    SymbolLookup l = SymbolLookup.libraryLookup(name, Arena.global());
                    file[0] = name + " (dynamic linker search)";
                    return l;
                } catch (IllegalArgumentException | IllegalCallerException e) {
                    // not on the linker's path under this name; try the next
                }
            }
        }
        problems.add("no " + what + ": " + (failures.isEmpty()
                ? String.join("/", names) + " not found in " + dirs + (systemSearch ? " or on the dynamic linker's path" : "")
                : "failed to load " + String.join("; ", failures)));
        return null;
    }
}
