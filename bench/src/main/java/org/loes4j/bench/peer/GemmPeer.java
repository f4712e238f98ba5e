package org.loes4j.bench.peer;

/** General matrix products {@code C = A B}, row-major, A m x k, B k x n. */
public interface GemmPeer extends Peer {

    /** Prepares {@code C = A B} in float64 (a and b are read, never written). */
    Prepared dgemm(int m, int n, int k, double[] a, double[] b);

    /** Prepares {@code C = A B} in float32; {@link Prepared#result()} widens C to float64. */
    Prepared sgemm(int m, int n, int k, float[] a, float[] b);
}
