package org.loes4j.encoders.mobilenet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.loes4j.linalg.Backends;

/**
 * The Vector API depthwise kernel against its scalar twin (bit for bit: same taps, same order, FMA each) and
 * both against the definition evaluated in double, on awkward shapes: odd and tiny images, stride 1 and 2,
 * 'same' and explicit (Keras ZeroPadding2D) padding, channel counts around the vector width.
 */
class DepthwiseKernelTest {
    /** Max |kernel - double definition| / (sum of |terms| + |bias|) for 9 float32 FMAs. */
    private static final double FLOAT_REL_TOL = 1e-6;
    private static final int[] CHANNELS = {1, 7, 16, 17, 33, 64};
    /** {h, w} pairs: 1-pixel, odd, non-square, larger than a register block. */
    private static final int[][] SIZES = {{1, 1}, {2, 3}, {3, 3}, {5, 7}, {13, 4}, {17, 19}, {32, 31}};
    private static final Padding[] PADDINGS = {Padding.SAME, Padding.VALID, Padding.explicit(0, 1, 0, 1),
        Padding.explicit(1, 1, 1, 1), Padding.explicit(2, 0, 0, 2)};
    private static final float SENTINEL = 12345f;

    private record Case(int h, int w, int c, int stride, Padding padding, int oh, int ow, int padTop, int padLeft) {
        static Case of(int h, int w, int c, int stride, Padding p) {
            return new Case(h, w, c, stride, p, p.outRows(h, 3, stride), p.outCols(w, 3, stride),
                    p.padTop(h, 3, stride), p.padLeft(w, 3, stride));
        }

        @Override
        public String toString() {
            return h + "x" + w + "x" + c + " stride " + stride + " " + padding;
        }
    }

    private static float[] random(int n, double scale, SplittableRandom rng) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextDouble(-scale, scale);
        }
        return a;
    }

    /**
     * Runs {@code kernel} on image 1 of a 2-image buffer (so offsets are non-zero), in two row ranges;
     * the output buffer is SENTINEL around the image's slice.
     */
    private static float[] run(DepthwiseKernel kernel, Case k, float[] in, float[] weights, float[] bias, boolean relu6) {
        int outSize = k.oh * k.ow * k.c;
        float[] out = new float[3 * outSize];
        Arrays.fill(out, SENTINEL);
        int split = k.oh / 2;
        kernel.apply(in, k.h * k.w * k.c, k.h, k.w, k.c, weights, bias, k.stride, k.padTop, k.padLeft, relu6,
                out, outSize, k.ow, 0, split);
        kernel.apply(in, k.h * k.w * k.c, k.h, k.w, k.c, weights, bias, k.stride, k.padTop, k.padLeft, relu6,
                out, outSize, k.ow, split, k.oh);
        return out;
    }

    @Test
    void vectorKernelEqualsScalarTwinBitwiseAndBothMatchTheDefinition() {
        int cases = 0;
        for (int[] size : SIZES) {
            for (int c : CHANNELS) {
                for (int stride = 1; stride <= 2; stride++) {
                    for (Padding p : PADDINGS) {
                        Case k = Case.of(size[0], size[1], c, stride, p);
                        if (k.oh < 1 || k.ow < 1) {
                            continue;
                        }
                        for (boolean relu6 : new boolean[] {false, true}) {
                            check(k, relu6, new SplittableRandom(31L * cases + 7));
                            cases++;
                        }
                    }
                }
            }
        }
        assertTrue(cases > 500, "only " + cases + " cases ran");
    }

    private static void check(Case k, boolean relu6, SplittableRandom rng) {
        // Inputs up to 8 so that ReLU6 clips a good share of the outputs.
        float[] in = random(2 * k.h * k.w * k.c, 8, rng);
        float[] weights = random(9 * k.c, 1, rng);
        float[] bias = random(k.c, 1, rng);
        float[] scalar = run(ScalarDepthwiseKernel.INSTANCE, k, in, weights, bias, relu6);
        float[] vector = run(VectorDepthwiseKernel.INSTANCE, k, in, weights, bias, relu6);
        int outSize = k.oh * k.ow * k.c;
        for (int i = 0; i < scalar.length; i++) {
            if (Float.floatToRawIntBits(scalar[i]) != Float.floatToRawIntBits(vector[i])) {
                int j = i - outSize;
                throw new AssertionError(k + (relu6 ? " relu6" : "") + ": vector " + vector[i] + " != scalar "
                        + scalar[i] + " at " + (j < 0 || j >= outSize ? "buffer index " + i
                        : "(y " + j / k.c / k.ow + ", x " + j / k.c % k.ow + ", c " + j % k.c + ")"));
            }
            if (i < outSize || i >= 2 * outSize) {
                assertEquals(SENTINEL, scalar[i], k + ": wrote outside its slice at " + i);
            }
        }
        int base = k.h * k.w * k.c;
        for (int oy = 0; oy < k.oh; oy++) {
            for (int ox = 0; ox < k.ow; ox++) {
                for (int c = 0; c < k.c; c++) {
                    double sum = bias[c];
                    double mag = Math.abs(bias[c]);
                    for (int ky = 0; ky < 3; ky++) {
                        for (int kx = 0; kx < 3; kx++) {
                            int iy = oy * k.stride + ky - k.padTop;
                            int ix = ox * k.stride + kx - k.padLeft;
                            if (iy >= 0 && iy < k.h && ix >= 0 && ix < k.w) {
                                double t = (double) in[base + (iy * k.w + ix) * k.c + c] * weights[(ky * 3 + kx) * k.c + c];
                                sum += t;
                                mag += Math.abs(t);
                            }
                        }
                    }
                    double want = relu6 ? Math.min(Math.max(sum, 0), 6) : sum;
                    float got = scalar[outSize + (oy * k.ow + ox) * k.c + c];
                    assertEquals(want, got, FLOAT_REL_TOL * mag + Float.MIN_NORMAL,
                            k + (relu6 ? " relu6" : "") + " at (" + oy + ", " + ox + ", " + c + ")");
                }
            }
        }
    }

    @Test
    void paddingFollowsKerasAndTensorFlow() {
        // 'same': out = ceil(in / s); the total padding max((out - 1) s + k - in, 0), the smaller half first.
        assertEquals(112, Padding.SAME.outRows(112, 3, 1));
        assertEquals(1, Padding.SAME.padTop(112, 3, 1));
        assertEquals(56, Padding.SAME.outRows(112, 3, 2));
        assertEquals(0, Padding.SAME.padTop(112, 3, 2));
        assertEquals(1, Padding.SAME.padTop(113, 3, 2));
        // Keras MobileNetV2 at 224: ZeroPadding2D((0, 1), (0, 1)) then a valid 3x3 stride-2 conv.
        Padding zp = Padding.explicit(0, 1, 0, 1);
        assertEquals(112, zp.outRows(224, 3, 2));
        assertEquals(56, zp.outCols(113, 3, 2));
        assertEquals(0, zp.outRows(1, 3, 2));
        assertEquals(0, Padding.VALID.outRows(2, 3, 1));
    }

    @Test
    void kernelChoiceFollowsTheLinalgBackend() {
        assertSame(ScalarDepthwiseKernel.INSTANCE, DepthwiseKernel.forBackends(Backends.of("scalar")));
        assertSame(VectorDepthwiseKernel.INSTANCE, DepthwiseKernel.forBackends(Backends.of("vector")));
    }
}
