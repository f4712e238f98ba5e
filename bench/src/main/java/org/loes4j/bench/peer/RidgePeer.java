package org.loes4j.bench.peer;

/**
 * Multi-output ridge with intercept through the primal normal equations:
 * {@code W = (XcT Xc + lambda I)^-1 XcT Tc}, {@code b = mean(T) - mean(X) W}, with Xc, Tc the
 * column-centred X (N x p) and T (N x c), as {@link org.loes4j.linalg.regression.Ridge} defines it.
 */
public interface RidgePeer extends Peer {

    /** Prepares the fit (centring included in the timed part, as in loes4j's Ridge). */
    Prepared ridge(int n, int p, int c, double[] x, double[] t, double lambda);
}
