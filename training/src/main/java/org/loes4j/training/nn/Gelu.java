package org.loes4j.training.nn;

import org.loes4j.linalg.DMatrix;

/**
 * The exact GELU, {@code gelu(x) = x Phi(x) = x/2 * erfc(-x/sqrt(2))} (the erf form PyTorch uses by
 * default, not the tanh approximation); derivative {@code Phi(x) + x phi(x)},
 * {@code phi(x) = exp(-x^2/2)/sqrt(2 pi)}. Written with erfc so that Phi keeps its relative accuracy
 * for very negative x.
 */
public final class Gelu {
    private static final double INV_SQRT2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;

    private DMatrix input;
    private double[] cdf;

    /** A layer without parameters; it keeps its last input for the backward pass. */
    public Gelu() {
    }

    /** {@code gelu(x)} of one value. */
    public static double gelu(double x) {
        return 0.5 * x * Erf.erfc(-x * INV_SQRT2);
    }

    /** {@code d gelu / dx} at x. */
    public static double derivative(double x) {
        return 0.5 * Erf.erfc(-x * INV_SQRT2) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }

    /**
     * Returns a new matrix of {@code gelu} applied elementwise; keeps a reference to x and Phi(x) (so the
     * backward pass needs no second erfc).
     */
    public DMatrix forward(DMatrix x) {
        int b = x.rows();
        int n = x.cols();
        DMatrix y = DMatrix.zeros(b, n);
        double[] xd = x.data();
        double[] yd = y.data();
        double[] phi = new double[b * n];
        RowChunks.run(b, n, c -> {
            int end = Math.min(b, (c + 1) * RowChunks.ROWS);
            for (int i = c * RowChunks.ROWS; i < end; i++) {
                int o = x.index(i, 0);
                for (int j = 0; j < n; j++) {
                    double v = xd[o + j];
                    double p = 0.5 * Erf.erfc(-v * INV_SQRT2);
                    phi[i * n + j] = p;
                    yd[i * n + j] = v * p;
                }
            }
        });
        input = x;
        cdf = phi;
        return y;
    }

    /** Returns {@code dL/dx = dy * gelu'(x)} (new matrix). */
    public DMatrix backward(DMatrix dy) {
        if (input == null) {
            throw new IllegalStateException("backward before forward");
        }
        if (dy.rows() != input.rows() || dy.cols() != input.cols()) {
            throw new IllegalArgumentException("dy: shape " + dy.shape() + ", expected " + input.shape());
        }
        int b = dy.rows();
        int n = dy.cols();
        DMatrix dx = DMatrix.zeros(b, n);
        double[] xd = input.data();
        double[] dyd = dy.data();
        double[] dxd = dx.data();
        double[] phi = cdf;
        DMatrix in = input;
        RowChunks.run(b, n, c -> {
            int end = Math.min(b, (c + 1) * RowChunks.ROWS);
            for (int i = c * RowChunks.ROWS; i < end; i++) {
                int ox = in.index(i, 0);
                int od = dy.index(i, 0);
                for (int j = 0; j < n; j++) {
                    double v = xd[ox + j];
                    dxd[i * n + j] = dyd[od + j] * (phi[i * n + j] + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
                }
            }
        });
        return dx;
    }
}
