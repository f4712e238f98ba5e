package org.loes4j.training.nn;

/**
 * The error function {@code erf(x) = 2/sqrt(pi) * integral_0^x exp(-t^2) dt} and its complement, in
 * float64, for the exact GELU.
 *
 * <p>Reference method (the slow twins, {@link #referenceErf} and {@link #referenceErfc}; two classical
 * expansions, no fitted constants):
 * <ul>
 *   <li>{@code |x| < 2}: the series {@code erf(x) = 2/sqrt(pi) exp(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1))}
 *       (Abramowitz and Stegun 7.1.6). Every term is positive, so there is no cancellation; it is summed
 *       until a term no longer changes the sum.</li>
 *   <li>{@code |x| >= 2} (and erfc for {@code x >= 1}): the continued fraction
 *       {@code erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))}
 *       (A and S 7.1.14), evaluated with the modified Lentz method to a relative change of 1e-16.</li>
 * </ul>
 * Those cost up to 190 iterations per value, far too slow for GELU on 131k activations per batch,
 * so {@link #erf} and {@link #erfc} expand around a grid of 193 points whose values and Taylor
 * coefficients the reference computes once (see the comment on the table). Accuracy against mpmath:
 * relative error below 1e-15 for erf and 3e-15 for erfc ({@code x >= 0}; for {@code x < 0} erfc is {@code 2 - erfc(-x)}).
 */
public final class Erf {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;
    /** Above this, erfc(x) < 1e-300 underflows: erfc(26.6) ~ 5e-310. */
    private static final double ERFC_UNDERFLOW = 26.6;
    private static final double SERIES_LIMIT = 2.0;
    private static final double LENTZ_TINY = 1e-300;
    private static final double LENTZ_TOLERANCE = 1e-16;
    private static final int LENTZ_MAX_TERMS = 1000;

    /*
     * Fast path: Taylor expansion around the nearest grid point x_k = k / 32 on [0, 6):
     *   erf(x_k + t) = erf(x_k) + sum_{n>=1} erf^(n)(x_k) t^n / n!,
     *   erf^(n)(x) = 2/sqrt(pi) (-1)^(n-1) H_(n-1)(x) exp(-x^2)   (H = physicists' Hermite polynomials),
     * with |t| <= 1/64. The ratio of consecutive terms is about 2 x_k |t| / n <= 0.19 / n, so 13 terms
     * leave a truncation below 1e-20 relative to the first term (and the table, 193 x 13 doubles, fits
     * in a level-1 cache). Grid values erf(x_k), erfc(x_k) and
     * the coefficients come from the slow twins at class initialisation: no fitted constants.
     * Beyond 6 the continued fraction needs at most 12 terms and is used directly.
     */
    private static final double SPACING = 1.0 / 32;
    private static final double INV_SPACING = 32;
    private static final double TABLE_MAX = 6.0;
    private static final int POINTS = 193;
    private static final int TERMS = 13;
    private static final double[] ERF_AT = new double[POINTS];
    private static final double[] ERFC_AT = new double[POINTS];
    private static final double[] TAYLOR = new double[POINTS * TERMS];

    static {
        for (int k = 0; k < POINTS; k++) {
            double x = k * SPACING;
            ERF_AT[k] = referenceErf(x);
            ERFC_AT[k] = referenceErfc(x);
            double scale = TWO_OVER_SQRT_PI * expMinusSquare(x);
            double hPrev = 0.0;
            double h = 1.0;
            double factorial = 1.0;
            for (int n = 1; n <= TERMS; n++) {
                factorial *= n;
                double sign = (n - 1) % 2 == 0 ? 1.0 : -1.0;
                TAYLOR[k * TERMS + n - 1] = scale * sign * h / factorial;
                // H_n = 2x H_(n-1) - 2(n-1) H_(n-2)
                double next = 2.0 * x * h - 2.0 * (n - 1) * hPrev;
                hPrev = h;
                h = next;
            }
        }
    }

    private Erf() {
    }

    /** The slow twin of {@link #erf}: series or continued fraction evaluated at x itself. */
    static double referenceErf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        double r = a < SERIES_LIMIT ? series(a) : 1.0 - erfcContinuedFraction(a);
        return x < 0 ? -r : r;
    }

    /**
     * The slow twin of {@link #erfc}: the continued fraction for x >= 1 (where 1 - erf would lose
     * relative accuracy; it converges in at most 189 terms there), {@code 1 - erf} below (erfc > 0.157).
     */
    static double referenceErfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x >= 1.0) {
            return erfcContinuedFraction(x);
        }
        if (x <= -1.0) {
            return 2.0 - erfcContinuedFraction(-x);
        }
        return 1.0 - (x < 0 ? -series(-x) : series(x));
    }

    /** {@code erf(x)}; odd, {@code erf(+-inf) = +-1}, NaN stays NaN. */
    public static double erf(double x) {
        double a = Math.abs(x);
        if (!(a < TABLE_MAX)) {
            if (Double.isNaN(x)) {
                return x;
            }
            double r = 1.0 - erfcContinuedFraction(a);
            return x < 0 ? -r : r;
        }
        int k = (int) (a * INV_SPACING + 0.5);
        double t = a - k * SPACING;
        double r = ERF_AT[k] + taylorTail(k, t);
        return x < 0 ? -r : r;
    }

    /** {@code erfc(x) = 1 - erf(x)}, relatively accurate for positive x (no cancellation). */
    public static double erfc(double x) {
        double a = Math.abs(x);
        double r;
        if (!(a < TABLE_MAX)) {
            if (Double.isNaN(x)) {
                return x;
            }
            r = erfcContinuedFraction(a);
        } else {
            int k = (int) (a * INV_SPACING + 0.5);
            r = ERFC_AT[k] - taylorTail(k, a - k * SPACING);
        }
        return x < 0 ? 2.0 - r : r;
    }

    /** {@code sum_{n=1..TERMS} erf^(n)(x_k) t^n / n!} by Horner's rule. */
    private static double taylorTail(int k, double t) {
        int o = k * TERMS;
        double p = TAYLOR[o + TERMS - 1];
        for (int n = TERMS - 2; n >= 0; n--) {
            p = Math.fma(p, t, TAYLOR[o + n]);
        }
        return p * t;
    }

    private static double series(double a) {
        double x2 = a * a;
        double term = a;
        double sum = a;
        for (int n = 1; ; n++) {
            term *= 2.0 * x2 / (2 * n + 1);
            double next = sum + term;
            if (next == sum) {
                break;
            }
            sum = next;
        }
        return TWO_OVER_SQRT_PI * expMinusSquare(a) * sum;
    }

    /** erfc for a >= 2 by the continued fraction b0 = a, a_n = n / 2, b_n = a (modified Lentz). */
    private static double erfcContinuedFraction(double a) {
        if (a == Double.POSITIVE_INFINITY || a > ERFC_UNDERFLOW) {
            return 0.0;
        }
        double f = a;
        double c = a;
        double d = 0.0;
        for (int n = 1; n <= LENTZ_MAX_TERMS; n++) {
            double an = 0.5 * n;
            d = a + an * d;
            if (d == 0.0) {
                d = LENTZ_TINY;
            }
            c = a + an / c;
            if (c == 0.0) {
                c = LENTZ_TINY;
            }
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < LENTZ_TOLERANCE) {
                break;
            }
        }
        return ONE_OVER_SQRT_PI * expMinusSquare(a) / f;
    }

    /**
     * {@code exp(-a^2)} without the rounding error of {@code a * a}, which exp would turn into a relative
     * error of {@code a^2 * 1e-16} (7e-14 at a = 26): the low part of the square comes from an FMA.
     */
    private static double expMinusSquare(double a) {
        double hi = a * a;
        double lo = Math.fma(a, a, -hi);
        return Math.exp(-hi) * (1.0 - lo);
    }
}
