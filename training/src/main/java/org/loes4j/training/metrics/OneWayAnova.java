package org.loes4j.training.metrics;

/**
 * One-way analysis of variance across k groups (the paper compares its methods this way): with group means
 * m_g, sizes n_g, grand mean m and N values in all, {@code SSB = sum n_g (m_g - m)^2},
 * {@code SSW = sum (x - m_g)^2}, {@code F = (SSB / (k - 1)) / (SSW / (N - k))}, {@code p = P(F_{k-1, N-k} >= F)},
 * and the effect size {@code eta^2 = SSB / (SSB + SSW)}.
 *
 * @param f          the F statistic (+infinity when every group is constant and the means differ; NaN when k &lt; 2
 *                   or N &lt;= k)
 * @param dfBetween  k - 1
 * @param dfWithin   N - k
 * @param pValue     P(F_{k-1, N-k} >= f)
 * @param etaSquared SSB / (SSB + SSW)
 */
public record OneWayAnova(double f, int dfBetween, int dfWithin, double pValue, double etaSquared) {

    /** The ANOVA of {@code groups} (each an array of observations; every group non-empty). */
    public static OneWayAnova of(double[]... groups) {
        int k = groups.length;
        int n = 0;
        double sum = 0;
        for (int g = 0; g < k; g++) {
            if (groups[g].length == 0) {
                throw new IllegalArgumentException("groups: group " + g + " is empty");
            }
            n += groups[g].length;
            for (double x : groups[g]) {
                sum += x;
            }
        }
        if (k < 2 || n <= k) {
            return new OneWayAnova(Double.NaN, k - 1, n - k, Double.NaN, Double.NaN);
        }
        double grand = sum / n;
        double ssb = 0;
        double ssw = 0;
        for (double[] group : groups) {
            double m = 0;
            for (double x : group) {
                m += x / group.length;
            }
            ssb += group.length * (m - grand) * (m - grand);
            for (double x : group) {
                ssw += (x - m) * (x - m);
            }
        }
        double eta = ssb + ssw > 0 ? ssb / (ssb + ssw) : 0;
        if (ssw == 0) {
            return ssb == 0 ? new OneWayAnova(0, k - 1, n - k, 1, 0)
                    : new OneWayAnova(Double.POSITIVE_INFINITY, k - 1, n - k, 0, eta);
        }
        double f = (ssb / (k - 1)) / (ssw / (n - k));
        return new OneWayAnova(f, k - 1, n - k, Distributions.fUpperTail(f, k - 1, n - k), eta);
    }
}
