package org.loes4j.bench.peer;

/** The Gram matrix {@code G = XT X} (cols x cols) of a row-major X (rows x cols), float64. */
public interface GramPeer extends Peer {

    /** Prepares {@code G = XT X}; a BLAS-style peer may fill only the lower triangle of G. */
    Prepared gram(int rows, int cols, double[] x);
}
