package org.loes4j.encoders.bert;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API {@link AttentionKernel}. Loaded only once {@link AttentionKernel#preferred} has found
 * the incubator module.
 *
 * <p>Per call, the head's keys are transposed once into scratch as {@code Kt} (dh x ldk, ldk = len
 * rounded up to whole vectors, zero padded), so that a query row's scores
 * {@code s[j] = scale sum_c q[c] Kt[c, j]} are FMAs across keys, four vectors of keys at a time with one
 * broadcast of {@code q[c]}. The padded scores are set to -infinity, so the softmax's max, exp and sum run
 * on whole vectors and give the padding weight 0; the exponential is this class's own
 * {@link #expNonPositive}, so the bits do not depend on the JIT state. The output row {@code out = (sum_j e_j v_j) / sum_j e_j}
 * is FMAs across the head width, value rows being contiguous slices of the fused rows; two keys per step
 * in separate accumulators to hide FMA latency, and a masked vector for a head width that is not a whole
 * number of vectors. Scratch: {@code (dh + 1) ldk} floats (Kt, then the scores row).
 */
final class VectorAttentionKernel implements AttentionKernel {
    static final VectorAttentionKernel INSTANCE = new VectorAttentionKernel();

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    private VectorAttentionKernel() {
    }

    private static int paddedKeys(int len) {
        return (len + L - 1) / L * L;
    }

    @Override
    public int scratchLength(int len, int dh) {
        return (dh + 1) * paddedKeys(len);
    }

    @Override
    public void attend(float[] qkv, int q, int k, int v, int rowStride, int rows, int len, int dh, float scale,
            float[] out, int o, int outStride, float[] scratch) {
        int ldk = paddedKeys(len);
        float[] kt = scratch;
        int sc = dh * ldk;
        for (int j = 0; j < len; j++) {
            int kj = k + j * rowStride;
            for (int c = 0; c < dh; c++) {
                kt[c * ldk + j] = qkv[kj + c];
            }
        }
        for (int c = 0; c < dh; c++) {
            for (int j = len; j < ldk; j++) {
                kt[c * ldk + j] = 0f;
            }
        }
        for (int i = 0; i < rows; i++) {
            scoresRow(qkv, q + i * rowStride, dh, scale, kt, ldk, scratch, sc);
            for (int j = sc + len; j < sc + ldk; j++) {
                scratch[j] = Float.NEGATIVE_INFINITY;
            }
            float inv = 1f / expShifted(scratch, sc, ldk);
            weightedValues(qkv, v, rowStride, len, dh, scratch, sc, inv, out, o + i * outStride);
        }
    }

    /** {@code s[sc + j] = scale sum_c qkv[qi + c] kt[c ldk + j]} for j in [0, ldk). */
    private static void scoresRow(float[] qkv, int qi, int dh, float scale, float[] kt, int ldk,
            float[] s, int sc) {
        int j = 0;
        for (; j + 4 * L <= ldk; j += 4 * L) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            for (int c = 0; c < dh; c++) {
                FloatVector qc = FloatVector.broadcast(F, qkv[qi + c]);
                int r = c * ldk + j;
                a0 = FloatVector.fromArray(F, kt, r).fma(qc, a0);
                a1 = FloatVector.fromArray(F, kt, r + L).fma(qc, a1);
                a2 = FloatVector.fromArray(F, kt, r + 2 * L).fma(qc, a2);
                a3 = FloatVector.fromArray(F, kt, r + 3 * L).fma(qc, a3);
            }
            a0.mul(scale).intoArray(s, sc + j);
            a1.mul(scale).intoArray(s, sc + j + L);
            a2.mul(scale).intoArray(s, sc + j + 2 * L);
            a3.mul(scale).intoArray(s, sc + j + 3 * L);
        }
        for (; j < ldk; j += L) {
            FloatVector a0 = FloatVector.zero(F);
            for (int c = 0; c < dh; c++) {
                a0 = FloatVector.fromArray(F, kt, c * ldk + j).fma(FloatVector.broadcast(F, qkv[qi + c]), a0);
            }
            a0.mul(scale).intoArray(s, sc + j);
        }
    }

    /** {@code s[sc + j] = exp(s[sc + j] - max_j s[sc + j])} for j in [0, ldk); returns the sum of the new values. */
    private static float expShifted(float[] s, int sc, int ldk) {
        FloatVector max = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < ldk; j += L) {
            max = max.max(FloatVector.fromArray(F, s, sc + j));
        }
        float m = max.reduceLanes(VectorOperators.MAX);
        FloatVector sum = FloatVector.zero(F);
        for (int j = 0; j < ldk; j += L) {
            FloatVector e = expNonPositive(FloatVector.fromArray(F, s, sc + j).sub(m));
            e.intoArray(s, sc + j);
            sum = sum.add(e);
        }
        // In lane order: reduceLanes(ADD) leaves the order unspecified, and compiled and interpreted code
        // do differ, which made the encoder's bits depend on the JIT state.
        float total = 0f;
        for (int i = 0; i < L; i++) {
            total += sum.lane(i);
        }
        return total;
    }

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split so that {@code n * LN2_HI} is exact for |n| < 2^9 (Cody-Waite). */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** Below this exp(x) is under the smallest normal float; the result is 0 there (as for -infinity). */
    static final float EXP_UNDERFLOW = -87.33654f;

    /**
     * {@code exp(x)} lane-wise for x <= 0 (and -infinity), from IEEE-exact operations only, so the bits do
     * not depend on whether the code runs interpreted or compiled (the Vector API's own {@code EXP} calls a
     * vectorised math library once C2 has compiled the loop and {@code StrictMath} before: the same input
     * then gave different bits from run to run). Cody-Waite reduction {@code x = n ln2 + r}, |r| <= ln2 / 2
     * (n = x log2(e) rounded to nearest, ties toward zero; |r| slightly above ln2 / 2 only through the
     * rounding of x log2(e), which the polynomial absorbs), {@code e^r} by its Taylor polynomial of degree 7
     * (truncation error < 5e-9 relative, below a float's half-ulp), times 2^n built in the exponent
     * bits. Lanes below {@link #EXP_UNDERFLOW} give 0 (subnormal results are flushed: attention weights
     * that small vanish against the maximum's weight 1 anyway). Accuracy against {@code Math.exp}: within
     * 2 ulp (tested).
     */
    static FloatVector expNonPositive(FloatVector x) {
        VectorMask<Float> under = x.compare(VectorOperators.LT, EXP_UNDERFLOW);
        FloatVector xc = x.max(EXP_UNDERFLOW);
        IntVector n = (IntVector) xc.mul(LOG2E).sub(0.5f).convert(VectorOperators.F2I, 0);
        FloatVector nf = (FloatVector) n.convert(VectorOperators.I2F, 0);
        FloatVector r = nf.fma(FloatVector.broadcast(F, -LN2_HI), xc);
        r = nf.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(F, 1f / 5040f);
        p = p.fma(r, FloatVector.broadcast(F, 1f / 720f));
        p = p.fma(r, FloatVector.broadcast(F, 1f / 120f));
        p = p.fma(r, FloatVector.broadcast(F, 1f / 24f));
        p = p.fma(r, FloatVector.broadcast(F, 1f / 6f));
        p = p.fma(r, FloatVector.broadcast(F, 0.5f));
        p = p.fma(r, FloatVector.broadcast(F, 1f));
        p = p.fma(r, FloatVector.broadcast(F, 1f));
        FloatVector twoToN = (FloatVector) n.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(twoToN).blend(0f, under);
    }

    /** {@code out[oi + c] = inv sum_j p[sc + j] qkv[v + j rowStride + c]} for c in [0, dh). */
    private static void weightedValues(float[] qkv, int v, int rowStride, int len, int dh, float[] p, int sc,
            float inv, float[] out, int oi) {
        int c = 0;
        for (; c + 2 * L <= dh; c += 2 * L) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector b0 = FloatVector.zero(F);
            FloatVector b1 = FloatVector.zero(F);
            int j = 0;
            for (; j + 1 < len; j += 2) {
                FloatVector pj = FloatVector.broadcast(F, p[sc + j]);
                FloatVector pk = FloatVector.broadcast(F, p[sc + j + 1]);
                int vj = v + j * rowStride + c;
                int vk = vj + rowStride;
                a0 = FloatVector.fromArray(F, qkv, vj).fma(pj, a0);
                a1 = FloatVector.fromArray(F, qkv, vj + L).fma(pj, a1);
                b0 = FloatVector.fromArray(F, qkv, vk).fma(pk, b0);
                b1 = FloatVector.fromArray(F, qkv, vk + L).fma(pk, b1);
            }
            if (j < len) {
                FloatVector pj = FloatVector.broadcast(F, p[sc + j]);
                int vj = v + j * rowStride + c;
                a0 = FloatVector.fromArray(F, qkv, vj).fma(pj, a0);
                a1 = FloatVector.fromArray(F, qkv, vj + L).fma(pj, a1);
            }
            a0.add(b0).mul(inv).intoArray(out, oi + c);
            a1.add(b1).mul(inv).intoArray(out, oi + c + L);
        }
        for (; c + L <= dh; c += L) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector b0 = FloatVector.zero(F);
            int j = 0;
            for (; j + 1 < len; j += 2) {
                int vj = v + j * rowStride + c;
                a0 = FloatVector.fromArray(F, qkv, vj).fma(FloatVector.broadcast(F, p[sc + j]), a0);
                b0 = FloatVector.fromArray(F, qkv, vj + rowStride).fma(FloatVector.broadcast(F, p[sc + j + 1]), b0);
            }
            if (j < len) {
                a0 = FloatVector.fromArray(F, qkv, v + j * rowStride + c).fma(FloatVector.broadcast(F, p[sc + j]), a0);
            }
            a0.add(b0).mul(inv).intoArray(out, oi + c);
        }
        if (c < dh) {
            VectorMask<Float> m = F.indexInRange(c, dh);
            FloatVector a0 = FloatVector.zero(F);
            for (int j = 0; j < len; j++) {
                a0 = FloatVector.fromArray(F, qkv, v + j * rowStride + c, m)
                        .fma(FloatVector.broadcast(F, p[sc + j]), a0);
            }
            a0.mul(inv).intoArray(out, oi + c, m);
        }
    }
}
