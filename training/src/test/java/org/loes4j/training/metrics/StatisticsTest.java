package org.loes4j.training.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** ANOVA, intervals and the distributions under them, against closed forms and table values. */
class StatisticsTest {
    private static final double TOL = 1e-10;

    @Test
    void anovaMatchesTheClosedFormForTwoNumeratorDegreesOfFreedom() {
        OneWayAnova a = OneWayAnova.of(new double[] {1, 2, 3}, new double[] {4, 5, 6}, new double[] {7, 8, 9});
        assertEquals(27.0, a.f(), TOL);
        assertEquals(2, a.dfBetween());
        assertEquals(6, a.dfWithin());
        // For d1 = 2: P(F >= f) = (1 + 2 f / d2)^(-d2 / 2) = 10^-3 exactly here.
        assertEquals(1e-3, a.pValue(), 1e-13);
        assertEquals(54.0 / 60.0, a.etaSquared(), TOL);
    }

    @Test
    void withTwoGroupsFIsTheSquareOfTheUnpairedT() {
        double[] x = {0.61, 0.58, 0.66, 0.63, 0.60};
        double[] y = {0.55, 0.57, 0.52, 0.59, 0.54};
        OneWayAnova a = OneWayAnova.of(x, y);
        double mx = 0.616;
        double my = 0.554;
        double ss = 0;
        for (double v : x) {
            ss += (v - mx) * (v - mx);
        }
        for (double v : y) {
            ss += (v - my) * (v - my);
        }
        double t = (mx - my) / Math.sqrt(ss / 8 * (1.0 / 5 + 1.0 / 5));
        assertEquals(t * t, a.f(), 1e-9);
        assertEquals(PairedTTest.twoSidedP(t, 8), a.pValue(), 1e-12, "independent series for integer df");
    }

    @Test
    void tailsAndQuantilesAgreeWithTables() {
        assertEquals(2.776445105, Distributions.tCritical(0.05, 4), 1e-8);
        assertEquals(12.70620474, Distributions.tCritical(0.05, 1), 1e-7);
        assertEquals(1.959963985, Distributions.tCritical(0.05, 1e7), 1e-6);
        for (int df = 1; df <= 9; df++) {
            for (double t : new double[] {0.1, 1.0, 2.5, 7.0}) {
                assertEquals(PairedTTest.twoSidedP(t, df), Distributions.tTwoSided(t, df), 1e-12, "df " + df + ", t " + t);
            }
        }
        assertEquals(0.5, Distributions.regularizedBeta(0.5, 3, 3), TOL);
        assertEquals(Math.log(24), Distributions.lnGamma(5), 1e-12);
        assertEquals(0.5 * Math.log(Math.PI), Distributions.lnGamma(0.5), 1e-12);
    }

    @Test
    void intervalsAndEffectSizes() {
        MeanInterval m = MeanInterval.of95(new double[] {1, 2, 3, 4, 5});
        assertEquals(3, m.mean(), TOL);
        double half = 2.776445105 * Math.sqrt(2.5) / Math.sqrt(5);
        assertEquals(3 - half, m.lower(), 1e-8);
        assertEquals(3 + half, m.upper(), 1e-8);
        assertTrue(Double.isNaN(MeanInterval.of95(new double[] {1}).lower()));
        // Differences {1, 0, 1, 0}: mean 0.5, sample sd sqrt(1/3).
        assertEquals(0.5 * Math.sqrt(3),
                MeanInterval.pairedEffectSize(new double[] {1, 2, 3, 4}, new double[] {0, 2, 2, 4}), 1e-12);
    }
}
