package org.loes4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.loes4j.linalg.BackendSelfCheck.Status;
import org.loes4j.linalg.FakeNativeBackend.Fault;
import org.loes4j.linalg.scalar.ScalarBackend;
import org.loes4j.linalg.simd.VectorBackend;
import org.loes4j.linalg.spi.Backend;

/**
 * The start-up self-check of native backends, on fakes that declare themselves native and break the way
 * native builds do: {@code auto} passes a failing one over with a WARNING naming the backend, the check and
 * the error; a correct one is chosen with the pass recorded; an explicit request is honoured, loudly; the
 * pure-Java backends are never checked.
 */
class BackendSelfCheckTest {
    /** Above the vector backend (100), as CUDA (200) is: {@code auto} would take it if it passed. */
    private static final int ABOVE_VECTOR = 500;

    private final Logger log = Logger.getLogger("org.loes4j.linalg");
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        log.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        log.removeHandler(capture);
    }

    private List<String> warnings() {
        List<String> out = new ArrayList<>();
        for (LogRecord r : records) {
            if (r.getLevel() == Level.WARNING) {
                out.add(r.getMessage());
            }
        }
        return out;
    }

    private static Backends auto(Backend... natives) {
        List<Backend> list = new ArrayList<>(List.of(natives));
        list.add(new VectorBackend());
        list.add(new ScalarBackend());
        return Backends.of("auto", list);
    }

    /** The CPU backend auto falls back to: vector where the Vector API is on (as under surefire), else scalar. */
    private static String cpuFallback() {
        return new VectorBackend().availability().available() ? "vector" : "scalar";
    }

    private void assertPassedOver(Backends b, FakeNativeBackend fake, String check) {
        assertEquals(cpuFallback(), b.chosen().name(), "auto must not choose a backend that failed its self-check");
        BackendSelfCheck result = b.selfCheck(fake);
        assertEquals(Status.FAILED, result.status(), result.summary());
        assertEquals(check, result.check());
        assertTrue(b.why().contains("passed over after a failed self-check: " + fake.name()), b.why());
        List<String> w = warnings();
        assertEquals(1, w.size(), "one WARNING: " + w);
        assertTrue(w.get(0).contains("'" + fake.name() + "'"), "the WARNING names the backend: " + w.get(0));
        assertTrue(w.get(0).contains(check), "the WARNING names the check: " + w.get(0));
        assertTrue(w.get(0).contains("falls back to '" + cpuFallback() + "'"), w.get(0));
    }

    @Test
    void autoPassesOverANativeBackendWhoseGemmIsWrong() {
        FakeNativeBackend fake = new FakeNativeBackend("wrong-dgemm", ABOVE_VECTOR, Fault.WRONG_DGEMM);
        Backends b = auto(fake);
        assertPassedOver(b, fake, "dgemm(N,N) 37x29*29x41");
        BackendSelfCheck r = b.selfCheck(fake);
        assertTrue(r.maxRelativeError() > BackendSelfCheck.GEMM_TOLERANCE_FLOAT64, r.summary());
        assertEquals(BackendSelfCheck.GEMM_TOLERANCE_FLOAT64, r.tolerance());
        assertTrue(warnings().get(0).contains("max relative error " + String.format(java.util.Locale.ROOT, "%.1e",
                r.maxRelativeError())), "the WARNING gives the error: " + warnings().get(0));
    }

    @Test
    void autoPassesOverANativeBackendWhoseTransposedFloat32GemmIsWrong() {
        FakeNativeBackend fake = new FakeNativeBackend("wrong-sgemm", ABOVE_VECTOR, Fault.WRONG_TRANSPOSED_SGEMM);
        Backends b = auto(fake);
        assertPassedOver(b, fake, "sgemm(T,T) 37x29*29x41 alpha 0.75 beta -1.25");
        assertEquals(BackendSelfCheck.GEMM_TOLERANCE_FLOAT32, b.selfCheck(fake).tolerance());
        assertEquals(4, b.selfCheck(fake).checks(), "the first three checks passed, the fourth failed");
    }

    @Test
    void autoPassesOverANativeBackendThatReadsCWhenBetaIsZero() {
        FakeNativeBackend fake = new FakeNativeBackend("reads-c", ABOVE_VECTOR, Fault.READS_C_WHEN_BETA_IS_ZERO);
        Backends b = auto(fake);
        assertPassedOver(b, fake, "dgemm(N,N) 37x29*29x41");
        assertTrue(Double.isInfinite(b.selfCheck(fake).maxRelativeError()));
        assertTrue(warnings().get(0).contains("non-finite"), warnings().get(0));
    }

    @Test
    void autoPassesOverANativeBackendThatThrows() {
        FakeNativeBackend fake = new FakeNativeBackend("throwing", ABOVE_VECTOR, Fault.THROWING_GEMM);
        Backends b = auto(fake);
        assertPassedOver(b, fake, "dgemm(N,N) 37x29*29x41");
        assertTrue(warnings().get(0).contains("threw java.lang.IllegalStateException: fake device lost"),
                warnings().get(0));
    }

    @Test
    void autoPassesOverANativeBackendWhoseCholeskyIsWrong() {
        FakeNativeBackend fake = new FakeNativeBackend("wrong-potrf", ABOVE_VECTOR, Fault.CHOLESKY_KEEPS_UPPER_TRIANGLE);
        Backends b = auto(fake);
        assertPassedOver(b, fake, "dpotrf 33x33");
        assertEquals(BackendSelfCheck.CHOLESKY_TOLERANCE_FLOAT64, b.selfCheck(fake).tolerance());
    }

    @Test
    void everyFailingBackendIsPassedOverInPriorityOrder() {
        FakeNativeBackend first = new FakeNativeBackend("first", ABOVE_VECTOR + 1, Fault.THROWING_GEMM);
        FakeNativeBackend second = new FakeNativeBackend("second", ABOVE_VECTOR, Fault.WRONG_DGEMM);
        Backends b = auto(second, first);
        assertEquals(cpuFallback(), b.chosen().name());
        assertEquals(2, warnings().size(), warnings().toString());
        assertTrue(warnings().get(0).contains("'first'") && warnings().get(1).contains("'second'"), warnings().toString());
        assertTrue(b.why().endsWith("first, second"), b.why());
    }

    @Test
    void autoChoosesACorrectNativeBackendAndRecordsThePass() {
        FakeNativeBackend fake = new FakeNativeBackend("correct", ABOVE_VECTOR, Fault.NONE);
        Backends b = auto(fake);
        assertEquals("correct", b.chosen().name());
        assertEquals("auto: highest-priority available backend", b.why());
        BackendSelfCheck r = b.selfCheck();
        assertEquals(Status.PASSED, r.status(), r.summary());
        assertEquals(5, r.checks());
        assertTrue(r.maxRelativeError() <= r.tolerance(), r.summary());
        assertNotNull(r.check());
        assertTrue(warnings().isEmpty(), warnings().toString());
        assertTrue(b.chosenDetails().get("selfCheck").startsWith("passed: 5 of 5 checks"), b.chosenDetails().toString());
        assertEquals("fake", b.chosenDetails().get("device"), "the backend's own details stay");

        b.announce();
        String info = records.get(records.size() - 1).getMessage();
        assertTrue(info.startsWith("loes4j linalg backend: correct") && info.contains("selfCheck=passed: 5 of 5"), info);
    }

    @Test
    void anExplicitlyRequestedNativeBackendThatFailsIsUsedWithALoudWarning() {
        FakeNativeBackend fake = new FakeNativeBackend("wrong-dgemm", ABOVE_VECTOR, Fault.WRONG_DGEMM);
        Backends b = Backends.of("wrong-dgemm", List.of(fake, new VectorBackend(), new ScalarBackend()));
        assertEquals("wrong-dgemm", b.chosen().name(), "an explicit choice is honoured");
        assertTrue(b.selfCheck().failed());
        assertTrue(b.chosenDetails().get("selfCheck").startsWith("FAILED: dgemm(N,N)"), b.chosenDetails().toString());
        List<String> w = warnings();
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).contains("'wrong-dgemm' FAILED its start-up self-check") && w.get(0).contains("WRONG")
                && w.get(0).contains("dgemm(N,N) 37x29*29x41") && w.get(0).contains("max relative error"), w.get(0));
    }

    @Test
    void anExplicitlyRequestedNativeBackendThatPassesIsCheckedSilently() {
        FakeNativeBackend fake = new FakeNativeBackend("correct", -5, Fault.NONE);
        Backends b = Backends.of("correct", List.of(fake, new VectorBackend(), new ScalarBackend()));
        assertEquals("correct", b.chosen().name());
        assertTrue(b.selfCheck().passed(), b.selfCheck().summary());
        assertTrue(warnings().isEmpty(), warnings().toString());
    }

    /** Pure Java is the reference itself: choosing vector or scalar never calls into a native backend. */
    @Test
    void theCheckDoesNotRunWhenAPureJavaBackendIsChosen() {
        FakeNativeBackend below = new FakeNativeBackend("below-vector", 50, Fault.NONE);
        Backends b = auto(below);
        assertEquals(cpuFallback(), b.chosen().name());
        assertEquals(Status.NOT_RUN, b.selfCheck().status());
        assertEquals("not run: pure Java, no native code to check", b.selfCheck().summary());
        assertEquals(b.selfCheck().summary(), b.chosenDetails().get("selfCheck"));
        assertEquals(0, below.kernelCalls.get(), "a native backend below the chosen one was checked");

        Backends scalar = Backends.of("scalar", List.of(below, new ScalarBackend()));
        assertEquals(Status.NOT_RUN, scalar.selfCheck().status());
        assertEquals(0, below.kernelCalls.get());
        assertTrue(warnings().isEmpty(), warnings().toString());
    }

    @Test
    void theDiscoveredPureJavaBackendsAreNotNative() {
        assertFalse(new VectorBackend().runsNativeCode());
        assertFalse(new ScalarBackend().runsNativeCode());
        assertEquals(Status.NOT_RUN, Backends.of("auto").selfCheck().status());
    }

    /**
     * A backend that does not declare itself pure Java is treated as native (the partial test backend does
     * not override {@code runsNativeCode()}); one without the kernels checked has nothing to distrust here,
     * the chain serves them.
     */
    @Test
    void aNativeBackendWithoutGemmOrCholeskyIsNotRun() {
        assertTrue(new org.loes4j.linalg.spi.PartialTestBackend().runsNativeCode(), "native unless declared otherwise");
        Backends b = Backends.of("partial-test");
        assertEquals(Status.NOT_RUN, b.selfCheck().status());
        assertEquals("not run: offers neither a GEMM nor a Cholesky kernel", b.selfCheck().summary());
    }

    /** Fallback per operation must not route a kernel the chosen backend lacks to a native one that fails. */
    @Test
    void aKernelTheChosenBackendLacksIsNotTakenFromAFailingNativeBackend() {
        FakeNativeBackend wrong = new FakeNativeBackend("wrong-dgemm", ABOVE_VECTOR, Fault.WRONG_DGEMM);
        Backends b = Backends.of("partial-test", List.of(new org.loes4j.linalg.spi.PartialTestBackend(), wrong,
                new ScalarBackend()));
        assertEquals(0, wrong.kernelCalls.get(), "nothing asked of the native backend before a kernel is missing");
        assertEquals("scalar", b.kernelOwners(List.of(org.loes4j.linalg.spi.GemmKernel.class)).get("GemmKernel"));
        assertTrue(b.selfCheck(wrong).failed());
        assertEquals(1, warnings().size(), warnings().toString());
        assertTrue(warnings().get(0).contains("GemmKernel is not taken from backend 'wrong-dgemm'")
                && warnings().get(0).contains("dgemm(N,N)"), warnings().get(0));

        FakeNativeBackend correct = new FakeNativeBackend("correct", ABOVE_VECTOR, Fault.NONE);
        Backends ok = Backends.of("partial-test", List.of(new org.loes4j.linalg.spi.PartialTestBackend(), correct,
                new ScalarBackend()));
        assertEquals("correct", ok.kernelOwners(List.of(org.loes4j.linalg.spi.GemmKernel.class)).get("GemmKernel"));
        assertTrue(ok.selfCheck(correct).passed());
    }

    @Test
    void theCheckCanBeAskedForABackendThatWasNotChosen() {
        FakeNativeBackend below = new FakeNativeBackend("below-vector", 50, Fault.WRONG_DGEMM);
        Backends b = auto(below);
        assertEquals(0, below.kernelCalls.get());
        BackendSelfCheck r = b.selfCheck(below);
        assertTrue(r.failed(), r.summary());
        assertTrue(r.nanos() > 0);
        assertEquals(cpuFallback(), b.chosen().name(), "asking does not change the choice");
        assertEquals("not run: unavailable", b.selfCheck(new org.loes4j.linalg.spi.UnavailableTestBackend()).summary());
    }

    @Test
    void theReferenceAgreesWithItselfExactly() {
        BackendSelfCheck r = BackendSelfCheck.run(new ScalarBackend());
        assertTrue(r.passed(), r.summary());
        assertEquals(0.0, r.maxRelativeError());
    }
}
