package org.loes4j.linalg.regression;

import org.loes4j.linalg.DMatrix;

/**
 * Per-column standardisation by the statistics of a training block: {@code x'_ij = (x_ij - mean_j) scale_j}
 * with {@code mean_j} the column mean and {@code scale_j = 1 / std_j}, std the population standard deviation
 * (divide by n). A column that is constant up to rounding gets {@code scale_j = 0} (see
 * {@link #CONSTANT_COLUMN_RELATIVE}): it becomes 0 wherever the standardisation is applied, instead of
 * magnifying rounding noise by 1/std.
 *
 * <p>The ridge probes standardise with the TRAINING rows' statistics and apply them to training and held-out
 * (or new) rows alike; a saved ridge model keeps its standardiser so that new rows are treated as the training
 * rows were.
 */
public final class Standardiser {
    /**
     * A training column whose standard deviation is at most this fraction of its mean's magnitude (or exactly
     * 0) is constant up to rounding.
     */
    public static final double CONSTANT_COLUMN_RELATIVE = 1e-12;

    private final double[] mean;
    private final double[] scale;

    private Standardiser(double[] mean, double[] scale) {
        this.mean = mean;
        this.scale = scale;
    }

    /**
     * The standardiser of the columns of {@code train} (n x d, n &gt;= 1, contiguous rows not required).
     *
     * @throws IllegalArgumentException naming {@code train} when it is null or has no rows
     */
    public static Standardiser of(DMatrix train) {
        if (train == null) {
            throw new IllegalArgumentException("train: null");
        }
        if (train.rows() < 1) {
            throw new IllegalArgumentException("train: needs at least 1 row, has 0");
        }
        int n = train.rows();
        int d = train.cols();
        double[] mean = new double[d];
        double[] scale = new double[d];
        double[] x = train.data();
        for (int i = 0; i < n; i++) {
            int o = train.index(i, 0);
            for (int j = 0; j < d; j++) {
                mean[j] += x[o + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            int o = train.index(i, 0);
            for (int j = 0; j < d; j++) {
                double e = x[o + j] - mean[j];
                scale[j] += e * e;
            }
        }
        for (int j = 0; j < d; j++) {
            double std = Math.sqrt(scale[j] / n);
            scale[j] = std == 0 || std <= CONSTANT_COLUMN_RELATIVE * Math.abs(mean[j]) ? 0 : 1 / std;
        }
        return new Standardiser(mean, scale);
    }

    /**
     * A standardiser with the given column means and scales (1/std, or 0 for a constant column), e.g. read back
     * from a saved model.
     *
     * @throws IllegalArgumentException naming {@code mean} or {@code scale} when null, of different lengths, or
     *         holding a value that is not finite (or, for scale, negative)
     */
    public static Standardiser of(double[] mean, double[] scale) {
        if (mean == null || scale == null) {
            throw new IllegalArgumentException((mean == null ? "mean" : "scale") + ": null");
        }
        if (mean.length != scale.length) {
            throw new IllegalArgumentException("scale: " + scale.length + " columns, mean has " + mean.length);
        }
        for (int j = 0; j < mean.length; j++) {
            if (!Double.isFinite(mean[j])) {
                throw new IllegalArgumentException("mean: entry " + j + " is " + mean[j]);
            }
            if (!(scale[j] >= 0) || !Double.isFinite(scale[j])) {
                throw new IllegalArgumentException("scale: entry " + j + " is " + scale[j] + ", must be finite and >= 0");
            }
        }
        return new Standardiser(mean.clone(), scale.clone());
    }

    /** d, the number of columns. */
    public int columns() {
        return mean.length;
    }

    /** The training column means (a copy). */
    public double[] mean() {
        return mean.clone();
    }

    /** The column scales {@code 1 / std}, 0 for a constant column (a copy). */
    public double[] scale() {
        return scale.clone();
    }

    /**
     * Standardises {@code m} (any rows x d) in place.
     *
     * @throws IllegalArgumentException naming {@code m} when its width is not d
     */
    public void apply(DMatrix m) {
        if (m.cols() != mean.length) {
            throw new IllegalArgumentException("m: " + m.cols() + " columns, the standardiser has " + mean.length);
        }
        double[] x = m.data();
        for (int i = 0; i < m.rows(); i++) {
            int o = m.index(i, 0);
            for (int j = 0; j < m.cols(); j++) {
                x[o + j] = (x[o + j] - mean[j]) * scale[j];
            }
        }
    }
}
