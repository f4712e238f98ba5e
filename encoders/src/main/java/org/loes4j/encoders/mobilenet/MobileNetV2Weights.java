package org.loes4j.encoders.mobilenet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.loes4j.linalg.FMatrix;

/**
 * The parameters of a MobileNetV2 trunk (Sandler et al. 2018) in the layout the forward pass uses, every
 * BatchNormalization already folded into the convolution before it:
 * {@code BN(conv(x)) = conv'(x) + b'} with {@code W'[.., c] = W[.., c] s_c}, {@code b'_c = (b_c - mean_c) s_c + beta_c},
 * {@code s_c = gamma_c / sqrt(var_c + eps)} (computed in double, rounded once to float32).
 *
 * @param stem   the first full convolution (3x3, stride 2, RGB in), followed by ReLU6
 * @param blocks the inverted-residual blocks, in order
 * @param head   the last 1x1 convolution to 1280 channels, followed by ReLU6 ({@code out_relu})
 * @param source where the weights came from (for messages and provenance)
 */
public record MobileNetV2Weights(Conv stem, List<Block> blocks, Pointwise head, String source) {
    public MobileNetV2Weights {
        if (stem == null || blocks == null || head == null || source == null) {
            throw new IllegalArgumentException("MobileNetV2Weights: null component");
        }
        blocks = List.copyOf(blocks);
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("blocks: none");
        }
        if (stem.in() != 3) {
            throw new IllegalArgumentException("stem: " + stem.in() + " input channels, expected 3 (RGB)");
        }
        int c = stem.out();
        for (Block b : blocks) {
            if (b.in() != c) {
                throw new IllegalArgumentException("blocks: " + b.name() + " takes " + b.in() + " channels, the previous "
                        + "step gives " + c);
            }
            c = b.out();
        }
        if (head.in() != c) {
            throw new IllegalArgumentException("head: takes " + head.in() + " channels, the last block gives " + c);
        }
    }

    /**
     * A full convolution with bias, kernel {@code kh x kw}, {@code in -> out} channels.
     *
     * @param kernel (kh kw in) x out: row {@code (ky kw + kx) in + ci} holds the weights of input pixel
     *               offset (ky, kx), channel ci (Keras's [kh, kw, in, out] kernel flattened)
     */
    public record Conv(String name, FMatrix kernel, float[] bias, int kh, int kw, int in, int out, int stride,
                       Padding padding) {
        public Conv {
            if (kernel.rows() != kh * kw * in || kernel.cols() != out || bias.length != out || stride < 1) {
                throw new IllegalArgumentException(name + ": kernel " + kernel.rows() + " x " + kernel.cols()
                        + ", bias " + bias.length + ", stride " + stride + " do not fit " + kh + "x" + kw + ", " + in
                        + " -> " + out);
            }
        }
    }

    /** A 1x1 convolution {@code y = x kernel + bias} per pixel, kernel {@code in x out}. */
    public record Pointwise(String name, FMatrix kernel, float[] bias) {
        public Pointwise {
            if (bias.length != kernel.cols()) {
                throw new IllegalArgumentException(name + ": bias " + bias.length + ", kernel " + kernel.cols() + " columns");
            }
        }

        public int in() {
            return kernel.rows();
        }

        public int out() {
            return kernel.cols();
        }
    }

    /**
     * A 3x3 depthwise convolution (depth multiplier 1) with bias, followed by ReLU6.
     *
     * @param kernel 9 channels values: {@code kernel[(ky 3 + kx) channels + c]} (Keras's [3, 3, C, 1] kernel)
     */
    public record Depthwise(String name, float[] kernel, float[] bias, int channels, int stride, Padding padding) {
        public Depthwise {
            if (kernel.length != 9 * channels || bias.length != channels || stride < 1) {
                throw new IllegalArgumentException(name + ": kernel " + kernel.length + ", bias " + bias.length
                        + ", stride " + stride + " do not fit 3x3 over " + channels + " channels");
            }
        }
    }

    /**
     * One inverted-residual block: {@code y = project(relu6(depthwise(relu6(expand(x)))))}, plus x when
     * {@code residual}.
     *
     * @param name      {@code expanded_conv} or {@code block_k}
     * @param tapName   the Keras layer whose output is the block's output ({@code block_k_add} or
     *                  {@code ..._project_BN})
     * @param expand    the 1x1 expansion (with ReLU6), or null when the block has none (the first block)
     * @param depthwise the 3x3 depthwise convolution (with ReLU6)
     * @param project   the linear 1x1 projection (no activation)
     * @param residual  whether the input is added to the projection
     */
    public record Block(String name, String tapName, Pointwise expand, Depthwise depthwise, Pointwise project,
                        boolean residual) {
        public Block {
            int c = expand == null ? project.in() : expand.out();
            if (depthwise.channels() != c || project.in() != c) {
                throw new IllegalArgumentException(name + ": expansion gives " + (expand == null ? "-" : expand.out())
                        + " channels, depthwise has " + depthwise.channels() + ", projection takes " + project.in());
            }
            int in = expand == null ? project.in() : expand.in();
            if (residual && (depthwise.stride() != 1 || in != project.out())) {
                throw new IllegalArgumentException(name + ": a residual needs stride 1 and equal widths (stride "
                        + depthwise.stride() + ", " + in + " -> " + project.out() + ")");
            }
        }

        public int in() {
            return expand == null ? project.in() : expand.in();
        }

        public int out() {
            return project.out();
        }
    }

    /** The names of the taps: each block's output, then {@code out_relu}. */
    public List<String> tapNames() {
        List<String> names = new ArrayList<>(blocks.size() + 1);
        for (Block b : blocks) {
            names.add(b.tapName());
        }
        names.add(HEAD_TAP);
        return Collections.unmodifiableList(names);
    }

    /** The widths (channels) of the taps, in {@link #tapNames} order. */
    public int[] tapWidths() {
        int[] w = new int[blocks.size() + 1];
        for (int i = 0; i < blocks.size(); i++) {
            w[i] = blocks.get(i).out();
        }
        w[blocks.size()] = head.out();
        return w;
    }

    /** The name of the last tap, the head's ReLU6 output. */
    public static final String HEAD_TAP = "out_relu";
}
