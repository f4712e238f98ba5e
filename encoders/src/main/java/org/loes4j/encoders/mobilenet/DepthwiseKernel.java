package org.loes4j.encoders.mobilenet;

import org.loes4j.linalg.Backends;
import org.loes4j.linalg.spi.Backend;

/**
 * A 3x3 depthwise convolution (depth multiplier 1) of one channels-last image, with bias and optional
 * ReLU6, for output rows {@code [rowFrom, rowTo)}:
 * <pre>
 *   out[oy, ox, c] = act( bias[c] + sum_{ky, kx in 0..2} in[oy s + ky - padTop, ox s + kx - padLeft, c] k[ky, kx, c] )
 * </pre>
 * where input pixels outside {@code [0, h) x [0, w)} are zeros, {@code act} is {@code min(max(v, 0), 6)}
 * when {@code relu6} and the identity otherwise. Element (y, x, c) of the input is
 * {@code in[inOff + (y w + x) channels + c]}, of the output {@code out[outOff + (oy outW + ox) channels + c]},
 * of the kernel {@code kernel[(ky 3 + kx) channels + c]}. Only that slice of {@code out} is written.
 *
 * <p>Summation order is part of the contract, so that the twins agree bit for bit: the accumulator starts
 * at {@code bias[c]} and takes the in-range taps in (ky, kx) row-major order, each as one fused
 * multiply-add ({@link Math#fma}); out-of-range taps are skipped, not added as zero products.
 *
 * <p>Kernels sit behind {@link MobileNetV2}'s checks and trust their inputs.
 */
interface DepthwiseKernel {
    /**
     * The kernel that follows the linalg backend choice, as the BERT attention kernel does: the scalar twin
     * when the chosen backend is the scalar reference, else the Vector API kernel when the vector backend
     * is available in this JVM, else the scalar twin.
     */
    static DepthwiseKernel forBackends(Backends backends) {
        if (backends.chosen().name().equals("scalar")) {
            return ScalarDepthwiseKernel.INSTANCE;
        }
        Backend vector = backends.find("vector");
        if (vector != null && vector.availability().available()) {
            return VectorDepthwiseKernel.INSTANCE;
        }
        return ScalarDepthwiseKernel.INSTANCE;
    }

    /** Computes output rows [rowFrom, rowTo) of the class comment's convolution. */
    void apply(float[] in, int inOff, int h, int w, int channels, float[] kernel, float[] bias, int stride,
            int padTop, int padLeft, boolean relu6, float[] out, int outOff, int outW, int rowFrom, int rowTo);
}
