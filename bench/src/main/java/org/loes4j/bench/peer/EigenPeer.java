package org.loes4j.bench.peer;

/** Eigenvalues (no vectors) of a symmetric float64 matrix. */
public interface EigenPeer extends Peer {

    /** Prepares the eigenvalues of the n x n {@code symmetric} (row-major, both triangles set). */
    Prepared eigenvalues(int n, double[] symmetric);
}
