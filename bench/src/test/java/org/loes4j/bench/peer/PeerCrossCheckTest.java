package org.loes4j.bench.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.loes4j.bench.peer.openblas.OpenBlas;

/**
 * Every peer against loes4j's scalar reference (eigenvalues: against a known spectrum) on small awkward
 * sizes, exactly as each benchmark's setup checks it before timing. A peer that is misconfigured (wrong
 * transpose convention, wrong triangle, a native library that did not load) fails here.
 */
class PeerCrossCheckTest {

    /**
     * (implementation, operation) pairs. loes4j's own eigenvalues are not in this list: loes4j's
     * eigen kernel is tested against the same definition in the linalg module, and EigenBench's setup runs
     * {@link CrossCheck#eigenvalues} on it before timing; this module tests the harness and the peers.
     */
    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String name : Peers.NAMES) {
            Peer p = Peers.byName(name);
            if (p instanceof GemmPeer) {
                out.add(Arguments.of(name, "gemm"));
            }
            if (p instanceof GramPeer) {
                out.add(Arguments.of(name, "gram"));
            }
            if (p instanceof CholeskyPeer) {
                out.add(Arguments.of(name, "cholesky"));
            }
            if (p instanceof EigenPeer && !name.startsWith("loes4j-")) {
                out.add(Arguments.of(name, "eigenvalues"));
            }
            if (p instanceof RidgePeer) {
                out.add(Arguments.of(name, "ridge"));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void peerAgreesWithReference(String name, String operation) {
        Peer peer = Peers.byName(name);
        double err = switch (operation) {
            case "gemm" -> CrossCheck.gemm((GemmPeer) peer);
            case "gram" -> CrossCheck.gram((GramPeer) peer);
            case "cholesky" -> CrossCheck.cholesky((CholeskyPeer) peer);
            case "eigenvalues" -> CrossCheck.eigenvalues((EigenPeer) peer);
            case "ridge" -> CrossCheck.ridge((RidgePeer) peer);
            default -> throw new IllegalArgumentException(operation);
        };
        assertTrue(err <= CrossCheck.FLOAT64_TOLERANCE, name + " " + operation + ": relative error " + err);
    }

    @Test
    void everyBenchmarkedPeerIsCovered() {
        List<String> covered = cases().stream().map(a -> (String) a.get()[0]).distinct().toList();
        assertEquals(Peers.NAMES, covered);
    }

    @Test
    void crossCheckCatchesAWrongResult() {
        // A peer that transposes its product (a classic row/column-major mix-up) must be rejected.
        GemmPeer transposing = new TransposingGemm(new EjmlPeer());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CrossCheck.gemm(transposing));
        assertTrue(e.getMessage().contains("disagrees"), e.getMessage());
    }

    @Test
    void openBlasThreadCountIsApplied() {
        OpenBlasPeer peer = new OpenBlasPeer();
        peer.useThreads(2);
        assertEquals(2, OpenBlas.threads());
        peer.useThreads(1);
        assertEquals(1, OpenBlas.threads());
    }

    @Test
    void netlibNativeRunsOnTheExtractedOpenBlas() {
        String d = new NetlibPeer(true).describe();
        assertTrue(d.contains("JNIBLAS") && d.contains("JNILAPACK") && d.contains("libopenblas.so.0"), d);
    }

    @ParameterizedTest
    @MethodSource("names")
    void prepareRejectsArraysOfTheWrongLength(String name) {
        Peer peer = Peers.byName(name);
        if (peer instanceof GemmPeer g) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> g.dgemm(3, 4, 5, new double[14], new double[20]));
            assertTrue(e.getMessage().startsWith("a: has 14 elements, expected 15"), e.getMessage());
        }
        if (peer instanceof CholeskyPeer c) {
            assertThrows(IllegalArgumentException.class, () -> c.cholesky(0, new double[0]));
        }
        if (peer instanceof RidgePeer r) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> r.ridge(4, 2, 1, new double[8], new double[4], -1.0));
            assertTrue(e.getMessage().startsWith("lambda: -1.0"), e.getMessage());
        }
    }

    static List<String> names() {
        return Peers.NAMES;
    }

    @Test
    void implParameterIsParsed() {
        assertEquals("openblas", Peers.nameOf("openblas@2"));
        assertEquals(2, Peers.threadsOf("openblas@2"));
        assertEquals(1, Peers.threadsOf("ejml"));
        assertThrows(IllegalArgumentException.class, () -> Peers.create("netlib-java@2", GemmPeer.class));
        assertThrows(IllegalArgumentException.class, () -> Peers.create("ojalgo", RidgePeer.class));
        assertThrows(IllegalArgumentException.class, () -> Peers.byName("mkl"));
    }

    /** Wraps a GEMM peer and returns C transposed: wrong unless C is symmetric. */
    private record TransposingGemm(GemmPeer inner) implements GemmPeer {
        @Override
        public String name() {
            return "transposing-" + inner.name();
        }

        @Override
        public int maxThreads() {
            return 1;
        }

        @Override
        public void useThreads(int threads) {
            inner.useThreads(threads);
        }

        @Override
        public String describe() {
            return name();
        }

        @Override
        public Prepared dgemm(int m, int n, int k, double[] a, double[] b) {
            return transposed(inner.dgemm(m, n, k, a, b), m, n);
        }

        @Override
        public Prepared sgemm(int m, int n, int k, float[] a, float[] b) {
            return transposed(inner.sgemm(m, n, k, a, b), m, n);
        }

        private static Prepared transposed(Prepared p, int m, int n) {
            return new Prepared() {
                @Override
                public void reset() {
                    p.reset();
                }

                @Override
                public Object run() {
                    return p.run();
                }

                @Override
                public double[] result() {
                    double[] c = p.result();
                    double[] t = new double[c.length];
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            t[j * m + i] = c[i * n + j];
                        }
                    }
                    return t;
                }
            };
        }
    }
}
