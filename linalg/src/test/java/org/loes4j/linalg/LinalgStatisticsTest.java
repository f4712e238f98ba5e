package org.loes4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Means, centring, covariance and norms from their definitions, on every CPU backend. */
class LinalgStatisticsTest {
    private static final double REL_TOL = 1e-12;

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void columnMeansAndCentring(String backend) {
        Linalg la = Linalg.using(backend);
        for (int[] shape : new int[][] {{1, 1}, {7, 17}, {65, 3}, {3, 65}}) {
            DMatrix x = DMatrix.random(shape[0], shape[1], new SplittableRandom(shape[0] * 31L + shape[1]));
            double[] mean = la.columnMeans(x);
            for (int j = 0; j < x.cols(); j++) {
                double s = 0;
                for (int i = 0; i < x.rows(); i++) {
                    s += x.get(i, j);
                }
                assertEquals(s / x.rows(), mean[j], REL_TOL);
            }
            DMatrix xc = la.center(x);
            for (double m : la.columnMeans(xc)) {
                assertEquals(0.0, m, 1e-14);
            }
            double[] fm = la.columnMeans(x.toFMatrix());
            for (int j = 0; j < x.cols(); j++) {
                assertEquals(mean[j], fm[j], 1e-6);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void covarianceFromTheDefinition(String backend) {
        Linalg la = Linalg.using(backend);
        DMatrix x = DMatrix.random(40, 6, new SplittableRandom(5));
        DMatrix cov = la.covariance(x, true);
        double[] mean = la.columnMeans(x);
        for (int a = 0; a < 6; a++) {
            for (int b = 0; b < 6; b++) {
                double s = 0;
                for (int i = 0; i < 40; i++) {
                    s += (x.get(i, a) - mean[a]) * (x.get(i, b) - mean[b]);
                }
                assertEquals(s / 39, cov.get(a, b), 1e-13);
                assertEquals(cov.get(a, b), cov.get(b, a));
            }
        }
        DMatrix pop = la.covariance(x, false);
        assertEquals(cov.get(2, 3) * 39 / 40, pop.get(2, 3), 1e-14);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> la.covariance(DMatrix.zeros(1, 3), true));
        assertTrue(e.getMessage().startsWith("x: 1 rows"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void frobeniusInnerProductAndNorm(String backend) {
        Linalg la = Linalg.using(backend);
        DMatrix big = DMatrix.random(20, 30, new SplittableRandom(9));
        DMatrix a = big.view(2, 3, 10, 17);
        DMatrix b = big.view(5, 1, 10, 17);
        double s = 0;
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 17; j++) {
                s += a.get(i, j) * b.get(i, j);
            }
        }
        assertEquals(s, la.dot(a, b), REL_TOL * 170);
        assertEquals(s, la.dot(a.toFMatrix(), b.toFMatrix()), 1e-5 * 170);
        assertEquals(Math.sqrt(la.dot(a, a)), la.frobeniusNorm(a), REL_TOL);
        assertThrows(IllegalArgumentException.class, () -> la.dot(a, big));
    }
}
