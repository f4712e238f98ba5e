package org.loes4j.training.metrics;

/**
 * Tail probabilities and quantiles of the F and Student t distributions, for the statistics of
 * {@code loes compare}: the regularised incomplete beta function by its continued fraction (evaluated with the
 * modified Lentz method), {@code ln Gamma} by the Lanczos approximation (g = 7, 9 coefficients), quantiles by
 * bisection on the tail. Double precision to about 1e-12 relative in the tails used here.
 */
public final class Distributions {
    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
    private static final int MAX_ITERATIONS = 500;
    private static final double EPS = 1e-15;
    private static final double TINY = 1e-300;

    private Distributions() {
    }

    /** ln Gamma(x) for x > 0. */
    public static double lnGamma(double x) {
        if (!(x > 0)) {
            throw new IllegalArgumentException("x: " + x + " must be > 0");
        }
        if (x < 0.5) {
            // Reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x).
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
        }
        double z = x - 1;
        double a = LANCZOS[0];
        double t = z + 7.5;
        for (int i = 1; i < LANCZOS.length; i++) {
            a += LANCZOS[i] / (z + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /** The regularised incomplete beta function I_x(a, b), for a, b > 0 and x in [0, 1]. */
    public static double regularizedBeta(double x, double a, double b) {
        if (!(a > 0) || !(b > 0)) {
            throw new IllegalArgumentException("a, b: " + a + ", " + b + " must be > 0");
        }
        if (!(x >= 0 && x <= 1)) {
            throw new IllegalArgumentException("x: " + x + " must be in [0, 1]");
        }
        if (x == 0 || x == 1) {
            return x;
        }
        if (x > (a + 1) / (a + b + 2)) {
            return 1 - regularizedBeta(1 - x, b, a);
        }
        double front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x)) / a;
        return front * betaContinuedFraction(x, a, b);
    }

    /** The continued fraction 1 / (1 + d1 / (1 + d2 / (1 + ...))) of I_x(a, b), modified Lentz. */
    private static double betaContinuedFraction(double x, double a, double b) {
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = Math.abs(d) < TINY ? TINY : d;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= MAX_ITERATIONS; m++) {
            for (int half = 0; half < 2; half++) {
                double num = half == 0
                        ? m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
                        : -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
                d = 1 + num * d;
                d = Math.abs(d) < TINY ? TINY : d;
                c = 1 + num / c;
                c = Math.abs(c) < TINY ? TINY : c;
                d = 1 / d;
                double delta = c * d;
                h *= delta;
                if (half == 1 && Math.abs(delta - 1) < EPS) {
                    return h;
                }
            }
        }
        return h;
    }

    /** P(F >= f) for the F distribution with (d1, d2) degrees of freedom. */
    public static double fUpperTail(double f, double d1, double d2) {
        if (Double.isNaN(f)) {
            return Double.NaN;
        }
        if (f <= 0) {
            return 1;
        }
        if (Double.isInfinite(f)) {
            return 0;
        }
        return regularizedBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
    }

    /** P(|T| >= |t|) for Student's t with df degrees of freedom (df > 0, not necessarily integer). */
    public static double tTwoSided(double t, double df) {
        if (Double.isNaN(t)) {
            return Double.NaN;
        }
        if (Double.isInfinite(t)) {
            return 0;
        }
        return regularizedBeta(df / (df + t * t), df / 2, 0.5);
    }

    /** The t with P(|T_df| >= t) = alpha, e.g. 2.776 for alpha 0.05 and df 4. */
    public static double tCritical(double alpha, double df) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha: " + alpha + " must be in (0, 1)");
        }
        double lo = 0;
        double hi = 1;
        while (tTwoSided(hi, df) > alpha) {
            hi *= 2;
        }
        for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
            double mid = 0.5 * (lo + hi);
            if (tTwoSided(mid, df) > alpha) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }
}
