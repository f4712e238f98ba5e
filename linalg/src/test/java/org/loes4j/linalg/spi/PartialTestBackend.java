package org.loes4j.linalg.spi;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only backend that offers just the level-1 {@link VectorKernel} (counting its calls) and lacks
 * everything else, so the per-kernel fallback of the chain can be observed. Priority below the scalar
 * backend: {@code auto} never picks it.
 */
public final class PartialTestBackend implements Backend {
    /** Calls of {@link VectorKernel#ddot} served by this backend. */
    public static final AtomicInteger DDOT_CALLS = new AtomicInteger();

    private static final VectorKernel COUNTING = new VectorKernel() {
        @Override
        public double ddot(int n, double[] x, int xo, double[] y, int yo) {
            DDOT_CALLS.incrementAndGet();
            double s = 0;
            for (int k = 0; k < n; k++) {
                s += x[xo + k] * y[yo + k];
            }
            return s;
        }

        @Override
        public double sdot(int n, float[] x, int xo, float[] y, int yo) {
            double s = 0;
            for (int k = 0; k < n; k++) {
                s += (double) x[xo + k] * y[yo + k];
            }
            return s;
        }

        @Override
        public void daxpy(int n, double alpha, double[] x, int xo, double[] y, int yo) {
            for (int k = 0; k < n; k++) {
                y[yo + k] += alpha * x[xo + k];
            }
        }

        @Override
        public void saxpy(int n, float alpha, float[] x, int xo, float[] y, int yo) {
            for (int k = 0; k < n; k++) {
                y[yo + k] += alpha * x[xo + k];
            }
        }

        @Override
        public void dscal(int n, double alpha, double[] x, int xo) {
            for (int k = 0; k < n; k++) {
                x[xo + k] *= alpha;
            }
        }

        @Override
        public void sscal(int n, float alpha, float[] x, int xo) {
            for (int k = 0; k < n; k++) {
                x[xo + k] *= alpha;
            }
        }
    };

    @Override
    public String name() {
        return "partial-test";
    }

    @Override
    public String description() {
        return "test backend with only the level-1 kernels";
    }

    @Override
    public Availability availability() {
        return Availability.yes("test");
    }

    @Override
    public int priority() {
        return -10;
    }

    @Override
    public <K extends Kernel> K kernel(Class<K> type) {
        return type == VectorKernel.class ? type.cast(COUNTING) : null;
    }
}
