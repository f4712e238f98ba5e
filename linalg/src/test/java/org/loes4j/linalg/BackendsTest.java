package org.loes4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.loes4j.linalg.spi.Backend;
import org.loes4j.linalg.spi.GemmKernel;
import org.loes4j.linalg.spi.PartialTestBackend;
import org.loes4j.linalg.spi.ProbeCountingTestBackend;
import org.loes4j.linalg.spi.VectorKernel;

class BackendsTest {

    @Test
    void autoChoosesTheAvailableBackendOfHighestPriority() {
        Backends b = Backends.of("auto");
        // The unavailable test backend has the highest priority of all and must be passed over.
        assertEquals("vector", b.chosen().name());
        assertTrue(b.chain().stream().allMatch(x -> x.availability().available()));
        for (int i = 1; i < b.chain().size(); i++) {
            assertTrue(b.chain().get(i - 1).priority() >= b.chain().get(i).priority(), "chain ordered by priority");
        }
        assertTrue(b.chain().contains(b.find("scalar")));
    }

    /**
     * Lower-priority backends are probed only when reached: choosing the vector backend and taking every
     * kernel from it must not probe a backend below it (in production LibTorch, whose probe loads a large
     * native library); listing the chain does.
     */
    @Test
    void backendsBelowTheChosenOneAreProbedOnlyWhenNeeded() {
        int before = ProbeCountingTestBackend.PROBES.get();
        Linalg la = Linalg.using("auto");
        Backends b = la.backends();
        assertEquals("vector", b.chosen().name());
        DMatrix a = DMatrix.random(4, 3, new SplittableRandom(2));
        la.multiply(a, a.transposeCopy());
        la.choleskyInPlace(la.gramT(a));
        assertEquals(before, ProbeCountingTestBackend.PROBES.get(), "probed although vector has every kernel");
        assertTrue(b.chain().contains(b.find("probe-counting-test")), "listed once the chain is asked for");
        assertTrue(ProbeCountingTestBackend.PROBES.get() > before);

        Backends partial = Backends.of("partial-test");
        int beforePartial = ProbeCountingTestBackend.PROBES.get();
        partial.kernel(GemmKernel.class);
        assertEquals(beforePartial, ProbeCountingTestBackend.PROBES.get(),
                "GEMM found on vector, above the counting backend, without probing it");
    }

    @Test
    void everyKernelFallsBackPerOperation() {
        Backends b = Backends.of("partial-test");
        assertEquals("partial-test", b.chosen().name());
        assertEquals("partial-test", b.kernelOwners(List.of(VectorKernel.class)).get("VectorKernel"));
        // The test backend lacks GEMM: it comes from the next backend along the chain that has one.
        String expectedOwner = null;
        for (Backend x : b.chain()) {
            if (expectedOwner == null && x.kernel(GemmKernel.class) != null) {
                expectedOwner = x.name();
            }
        }
        assertFalse("partial-test".equals(expectedOwner));
        assertEquals(expectedOwner, b.kernelOwners(List.of(GemmKernel.class)).get("GemmKernel"));

        Linalg la = Linalg.using("partial-test");
        int before = PartialTestBackend.DDOT_CALLS.get();
        DMatrix a = DMatrix.random(3, 4, new SplittableRandom(1));
        double expected = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                expected += a.get(i, j) * a.get(i, j);
            }
        }
        assertEquals(expected, la.dot(a, a), 1e-12 * expected);
        assertEquals(before + 3, PartialTestBackend.DDOT_CALLS.get(), "one ddot per row on the partial backend");
        DMatrix c = la.multiply(a, a.transposeCopy());
        assertEquals(expected, c.get(0, 0) + c.get(1, 1) + c.get(2, 2), 1e-12 * expected);
    }

    @Test
    void requestingAnUnavailableBackendSaysWhy() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.of("unavailable-test"));
        assertTrue(e.getMessage().contains("no such device in tests"), e.getMessage());
        assertTrue(e.getMessage().contains("unavailable-test"), e.getMessage());
    }

    @Test
    void requestingAnUnknownBackendListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.of("gpu9000"));
        assertTrue(e.getMessage().contains("gpu9000"), e.getMessage());
        assertTrue(e.getMessage().contains("scalar") && e.getMessage().contains("vector"), e.getMessage());
    }

    @Test
    void reportListsEveryDiscoveredBackend() {
        Backends b = Backends.of("auto");
        assertTrue(b.report().keySet().containsAll(List.of("scalar", "vector", "unavailable-test")));
        assertFalse(b.report().get("unavailable-test").available());
        Backend scalar = b.find("scalar");
        assertSame(scalar, b.find("scalar"));
    }

    /**
     * The loud fallback: a JVM started without --add-modules jdk.incubator.vector still runs, on the
     * scalar backend, and the vector backend explains what is missing.
     */
    @Test
    void withoutTheIncubatorModuleTheScalarBackendRunsAndSaysWhy() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                ProbeMain.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("chosen=scalar"), out);
        assertTrue(out.contains("vector=no: module jdk.incubator.vector is not in this JVM"), out);
        assertTrue(out.contains("--add-modules jdk.incubator.vector"), out);
        assertTrue(out.contains("product=19.0"), out);
    }

    /** Entry point of the probe JVM above. */
    public static final class ProbeMain {
        public static void main(String[] args) {
            Backends b = Backends.process();
            System.out.println("chosen=" + b.chosen().name());
            var v = b.find("vector").availability();
            System.out.println("vector=" + (v.available() ? "yes" : "no") + ": " + v.reason());
            DMatrix a = DMatrix.of(new double[][] {{1, 2}});
            DMatrix x = DMatrix.of(new double[][] {{3}, {8}});
            System.out.println("product=" + Linalg.get().multiply(a, x).get(0, 0));
        }
    }
}
