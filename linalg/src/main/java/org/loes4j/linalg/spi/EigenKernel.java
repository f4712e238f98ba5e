package org.loes4j.linalg.spi;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;

/**
 * Symmetric eigen-decomposition (LAPACK syev): {@code A = V diag(w) VT} with w ascending and V
 * orthogonal. Only the lower triangle of {@code a} is read; {@code a} may be overwritten.
 */
public interface EigenKernel extends Kernel {

    /**
     * @param w       receives the n eigenvalues, ascending
     * @param vectors receives the eigenvectors as columns (n x n), or {@code null} for eigenvalues only
     */
    void dsyev(DMatrix a, double[] w, DMatrix vectors);

    /** Float32 twin of {@link #dsyev}. */
    void ssyev(FMatrix a, float[] w, FMatrix vectors);
}
