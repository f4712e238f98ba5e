package org.loes4j.training.geo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.loes4j.training.GradientCheck.MAX_RELATIVE_ERROR;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.training.GradientCheck;

class GeoRegTest {
    /** The spec's example is given to 5-7 significant digits. */
    private static final double SPEC_DIGITS = 5e-7;
    /** Closed form vs eigenvalue route: both are float64 computations of the same quantity. */
    private static final double ORACLE_RELATIVE_TOLERANCE = 1e-9;

    private static final double[][] SPEC_F = {{0, 0}, {0.2, 0.1}, {2, 0}, {2.1, -0.1}, {0, 2}, {0.1, 2.2}};

    /**
     * The oracle of spec section 4 taken literally: eigenvalues of the jittered unbiased covariance,
     * clamped at 1e-6, and their unbiased variance.
     */
    static double isoLossByEigenvalues(DMatrix f) {
        DMatrix sigma = Linalg.get().covariance(f, true);
        for (int i = 0; i < sigma.rows(); i++) {
            sigma.set(i, i, sigma.get(i, i) + GeoReg.COVARIANCE_JITTER);
        }
        double[] e = Linalg.get().eigenvalues(sigma);
        double mean = 0;
        for (int i = 0; i < e.length; i++) {
            e[i] = Math.max(e[i], 1e-6);
            mean += e[i] / e.length;
        }
        double var = 0;
        for (double v : e) {
            var += (v - mean) * (v - mean);
        }
        return var / (e.length - 1);
    }

    @Test
    void specExample() {
        DMatrix f = DMatrix.of(SPEC_F);
        GeoRegResult r = new GeoReg(0.1).evaluate(f, new int[] {0, 0, 1, 1, 2, 2}, new SplittableRandom(42));
        assertTrue(r.active());
        assertEquals(1.996250, r.triangleArea(), SPEC_DIGITS);
        assertEquals(0.753630, r.isotropyLoss(), SPEC_DIGITS);
        assertEquals(0.0062359, r.value(), 5e-8);
        DMatrix sigma = Linalg.get().covariance(f, true);
        sigma.set(0, 0, sigma.get(0, 0) + 1e-4);
        sigma.set(1, 1, sigma.get(1, 1) + 1e-4);
        double[] eig = Linalg.get().eigenvalues(sigma);
        assertEquals(0.501581, eig[0], SPEC_DIGITS);
        assertEquals(1.729286, eig[1], SPEC_DIGITS);
        assertEquals(isoLossByEigenvalues(f), r.isotropyLoss(), 1e-15);
    }

    @Test
    void zeroBelowThreeClassesOrAtWeightZero() {
        DMatrix f = DMatrix.of(SPEC_F);
        GeoRegResult two = new GeoReg(0.1).evaluate(f, new int[] {0, 0, 1, 1, 1, 1}, new SplittableRandom(1));
        assertEquals(0.0, two.value());
        assertFalse(two.active());
        for (double g : two.gradient().data()) {
            assertEquals(0.0, g);
        }
        GeoRegResult off = new GeoReg(0.0).evaluate(f, new int[] {0, 0, 1, 1, 2, 2}, new SplittableRandom(1));
        assertEquals(0.0, off.value());
    }

    @Test
    void closedFormAgreesWithEigenvaluesOnBothGramSides() {
        SplittableRandom rng = new SplittableRandom(3);
        // {128, 1024}: the paper's batch on the fused width of k = 4 adapters of 256.
        int[][] shapes = {{32, 48}, {40, 10}, {128, 64}, {128, 1024}};
        for (int[] s : shapes) {
            DMatrix f = DMatrix.random(s[0], s[1], rng);
            int[] labels = new int[s[0]];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = i % 5;
            }
            GeoRegResult r = new GeoReg(1.0).evaluate(f, labels, new SplittableRandom(4));
            double oracle = isoLossByEigenvalues(f);
            assertEquals(oracle, r.isotropyLoss(), Math.abs(oracle) * ORACLE_RELATIVE_TOLERANCE,
                    "B=" + s[0] + ", D=" + s[1]);
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(5);
        int[][] shapes = {{9, 6}, {7, 12}};
        for (int[] s : shapes) {
            DMatrix f = DMatrix.random(s[0], s[1], rng);
            int[] labels = new int[s[0]];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = (i * 7) % 4;
            }
            GeoReg geo = new GeoReg(0.1);
            GeoRegResult r = geo.evaluate(f, labels, new SplittableRandom(6));
            double[] numeric = GradientCheck.numerical(f.data(),
                    () -> geo.evaluate(f, labels, new SplittableRandom(6)).value());
            double err = GradientCheck.relativeError(r.gradient().data(), numeric);
            assertTrue(err < MAX_RELATIVE_ERROR, "B=" + s[0] + ", D=" + s[1] + ": relative error " + err);
        }
    }

    @Test
    void tripletsAreDistinctSeededAndCoverTheClasses() {
        DMatrix f = DMatrix.random(20, 4, new SplittableRandom(7));
        int[] labels = new int[20];
        for (int i = 0; i < 20; i++) {
            labels[i] = 2 * (i % 5);
        }
        GeoReg geo = new GeoReg(0.1);
        SplittableRandom a = new SplittableRandom(8);
        SplittableRandom b = new SplittableRandom(8);
        Set<Integer> seen = new HashSet<>();
        for (int t = 0; t < 50; t++) {
            int[] ta = geo.evaluate(f, labels, a).triplet();
            assertArrayEquals(ta, geo.evaluate(f, labels, b).triplet(), "same seed, same triplets");
            assertNotEquals(ta[0], ta[1]);
            assertNotEquals(ta[0], ta[2]);
            assertNotEquals(ta[1], ta[2]);
            for (int c : ta) {
                assertEquals(0, c % 2, "only present classes");
                seen.add(c);
            }
        }
        assertEquals(Set.of(0, 2, 4, 6, 8), seen);
    }

    @Test
    void degenerateTriangleUsesTheFloor() {
        // Three collinear centroids: the area is the floor 1/2 sqrt(1e-6) and its gradient is zero.
        DMatrix f = DMatrix.of(new double[][] {{0, 0}, {1, 1}, {2, 2}, {0, 1}, {1, 2}, {2, 3}});
        GeoRegResult r = new GeoReg(0.1).evaluate(f, new int[] {0, 1, 2, 0, 1, 2}, new SplittableRandom(9));
        assertEquals(0.5 * Math.sqrt(1e-6), r.triangleArea(), 1e-18);
        assertTrue(Double.isFinite(r.value()));
    }
}
