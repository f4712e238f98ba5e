package org.loes4j.encoders.bert;

import org.loes4j.linalg.Backends;
import org.loes4j.linalg.spi.Backend;

/**
 * Scaled dot-product attention of one sample and one head, on strided head slices of fused rows:
 * <pre>
 *   P[i, :] = softmax_j(scale * q_i . k_j)     over the len real keys j in [0, len)
 *   out_i   = sum_j P[i, j] v_j                  for every query row i in [0, rows)
 * </pre>
 * where {@code q_i = qkv[q + i rowStride .. + dh)}, {@code k_j = qkv[k + j rowStride .. + dh)},
 * {@code v_j = qkv[v + j rowStride .. + dh)} and {@code out_i = out[o + i outStride .. + dh)}.
 * The softmax is max-shifted for stability. Only {@code out}'s rows x dh slice and the caller's scratch
 * array are written.
 *
 * <p>Kernels sit behind {@link BertModel}'s checks and trust their inputs: {@code len >= 1},
 * {@code scratch.length >= scratchLength(len, dh)}. The scratch array is the caller's per-thread work
 * space, so a kernel allocates nothing.
 */
interface AttentionKernel {
    /**
     * The kernel that follows the linalg backend choice: the scalar twin when the chain's chosen backend is
     * the scalar reference ({@code --backend scalar} means "reference code everywhere"), else the Vector API
     * kernel when the vector backend is available in this JVM (its own availability probe decides), else
     * the scalar twin.
     */
    static AttentionKernel forBackends(Backends backends) {
        if (backends.chosen().name().equals("scalar")) {
            return ScalarAttentionKernel.INSTANCE;
        }
        Backend vector = backends.find("vector");
        if (vector != null && vector.availability().available()) {
            return VectorAttentionKernel.INSTANCE;
        }
        return ScalarAttentionKernel.INSTANCE;
    }

    /** Floats of scratch space {@link #attend} needs for len keys of width dh. */
    int scratchLength(int len, int dh);

    /** Computes the attention output of the class comment, overwriting out's rows x dh slice. */
    void attend(float[] qkv, int q, int k, int v, int rowStride, int rows, int len, int dh, float scale,
            float[] out, int o, int outStride, float[] scratch);
}
