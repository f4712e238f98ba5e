package org.loes4j.linalg.spi;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Transpose;

/**
 * General matrix product {@code C = alpha op(A) op(B) + beta C}, op = identity or transpose. As in BLAS,
 * {@code beta == 0} means C's prior contents are not read (NaN in C does not propagate). C does not alias
 * A or B.
 */
public interface GemmKernel extends Kernel {

    void dgemm(Transpose transA, Transpose transB, double alpha, DMatrix a, DMatrix b, double beta, DMatrix c);

    void sgemm(Transpose transA, Transpose transB, float alpha, FMatrix a, FMatrix b, float beta, FMatrix c);
}
