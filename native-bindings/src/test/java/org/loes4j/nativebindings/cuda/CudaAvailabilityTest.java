package org.loes4j.nativebindings.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.linalg.Backends;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.spi.Availability;
import org.loes4j.linalg.spi.GemmKernel;
import org.loes4j.nativebindings.cuda.internal.Cublas;
import org.loes4j.nativebindings.cuda.internal.Cudart;
import org.loes4j.nativebindings.cuda.internal.Cusolver;
import org.loes4j.nativebindings.testing.Allowlist;

/**
 * Without a GPU (every machine we have) the CUDA backend must fail cleanly, say why, and leave every
 * kernel to the CPU backends. The reasons are tested one at a time by probing directories that lack
 * libraries or hold broken ones, and on this machine as it is.
 */
class CudaAvailabilityTest {

    @Test
    void bindingsMatchTheirAllowlists() throws IOException {
        assertEquals(Allowlist.read(Cudart.class, "cudart-allowlist.txt"), Cudart.descriptors());
        assertEquals(Allowlist.read(Cublas.class, "cublas-allowlist.txt"), Cublas.descriptors());
        assertEquals(Allowlist.read(Cusolver.class, "cusolver-allowlist.txt"), Cusolver.descriptors());
    }

    @Test
    void anEmptyDirectoryMeansNoLibcudartNoCublasNoCusolver(@TempDir Path empty) {
        CudaLibraries.Probe p = CudaLibraries.probe(List.of(empty), false);
        assertFalse(p.usable());
        assertNull(p.cudart());
        String all = String.join("; ", p.problems());
        assertTrue(all.contains("no libcudart"), all);
        assertTrue(all.contains("no cuBLAS"), all);
        assertTrue(all.contains("no cuSOLVER"), all);
        assertTrue(all.contains(empty.toString()), "the reason must say where it looked: " + all);
    }

    @Test
    void aBrokenLibraryFileIsAReasonNotACrash(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("libcudart.so"), "not an ELF file");
        Files.writeString(dir.resolve("libcublas.so"), "not an ELF file either");
        CudaLibraries.Probe p = CudaLibraries.probe(List.of(dir), false);
        assertFalse(p.usable());
        String all = String.join("; ", p.problems());
        assertTrue(all.contains("no libcudart (CUDA runtime): failed to load " + dir.resolve("libcudart.so")), all);
        assertTrue(all.contains("no cuBLAS: failed to load"), all);
    }

    @Test
    void thisMachineReportsEveryMissingPieceAndFallsBack() {
        CudaBackend cuda = new CudaBackend();
        Availability a = cuda.availability();
        CudaLibraries.Probe p = CudaLibraries.probe(CudaLibraries.defaultDirs(), true);
        assertEquals(p.usable(), a.available(), a.reason());
        if (!a.available()) {
            assertFalse(a.reason().isBlank());
            if (p.cudart() == null) {
                assertTrue(a.reason().contains("no libcudart"), a.reason());
            } else if (p.deviceCount() == 0) {
                assertTrue(a.reason().contains("no CUDA device: cudaGetDeviceCount"), a.reason());
            }
            if (p.cublas() == null) {
                assertTrue(a.reason().contains("no cuBLAS"), a.reason());
            }
            Backends auto = Backends.of("auto");
            assertNotEquals("cuda", auto.chosen().name());
            assertNotEquals("cuda", auto.kernelOwners(List.of(GemmKernel.class)).get("GemmKernel"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Linalg.using("cuda"));
            assertTrue(e.getMessage().contains(a.reason()), e.getMessage());
        }
        Map<String, String> d = cuda.details();
        assertTrue(d.containsKey("cudart") && d.containsKey("cublas") && d.containsKey("devices"), d.toString());
    }

    @Test
    void aLoadedRuntimeExportsEveryAllowlistedFunction() {
        CudaLibraries.Probe p = CudaLibraries.probe(CudaLibraries.defaultDirs(), true);
        if (p.cudart() == null) {
            assertTrue(String.join("; ", p.problems()).contains("no libcudart"));
            return;
        }
        SymbolLookup cudart = p.cudart();
        for (Map.Entry<String, FunctionDescriptor> f : Cudart.descriptors().entrySet()) {
            assertTrue(cudart.find(f.getKey()).isPresent(), p.cudartFile() + " lacks " + f.getKey());
        }
        // Status codes become exceptions naming the function and the runtime's own name for the error.
        CudaException e = assertThrows(CudaException.class, () -> CudaStatus.runtime(35, "cudaMalloc"));
        assertTrue(e.getMessage().startsWith("cudaMalloc returned 35 (cudaErrorInsufficientDriver"), e.getMessage());
        CudaException b = assertThrows(CudaException.class, () -> CudaStatus.cublas(7, "cublasDgemm_v2"));
        assertTrue(b.getMessage().contains("cublasDgemm_v2"), b.getMessage());
    }
}
