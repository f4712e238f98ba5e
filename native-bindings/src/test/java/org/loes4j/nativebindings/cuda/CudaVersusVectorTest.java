package org.loes4j.nativebindings.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.loes4j.linalg.BackendSelfCheck;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.NotPositiveDefiniteException;
import org.loes4j.linalg.Transpose;
import org.loes4j.linalg.decomp.SymmetricEigen;
import org.loes4j.linalg.spi.Availability;
import org.loes4j.nativebindings.testing.Checks;

/**
 * Every CUDA kernel against the Vector API backend, on a real device. Skipped, with the backend's own
 * reason, where there is none: the one kind of skip this project allows.
 */
class CudaVersusVectorTest {
    private static final double CHOL_TOL64 = 1e-12;
    private static final double EIGEN_TOL64 = 1e-12;
    private static final double EIGEN_TOL32 = 1e-4;

    private static Linalg cuda;
    private static Linalg vector;

    /** Per test (not once per class) so that each skip is reported with the reason. */
    @BeforeEach
    void device() {
        Availability a = new CudaBackend().availability();
        Assumptions.assumeTrue(a.available(), "no usable CUDA device: " + a.reason());
        if (cuda == null) {
            cuda = Linalg.using("cuda");
            vector = Linalg.using("vector");
        }
    }

    /** On a real device the start-up check passes, so {@code auto} keeps choosing CUDA (priority 200). */
    @Test
    void theStartUpSelfCheckPassesAndAutoChoosesCuda() {
        BackendSelfCheck check = cuda.backends().selfCheck();
        assertEquals(BackendSelfCheck.Status.PASSED, check.status(), check.summary());
        assertTrue(check.checks() >= 4, check.summary());
        assertEquals("cuda", Linalg.using("auto").backends().chosen().name());
    }

    @Test
    void gemmInEveryTransposeAndPrecision() {
        int[][] shapes = {{1, 1, 1}, {7, 17, 1}, {17, 7, 65}, {65, 63, 17}, {5, 4, 0}};
        for (int[] s : shapes) {
            for (Transpose ta : Transpose.values()) {
                for (Transpose tb : Transpose.values()) {
                    SplittableRandom rng = new SplittableRandom(s[0] * 100L + s[1] * 10L + s[2]);
                    int m = s[0];
                    int n = s[1];
                    int k = s[2];
                    DMatrix a = ta == Transpose.NO ? Checks.stridedD(m, k, rng) : Checks.stridedD(k, m, rng);
                    DMatrix b = tb == Transpose.NO ? Checks.stridedD(k, n, rng) : Checks.stridedD(n, k, rng);
                    DMatrix c0 = Checks.stridedD(m, n, rng);
                    DMatrix cg = c0.copy();
                    DMatrix cv = c0.copy();
                    cuda.gemm(ta, tb, 0.5, a, b, 2.0, cg);
                    vector.gemm(ta, tb, 0.5, a, b, 2.0, cv);
                    Checks.assertClose("dgemm", cg.toArray(), cv.toArray(),
                            Checks.magnitude(ta, tb, 0.5, a.toArray(), b.toArray(), 2.0, c0.toArray()), k, Checks.DOUBLE_UNIT);
                    FMatrix cf = FMatrix.zeros(m, n);
                    FMatrix cfv = FMatrix.zeros(m, n);
                    cuda.gemm(ta, tb, 1f, a.toFMatrix(), b.toFMatrix(), 0f, cf);
                    vector.gemm(ta, tb, 1f, a.toFMatrix(), b.toFMatrix(), 0f, cfv);
                    Checks.assertClose("sgemm", Checks.widen(cf.toArray()), Checks.widen(cfv.toArray()),
                            Checks.magnitude(ta, tb, 1, a.toArray(), b.toArray(), 0, new double[m][n]), k, Checks.FLOAT_UNIT * 4);
                }
            }
        }
    }

    @Test
    void gramBothWays() {
        SplittableRandom rng = new SplittableRandom(3);
        for (Transpose t : Transpose.values()) {
            DMatrix a = Checks.stridedD(33, 17, rng);
            int n = t == Transpose.YES ? 17 : 33;
            int k = t == Transpose.YES ? 33 : 17;
            DMatrix cg = DMatrix.zeros(n, n);
            DMatrix cv = DMatrix.zeros(n, n);
            cuda.syrk(t, 1.0, a, 0.0, cg);
            vector.syrk(t, 1.0, a, 0.0, cv);
            Transpose other = t == Transpose.YES ? Transpose.NO : Transpose.YES;
            Checks.assertClose("dsyrk", cg.toArray(), cv.toArray(),
                    Checks.magnitude(t, other, 1, a.toArray(), a.toArray(), 0, new double[n][n]), k, Checks.DOUBLE_UNIT);
        }
    }

    @Test
    void choleskySolvesAndEigen() {
        for (int n : new int[] {1, 7, 65, 130}) {
            DMatrix a = Checks.spd(n, new SplittableRandom(n));
            DMatrix l = a.copy();
            cuda.choleskyInPlace(l);
            assertTrue(Checks.reconstructionError(l, a) <= CHOL_TOL64, "L LT = A, n=" + n);
            DMatrix b = DMatrix.random(n, 3, new SplittableRandom(n + 1));
            for (Transpose t : Transpose.values()) {
                DMatrix xg = b.copy();
                DMatrix xv = b.copy();
                cuda.solveTriangular(t, l, xg);
                vector.solveTriangular(t, l, xv);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < 3; j++) {
                        assertEquals(xv.get(i, j), xg.get(i, j), 1e-9 * (1 + Math.abs(xv.get(i, j))));
                    }
                }
            }
            SymmetricEigen e = cuda.eigen(a, true);
            assertTrue(Checks.eigenResidual(a, e.values(), e.vectors()) <= EIGEN_TOL64, "eigen residual n=" + n);
            float[] wf = cuda.eigenvalues(a.toFMatrix());
            double[] wv = vector.eigenvalues(a);
            for (int i = 0; i < n; i++) {
                assertEquals(wv[i], wf[i], EIGEN_TOL32 * Checks.frobenius(a));
            }
        }
        DMatrix bad = Checks.spd(6, new SplittableRandom(9));
        bad.set(2, 2, -1);
        assertEquals(2, assertThrows(NotPositiveDefiniteException.class, () -> cuda.choleskyInPlace(bad.copy())).pivot());
    }
}
