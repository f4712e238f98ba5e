package org.loes4j.training.metrics;

/**
 * The mean of n observations with its sample standard deviation and the two-sided t confidence interval
 * {@code mean +- t_{1 - alpha/2, n - 1} sd / sqrt(n)}.
 *
 * @param mean  the sample mean
 * @param sd    the sample standard deviation (n - 1 in the denominator; 0 for n = 1)
 * @param lower lower end of the interval (NaN for n &lt; 2)
 * @param upper upper end of the interval (NaN for n &lt; 2)
 * @param level the confidence level, e.g. 0.95
 */
public record MeanInterval(double mean, double sd, double lower, double upper, double level) {

    /** The 95% interval of {@code x}. */
    public static MeanInterval of95(double[] x) {
        return of(x, 0.95);
    }

    /** The {@code level} interval of {@code x} (at least one value). */
    public static MeanInterval of(double[] x, double level) {
        int n = x.length;
        if (n == 0) {
            throw new IllegalArgumentException("x: no values");
        }
        double mean = 0;
        for (double v : x) {
            mean += v / n;
        }
        if (n < 2) {
            return new MeanInterval(mean, 0, Double.NaN, Double.NaN, level);
        }
        double ss = 0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        double half = Distributions.tCritical(1 - level, n - 1) * sd / Math.sqrt(n);
        return new MeanInterval(mean, sd, mean - half, mean + half, level);
    }

    /**
     * Cohen's d_z of paired observations: mean(a - b) / sd(a - b) (sample sd); +-infinity when every
     * difference is equal and non-zero, 0 when all are 0, NaN for fewer than 2 pairs.
     */
    public static double pairedEffectSize(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("b: " + b.length + " values, a has " + a.length);
        }
        if (a.length < 2) {
            return Double.NaN;
        }
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] - b[i];
        }
        MeanInterval m = of(d, 0.95);
        return m.sd() > 0 ? m.mean() / m.sd() : m.mean() == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, m.mean());
    }
}
