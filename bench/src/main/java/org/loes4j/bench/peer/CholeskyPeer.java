package org.loes4j.bench.peer;

/** Cholesky factorisation {@code A = L LT} of a symmetric positive definite float64 matrix. */
public interface CholeskyPeer extends Peer {

    /** Prepares the factorisation of the n x n {@code spd} (row-major, both triangles set; not written). */
    Prepared cholesky(int n, double[] spd);
}
