package org.loes4j.bench.peer;

import java.util.Arrays;

import org.loes4j.bench.Inputs;

/**
 * Checks, on a small instance with awkward (non-square, non-power-of-two) sizes, that an implementation
 * computes what loes4j's scalar reference backend computes, so that a misconfigured peer cannot silently
 * benchmark garbage. Eigenvalues are checked against a matrix built with a known spectrum instead (loes4j's
 * own eigen kernel is checked the same way). Each check throws {@link IllegalStateException} with the
 * measured error when it fails, and returns that error otherwise.
 */
public final class CrossCheck {
    /** Relative Frobenius error allowed for float64 results (backward-stable algorithms, n < 100). */
    public static final double FLOAT64_TOLERANCE = 1e-10;
    /** Relative Frobenius error allowed for float32 products (k = 53 terms of unit size). */
    public static final double FLOAT32_TOLERANCE = 1e-4;

    static final long SEED = 7L;

    private CrossCheck() {
    }

    private static Loes4jPeer reference() {
        return new Loes4jPeer("scalar");
    }

    /** {@code C = A B} for A 37 x 53, B 53 x 29, float64 and float32. */
    public static double gemm(GemmPeer peer) {
        int m = 37;
        int n = 29;
        int k = 53;
        double[] a = Inputs.uniform(m, k, SEED);
        double[] b = Inputs.uniform(k, n, SEED + 1);
        double errD = compare(peer, "dgemm", run(reference().dgemm(m, n, k, a, b)), run(peer.dgemm(m, n, k, a, b)),
                FLOAT64_TOLERANCE);
        float[] af = Inputs.uniformFloat(m, k, SEED);
        float[] bf = Inputs.uniformFloat(k, n, SEED + 1);
        double errF = compare(peer, "sgemm", run(reference().sgemm(m, n, k, af, bf)),
                run(peer.sgemm(m, n, k, af, bf)), FLOAT32_TOLERANCE);
        return Math.max(errD, errF / FLOAT32_TOLERANCE * FLOAT64_TOLERANCE);
    }

    /** Lower triangle of {@code XT X} for X 61 x 23. */
    public static double gram(GramPeer peer) {
        int rows = 61;
        int cols = 23;
        double[] x = Inputs.uniform(rows, cols, SEED);
        double[] expected = Peers.lowerOnly(cols, run(reference().gram(rows, cols, x)));
        double[] actual = Peers.lowerOnly(cols, run(peer.gram(rows, cols, x)));
        return compare(peer, "gram", expected, actual, FLOAT64_TOLERANCE);
    }

    /** The factor L of a 45 x 45 SPD matrix. */
    public static double cholesky(CholeskyPeer peer) {
        int n = 45;
        double[] a = Inputs.spd(n, SEED);
        return compare(peer, "cholesky", run(reference().cholesky(n, a)), run(peer.cholesky(n, a)),
                FLOAT64_TOLERANCE);
    }

    /** Eigenvalues of a 40 x 40 symmetric matrix with the known spectrum {@code i - 13.5 + 0.01 i^2}. */
    public static double eigenvalues(EigenPeer peer) {
        int n = 40;
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = i - 13.5 + 0.01 * i * i;
        }
        double[] a = Inputs.withSpectrum(w, SEED);
        Arrays.sort(w);
        return compare(peer, "eigenvalues", w, run(peer.eigenvalues(n, a)), FLOAT64_TOLERANCE);
    }

    /** Ridge weights and intercepts for N = 80, p = 17, c = 3, lambda = 0.5. */
    public static double ridge(RidgePeer peer) {
        int n = 80;
        int p = 17;
        int c = 3;
        double[] x = Inputs.uniform(n, p, SEED);
        for (int i = 0; i < x.length; i++) {
            x[i] += 0.3; // a non-zero column mean, so the intercept is exercised
        }
        double[] t = Inputs.ridgeTargets(x, n, p, c, SEED + 2);
        return compare(peer, "ridge", run(reference().ridge(n, p, c, x, t, 0.5)),
                run(peer.ridge(n, p, c, x, t, 0.5)), FLOAT64_TOLERANCE);
    }

    /** Runs every check the peer's capabilities allow; returns the largest float64-scaled error. */
    public static double all(Peer peer) {
        double worst = 0;
        if (peer instanceof GemmPeer g) {
            worst = Math.max(worst, gemm(g));
        }
        if (peer instanceof GramPeer g) {
            worst = Math.max(worst, gram(g));
        }
        if (peer instanceof CholeskyPeer c) {
            worst = Math.max(worst, cholesky(c));
        }
        if (peer instanceof EigenPeer e) {
            worst = Math.max(worst, eigenvalues(e));
        }
        if (peer instanceof RidgePeer r) {
            worst = Math.max(worst, ridge(r));
        }
        return worst;
    }

    private static double[] run(Prepared op) {
        op.reset();
        op.run();
        return op.result();
    }

    /** {@code ||actual - expected||_F / ||expected||_F}, failing above {@code tolerance}. */
    static double compare(Peer peer, String what, double[] expected, double[] actual, double tolerance) {
        if (expected.length != actual.length) {
            throw new IllegalStateException(peer.name() + " " + what + ": " + actual.length + " values, expected "
                    + expected.length);
        }
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = actual[i] - expected[i];
            diff += d * d;
            ref += expected[i] * expected[i];
        }
        double err = Math.sqrt(diff) / Math.max(Math.sqrt(ref), Double.MIN_NORMAL);
        if (!(err <= tolerance)) {
            throw new IllegalStateException(peer.name() + " " + what + " disagrees with the reference: relative error "
                    + err + " > " + tolerance);
        }
        return err;
    }
}
