package org.loes4j.encoders.bert;

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
    /** The Vector API kernel when {@code jdk.incubator.vector} is in the boot layer, else the scalar one. */
    static AttentionKernel preferred() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
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
