package org.loes4j.encoders.mobilenet;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API {@link DepthwiseKernel}: vectors run across channels (contiguous in channels-last
 * layout). Loaded only once {@link DepthwiseKernel#forBackends} has found the vector backend available.
 *
 * <p>Per output row and per whole vector of channels, the nine kernel vectors and the bias stay in
 * registers while the row's pixels stream past; a pixel whose 3x3 window lies inside the image takes the
 * nine FMAs unrolled, a border pixel (and a channel tail shorter than a vector, under a mask) takes the
 * general path that checks every tap. Both follow the interface's summation order, so the result is the
 * scalar twin's bit for bit.
 */
final class VectorDepthwiseKernel implements DepthwiseKernel {
    static final VectorDepthwiseKernel INSTANCE = new VectorDepthwiseKernel();

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    private VectorDepthwiseKernel() {
    }

    @Override
    public void apply(float[] in, int inOff, int h, int w, int channels, float[] kernel, float[] bias, int stride,
            int padTop, int padLeft, boolean relu6, float[] out, int outOff, int outW, int rowFrom, int rowTo) {
        int cs = channels;
        int rowStride = w * cs;
        // ox range whose window [ox s - padLeft, + 2] lies inside [0, w)
        int oxLo = Math.min(outW, (padLeft + stride - 1) / stride);
        int oxHi = w - 3 + padLeft < 0 ? 0 : Math.min(outW, (w - 3 + padLeft) / stride + 1);
        if (oxHi < oxLo) {
            oxHi = oxLo;
        }
        int cBound = F.loopBound(channels);
        for (int oy = rowFrom; oy < rowTo; oy++) {
            int iy0 = oy * stride - padTop;
            int oRow = outOff + oy * outW * cs;
            boolean rowInside = iy0 >= 0 && iy0 + 2 < h;
            for (int c = 0; c < cBound; c += L) {
                if (!rowInside) {
                    for (int ox = 0; ox < outW; ox++) {
                        border(in, inOff, h, w, cs, kernel, bias, stride, padLeft, relu6, out, oRow, iy0, ox, c,
                                F.maskAll(true));
                    }
                    continue;
                }
                FloatVector b = FloatVector.fromArray(F, bias, c);
                FloatVector k0 = FloatVector.fromArray(F, kernel, c);
                FloatVector k1 = FloatVector.fromArray(F, kernel, cs + c);
                FloatVector k2 = FloatVector.fromArray(F, kernel, 2 * cs + c);
                FloatVector k3 = FloatVector.fromArray(F, kernel, 3 * cs + c);
                FloatVector k4 = FloatVector.fromArray(F, kernel, 4 * cs + c);
                FloatVector k5 = FloatVector.fromArray(F, kernel, 5 * cs + c);
                FloatVector k6 = FloatVector.fromArray(F, kernel, 6 * cs + c);
                FloatVector k7 = FloatVector.fromArray(F, kernel, 7 * cs + c);
                FloatVector k8 = FloatVector.fromArray(F, kernel, 8 * cs + c);
                for (int ox = 0; ox < oxLo; ox++) {
                    border(in, inOff, h, w, cs, kernel, bias, stride, padLeft, relu6, out, oRow, iy0, ox, c,
                            F.maskAll(true));
                }
                int step = stride * cs;
                int r0 = inOff + iy0 * rowStride + (oxLo * stride - padLeft) * cs + c;
                for (int ox = oxLo; ox < oxHi; ox++, r0 += step) {
                    int r1 = r0 + rowStride;
                    int r2 = r1 + rowStride;
                    FloatVector acc = FloatVector.fromArray(F, in, r0).fma(k0, b);
                    acc = FloatVector.fromArray(F, in, r0 + cs).fma(k1, acc);
                    acc = FloatVector.fromArray(F, in, r0 + 2 * cs).fma(k2, acc);
                    acc = FloatVector.fromArray(F, in, r1).fma(k3, acc);
                    acc = FloatVector.fromArray(F, in, r1 + cs).fma(k4, acc);
                    acc = FloatVector.fromArray(F, in, r1 + 2 * cs).fma(k5, acc);
                    acc = FloatVector.fromArray(F, in, r2).fma(k6, acc);
                    acc = FloatVector.fromArray(F, in, r2 + cs).fma(k7, acc);
                    acc = FloatVector.fromArray(F, in, r2 + 2 * cs).fma(k8, acc);
                    if (relu6) {
                        acc = acc.max(0f).min(6f);
                    }
                    acc.intoArray(out, oRow + ox * cs + c);
                }
                for (int ox = oxHi; ox < outW; ox++) {
                    border(in, inOff, h, w, cs, kernel, bias, stride, padLeft, relu6, out, oRow, iy0, ox, c,
                            F.maskAll(true));
                }
            }
            if (cBound < channels) {
                VectorMask<Float> m = F.indexInRange(cBound, channels);
                for (int ox = 0; ox < outW; ox++) {
                    border(in, inOff, h, w, cs, kernel, bias, stride, padLeft, relu6, out, oRow, iy0, ox, cBound, m);
                }
            }
        }
    }

    /** One output pixel's channels [c, c + L) under mask m, every tap checked against the image bounds. */
    private static void border(float[] in, int inOff, int h, int w, int cs, float[] kernel, float[] bias, int stride,
            int padLeft, boolean relu6, float[] out, int oRow, int iy0, int ox, int c, VectorMask<Float> m) {
        FloatVector acc = FloatVector.fromArray(F, bias, c, m);
        int ix0 = ox * stride - padLeft;
        for (int ky = 0; ky < 3; ky++) {
            int iy = iy0 + ky;
            if (iy < 0 || iy >= h) {
                continue;
            }
            for (int kx = 0; kx < 3; kx++) {
                int ix = ix0 + kx;
                if (ix < 0 || ix >= w) {
                    continue;
                }
                FloatVector x = FloatVector.fromArray(F, in, inOff + (iy * w + ix) * cs + c, m);
                acc = x.fma(FloatVector.fromArray(F, kernel, (ky * 3 + kx) * cs + c, m), acc);
            }
        }
        if (relu6) {
            acc = acc.max(0f).min(6f);
        }
        acc.intoArray(out, oRow + ox * cs + c, m);
    }
}
