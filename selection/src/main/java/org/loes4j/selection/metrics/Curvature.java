package org.loes4j.selection.metrics;

import org.loes4j.linalg.DMatrix;

/**
 * Curvature of a sequence of points z_0..z_{n-1} (the rows of a matrix; spec section 6): with
 * {@code v_k = z_{k+1} - z_k}, the mean over k of {@code arccos(|v_k . v_{k+1}| / (|v_k| |v_{k+1}|))},
 * in [0, pi/2]. Collinear equally spaced points give 0, an orthogonal zig-zag pi/2. Pairs with a zero step
 * (repeated points) have no angle and are skipped; fewer than 3 points (or no valid pair) give 0. The LOES
 * authors' Curvature-k baseline applies it across consecutive calibration samples.
 */
public final class Curvature {
    private Curvature() {
    }

    /** Mean turning angle of the rows of z (n x d). */
    public static double ofRows(DMatrix z) {
        int n = z.rows();
        int d = z.cols();
        if (n < 3) {
            return 0;
        }
        double[] prev = new double[d];
        double[] cur = new double[d];
        step(z, 0, prev);
        double prevNorm = norm(prev);
        double sum = 0;
        int count = 0;
        for (int k = 1; k + 1 < n; k++) {
            step(z, k, cur);
            double curNorm = norm(cur);
            if (prevNorm > 0 && curNorm > 0) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += prev[j] * cur[j];
                }
                double c = Math.min(1.0, Math.abs(dot) / (prevNorm * curNorm));
                sum += Math.acos(c);
                count++;
            }
            double[] t = prev;
            prev = cur;
            cur = t;
            prevNorm = curNorm;
        }
        return count == 0 ? 0 : sum / count;
    }

    private static void step(DMatrix z, int k, double[] out) {
        for (int j = 0; j < out.length; j++) {
            out[j] = z.get(k + 1, j) - z.get(k, j);
        }
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
