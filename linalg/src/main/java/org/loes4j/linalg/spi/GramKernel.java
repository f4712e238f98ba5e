package org.loes4j.linalg.spi;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Transpose;

/**
 * Symmetric rank-k update (BLAS syrk): with {@code trans == YES}, {@code C = alpha AT A + beta C}
 * (C is cols x cols); with {@code trans == NO}, {@code C = alpha A AT + beta C} (C is rows x rows).
 * Only half of the products are computed; both triangles of C are written. {@code beta == 0} means C is
 * not read.
 */
public interface GramKernel extends Kernel {

    void dsyrk(Transpose trans, double alpha, DMatrix a, double beta, DMatrix c);

    void ssyrk(Transpose trans, float alpha, FMatrix a, float beta, FMatrix c);
}
