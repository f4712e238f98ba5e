package org.loes4j.bench;

import org.loes4j.bench.peer.Peer;
import org.loes4j.bench.peer.Peers;

/** What every benchmark's trial setup does first: make the implementation, limit its threads, say what it is. */
final class BenchSetup {
    /** The JVM flags every fork needs: the Vector API module (loes4j, netlib's VectorBLAS) and FFM (OpenBLAS). */
    static final String ADD_VECTOR = "--add-modules=jdk.incubator.vector";
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    static final String HEAP = "-Xmx6g";

    private BenchSetup() {
    }

    /**
     * The implementation for {@code impl}, limited to its threads. Its description goes to the fork's
     * output (JMH shows it in the log), which is where the run records which kernels actually ran.
     */
    static <P extends Peer> P create(String impl, Class<P> type) {
        P peer = Peers.create(impl, type);
        System.out.println("# impl " + impl + ": " + peer.describe());
        return peer;
    }
}
