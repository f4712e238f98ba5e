package org.loes4j.linalg.spi;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.NotPositiveDefiniteException;
import org.loes4j.linalg.Transpose;

/**
 * Cholesky factorisation and triangular solves (LAPACK potrf/potrs, BLAS trsm with a lower factor).
 */
public interface CholeskyKernel extends Kernel {

    /**
     * Factors the symmetric positive definite {@code a = L LT} in place: the lower triangle becomes L and
     * the strict upper triangle is set to zero. Only the lower triangle of {@code a} is read.
     *
     * @throws NotPositiveDefiniteException naming the first pivot that is not positive
     */
    void dpotrf(DMatrix a);

    /** Float32 twin of {@link #dpotrf}. */
    void spotrf(FMatrix a);

    /** Solves {@code op(L) X = B} in place in {@code b}, L lower triangular (n x n), B n x m. */
    void dtrsm(Transpose trans, DMatrix l, DMatrix b);

    /** Float32 twin of {@link #dtrsm}. */
    void strsm(Transpose trans, FMatrix l, FMatrix b);
}
