package org.loes4j.selection.metrics;

/**
 * Effective rank (Roy and Vetterli): {@code exp(-sum q_i ln q_i)} with {@code q_i = sigma_i / sum sigma}
 * over the singular values sigma of the centred layer; between 1 and min(N, d), 0 for an all-zero matrix.
 */
public final class EffectiveRank {
    private EffectiveRank() {
    }

    /** From the singular values. */
    public static double ofSingularValues(double[] sigma) {
        double sum = 0;
        for (double s : sigma) {
            if (s > 0) {
                sum += s;
            }
        }
        if (sum == 0) {
            return 0;
        }
        double h = 0;
        for (double s : sigma) {
            if (s > 0) {
                double q = s / sum;
                h -= q * Math.log(q);
            }
        }
        return Math.exp(h);
    }

    /** From the eigenvalues of a Gram {@code XcT Xc} or {@code Xc XcT}: sigma = sqrt(max(0, e)). */
    public static double ofGramEigenvalues(double[] eigenvalues) {
        double[] sigma = new double[eigenvalues.length];
        for (int i = 0; i < sigma.length; i++) {
            sigma[i] = Math.sqrt(Math.max(0, eigenvalues[i]));
        }
        return ofSingularValues(sigma);
    }
}
