package org.loes4j.bench.peer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

/**
 * The implementations the benchmarks know, by the name used in the {@code impl} parameter. A parameter
 * value is {@code NAME} (one thread) or {@code NAME@T} (limited to T threads), e.g. {@code openblas@2}.
 */
public final class Peers {
    /** Every implementation name, loes4j's first. */
    public static final List<String> NAMES = List.of(
            "loes4j-vector", "loes4j-scalar", "loes4j-torch", "ejml", "ojalgo", "netlib-java", "netlib-native", "openblas");

    private static final Properties VERSIONS = readVersions();

    private Peers() {
    }

    private static Properties readVersions() {
        Properties p = new Properties();
        try (InputStream in = Peers.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The version of a peer library as built into this jar ({@code ejml}, {@code ojalgo}, ...). */
    static String version(String library) {
        return VERSIONS.getProperty(library, "unknown");
    }

    /** A new, unconfigured implementation by name. */
    public static Peer byName(String name) {
        return switch (name) {
            case "loes4j-vector" -> new Loes4jPeer("vector");
            case "loes4j-scalar" -> new Loes4jPeer("scalar");
            case "loes4j-torch" -> new Loes4jPeer("torch");
            case "ejml" -> new EjmlPeer();
            case "ojalgo" -> new OjalgoPeer();
            case "netlib-java" -> new NetlibPeer(false);
            case "netlib-native" -> new NetlibPeer(true);
            case "openblas" -> new OpenBlasPeer();
            default -> throw new IllegalArgumentException("impl: unknown implementation '" + name + "'; known: " + NAMES);
        };
    }

    /** The thread count of an {@code impl} value: T for {@code NAME@T}, 1 for {@code NAME}. */
    public static int threadsOf(String impl) {
        int at = impl.indexOf('@');
        if (at < 0) {
            return 1;
        }
        try {
            return Integer.parseInt(impl.substring(at + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("impl: '" + impl + "' has a thread count that is not an integer", e);
        }
    }

    /** The implementation name of an {@code impl} value (the part before {@code @}). */
    public static String nameOf(String impl) {
        int at = impl.indexOf('@');
        return at < 0 ? impl : impl.substring(0, at);
    }

    /**
     * The implementation for an {@code impl} value, limited to its thread count, and checked to be of the
     * capability {@code type}.
     */
    public static <P extends Peer> P create(String impl, Class<P> type) {
        Peer peer = byName(nameOf(impl));
        if (!type.isInstance(peer)) {
            throw new IllegalArgumentException("impl: " + peer.name() + " has no " + type.getSimpleName());
        }
        peer.useThreads(threadsOf(impl));
        return type.cast(peer);
    }

    static void checkThreads(Peer peer, int threads) {
        if (threads < 1 || threads > peer.maxThreads()) {
            throw new IllegalArgumentException("threads: " + threads + " is outside [1, " + peer.maxThreads()
                    + "] for " + peer.name());
        }
    }

    /** Checks the shapes of a GEMM's operands: m, n, k >= 1, a of m * k and b of k * n elements. */
    static void checkGemm(int m, int n, int k, int aLength, int bLength) {
        positive("m", m);
        positive("n", n);
        positive("k", k);
        length("a", aLength, (long) m * k);
        length("b", bLength, (long) k * n);
    }

    /** Checks an n x n operand: n >= 1 and n * n elements. */
    static void checkSquare(String name, int n, int length) {
        positive("n", n);
        length(name, length, (long) n * n);
    }

    /** Checks X (rows x cols). */
    static void checkRect(String name, int rows, int cols, int length) {
        positive("rows", rows);
        positive("cols", cols);
        length(name, length, (long) rows * cols);
    }

    /** Checks a ridge problem: X N x p, T N x c, lambda finite and > 0. */
    static void checkRidge(int n, int p, int c, int xLength, int tLength, double lambda) {
        positive("n", n);
        positive("p", p);
        positive("c", c);
        length("x", xLength, (long) n * p);
        length("t", tLength, (long) n * c);
        if (!(lambda > 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda: " + lambda + " must be finite and > 0");
        }
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + ": " + v + " must be >= 1");
        }
    }

    private static void length(String name, int actual, long expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(name + ": has " + actual + " elements, expected " + expected);
        }
    }

    static double[] widen(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** A copy of the row-major n x n {@code a} with its strict upper triangle set to zero. */
    static double[] lowerOnly(int n, double[] a) {
        double[] out = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a, i * n, out, i * n, i + 1);
        }
        return out;
    }

    /** W (p x c, row-major) followed by the c intercepts. */
    static double[] ridgeResult(int p, int c, double[] weights, double[] bias) {
        double[] out = new double[p * c + c];
        System.arraycopy(weights, 0, out, 0, p * c);
        System.arraycopy(bias, 0, out, p * c, c);
        return out;
    }
}
