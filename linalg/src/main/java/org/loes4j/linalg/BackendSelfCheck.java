package org.loes4j.linalg;

import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

import org.loes4j.linalg.scalar.ScalarBackend;
import org.loes4j.linalg.spi.Backend;
import org.loes4j.linalg.spi.CholeskyKernel;
import org.loes4j.linalg.spi.GemmKernel;

/**
 * The start-up self-check of a backend that runs native code ({@link Backend#runsNativeCode()}): a few tiny
 * products and a factorisation on that backend's own kernels, compared with the scalar reference on the same
 * seeded inputs. A native library that is miscompiled, mismatched with its headers, bound with a wrong
 * layout or given a device in a bad state can return plausible numbers that are wrong; this check is the
 * difference between a run that falls back to the CPU path and one whose every result is silently corrupt.
 *
 * <p>The checks, in order (the first that disagrees or throws ends the check):
 * <ol>
 *   <li>{@code dgemm(N,N)}: {@code C = A B}, A 37 x 29, B 29 x 41, float64, beta 0 over a C filled with NaN
 *       (beta 0 must not read C);</li>
 *   <li>{@code sgemm(N,N)}: the same in float32;</li>
 *   <li>{@code dgemm(T,T)}: {@code C = 0.75 AT BT - 1.25 C}, A stored 29 x 37, B stored 41 x 29, C 37 x 41
 *       random;</li>
 *   <li>{@code sgemm(T,T)}: the same in float32;</li>
 *   <li>{@code dpotrf}: {@code L LT = S} for the SPD {@code S = G GT / 33 + I}, G 33 x 33, float64; L's strict
 *       upper triangle must come back zero.</li>
 * </ol>
 * Odd sizes so that no check lands on a block or vector-width boundary a backend handles specially; inputs
 * uniform in [-1, 1) from {@link #SEED}. A kernel type the backend does not offer is skipped (it comes from
 * the pure-Java chain anyway).
 *
 * <p>Error of a check: {@code max |X - R| / max |R|} over all entries, X the backend's result and R the
 * reference's (infinite when X has a non-finite entry, which fails). Tolerances are relative and
 * precision-aware; see the constants.
 *
 * <p>Cost: about 200 k multiply-adds on each side, about 1 ms once warm. At start-up the wall time is
 * dominated by the native library's first-call initialisation, which the first real operation would pay
 * otherwise, and by the interpreter running the reference loops (LibTorch CPU is measured in the
 * native-bindings README). It runs only for a backend that {@linkplain Backend#runsNativeCode() runs native
 * code}, once per {@link Backends}.
 *
 * @param status           passed, failed or not run
 * @param checks           how many checks ran (up to 5)
 * @param check            the check that failed; when passed, the one closest to its tolerance; null when not
 *                         run
 * @param maxRelativeError that check's error (NaN when it threw or nothing ran; infinite for a non-finite
 *                         result)
 * @param tolerance        that check's tolerance (NaN when nothing ran)
 * @param reason           when failed by an exception, the exception; when not run, why; when passed with a
 *                         kernel type missing, which; otherwise null
 * @param nanos            wall time of the whole check
 */
public record BackendSelfCheck(Status status, int checks, String check, double maxRelativeError, double tolerance,
                               String reason, long nanos) {

    /** Outcome of the check. */
    public enum Status {
        /** Every check agreed with the reference within its tolerance. */
        PASSED,
        /** A check disagreed beyond its tolerance or threw. */
        FAILED,
        /** Nothing was checked: a pure-Java backend, an unavailable one, or one without the kernels checked. */
        NOT_RUN
    }

    /** Seed of every input of the check. */
    public static final long SEED = 20250101L;

    /** GEMM shape {@code (M x K) (K x N)}. */
    public static final int GEMM_M = 37;
    public static final int GEMM_K = 29;
    public static final int GEMM_N = 41;
    /** Order of the SPD matrix factored. */
    public static final int CHOLESKY_N = 33;

    /**
     * GEMM, float64. Worst-case rounding of a length-29 dot product is {@code 29 u |A||B|} (u = 1.1e-16),
     * and {@code max |A||B| / max |AB|} is below 10 for these inputs: about 3e-14 for any summation order,
     * blocking or FMA use. A wrong index, operand, transpose or beta gives errors of order 0.1 to 1.
     */
    public static final double GEMM_TOLERANCE_FLOAT64 = 1e-12;
    /** GEMM, float32: the same bound with u = 6.0e-8 is about 2e-5. TF32 tensor-core math (~1e-3) fails it. */
    public static final double GEMM_TOLERANCE_FLOAT32 = 1e-4;
    /**
     * Cholesky factor, float64, entrywise relative to the largest entry of the reference factor (the
     * tolerance TorchVersusVectorTest uses): S is well conditioned (identity plus a scaled Gram matrix).
     */
    public static final double CHOLESKY_TOLERANCE_FLOAT64 = 1e-12;

    private static final int CHECK_COUNT = 5;

    public BackendSelfCheck {
        Objects.requireNonNull(status, "status");
    }

    /** A result saying why nothing was checked. */
    public static BackendSelfCheck notRun(String why) {
        return new BackendSelfCheck(Status.NOT_RUN, 0, null, Double.NaN, Double.NaN, why, 0);
    }

    /** Whether every check that ran agreed with the reference. */
    public boolean passed() {
        return status == Status.PASSED;
    }

    /** Whether a check disagreed or threw. */
    public boolean failed() {
        return status == Status.FAILED;
    }

    /**
     * One line for logs, {@code loes doctor} and provenance, without the timing (so that it is the same on
     * every run of the same backend): {@code passed: 5 of 5 checks ...}, {@code FAILED: dgemm(N,N) ...},
     * {@code not run: ...}.
     */
    public String summary() {
        return switch (status) {
            case PASSED -> "passed: " + detail();
            case FAILED -> "FAILED: " + detail();
            case NOT_RUN -> "not run: " + detail();
        };
    }

    /** {@link #summary()} without the status word: what was checked and found, or why nothing was. */
    public String detail() {
        return switch (status) {
            case PASSED -> checks + " of " + CHECK_COUNT + " checks against the scalar reference"
                    + (checks < CHECK_COUNT ? " (" + reason + ")" : "") + ", closest to tolerance " + check
                    + " with max relative error " + sci(maxRelativeError) + " <= " + sci(tolerance);
            case FAILED -> reason != null ? check + " threw " + reason
                    : check + " disagrees with the scalar reference, max relative error "
                            + (Double.isInfinite(maxRelativeError) ? "Infinity (non-finite entries)"
                                    : sci(maxRelativeError)) + " > tolerance " + sci(tolerance);
            case NOT_RUN -> reason;
        };
    }

    /** Wall time of the check in milliseconds. */
    public double millis() {
        return nanos / 1e6;
    }

    private static String sci(double x) {
        return String.format(Locale.ROOT, "%.1e", x);
    }

    /**
     * Runs the checks on {@code backend}'s own GEMM and Cholesky kernels. Never throws: an exception from the
     * backend is a failed check. The caller decides whether the backend needs checking.
     */
    public static BackendSelfCheck run(Backend backend) {
        long start = System.nanoTime();
        Progress p = new Progress();
        try {
            p.current = "kernel lookup";
            GemmKernel gemm = backend.kernel(GemmKernel.class);
            CholeskyKernel chol = backend.kernel(CholeskyKernel.class);
            if (gemm == null && chol == null) {
                return notRun("offers neither a GEMM nor a Cholesky kernel");
            }
            p.skipped = gemm == null ? "no GEMM kernel to check" : chol == null ? "no Cholesky kernel to check" : null;
            ScalarBackend reference = new ScalarBackend();
            GemmKernel refGemm = reference.kernel(GemmKernel.class);
            CholeskyKernel refChol = reference.kernel(CholeskyKernel.class);
            if (gemm != null) {
                String shape = " " + GEMM_M + "x" + GEMM_K + "*" + GEMM_K + "x" + GEMM_N;
                p.current = "dgemm(N,N)" + shape;
                if (!p.record(dgemm(gemm, refGemm, Transpose.NO), GEMM_TOLERANCE_FLOAT64)) {
                    return p.failure(start);
                }
                p.current = "sgemm(N,N)" + shape;
                if (!p.record(sgemm(gemm, refGemm, Transpose.NO), GEMM_TOLERANCE_FLOAT32)) {
                    return p.failure(start);
                }
                p.current = "dgemm(T,T)" + shape + " alpha 0.75 beta -1.25";
                if (!p.record(dgemm(gemm, refGemm, Transpose.YES), GEMM_TOLERANCE_FLOAT64)) {
                    return p.failure(start);
                }
                p.current = "sgemm(T,T)" + shape + " alpha 0.75 beta -1.25";
                if (!p.record(sgemm(gemm, refGemm, Transpose.YES), GEMM_TOLERANCE_FLOAT32)) {
                    return p.failure(start);
                }
            }
            if (chol != null) {
                p.current = "dpotrf " + CHOLESKY_N + "x" + CHOLESKY_N;
                if (!p.record(dpotrf(chol, refChol), CHOLESKY_TOLERANCE_FLOAT64)) {
                    return p.failure(start);
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // LinkageError: a native symbol that does not resolve surfaces here, on first call.
            return new BackendSelfCheck(Status.FAILED, p.checks + 1, p.current, Double.NaN, Double.NaN, e.toString(),
                    System.nanoTime() - start);
        }
        return new BackendSelfCheck(Status.PASSED, p.checks, p.worst, p.worstError, p.worstTolerance, p.skipped,
                System.nanoTime() - start);
    }

    /** The running state of {@link #run}: which check is current and which has come closest to failing. */
    private static final class Progress {
        String current;
        String skipped;
        int checks;
        String worst;
        double worstError;
        double worstTolerance = 1;
        double failedError;
        double failedTolerance;

        /** Records one check's error; false when it fails (beyond tolerance, or infinite for non-finite results). */
        boolean record(double error, double tolerance) {
            if (!(error <= tolerance)) {
                failedError = error;
                failedTolerance = tolerance;
                return false;
            }
            checks++;
            if (worst == null || error / tolerance > worstError / worstTolerance) {
                worst = current;
                worstError = error;
                worstTolerance = tolerance;
            }
            return true;
        }

        BackendSelfCheck failure(long start) {
            return new BackendSelfCheck(Status.FAILED, checks + 1, current, failedError, failedTolerance, null,
                    System.nanoTime() - start);
        }
    }

    // ------------------------------------------------------------------ the checks

    /** {@code C = A B} over a NaN-filled C (trans NO) or {@code C = 0.75 AT BT - 1.25 C} (trans YES), float64. */
    private static double dgemm(GemmKernel kernel, GemmKernel reference, Transpose trans) {
        SplittableRandom rng = new SplittableRandom(SEED);
        boolean t = trans == Transpose.YES;
        DMatrix a = t ? DMatrix.random(GEMM_K, GEMM_M, rng) : DMatrix.random(GEMM_M, GEMM_K, rng);
        DMatrix b = t ? DMatrix.random(GEMM_N, GEMM_K, rng) : DMatrix.random(GEMM_K, GEMM_N, rng);
        DMatrix c0 = DMatrix.random(GEMM_M, GEMM_N, rng);
        if (!t) {
            c0.fill(Double.NaN);
        }
        double alpha = t ? 0.75 : 1.0;
        double beta = t ? -1.25 : 0.0;
        DMatrix expected = c0.copy();
        reference.dgemm(trans, trans, alpha, a.copy(), b.copy(), beta, expected);
        DMatrix actual = c0.copy();
        kernel.dgemm(trans, trans, alpha, a, b, beta, actual);
        return relativeError(actual, expected);
    }

    /** Float32 twin of {@link #dgemm}, on the float64 inputs rounded. */
    private static double sgemm(GemmKernel kernel, GemmKernel reference, Transpose trans) {
        SplittableRandom rng = new SplittableRandom(SEED);
        boolean t = trans == Transpose.YES;
        FMatrix a = (t ? DMatrix.random(GEMM_K, GEMM_M, rng) : DMatrix.random(GEMM_M, GEMM_K, rng)).toFMatrix();
        FMatrix b = (t ? DMatrix.random(GEMM_N, GEMM_K, rng) : DMatrix.random(GEMM_K, GEMM_N, rng)).toFMatrix();
        FMatrix c0 = DMatrix.random(GEMM_M, GEMM_N, rng).toFMatrix();
        if (!t) {
            c0.fill(Float.NaN);
        }
        float alpha = t ? 0.75f : 1.0f;
        float beta = t ? -1.25f : 0.0f;
        FMatrix expected = c0.copy();
        reference.sgemm(trans, trans, alpha, a.copy(), b.copy(), beta, expected);
        FMatrix actual = c0.copy();
        kernel.sgemm(trans, trans, alpha, a, b, beta, actual);
        return relativeError(actual.toDMatrix(), expected.toDMatrix());
    }

    /** The factor of {@code S = G GT / n + I}, float64, with S's upper triangle filled (only the lower is read). */
    private static double dpotrf(CholeskyKernel kernel, CholeskyKernel reference) {
        int n = CHOLESKY_N;
        DMatrix g = DMatrix.random(n, n, new SplittableRandom(SEED));
        DMatrix s = DMatrix.zeros(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double dot = 0;
                for (int p = 0; p < n; p++) {
                    dot += g.get(i, p) * g.get(j, p);
                }
                double v = dot / n + (i == j ? 1.0 : 0.0);
                s.set(i, j, v);
                s.set(j, i, v);
            }
        }
        DMatrix expected = s.copy();
        reference.dpotrf(expected);
        DMatrix actual = s.copy();
        kernel.dpotrf(actual);
        return relativeError(actual, expected);
    }

    /** {@code max |X - R| / max |R|}; infinite when X has a non-finite entry. */
    static double relativeError(DMatrix actual, DMatrix expected) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.rows(); i++) {
            for (int j = 0; j < expected.cols(); j++) {
                double x = actual.get(i, j);
                if (!Double.isFinite(x)) {
                    return Double.POSITIVE_INFINITY;
                }
                maxDiff = Math.max(maxDiff, Math.abs(x - expected.get(i, j)));
                maxRef = Math.max(maxRef, Math.abs(expected.get(i, j)));
            }
        }
        return maxRef == 0 ? maxDiff : maxDiff / maxRef;
    }
}
