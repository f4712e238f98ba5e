package org.loes4j.selection.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;

/** The sanity values of spec sections 1 and 6, and the eigenvalue oracle of the trace/Frobenius isotropy. */
class MetricsSanityTest {
    /** Values that are exact up to a few roundings. */
    static final double TIGHT = 1e-12;
    /** Trace/Frobenius isotropy against the eigenvalue route. */
    static final double ORACLE = 1e-10;
    /** Scale invariance holds up to the eps in {@code mean / (std + eps)}: relative eps / std ~ 1e-8 here. */
    static final double SCALE_INVARIANCE = 1e-7;

    private final Linalg linalg = Linalg.get();

    /** Rows +-sqrt(d) e_j: centred, S = XcT Xc / N = I. */
    static DMatrix identityCovariance(int d) {
        DMatrix x = DMatrix.zeros(2 * d, d);
        for (int j = 0; j < d; j++) {
            x.set(2 * j, j, Math.sqrt(d));
            x.set(2 * j + 1, j, -Math.sqrt(d));
        }
        return x;
    }

    @Test
    void isotropyOfIdentityIsMeanOverEps() {
        double iso = Isotropy.of(linalg, identityCovariance(6), Isotropy.DEFAULT_EPS);
        assertEquals(1.0 / Isotropy.DEFAULT_EPS, iso, 1e-6 / Isotropy.DEFAULT_EPS);
    }

    @Test
    void isotropyOfRankOneIsOneOverSqrtMMinusOne() {
        int d = 9;
        SplittableRandom rng = new SplittableRandom(3);
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = rng.nextDouble(-1, 1);
        }
        DMatrix x = DMatrix.zeros(40, d);
        for (int i = 0; i < 40; i++) {
            double a = rng.nextDouble(-2, 2);
            for (int j = 0; j < d; j++) {
                x.set(i, j, a * v[j] + 0.5);
            }
        }
        double iso = Isotropy.of(linalg, x, Isotropy.DEFAULT_EPS);
        assertEquals(1 / Math.sqrt(d - 1), iso, 1e-9);
    }

    @Test
    void isotropyIsScaleInvariantAndMatchesEigenvalues() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int[] shape : new int[][] {{50, 7}, {12, 30}, {20, 20}}) {
            DMatrix x = DMatrix.random(shape[0], shape[1], rng);
            for (int j = 0; j < shape[1]; j++) {
                for (int i = 0; i < shape[0]; i++) {
                    x.set(i, j, x.get(i, j) * (1 + j));
                }
            }
            double iso = Isotropy.of(linalg, x, Isotropy.DEFAULT_EPS);
            DMatrix scaled = x.copy();
            for (int i = 0; i < shape[0]; i++) {
                for (int j = 0; j < shape[1]; j++) {
                    scaled.set(i, j, 37.5 * x.get(i, j));
                }
            }
            assertEquals(iso, Isotropy.of(linalg, scaled, Isotropy.DEFAULT_EPS), SCALE_INVARIANCE * iso);
            // Oracle: eigenvalues of the d x d S (the d - N zeros included when d > N).
            DMatrix s = linalg.gramT(linalg.center(x));
            for (int i = 0; i < s.rows(); i++) {
                for (int j = 0; j < s.cols(); j++) {
                    s.set(i, j, s.get(i, j) / shape[0]);
                }
            }
            double viaEigen = Isotropy.ofEigenvalues(linalg.eigenvalues(s), Isotropy.DEFAULT_EPS);
            assertEquals(viaEigen, iso, ORACLE * viaEigen, "shape " + shape[0] + " x " + shape[1]);
        }
    }

    @Test
    void redundancySanityValues() {
        int d = 5;
        DMatrix orth = identityCovariance(d);
        assertEquals(1 / Math.sqrt(d), Redundancy.of(linalg, orth, orth), TIGHT);
        DMatrix a = DMatrix.zeros(4, 2);
        DMatrix b = DMatrix.zeros(4, 2);
        a.set(0, 0, 1);
        a.set(1, 1, 2);
        b.set(2, 0, 3);
        b.set(3, 1, -1);
        assertEquals(0.0, Redundancy.of(linalg, a, b), TIGHT);
        DMatrix r1 = DMatrix.of(new double[][] {{1, 2}, {2, 4}, {-1, -2}});
        assertEquals(1.0, Redundancy.of(linalg, r1, r1), TIGHT);
    }

    @Test
    void exactTriangleOfUnitRightTriangle() {
        DMatrix x = DMatrix.of(new double[][] {{0, 0}, {1, 0}, {0, 1}});
        DMatrix g = TriangleArea.centroidGram(x, new int[] {0, 1, 2}, 3);
        assertEquals(0.5, TriangleArea.area(g, 0, 1, 2), TIGHT);
        assertEquals(0.5 * 6 / 27, TriangleArea.exact(g), TIGHT);
        assertEquals(0.111111, TriangleArea.exact(g), 1e-6);
    }

    @Test
    void sampledTriangleConvergesToExact() {
        SplittableRandom rng = new SplittableRandom(11);
        DMatrix x = DMatrix.random(60, 4, rng);
        int[] classes = new int[60];
        for (int i = 0; i < 60; i++) {
            classes[i] = i % 6;
            for (int j = 0; j < 4; j++) {
                x.set(i, j, x.get(i, j) + 3 * ((i % 6) == j ? 1 : 0));
            }
        }
        DMatrix g = TriangleArea.centroidGram(x, classes, 6);
        double exact = TriangleArea.exact(g);
        double few = Math.abs(TriangleArea.sampled(g, 200, new SplittableRandom(1)) - exact);
        double many = Math.abs(TriangleArea.sampled(g, 400_000, new SplittableRandom(1)) - exact);
        assertTrue(many < 0.01 * exact, "400k draws: |sampled - exact| = " + many + ", exact " + exact);
        assertTrue(many <= few || few < 0.01 * exact, "more draws should not be worse: " + many + " vs " + few);
    }

    @Test
    void triangleIsZeroWithFewerThanThreeClasses() {
        DMatrix x = DMatrix.of(new double[][] {{0, 0}, {1, 3}});
        assertEquals(0.0, TriangleArea.exact(TriangleArea.centroidGram(x, new int[] {0, 1}, 2)));
    }

    @Test
    void matrixEntropySanityValues() {
        int n = 7;
        assertEquals(Math.log(n), MatrixEntropy.of(linalg, DMatrix.identity(n), true), TIGHT);
        DMatrix v = DMatrix.of(new double[][] {{1}, {2}, {0.5}, {3}});
        DMatrix rank1 = linalg.gramN(v);
        assertEquals(0.0, MatrixEntropy.of(linalg, rank1, true), 1e-9);
    }

    @Test
    void curvatureSanityValues() {
        DMatrix line = DMatrix.zeros(6, 3);
        for (int i = 0; i < 6; i++) {
            line.set(i, 0, 2.0 * i);
            line.set(i, 1, -1.0 * i);
            line.set(i, 2, 0.5 * i);
        }
        assertEquals(0.0, Curvature.ofRows(line), 1e-7);
        DMatrix zigzag = DMatrix.of(new double[][] {{0, 0}, {1, 0}, {1, 1}, {2, 1}, {2, 2}, {3, 2}});
        assertEquals(Math.PI / 2, Curvature.ofRows(zigzag), TIGHT);
    }

    @Test
    void effectiveRankOfEqualSingularValuesIsTheirCount() {
        assertEquals(4.0, EffectiveRank.ofSingularValues(new double[] {2, 2, 2, 2, 0}), TIGHT);
        assertEquals(1.0, EffectiveRank.ofSingularValues(new double[] {5, 0, 0}), TIGHT);
    }

    @Test
    void twoNNRecoversTheDimensionOfAFlatCloud() {
        SplittableRandom rng = new SplittableRandom(21);
        DMatrix x = DMatrix.zeros(1500, 6);
        for (int i = 0; i < 1500; i++) {
            double a = rng.nextDouble();
            double b = rng.nextDouble();
            // A 2-D sheet embedded linearly in 6-D.
            x.set(i, 0, a);
            x.set(i, 1, b);
            x.set(i, 2, a + b);
            x.set(i, 3, a - 2 * b);
            x.set(i, 4, 0.5 * a);
            x.set(i, 5, 3.0);
        }
        double id = IntrinsicDimension.twoNN(linalg, x);
        assertTrue(Math.abs(id - 2) < 0.25, "TwoNN of a 2-D sheet: " + id);
    }

    @Test
    void spectrumSummaryReportsTopAndRank() {
        SpectrumSummary s = SpectrumSummary.of(new double[] {0, 1, 3, -1e-17, 4}, 5);
        assertEquals(4.0, s.top()[0], 0);
        assertEquals(8.0, s.total(), TIGHT);
        assertEquals(0.5, s.topFraction(), TIGHT);
        assertEquals(3, s.numericalRank());
    }
}
