package org.loes4j.encoders.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.loes4j.linalg.Backends;

class AttentionKernelTest {
    /** Max |kernel - double-precision definition| / max |v| allowed for float32 kernels. */
    private static final double FLOAT_REL_TOL = 2e-6;
    /** Max |vector - scalar| / max |v|: both float32, differing only in summation order and exp rounding. */
    private static final double TWIN_REL_TOL = 2e-6;
    private static final int[] LENGTHS = {1, 7, 17, 63, 64, 65, 300};
    private static final int[] HEAD_WIDTHS = {32, 24};
    /** Heads in the fused rows; the head under test is head 1, so its slices start at a non-zero column. */
    private static final int HEADS = 3;
    /** Padded query rows past the real keys, as in a batch padded to a longer sample. */
    private static final int PADDED_ROWS = 3;
    private static final float SENTINEL = 12345f;

    /** qkv rows of width 3 HEADS dh, values in [-2, 2], seeded by (len, dh). */
    private static float[] fusedRows(int rows, int dh, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] qkv = new float[rows * 3 * HEADS * dh];
        for (int i = 0; i < qkv.length; i++) {
            qkv[i] = (float) rng.nextDouble(-2, 2);
        }
        return qkv;
    }

    /** Runs the kernel on head 1 of the fused rows; the output (rows x HEADS dh) is SENTINEL outside head 1. */
    private static float[] run(AttentionKernel kernel, float[] qkv, int rows, int len, int dh) {
        int d = HEADS * dh;
        float[] out = new float[rows * d];
        Arrays.fill(out, SENTINEL);
        float[] scratch = new float[kernel.scratchLength(len, dh)];
        int q = dh;
        kernel.attend(qkv, q, q + d, q + 2 * d, 3 * d, rows, len, dh, (float) (1 / Math.sqrt(dh)), out, dh, d,
                scratch);
        return out;
    }

    /** The definition in double: out_i = sum_j softmax_j(q_i . k_j / sqrt(dh)) v_j over j < len. */
    private static double[] definition(float[] qkv, int rows, int len, int dh) {
        int d = HEADS * dh;
        int stride = 3 * d;
        double[] out = new double[rows * dh];
        double[] p = new double[len];
        for (int i = 0; i < rows; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < len; j++) {
                double dot = 0;
                for (int c = 0; c < dh; c++) {
                    dot += (double) qkv[i * stride + dh + c] * qkv[j * stride + d + dh + c];
                }
                p[j] = dot / Math.sqrt(dh);
                max = Math.max(max, p[j]);
            }
            double sum = 0;
            for (int j = 0; j < len; j++) {
                p[j] = Math.exp(p[j] - max);
                sum += p[j];
            }
            for (int c = 0; c < dh; c++) {
                double acc = 0;
                for (int j = 0; j < len; j++) {
                    acc += p[j] * qkv[j * stride + 2 * d + dh + c];
                }
                out[i * dh + c] = acc / sum;
            }
        }
        return out;
    }

    private static double maxAbsValue(float[] qkv, int len, int dh) {
        int d = HEADS * dh;
        double m = 0;
        for (int j = 0; j < len; j++) {
            for (int c = 0; c < dh; c++) {
                m = Math.max(m, Math.abs(qkv[j * 3 * d + 2 * d + dh + c]));
            }
        }
        return m;
    }

    @Test
    void theKernelFollowsTheLinalgBackendChoice() {
        assertSame(VectorAttentionKernel.INSTANCE, AttentionKernel.forBackends(Backends.of("vector")));
        assertSame(ScalarAttentionKernel.INSTANCE, AttentionKernel.forBackends(Backends.of("scalar")));
    }

    @Test
    void vectorAndScalarKernelsMatchTheDefinitionAndEachOther() {
        for (int dh : HEAD_WIDTHS) {
            for (int len : LENGTHS) {
                int rows = len + PADDED_ROWS;
                int d = HEADS * dh;
                float[] qkv = fusedRows(rows, dh, 1000L * dh + len);
                double vmax = maxAbsValue(qkv, len, dh);
                double[] exact = definition(qkv, rows, len, dh);
                float[] scalar = run(ScalarAttentionKernel.INSTANCE, qkv, rows, len, dh);
                float[] vector = run(VectorAttentionKernel.INSTANCE, qkv, rows, len, dh);
                double scalarErr = 0;
                double vectorErr = 0;
                double twinErr = 0;
                for (int i = 0; i < rows; i++) {
                    for (int c = 0; c < d; c++) {
                        int at = i * d + c;
                        if (c < dh || c >= 2 * dh) {
                            assertEquals(SENTINEL, scalar[at], "scalar wrote outside its head, dh " + dh);
                            assertEquals(SENTINEL, vector[at], "vector wrote outside its head, dh " + dh);
                            continue;
                        }
                        double e = exact[i * dh + c - dh];
                        scalarErr = Math.max(scalarErr, Math.abs(scalar[at] - e));
                        vectorErr = Math.max(vectorErr, Math.abs(vector[at] - e));
                        twinErr = Math.max(twinErr, Math.abs(vector[at] - scalar[at]));
                    }
                }
                String where = "len " + len + ", dh " + dh;
                assertTrue(scalarErr / vmax < FLOAT_REL_TOL, where + ": scalar error " + scalarErr / vmax);
                assertTrue(vectorErr / vmax < FLOAT_REL_TOL, where + ": vector error " + vectorErr / vmax);
                assertTrue(twinErr / vmax < TWIN_REL_TOL, where + ": vector vs scalar " + twinErr / vmax);
            }
        }
    }

    @Test
    void scratchIsReusableAcrossShorterAndLongerCalls() {
        int dh = 32;
        float[] scratch = new float[VectorAttentionKernel.INSTANCE.scratchLength(300, dh)];
        Arrays.fill(scratch, Float.NaN);
        for (int len : new int[] {300, 17, 65, 1}) {
            int rows = len + PADDED_ROWS;
            int d = HEADS * dh;
            float[] qkv = fusedRows(rows, dh, 7L * len);
            float[] fresh = run(VectorAttentionKernel.INSTANCE, qkv, rows, len, dh);
            float[] reused = new float[rows * d];
            Arrays.fill(reused, SENTINEL);
            VectorAttentionKernel.INSTANCE.attend(qkv, dh, dh + d, dh + 2 * d, 3 * d, rows, len, dh,
                    (float) (1 / Math.sqrt(dh)), reused, dh, d, scratch);
            for (int i = 0; i < fresh.length; i++) {
                assertEquals(fresh[i], reused[i], 0f, "len " + len + " at " + i);
            }
        }
    }

    /**
     * The vector kernel's own exponential against Math.exp: within 2 ulp of the float nearest to the exact
     * value over [-87, 0] (every 1/1024 and 4096 seeded random points), 1 at 0, and exactly 0 below the
     * underflow bound and at -infinity (padding weights).
     */
    @Test
    void ownExponentialIsWithinTwoUlpAndZeroForPadding() {
        jdk.incubator.vector.VectorSpecies<Float> species = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
        int lanes = species.length();
        SplittableRandom rng = new SplittableRandom(97);
        int grid = 87 * 1024 + 1;
        float[] xs = new float[grid + 4096];
        for (int i = 0; i < grid; i++) {
            xs[i] = -i / 1024f;
        }
        for (int i = grid; i < xs.length; i++) {
            xs[i] = (float) rng.nextDouble(-87, 0);
        }
        int n = (xs.length + lanes - 1) / lanes * lanes;
        float[] in = Arrays.copyOf(xs, n);
        float[] out = new float[n];
        for (int i = 0; i < n; i += lanes) {
            VectorAttentionKernel.expNonPositive(jdk.incubator.vector.FloatVector.fromArray(species, in, i))
                    .intoArray(out, i);
        }
        double worstUlps = 0;
        float worstAt = 0;
        for (int i = 0; i < xs.length; i++) {
            float exact = (float) Math.exp(xs[i]);
            double ulps = Math.abs(out[i] - exact) / Math.ulp(exact);
            if (ulps > worstUlps) {
                worstUlps = ulps;
                worstAt = xs[i];
            }
        }
        assertTrue(worstUlps <= 2, "worst " + worstUlps + " ulp at x = " + worstAt);
        assertEquals(1f, out[0], 0f, "exp(0)");

        float[] special = new float[lanes];
        Arrays.fill(special, Float.NEGATIVE_INFINITY);
        special[0] = -0f;
        special[1] = VectorAttentionKernel.EXP_UNDERFLOW - 0.01f;
        special[2] = -1000f;
        float[] res = new float[lanes];
        VectorAttentionKernel.expNonPositive(jdk.incubator.vector.FloatVector.fromArray(species, special, 0))
                .intoArray(res, 0);
        assertEquals(1f, res[0], 0f, "exp(-0)");
        for (int i = 1; i < lanes; i++) {
            assertEquals(0f, res[i], 0f, "exp(" + special[i] + ")");
        }
    }
}
