package org.loes4j.encoders.bert;

/**
 * The reference {@link AttentionKernel}: straight loops, one query row at a time. Scratch holds one
 * row of scores ({@code len} floats).
 */
final class ScalarAttentionKernel implements AttentionKernel {
    static final ScalarAttentionKernel INSTANCE = new ScalarAttentionKernel();

    private ScalarAttentionKernel() {
    }

    @Override
    public int scratchLength(int len, int dh) {
        return len;
    }

    @Override
    public void attend(float[] qkv, int q, int k, int v, int rowStride, int rows, int len, int dh, float scale,
            float[] out, int o, int outStride, float[] scratch) {
        float[] p = scratch;
        for (int i = 0; i < rows; i++) {
            int qi = q + i * rowStride;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < len; j++) {
                int kj = k + j * rowStride;
                float dot = 0f;
                for (int c = 0; c < dh; c++) {
                    dot += qkv[qi + c] * qkv[kj + c];
                }
                p[j] = dot * scale;
                max = Math.max(max, p[j]);
            }
            float sum = 0f;
            for (int j = 0; j < len; j++) {
                float e = (float) Math.exp(p[j] - max);
                p[j] = e;
                sum += e;
            }
            float inv = 1f / sum;
            int oi = o + i * outStride;
            for (int c = 0; c < dh; c++) {
                float acc = 0f;
                for (int j = 0; j < len; j++) {
                    acc += p[j] * qkv[v + j * rowStride + c];
                }
                out[oi + c] = acc * inv;
            }
        }
    }
}
