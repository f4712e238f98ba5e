package org.loes4j.training;

import java.util.function.DoubleSupplier;

/**
 * Central finite differences in float64: {@code (L(x + h e_i) - L(x - h e_i)) / 2h} for every entry of
 * {@code x} (perturbed in place and restored), compared with an analytic gradient by the norm-wise
 * relative error {@code ||a - n|| / max(||a||, ||n||)}.
 */
public final class GradientCheck {
    /** The contract's bound on the relative error of every gradient check. */
    public static final double MAX_RELATIVE_ERROR = 1e-6;
    /** Step: balances truncation (h^2) against rounding (1e-16 / h) in float64. */
    public static final double STEP = 1e-5;

    private GradientCheck() {
    }

    /** The numerical gradient of {@code loss} with respect to the entries of {@code x}. */
    public static double[] numerical(double[] x, DoubleSupplier loss) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + STEP;
            double up = loss.getAsDouble();
            x[i] = keep - STEP;
            double down = loss.getAsDouble();
            x[i] = keep;
            g[i] = (up - down) / (2 * STEP);
        }
        return g;
    }

    /** {@code ||a - n|| / max(||a||, ||n||)}; 0 when both are zero. */
    public static double relativeError(double[] analytic, double[] numeric) {
        if (analytic.length != numeric.length) {
            throw new IllegalArgumentException("lengths differ: " + analytic.length + " vs " + numeric.length);
        }
        double diff = 0;
        double na = 0;
        double nn = 0;
        for (int i = 0; i < analytic.length; i++) {
            double d = analytic[i] - numeric[i];
            diff += d * d;
            na += analytic[i] * analytic[i];
            nn += numeric[i] * numeric[i];
        }
        double scale = Math.sqrt(Math.max(na, nn));
        return scale == 0 ? 0 : Math.sqrt(diff) / scale;
    }
}
