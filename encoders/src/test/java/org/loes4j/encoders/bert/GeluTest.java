package org.loes4j.encoders.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GeluTest {
    /** Absolute error allowed for the float32 rational erf against the exact value. */
    private static final double ERF_ABS_TOL = 1e-6;

    /**
     * erf in double: its Maclaurin series for |x| < 3 (largest term ~1e3, so cancellation costs ~1e-13),
     * else 1 - erfc(x) with erfc's asymptotic series (five terms; erfc(3) ~ 2e-5, so its truncation error
     * is ~1e-9).
     */
    private static double erfReference(double x) {
        double ax = Math.abs(x);
        if (ax >= 3) {
            double inv2 = 1 / (2 * ax * ax);
            double series = 1 - inv2 + 3 * inv2 * inv2 - 15 * inv2 * inv2 * inv2 + 105 * inv2 * inv2 * inv2 * inv2;
            double erfc = Math.exp(-ax * ax) / (ax * Math.sqrt(Math.PI)) * series;
            return Math.signum(x) * (1 - erfc);
        }
        double sum = 0;
        double term = x;
        for (int n = 0; n < 200; n++) {
            double t = term / (2 * n + 1);
            sum += t;
            if (Math.abs(t) < 1e-17 * Math.abs(sum)) {
                break;
            }
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    @Test
    void erfMatchesTheSeriesOnAGridAndAtRandomPoints() {
        double worst = 0;
        for (double x = -6; x <= 6; x += 1e-3) {
            worst = Math.max(worst, Math.abs(Gelu.erf((float) x) - erfReference((float) x)));
        }
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 10_000; i++) {
            float x = (float) rng.nextDouble(-8, 8);
            worst = Math.max(worst, Math.abs(Gelu.erf(x) - erfReference(x)));
        }
        assertTrue(worst < ERF_ABS_TOL, "max |erf error| " + worst);
    }

    @Test
    void erfIsOddAndSaturates() {
        for (float x : new float[] {0f, 0.1f, 1f, 2.5f, 3.9f}) {
            assertEquals(-Gelu.erf(x), Gelu.erf(-x), 0f);
        }
        assertEquals(0f, Gelu.erf(0f), 0f);
        assertEquals(1f, Gelu.erf(10f), 1e-6f);
        assertEquals(-1f, Gelu.erf(-1e30f), 1e-6f);
    }

    @Test
    void inPlaceGeluEqualsTheDefinitionElementwise() {
        SplittableRandom rng = new SplittableRandom(11);
        float[] a = new float[1037];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextDouble(-10, 10);
        }
        float[] b = a.clone();
        Gelu.applyInPlace(b, 3, 1030);
        for (int i = 0; i < a.length; i++) {
            double expected = i < 3 || i >= 1030 ? a[i] : 0.5 * a[i] * (1 + erfReference(a[i] / Math.sqrt(2)));
            assertEquals(expected, b[i], 1e-5 * Math.max(1, Math.abs(expected)), "element " + i);
        }
    }
}
