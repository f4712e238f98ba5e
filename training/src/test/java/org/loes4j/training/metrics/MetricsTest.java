package org.loes4j.training.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final double TABLE_DIGITS = 5e-5;

    @Test
    void classificationByDefinition() {
        int[] truth = {0, 0, 1, 1, 2, 2};
        int[] pred = {0, 1, 1, 1, 2, 0};
        ClassificationMetrics m = ClassificationMetrics.of(truth, pred, 3);
        assertEquals(4.0 / 6, m.accuracy(), 1e-15);
        // F1: class 0 tp1 fp1 fn1 -> 0.5; class 1 tp2 fp1 fn0 -> 0.8; class 2 tp1 fp0 fn1 -> 2/3
        assertEquals((0.5 + 0.8 + 2.0 / 3) / 3, m.macroF1(), 1e-15);
        assertArrayEquals(new long[] {1, 1, 0}, m.confusion()[0]);
        assertArrayEquals(new long[] {0, 2, 0}, m.confusion()[1]);
        assertArrayEquals(new long[] {1, 0, 1}, m.confusion()[2]);
        // A class absent from truth and predictions does not count in the macro average.
        assertEquals(1.0, ClassificationMetrics.of(new int[] {0, 1}, new int[] {0, 1}, 5).macroF1(), 0.0);
    }

    @Test
    void regressionByDefinition() {
        RegressionMetrics m = RegressionMetrics.of(new double[] {1, 2, 3, 4}, new double[] {1, 3, 3, 2});
        assertEquals(Math.sqrt(5.0 / 4), m.rmse(), 1e-15);
        assertEquals(3.0 / 4, m.mae(), 1e-15);
        assertEquals(1 - 5.0 / 5.0, m.r2(), 1e-15);
        assertEquals(1.0, RegressionMetrics.of(new double[] {1, 2}, new double[] {1, 2}).r2(), 0.0);
    }

    /** Two-sided critical values of Student's t at p = 0.05 and 0.01 (standard tables). */
    @Test
    void tDistributionTailsMatchTables() {
        assertEquals(0.5, PairedTTest.twoSidedP(1.0, 1), 1e-15, "Cauchy: P(|T| >= 1) = 1/2");
        assertEquals(0.05, PairedTTest.twoSidedP(12.706, 1), TABLE_DIGITS);
        assertEquals(0.05, PairedTTest.twoSidedP(4.303, 2), TABLE_DIGITS);
        assertEquals(0.05, PairedTTest.twoSidedP(2.776, 4), TABLE_DIGITS);
        assertEquals(0.01, PairedTTest.twoSidedP(4.604, 4), TABLE_DIGITS);
        assertEquals(0.05, PairedTTest.twoSidedP(2.571, 5), TABLE_DIGITS);
        assertEquals(0.05, PairedTTest.twoSidedP(2.228, 10), TABLE_DIGITS);
        assertEquals(1.0, PairedTTest.twoSidedP(0.0, 3), 1e-15);
        // df = 2 has the closed form p = 1 - t / sqrt(2 + t^2).
        assertEquals(1 - 1.5 / Math.sqrt(2 + 2.25), PairedTTest.twoSidedP(1.5, 2), 1e-15);
    }

    @Test
    void pairedTestStatistic() {
        double[] a = {0.9, 0.8, 0.85, 0.95, 0.9};
        double[] b = {0.5, 0.55, 0.5, 0.6, 0.45};
        PairedTTest t = PairedTTest.of(a, b);
        double[] d = {0.4, 0.25, 0.35, 0.35, 0.45};
        double mean = 0.36;
        double ss = 0;
        for (double x : d) {
            ss += (x - mean) * (x - mean);
        }
        assertEquals(mean / (Math.sqrt(ss / 4) / Math.sqrt(5)), t.t(), 1e-12);
        assertEquals(4, t.df());
        assertTrue(t.pValue() < 1e-3, "p " + t.pValue());
        assertEquals(1.0, PairedTTest.of(a, a).pValue(), 0.0);
    }
}
