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

    /**
     * {@link #dsyrk} for callers that read only the lower triangle of C (a blocked Cholesky's trailing
     * update): the lower triangle (i &gt;= j) is written as by {@code dsyrk}; the strict upper triangle is
     * unspecified on return (kernels skip mirroring it; tiles straddling the diagonal may write partial
     * values there). The default writes both triangles, which satisfies this contract.
     */
    default void dsyrkLower(Transpose trans, double alpha, DMatrix a, double beta, DMatrix c) {
        dsyrk(trans, alpha, a, beta, c);
    }

    /** Float32 twin of {@link #dsyrkLower}. */
    default void ssyrkLower(Transpose trans, float alpha, FMatrix a, float beta, FMatrix c) {
        ssyrk(trans, alpha, a, beta, c);
    }
}
