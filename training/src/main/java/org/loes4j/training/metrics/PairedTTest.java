package org.loes4j.training.metrics;

/**
 * The paired two-sided Student t-test the paper reports against the Last baseline: differences
 * {@code d_i = a_i - b_i} over n paired runs (seeds), {@code t = mean(d) / (sd(d) / sqrt(n))} with the
 * sample standard deviation, {@code df = n - 1}, {@code p = P(|T_df| >= |t|)}.
 *
 * <p>The tail probability uses the exact finite series for integer degrees of freedom (Abramowitz and
 * Stegun 26.7.3 and 26.7.4) with {@code theta = atan(|t| / sqrt(df))}:
 * {@code A = 2/pi (theta + sin(theta) (cos(theta) + 2/3 cos^3(theta) + ... ))} for odd df and
 * {@code A = sin(theta) (1 + 1/2 cos^2(theta) + 1*3/(2*4) cos^4(theta) + ...)} for even df, p = 1 - A.
 *
 * @param t       the t statistic (NaN when {@code n < 2}; +-infinity when all differences are equal and non-zero)
 * @param df      degrees of freedom n - 1
 * @param pValue  two-sided p-value (1 when every difference is 0; NaN when {@code n < 2})
 * @param meanDifference mean of a - b
 */
public record PairedTTest(double t, int df, double pValue, double meanDifference) {

    /** Tests {@code a} against {@code b}, paired by index. */
    public static PairedTTest of(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("b: " + b.length + " values, a has " + a.length);
        }
        int n = a.length;
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += (a[i] - b[i]) / n;
        }
        if (n < 2) {
            return new PairedTTest(Double.NaN, n - 1, Double.NaN, n == 1 ? mean : Double.NaN);
        }
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double d = a[i] - b[i] - mean;
            ss += d * d;
        }
        double sd = Math.sqrt(ss / (n - 1));
        if (sd == 0) {
            return mean == 0 ? new PairedTTest(0.0, n - 1, 1.0, 0.0)
                    : new PairedTTest(Math.copySign(Double.POSITIVE_INFINITY, mean), n - 1, 0.0, mean);
        }
        double t = mean / (sd / Math.sqrt(n));
        return new PairedTTest(t, n - 1, twoSidedP(t, n - 1), mean);
    }

    /** {@code P(|T_df| >= |t|)} for integer df >= 1. */
    public static double twoSidedP(double t, int df) {
        if (df < 1) {
            throw new IllegalArgumentException("df: " + df + " must be >= 1");
        }
        if (Double.isNaN(t)) {
            return Double.NaN;
        }
        if (Double.isInfinite(t)) {
            return 0.0;
        }
        double theta = Math.atan(Math.abs(t) / Math.sqrt(df));
        double s = Math.sin(theta);
        double c = Math.cos(theta);
        double c2 = c * c;
        double a;
        if (df % 2 == 1) {
            double sum = 0;
            if (df > 1) {
                double term = c;
                sum = term;
                for (int k = 3; k <= df - 2; k += 2) {
                    term *= c2 * (k - 1) / k;
                    sum += term;
                }
            }
            a = 2 / Math.PI * (theta + s * sum);
        } else {
            double term = 1;
            double sum = 1;
            for (int k = 2; k <= df - 2; k += 2) {
                term *= c2 * (k - 1) / k;
                sum += term;
            }
            a = s * sum;
        }
        return Math.max(0.0, Math.min(1.0, 1 - a));
    }
}
