package org.loes4j.encoders.mobilenet;

/** The reference {@link DepthwiseKernel}: the definition's loops, one output value at a time. */
final class ScalarDepthwiseKernel implements DepthwiseKernel {
    static final ScalarDepthwiseKernel INSTANCE = new ScalarDepthwiseKernel();

    private ScalarDepthwiseKernel() {
    }

    @Override
    public void apply(float[] in, int inOff, int h, int w, int channels, float[] kernel, float[] bias, int stride,
            int padTop, int padLeft, boolean relu6, float[] out, int outOff, int outW, int rowFrom, int rowTo) {
        for (int oy = rowFrom; oy < rowTo; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                int o = outOff + (oy * outW + ox) * channels;
                for (int c = 0; c < channels; c++) {
                    float acc = bias[c];
                    for (int ky = 0; ky < 3; ky++) {
                        int iy = oy * stride + ky - padTop;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int kx = 0; kx < 3; kx++) {
                            int ix = ox * stride + kx - padLeft;
                            if (ix < 0 || ix >= w) {
                                continue;
                            }
                            acc = Math.fma(in[inOff + (iy * w + ix) * channels + c], kernel[(ky * 3 + kx) * channels + c], acc);
                        }
                    }
                    out[o + c] = relu6 ? Math.min(Math.max(acc, 0f), 6f) : acc;
                }
            }
        }
    }
}
