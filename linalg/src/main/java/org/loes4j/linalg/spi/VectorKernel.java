package org.loes4j.linalg.spi;

/**
 * Level-1 kernels over array slices: the inner loops of reductions, centring and updates. Float32
 * variants accumulate in float64 where they return a sum.
 */
public interface VectorKernel extends Kernel {

    /** sum_k x[xo + k] * y[yo + k], k &lt; n. */
    double ddot(int n, double[] x, int xo, double[] y, int yo);

    double sdot(int n, float[] x, int xo, float[] y, int yo);

    /** y[yo + k] += alpha * x[xo + k], k &lt; n. */
    void daxpy(int n, double alpha, double[] x, int xo, double[] y, int yo);

    void saxpy(int n, float alpha, float[] x, int xo, float[] y, int yo);

    /** x[xo + k] *= alpha, k &lt; n. */
    void dscal(int n, double alpha, double[] x, int xo);

    void sscal(int n, float alpha, float[] x, int xo);
}
