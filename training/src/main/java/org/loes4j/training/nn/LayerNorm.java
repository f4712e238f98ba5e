package org.loes4j.training.nn;

import java.util.List;

import org.loes4j.linalg.DMatrix;

/**
 * Layer normalisation over the features of each row, with a learned affine map:
 * {@code y = gamma * (x - mean(x)) / sqrt(var(x) + eps) + beta}, mean and (biased, divide by d) variance
 * per row, eps = 1e-5, gamma initialised to ones and beta to zeros (PyTorch's {@code nn.LayerNorm}).
 * Shapes: x and y are B x d; gamma and beta 1 x d.
 */
public final class LayerNorm {
    /** PyTorch's default epsilon. */
    public static final double DEFAULT_EPS = 1e-5;

    private final int features;
    private final double eps;
    private final Parameter gamma;
    private final Parameter beta;
    private DMatrix normalised;
    private double[] invStd;

    /** A layer over {@code features} columns named {@code name.weight} and {@code name.bias}. */
    public LayerNorm(String name, int features) {
        if (features < 1) {
            throw new IllegalArgumentException("features: " + features + " must be >= 1");
        }
        this.features = features;
        this.eps = DEFAULT_EPS;
        DMatrix g = DMatrix.zeros(1, features);
        g.fill(1.0);
        this.gamma = new Parameter(name + ".weight", g);
        this.beta = new Parameter(name + ".bias", DMatrix.zeros(1, features));
    }

    public int features() {
        return features;
    }

    public Parameter gamma() {
        return gamma;
    }

    public Parameter beta() {
        return beta;
    }

    public List<Parameter> parameters() {
        return List.of(gamma, beta);
    }

    /** Returns a new B x d output; keeps the normalised input and 1/std per row for {@link #backward}. */
    public DMatrix forward(DMatrix x) {
        if (x.cols() != features) {
            throw new IllegalArgumentException("x: " + x.cols() + " columns, layer norm has " + features);
        }
        int b = x.rows();
        DMatrix xhat = DMatrix.zeros(b, features);
        DMatrix y = DMatrix.zeros(b, features);
        double[] is = new double[b];
        double[] xd = x.data();
        double[] hd = xhat.data();
        double[] yd = y.data();
        double[] g = gamma.value().data();
        double[] bt = beta.value().data();
        RowChunks.run(b, features, c -> {
            int end = Math.min(b, (c + 1) * RowChunks.ROWS);
            for (int i = c * RowChunks.ROWS; i < end; i++) {
                normaliseRow(xd, x.index(i, 0), hd, yd, i * features, g, bt, is, i);
            }
        });
        normalised = xhat;
        invStd = is;
        return y;
    }

    private void normaliseRow(double[] xd, int o, double[] hd, double[] yd, int r, double[] g, double[] bt,
                              double[] is, int i) {
        double mean = 0;
        for (int j = 0; j < features; j++) {
            mean += xd[o + j];
        }
        mean /= features;
        double var = 0;
        for (int j = 0; j < features; j++) {
            double c = xd[o + j] - mean;
            var += c * c;
        }
        var /= features;
        double s = 1.0 / Math.sqrt(var + eps);
        is[i] = s;
        for (int j = 0; j < features; j++) {
            double h = (xd[o + j] - mean) * s;
            hd[r + j] = h;
            yd[r + j] = g[j] * h + bt[j];
        }
    }

    /**
     * Adds {@code dL/dgamma = sum_rows dy * xhat} and {@code dL/dbeta = sum_rows dy} to the gradients and,
     * when {@code wantInputGradient}, returns {@code dL/dx = invStd * (g - mean(g) - xhat * mean(g * xhat))}
     * with {@code g = dy * gamma} (per row); otherwise returns null.
     */
    public DMatrix backward(DMatrix dy, boolean wantInputGradient) {
        if (normalised == null) {
            throw new IllegalStateException("backward before forward");
        }
        if (dy.rows() != normalised.rows() || dy.cols() != features) {
            throw new IllegalArgumentException("dy: shape " + dy.shape() + ", expected " + normalised.shape());
        }
        int b = dy.rows();
        double[] dyd = dy.data();
        double[] hd = normalised.data();
        double[] g = gamma.value().data();
        double[] dg = gamma.grad().data();
        double[] db = beta.grad().data();
        DMatrix dx = wantInputGradient ? DMatrix.zeros(b, features) : null;
        // Per-chunk partial sums of dgamma and dbeta, added in chunk order: the same bits for any thread count.
        int chunks = RowChunks.count(b);
        double[][] partial = new double[chunks][];
        RowChunks.run(b, features, c -> {
            double[] acc = new double[2 * features];
            int end = Math.min(b, (c + 1) * RowChunks.ROWS);
            for (int i = c * RowChunks.ROWS; i < end; i++) {
                backwardRow(dyd, dy.index(i, 0), hd, i * features, g, acc, dx == null ? null : dx.data(), invStd[i]);
            }
            partial[c] = acc;
        });
        for (double[] acc : partial) {
            for (int j = 0; j < features; j++) {
                dg[j] += acc[j];
                db[j] += acc[features + j];
            }
        }
        return dx;
    }

    /** One row: accumulates into {@code acc} (dgamma then dbeta) and writes dx's row when {@code dxd != null}. */
    private void backwardRow(double[] dyd, int o, double[] hd, int r, double[] g, double[] acc, double[] dxd, double s) {
        double meanG = 0;
        double meanGh = 0;
        for (int j = 0; j < features; j++) {
            double d = dyd[o + j];
            double h = hd[r + j];
            acc[j] += d * h;
            acc[features + j] += d;
            double gj = d * g[j];
            meanG += gj;
            meanGh += gj * h;
        }
        if (dxd != null) {
            meanG /= features;
            meanGh /= features;
            for (int j = 0; j < features; j++) {
                double gj = dyd[o + j] * g[j];
                dxd[r + j] = s * (gj - meanG - hd[r + j] * meanGh);
            }
        }
    }
}
