package org.loes4j.nativebindings.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.concurrent.LinalgExecutor;
import org.loes4j.linalg.Transpose;
import org.loes4j.nativebindings.testing.Allowlist;
import org.loes4j.nativebindings.torch.internal.AotiShim;

/**
 * The bindings agree with their allowlist (same functions, descriptors derived from the C declarations),
 * the loaded library exports every one of them, and a failing shim call surfaces as a {@link TorchException}
 * naming the function instead of crashing or being ignored.
 */
class AotiShimTest {
    private static TorchLibrary.Loaded lib;

    @BeforeAll
    static void load() {
        assertTrue(TorchLibrary.availability().available(), TorchLibrary.availability().reason());
        lib = TorchLibrary.loaded();
    }

    @Test
    void bindingsMatchTheAllowlist() throws IOException {
        Map<String, FunctionDescriptor> declared = Allowlist.read(AotiShim.class, "torch-allowlist.txt");
        assertEquals(declared, AotiShim.descriptors());
    }

    @Test
    void theLoadedLibraryExportsEveryAllowlistedSymbol() {
        SymbolLookup l = SymbolLookup.libraryLookup(lib.dir().resolve(TorchLibrary.MAIN_LIBRARY), Arena.global());
        for (String symbol : AotiShim.descriptors().keySet()) {
            assertTrue(l.find(symbol).isPresent(), "libtorch_cpu.so lacks " + symbol);
        }
    }

    @Test
    void loadedFactsAreConsistent() {
        assertTrue(lib.version().startsWith(TorchLibrary.EXPECTED_VERSION), lib.version());
        assertTrue(lib.float32() != lib.float64(), "dtype codes must differ");
        assertEquals(LinalgExecutor.threads(), lib.threads(), "ATen's intra-op threads follow loes4j.threads");
        Map<String, String> d = new TorchBackend().details();
        assertEquals("cpu", d.get("device"));
        assertTrue(d.get("libtorch").startsWith("2.7.1"), d.toString());
    }

    @Test
    void aShapeErrorInsideLibTorchBecomesATorchExceptionNamingTheFunction() {
        TorchKernels k = new TorchKernels(lib);
        SplittableRandom rng = new SplittableRandom(11);
        // Linalg would reject these shapes; the kernel trusts its caller, so LibTorch sees the mismatch.
        DMatrix a = DMatrix.random(2, 3, rng);
        DMatrix b = DMatrix.random(4, 5, rng);
        DMatrix c = DMatrix.zeros(2, 5);
        TorchException e = assertThrows(TorchException.class,
                () -> k.dgemm(Transpose.NO, Transpose.NO, 1.0, a, b, 0.0, c));
        assertEquals("aoti_torch_cpu_addmm_out", e.function());
        assertTrue(e.code() != 0);
        assertTrue(e.getMessage().contains("aoti_torch_cpu_addmm_out"), e.getMessage());

        DMatrix l = DMatrix.identity(3);
        DMatrix rhs = DMatrix.random(4, 2, rng);
        TorchException s = assertThrows(TorchException.class, () -> k.dtrsm(Transpose.NO, l, rhs));
        assertEquals("aoti_torch_call_dispatcher", s.function());
        assertTrue(s.getMessage().contains("aten::linalg_solve_triangular"), s.getMessage());
    }

    @Test
    void aClosedTensorCannotBeUsedAndClosingTwiceIsHarmless() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(8 * 6);
            Tensor t = Tensor.fromBlob(arena, data, 2, 3, 3, 1, lib.float64(), lib.deviceCpu());
            assertEquals(2, t.dim(arena));
            assertEquals(3L, t.strides(arena)[0]);
            t.close();
            t.close();
            assertThrows(IllegalStateException.class, t::handle);
        }
    }
}
