package org.loes4j.nativebindings.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.loes4j.linalg.BackendSelfCheck;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.NotPositiveDefiniteException;
import org.loes4j.linalg.Transpose;
import org.loes4j.linalg.decomp.SymmetricEigen;
import org.loes4j.nativebindings.testing.Checks;

/**
 * Every operation the LibTorch backend offers, run through {@code Linalg.using("torch")} and compared with
 * {@code Linalg.using("vector")} on the same inputs: awkward sizes (0, 1, 7, 17, 64, 65, non-square),
 * every transpose combination, strided views, both precisions. LibTorch CPU is reachable in CI (the jar is
 * a runtime dependency of this module), so its availability is asserted, not assumed.
 */
class TorchVersusVectorTest {
    /** Cholesky factors, elementwise, relative to the largest entry (float64 / float32). */
    private static final double CHOL_TOL64 = 1e-12;
    private static final double CHOL_TOL32 = 2e-4;
    /** Triangular-solve residual {@code ||op(L) X - B|| / (||L|| ||X||)}. */
    private static final double SOLVE_TOL64 = 1e-13;
    private static final double SOLVE_TOL32 = 1e-5;
    /** Eigen residual {@code ||A v - lambda v|| / ||A||_F}, orthogonality, and eigenvalue agreement / ||A||_F. */
    private static final double EIGEN_TOL64 = 1e-12;
    private static final double EIGEN_TOL32 = 1e-5;

    private static Linalg torch;
    private static Linalg vector;

    @BeforeAll
    static void backends() {
        TorchBackend b = new TorchBackend();
        assertTrue(b.availability().available(), "LibTorch must load in CI: " + b.availability().reason());
        torch = Linalg.using("torch");
        vector = Linalg.using("vector");
        assertEquals("torch", torch.backends().chosen().name());
        assertEquals("vector", vector.backends().chosen().name());
    }

    static Stream<Arguments> gemmShapes() {
        int[][] shapes = {{1, 1, 1}, {7, 17, 1}, {17, 7, 65}, {64, 64, 64}, {65, 63, 17}, {3, 130, 7}, {5, 4, 0},
                {1000, 65, 130}};
        List<Arguments> out = new ArrayList<>();
        for (int[] s : shapes) {
            for (Transpose ta : Transpose.values()) {
                for (Transpose tb : Transpose.values()) {
                    out.add(Arguments.of(s[0], s[1], s[2], ta, tb));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("gemmShapes")
    void gemmMatchesVector(int m, int n, int k, Transpose ta, Transpose tb) {
        SplittableRandom rng = new SplittableRandom(1000L * m + 10L * n + k);
        DMatrix a = ta == Transpose.NO ? Checks.stridedD(m, k, rng) : Checks.stridedD(k, m, rng);
        DMatrix b = tb == Transpose.NO ? Checks.stridedD(k, n, rng) : Checks.stridedD(n, k, rng);
        DMatrix c0 = Checks.stridedD(m, n, rng);
        double alpha = 0.75;
        double beta = -1.25;
        DMatrix ct = c0.copy();
        DMatrix cv = c0.copy();
        torch.gemm(ta, tb, alpha, a, b, beta, ct);
        vector.gemm(ta, tb, alpha, a, b, beta, cv);
        double[][] mag = Checks.magnitude(ta, tb, alpha, a.toArray(), b.toArray(), beta, c0.toArray());
        Checks.assertClose("dgemm " + ta + tb, ct.toArray(), cv.toArray(), mag, k, Checks.DOUBLE_UNIT);

        FMatrix af = a.toFMatrix();
        FMatrix bf = b.toFMatrix();
        FMatrix cf0 = c0.toFMatrix();
        FMatrix cft = cf0.copy();
        FMatrix cfv = cf0.copy();
        torch.gemm(ta, tb, (float) alpha, af, bf, (float) beta, cft);
        vector.gemm(ta, tb, (float) alpha, af, bf, (float) beta, cfv);
        double[][] magf = Checks.magnitude(ta, tb, alpha, Checks.widen(af.toArray()), Checks.widen(bf.toArray()),
                beta, Checks.widen(cf0.toArray()));
        Checks.assertClose("sgemm " + ta + tb, Checks.widen(cft.toArray()), Checks.widen(cfv.toArray()), magf, k,
                Checks.FLOAT_UNIT);
    }

    /** The start-up check that guards a native backend passes on LibTorch CPU: all five checks, none skipped. */
    @Test
    void theStartUpSelfCheckPasses() {
        BackendSelfCheck check = torch.backends().selfCheck();
        assertEquals(BackendSelfCheck.Status.PASSED, check.status(), check.summary());
        assertEquals(5, check.checks(), check.summary());
        assertTrue(check.maxRelativeError() <= check.tolerance(), check.summary());
        assertTrue(torch.backends().chosenDetails().get("selfCheck").startsWith("passed: 5 of 5 checks"),
                torch.backends().chosenDetails().toString());
        assertTrue(new TorchBackend().runsNativeCode());
        assertEquals(BackendSelfCheck.Status.NOT_RUN, vector.backends().selfCheck().status(),
                "choosing vector must not check (nor load) LibTorch");
    }

    @Test
    void gemmWithBetaZeroIgnoresNaNInC() {
        SplittableRandom rng = new SplittableRandom(7);
        DMatrix a = DMatrix.random(9, 5, rng);
        DMatrix b = DMatrix.random(5, 11, rng);
        DMatrix c = DMatrix.zeros(9, 11);
        c.fill(Double.NaN);
        torch.gemm(Transpose.NO, Transpose.NO, 1.0, a, b, 0.0, c);
        DMatrix want = vector.multiply(a, b);
        double[][] mag = Checks.magnitude(Transpose.NO, Transpose.NO, 1, a.toArray(), b.toArray(), 0, c.toArray());
        Checks.assertClose("beta 0", c.toArray(), want.toArray(), mag, 5, Checks.DOUBLE_UNIT);

        FMatrix cf = FMatrix.zeros(9, 11);
        cf.fill(Float.NaN);
        torch.gemm(Transpose.NO, Transpose.NO, 1.0f, a.toFMatrix(), b.toFMatrix(), 0.0f, cf);
        for (float[] row : cf.toArray()) {
            for (float x : row) {
                assertTrue(Float.isFinite(x), "float32 beta 0 let NaN through");
            }
        }
    }

    @Test
    void concurrentCallsFromManyThreadsGiveTheSingleThreadedResults() throws Exception {
        SplittableRandom rng = new SplittableRandom(77);
        int tasks = 8;
        DMatrix[] as = new DMatrix[tasks];
        DMatrix[] want = new DMatrix[tasks];
        for (int t = 0; t < tasks; t++) {
            as[t] = DMatrix.random(40 + t, 33, rng);
            want[t] = torch.gramT(as[t]);
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<DMatrix>> got = new ArrayList<>();
            for (int rep = 0; rep < 5; rep++) {
                for (int t = 0; t < tasks; t++) {
                    DMatrix a = as[t];
                    got.add(pool.submit(() -> torch.gramT(a)));
                }
            }
            for (int i = 0; i < got.size(); i++) {
                assertEquals(java.util.Arrays.deepToString(want[i % tasks].toArray()),
                        java.util.Arrays.deepToString(got.get(i).get().toArray()), "task " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 17, 64, 65, 130})
    void gramMatchesVectorAndIsSymmetric(int n) {
        SplittableRandom rng = new SplittableRandom(300 + n);
        for (Transpose trans : Transpose.values()) {
            int rows = trans == Transpose.YES ? 2 * n + 3 : n;
            int cols = trans == Transpose.YES ? n : 2 * n + 3;
            DMatrix a = Checks.stridedD(rows, cols, rng);
            DMatrix c0 = Checks.spd(n, rng);
            DMatrix ct = c0.copy();
            DMatrix cv = c0.copy();
            torch.syrk(trans, 1.5, a, 0.5, ct);
            vector.syrk(trans, 1.5, a, 0.5, cv);
            Transpose first = trans;
            Transpose second = trans == Transpose.YES ? Transpose.NO : Transpose.YES;
            int k = trans == Transpose.YES ? rows : cols;
            double[][] mag = Checks.magnitude(first, second, 1.5, a.toArray(), a.toArray(), 0.5, c0.toArray());
            Checks.assertClose("dsyrk " + trans, ct.toArray(), cv.toArray(), mag, k, Checks.DOUBLE_UNIT);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    assertEquals(ct.get(i, j), ct.get(j, i), "dsyrk not symmetric at " + i + "," + j);
                }
            }

            FMatrix af = a.toFMatrix();
            FMatrix cft = FMatrix.zeros(n, n);
            FMatrix cfv = FMatrix.zeros(n, n);
            cft.fill(Float.NaN);
            torch.syrk(trans, 1.0f, af, 0.0f, cft);
            vector.syrk(trans, 1.0f, af, 0.0f, cfv);
            double[][] magf = Checks.magnitude(first, second, 1, Checks.widen(af.toArray()), Checks.widen(af.toArray()),
                    0, new double[n][n]);
            Checks.assertClose("ssyrk " + trans, Checks.widen(cft.toArray()), Checks.widen(cfv.toArray()), magf, k,
                    Checks.FLOAT_UNIT);
        }
    }

    private static double maxAbs(DMatrix a) {
        double m = 0;
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                m = Math.max(m, Math.abs(a.get(i, j)));
            }
        }
        return m == 0 ? 1 : m;
    }

    private static double maxDiff(DMatrix a, DMatrix b) {
        double m = 0;
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                m = Math.max(m, Math.abs(a.get(i, j) - b.get(i, j)));
            }
        }
        return m;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 17, 64, 65, 130})
    void choleskyMatchesVectorAndReadsOnlyTheLowerTriangle(int n) {
        DMatrix a = Checks.spd(n, new SplittableRandom(40 + n));
        DMatrix garbage = a.copy();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                garbage.set(i, j, 1e6 * (i - j));
            }
        }
        DMatrix lt = garbage.copy();
        torch.choleskyInPlace(lt);
        DMatrix lv = a.copy();
        vector.choleskyInPlace(lv);
        assertTrue(maxDiff(lt, lv) <= CHOL_TOL64 * maxAbs(lv), "dpotrf n=" + n + ": " + maxDiff(lt, lv));
        assertTrue(Checks.reconstructionError(lt, a) <= CHOL_TOL64, "L LT != A for n=" + n);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                assertEquals(0.0, lt.get(i, j), "strict upper triangle must be zero");
            }
        }

        FMatrix ft = garbage.toFMatrix();
        torch.choleskyInPlace(ft);
        FMatrix fv = a.toFMatrix();
        vector.choleskyInPlace(fv);
        DMatrix ftd = ft.toDMatrix();
        DMatrix fvd = fv.toDMatrix();
        assertTrue(maxDiff(ftd, fvd) <= CHOL_TOL32 * maxAbs(fvd), "spotrf n=" + n + ": " + maxDiff(ftd, fvd));
    }

    @Test
    void choleskyReportsTheSameFailingPivotAsVector() {
        DMatrix a = Checks.spd(9, new SplittableRandom(5));
        a.set(4, 4, -3.0);
        NotPositiveDefiniteException et = assertThrows(NotPositiveDefiniteException.class,
                () -> torch.choleskyInPlace(a.copy()));
        NotPositiveDefiniteException ev = assertThrows(NotPositiveDefiniteException.class,
                () -> vector.choleskyInPlace(a.copy()));
        assertEquals(ev.pivot(), et.pivot());
        assertEquals(ev.value(), et.value(), 1e-9 * Math.abs(ev.value()));
        NotPositiveDefiniteException ef = assertThrows(NotPositiveDefiniteException.class,
                () -> torch.choleskyInPlace(a.toFMatrix()));
        assertEquals(4, ef.pivot());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 17, 65})
    void triangularSolvesMatchVector(int n) {
        SplittableRandom rng = new SplittableRandom(90 + n);
        DMatrix l = Checks.spd(n, rng);
        vector.choleskyInPlace(l);
        DMatrix garbage = l.copy();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                garbage.set(i, j, 7.0);
            }
        }
        for (Transpose trans : Transpose.values()) {
            for (int m : new int[] {1, 3, 64}) {
                DMatrix b = Checks.stridedD(n, m, rng);
                DMatrix xt = b.copy();
                DMatrix xv = b.copy();
                torch.solveTriangular(trans, garbage, xt);
                vector.solveTriangular(trans, l, xv);
                double res = solveResidual(l, trans, xt, b);
                assertTrue(res <= SOLVE_TOL64, "dtrsm residual " + res + " n=" + n + " m=" + m + " " + trans);
                assertTrue(maxDiff(xt, xv) <= 1e-10 * maxAbs(xv), "dtrsm vs vector n=" + n + " " + trans);

                FMatrix xf = b.toFMatrix();
                torch.solveTriangular(trans, garbage.toFMatrix(), xf);
                double resf = solveResidual(l, trans, xf.toDMatrix(), b);
                assertTrue(resf <= SOLVE_TOL32, "strsm residual " + resf + " n=" + n + " " + trans);
            }
        }
    }

    private static double solveResidual(DMatrix l, Transpose trans, DMatrix x, DMatrix b) {
        int n = l.rows();
        double err = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < b.cols(); c++) {
                double s = -b.get(i, c);
                for (int k = 0; k < n; k++) {
                    double lik = trans == Transpose.NO ? (k <= i ? l.get(i, k) : 0) : (i <= k ? l.get(k, i) : 0);
                    s += lik * x.get(k, c);
                }
                err += s * s;
            }
        }
        double scale = Checks.frobenius(l) * Checks.frobenius(x);
        return Math.sqrt(err) / (scale == 0 ? 1 : scale);
    }

    static Stream<Arguments> spectra() {
        return Stream.of(
                Arguments.of("random indefinite", randomSpectrum(17, new SplittableRandom(3))),
                Arguments.of("+-lambda pairs", new double[] {2, -2, 1, -1, 0.5, -0.5, 3}),
                Arguments.of("repeated", new double[] {1, 1, 1, -4, -4, 2, 2, 2, 2}),
                Arguments.of("negative definite", new double[] {-1, -2, -3, -4, -5}),
                Arguments.of("single", new double[] {-2.5}),
                Arguments.of("zero", new double[] {0, 0, 0}),
                Arguments.of("wide range", new double[] {1e6, -1e-6, 3, 1e-12, -7e5}),
                Arguments.of("65", randomSpectrum(65, new SplittableRandom(65))));
    }

    private static double[] randomSpectrum(int n, SplittableRandom rng) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = rng.nextDouble(-5, 5);
        }
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spectra")
    void eigenMatchesVectorOnSymmetricInput(String name, double[] spectrum) {
        int n = spectrum.length;
        DMatrix a = Checks.withSpectrum(spectrum, new SplittableRandom(n * 31L));
        DMatrix lowerOnly = a.copy();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                lowerOnly.set(i, j, Double.NaN);
            }
        }
        SymmetricEigen et = torch.eigen(lowerOnly, true);
        SymmetricEigen ev = vector.eigen(a, true);
        double norm = Math.max(Checks.frobenius(a), Double.MIN_NORMAL);
        for (int i = 0; i < n; i++) {
            assertTrue(Math.abs(et.values()[i] - ev.values()[i]) <= EIGEN_TOL64 * norm,
                    name + ": eigenvalue " + i + " torch " + et.values()[i] + " vector " + ev.values()[i]);
            if (i > 0) {
                assertTrue(et.values()[i - 1] <= et.values()[i], name + ": eigenvalues not ascending");
            }
        }
        assertTrue(Checks.eigenResidual(a, et.values(), et.vectors()) <= EIGEN_TOL64, name + ": residual");
        assertTrue(Checks.orthogonalityError(et.vectors()) <= EIGEN_TOL64 * Math.max(1, n), name + ": orthogonality");
        double[] valuesOnly = torch.eigenvalues(lowerOnly);
        for (int i = 0; i < n; i++) {
            assertTrue(Math.abs(valuesOnly[i] - ev.values()[i]) <= EIGEN_TOL64 * norm, name + ": svdvals path " + i);
        }

        FMatrix af = a.toFMatrix();
        FMatrix vf = FMatrix.zeros(n, n);
        float[] wf = torch.eigen(af, vf);
        double[] wfd = new double[n];
        for (int i = 0; i < n; i++) {
            wfd[i] = wf[i];
            assertTrue(Math.abs(wf[i] - ev.values()[i]) <= EIGEN_TOL32 * norm, name + ": float32 eigenvalue " + i);
        }
        assertTrue(Checks.eigenResidual(af.toDMatrix(), wfd, vf.toDMatrix()) <= EIGEN_TOL32, name + ": float32 residual");
    }
}
