package org.loes4j.encoders.mobilenet;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.loes4j.linalg.FMatrix;

/**
 * Maps a Keras-applications MobileNetV2 graph ({@link TfjsLayersModel}) onto {@link MobileNetV2Weights},
 * checking every layer of the trunk against the architecture rather than trusting names alone.
 *
 * <p>The graph read, by the Keras layer names of {@code tf.keras.applications.MobileNetV2}:
 * <pre>
 *   input -> [Conv1_pad: ZeroPadding2D] -> Conv1: Conv2D 3x3 -> bn_Conv1 -> Conv1_relu: ReLU(6)
 *   expanded_conv_depthwise -> _BN -> _relu -> expanded_conv_project -> _BN              (no expansion)
 *   block_k_expand: Conv2D 1x1 -> _BN -> _relu -> [block_k_pad] -> block_k_depthwise -> _BN -> _relu
 *     -> block_k_project: Conv2D 1x1 -> block_k_project_BN -> [block_k_add: Add(block input, project_BN)]
 *   Conv_1: Conv2D 1x1 -> Conv_1_bn -> out_relu: ReLU(6)
 * </pre>
 * for k = 1, 2, ... while {@code block_k_expand} exists. Each layer must have the expected class, its
 * single expected input, a linear activation, no dilation, channels-last data, and ReLU layers must be
 * ReLU6 ({@code max_value 6}, slope 0, threshold 0); strides, kernel sizes, padding and widths are read
 * from the configs and weights. Every layer from the input to {@code out_relu} must be used; the layers
 * after it (nsfwjs's classifier head: 7x7 average pooling, flatten, dense, dropout) are not part of the
 * trunk and are ignored.
 */
public final class KerasMobileNetV2Importer {
    private static final double RELU6_MAX = 6.0;

    private final TfjsLayersModel model;
    private final String src;
    private final Set<String> used = new LinkedHashSet<>();

    private KerasMobileNetV2Importer(TfjsLayersModel model) {
        this.model = model;
        this.src = model.directory().toString();
    }

    /**
     * Reads the MobileNetV2 trunk of {@code model}.
     *
     * @throws IllegalArgumentException naming the first layer that does not fit the architecture
     */
    public static MobileNetV2Weights load(TfjsLayersModel model) {
        if (model == null) {
            throw new IllegalArgumentException("model: null");
        }
        return new KerasMobileNetV2Importer(model).read();
    }

    private MobileNetV2Weights read() {
        String input = inputLayer();
        // Stem.
        MobileNetV2Weights.Conv stem = fullConv("Conv1", input, "bn_Conv1");
        String x = relu6("Conv1_relu", "bn_Conv1");

        List<MobileNetV2Weights.Block> blocks = new ArrayList<>();
        blocks.add(block("expanded_conv", null, x));
        x = blocks.getLast().tapName();
        for (int k = 1; model.hasLayer("block_" + k + "_expand"); k++) {
            String p = "block_" + k;
            blocks.add(block(p, p + "_expand", x));
            x = blocks.getLast().tapName();
        }
        MobileNetV2Weights.Pointwise head = pointwise("Conv_1", x, "Conv_1_bn");
        relu6(MobileNetV2Weights.HEAD_TAP, "Conv_1_bn");
        checkAllTrunkLayersUsed();
        return new MobileNetV2Weights(stem, blocks, head, src);
    }

    /** One inverted-residual block {@code prefix_*}, fed by layer {@code x}; expand is null for the first block. */
    private MobileNetV2Weights.Block block(String prefix, String expandName, String x) {
        MobileNetV2Weights.Pointwise expand = null;
        String h = x;
        if (expandName != null) {
            expand = pointwise(expandName, x, expandName + "_BN");
            h = relu6(expandName + "_relu", expandName + "_BN");
        }
        MobileNetV2Weights.Depthwise dw = depthwise(prefix + "_depthwise", h, prefix + "_depthwise_BN");
        h = relu6(prefix + "_depthwise_relu", prefix + "_depthwise_BN");
        MobileNetV2Weights.Pointwise project = pointwise(prefix + "_project", h, prefix + "_project_BN");
        String out = prefix + "_project_BN";
        boolean residual = model.hasLayer(prefix + "_add");
        if (residual) {
            TfjsLayersModel.Layer add = layer(prefix + "_add", "Add");
            if (!add.inbound().equals(List.of(x, out)) && !add.inbound().equals(List.of(out, x))) {
                throw error(add, "adds " + add.inbound() + ", expected the block input '" + x + "' and '" + out + "'");
            }
            out = add.name();
        }
        return new MobileNetV2Weights.Block(prefix, out, expand, dw, project, residual);
    }

    // ---------------------------------------------------------------- layers

    private String inputLayer() {
        String name = null;
        for (TfjsLayersModel.Layer l : model.layers()) {
            if (l.className().equals("InputLayer")) {
                if (name != null) {
                    throw new IllegalArgumentException(src + ": two input layers ('" + name + "', '" + l.name() + "')");
                }
                name = l.name();
            }
        }
        if (name == null) {
            throw new IllegalArgumentException(src + ": no InputLayer");
        }
        TfjsLayersModel.Layer in = layer(name, "InputLayer");
        List<Object> shape = TfjsLayersModel.list(in.config().get("batch_input_shape"), src,
                "layer '" + name + "': batch_input_shape");
        if (shape.size() != 4 || !Long.valueOf(3).equals(shape.get(3))) {
            throw error(in, "batch_input_shape " + shape + ", expected [batch, height, width, 3]");
        }
        return name;
    }

    /** A full Conv2D {@code name} (optionally behind a ZeroPadding2D) fed by {@code x}, folded with BN {@code bn}. */
    private MobileNetV2Weights.Conv fullConv(String name, String x, String bn) {
        TfjsLayersModel.Layer conv = layer(name, "Conv2D");
        Padding pad = padding(conv, x);
        int[] k = pair(conv, "kernel_size");
        int stride = stride(conv);
        float[] w = model.weight(name + "/kernel", k[0], k[1], channelsOf(conv, k), filters(conv)).values().clone();
        int in = channelsOf(conv, k);
        int out = filters(conv);
        float[] bias = bias(conv, out);
        fold(bn, name, w, bias, out);
        return new MobileNetV2Weights.Conv(name, FMatrix.wrap(w, k[0] * k[1] * in, out), bias, k[0], k[1], in, out,
                stride, pad);
    }

    /** A 1x1 stride-1 Conv2D {@code name} fed by {@code x}, folded with BN {@code bn}. */
    private MobileNetV2Weights.Pointwise pointwise(String name, String x, String bn) {
        TfjsLayersModel.Layer conv = layer(name, "Conv2D");
        inbound(conv, x);
        int[] k = pair(conv, "kernel_size");
        if (k[0] != 1 || k[1] != 1 || stride(conv) != 1) {
            throw error(conv, "kernel " + k[0] + "x" + k[1] + ", stride " + stride(conv) + "; expected a 1x1 stride-1 convolution");
        }
        int out = filters(conv);
        int in = channelsOf(conv, k);
        float[] w = model.weight(name + "/kernel", 1, 1, in, out).values().clone();
        float[] bias = bias(conv, out);
        fold(bn, name, w, bias, out);
        return new MobileNetV2Weights.Pointwise(name, FMatrix.wrap(w, in, out), bias);
    }

    /** A 3x3 DepthwiseConv2D {@code name} (optionally behind a ZeroPadding2D) fed by {@code x}, folded with BN {@code bn}. */
    private MobileNetV2Weights.Depthwise depthwise(String name, String x, String bn) {
        TfjsLayersModel.Layer conv = layer(name, "DepthwiseConv2D");
        Padding pad = padding(conv, x);
        int[] k = pair(conv, "kernel_size");
        if (k[0] != 3 || k[1] != 3) {
            throw error(conv, "kernel " + k[0] + "x" + k[1] + "; only 3x3 depthwise convolutions are supported");
        }
        Object mult = conv.config().get("depth_multiplier");
        if (mult != null && !Long.valueOf(1).equals(mult)) {
            throw error(conv, "depth_multiplier " + mult + "; only 1 is supported");
        }
        TfjsLayersModel.Tensor kernel = model.weights().get(name + "/depthwise_kernel");
        if (kernel == null || kernel.shape().length != 4) {
            throw error(conv, "no 4-d weight '" + name + "/depthwise_kernel'");
        }
        int c = kernel.shape()[2];
        float[] w = model.weight(name + "/depthwise_kernel", 3, 3, c, 1).values().clone();
        float[] bias = bias(conv, c);
        fold(bn, name, w, bias, c);
        return new MobileNetV2Weights.Depthwise(name, w, bias, c, stride(conv), pad);
    }

    /** Checks a ReLU6 layer {@code name} fed by {@code x}; returns its name. */
    private String relu6(String name, String x) {
        TfjsLayersModel.Layer relu = layer(name, "ReLU");
        inbound(relu, x);
        Map<String, Object> c = relu.config();
        if (num(relu, "max_value") != RELU6_MAX || num(relu, "negative_slope") != 0
                || (c.get("threshold") != null && num(relu, "threshold") != 0)) {
            throw error(relu, "is not ReLU6 (max_value " + c.get("max_value") + ", negative_slope "
                    + c.get("negative_slope") + ", threshold " + c.get("threshold") + ")");
        }
        return name;
    }

    /**
     * The padding of {@code conv}: its own 'same' or 'valid', or, when its input is a ZeroPadding2D fed by
     * {@code x}, that layer's explicit amounts followed by 'valid'.
     */
    private Padding padding(TfjsLayersModel.Layer conv, String x) {
        checkConvCommon(conv);
        Object p = conv.config().get("padding");
        if (conv.inbound().size() == 1 && !conv.inbound().getFirst().equals(x)) {
            TfjsLayersModel.Layer zp = layer(conv.inbound().getFirst(), "ZeroPadding2D");
            inbound(zp, x);
            List<Object> pp = TfjsLayersModel.list(zp.config().get("padding"), src, "layer '" + zp.name() + "': padding");
            if (pp.size() != 2) {
                throw error(zp, "padding " + pp + ", expected [[top, bottom], [left, right]]");
            }
            int[] tb = intPair(zp, TfjsLayersModel.list(pp.get(0), src, "padding"));
            int[] lr = intPair(zp, TfjsLayersModel.list(pp.get(1), src, "padding"));
            if (!"valid".equals(p)) {
                throw error(conv, "padding '" + p + "' after a ZeroPadding2D; expected 'valid'");
            }
            return Padding.explicit(tb[0], tb[1], lr[0], lr[1]);
        }
        inbound(conv, x);
        return switch (String.valueOf(p)) {
            case "same" -> Padding.SAME;
            case "valid" -> Padding.VALID;
            default -> throw error(conv, "padding '" + p + "', expected 'same' or 'valid'");
        };
    }

    /**
     * Folds BatchNormalization {@code bnName} (fed by {@code convName}) into kernel {@code w} (output channel
     * fastest, {@code out} channels) and {@code bias}, in place.
     */
    private void fold(String bnName, String convName, float[] w, float[] bias, int out) {
        TfjsLayersModel.Layer bn = layer(bnName, "BatchNormalization");
        inbound(bn, convName);
        Object axis = bn.config().get("axis");
        if (!Long.valueOf(-1).equals(axis) && !Long.valueOf(3).equals(axis)
                && !(axis instanceof List<?> l && l.size() == 1 && (Long.valueOf(-1).equals(l.getFirst())
                        || Long.valueOf(3).equals(l.getFirst())))) {
            throw error(bn, "normalises axis " + axis + ", expected the channel axis (-1 or 3)");
        }
        double eps = num(bn, "epsilon");
        boolean scale = !Boolean.FALSE.equals(bn.config().get("scale"));
        boolean center = !Boolean.FALSE.equals(bn.config().get("center"));
        float[] gamma = scale ? model.weight(bnName + "/gamma", out).values() : null;
        float[] beta = center ? model.weight(bnName + "/beta", out).values() : null;
        float[] mean = model.weight(bnName + "/moving_mean", out).values();
        float[] var = model.weight(bnName + "/moving_variance", out).values();
        double[] s = new double[out];
        for (int c = 0; c < out; c++) {
            if (var[c] + eps <= 0) {
                throw error(bn, "moving_variance[" + c + "] + epsilon = " + (var[c] + eps) + " is not positive");
            }
            s[c] = (gamma == null ? 1.0 : gamma[c]) / Math.sqrt(var[c] + eps);
            bias[c] = (float) ((bias[c] - (double) mean[c]) * s[c] + (beta == null ? 0.0 : beta[c]));
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (w[i] * s[i % out]);
        }
    }

    // ---------------------------------------------------------------- config checks

    private void checkConvCommon(TfjsLayersModel.Layer conv) {
        Map<String, Object> c = conv.config();
        Object act = c.get("activation");
        if (act != null && !"linear".equals(act)) {
            throw error(conv, "activation '" + act + "'; expected 'linear' (the BN and ReLU6 are separate layers)");
        }
        Object df = c.get("data_format");
        if (df != null && !"channels_last".equals(df)) {
            throw error(conv, "data_format '" + df + "'; expected 'channels_last'");
        }
        Object dil = c.get("dilation_rate");
        if (dil != null) {
            int[] d = intPair(conv, TfjsLayersModel.list(dil, src, "dilation_rate"));
            if (d[0] != 1 || d[1] != 1) {
                throw error(conv, "dilation " + d[0] + "x" + d[1] + "; only 1 is supported");
            }
        }
        Object groups = c.get("groups");
        if (groups != null && !Long.valueOf(1).equals(groups)) {
            throw error(conv, "groups " + groups + "; only 1 is supported");
        }
    }

    private int filters(TfjsLayersModel.Layer conv) {
        Object f = conv.config().get("filters");
        if (!(f instanceof Long n) || n < 1) {
            throw error(conv, "filters " + f + " is not a positive integer");
        }
        return (int) (long) n;
    }

    /** Input channels from the kernel weight's shape [kh, kw, in, out]. */
    private int channelsOf(TfjsLayersModel.Layer conv, int[] k) {
        TfjsLayersModel.Tensor t = model.weights().get(conv.name() + "/kernel");
        if (t == null || t.shape().length != 4 || t.shape()[0] != k[0] || t.shape()[1] != k[1]) {
            throw error(conv, "no weight '" + conv.name() + "/kernel' of shape [" + k[0] + ", " + k[1] + ", in, out]");
        }
        return t.shape()[2];
    }

    private float[] bias(TfjsLayersModel.Layer conv, int out) {
        if (Boolean.TRUE.equals(conv.config().get("use_bias"))) {
            return model.weight(conv.name() + "/bias", out).values().clone();
        }
        return new float[out];
    }

    private int stride(TfjsLayersModel.Layer conv) {
        int[] s = pair(conv, "strides");
        if (s[0] != s[1]) {
            throw error(conv, "strides " + s[0] + "x" + s[1] + "; only equal strides are supported");
        }
        return s[0];
    }

    private int[] pair(TfjsLayersModel.Layer l, String key) {
        return intPair(l, TfjsLayersModel.list(l.config().get(key), src, "layer '" + l.name() + "': " + key));
    }

    private int[] intPair(TfjsLayersModel.Layer l, List<Object> v) {
        if (v.size() != 2 || !(v.get(0) instanceof Long a) || !(v.get(1) instanceof Long b) || a < 0 || b < 0
                || a > 1 << 16 || b > 1 << 16) {
            throw error(l, "expected a pair of non-negative integers, found " + v);
        }
        return new int[] {(int) (long) a, (int) (long) b};
    }

    private double num(TfjsLayersModel.Layer l, String key) {
        return TfjsLayersModel.number(l.config().get(key), src, "layer '" + l.name() + "': " + key);
    }

    private TfjsLayersModel.Layer layer(String name, String className) {
        if (!model.hasLayer(name)) {
            throw new IllegalArgumentException(src + ": no layer '" + name + "' (" + className
                    + "); not the Keras MobileNetV2 graph this reader supports");
        }
        TfjsLayersModel.Layer l = model.layer(name);
        if (!l.className().equals(className)) {
            throw error(l, "is a " + l.className() + ", expected a " + className);
        }
        used.add(name);
        return l;
    }

    private void inbound(TfjsLayersModel.Layer l, String from) {
        if (!l.inbound().equals(List.of(from))) {
            throw error(l, "is fed by " + l.inbound() + ", expected ['" + from + "']");
        }
    }

    private void checkAllTrunkLayersUsed() {
        List<String> unused = new ArrayList<>();
        for (TfjsLayersModel.Layer l : model.layers()) {
            if (l.name().equals(MobileNetV2Weights.HEAD_TAP)) {
                break;
            }
            if (!used.contains(l.name())) {
                unused.add(l.name() + " (" + l.className() + ")");
            }
        }
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException(src + ": layers before out_relu that are not part of the MobileNetV2 "
                    + "structure: " + unused);
        }
    }

    private IllegalArgumentException error(TfjsLayersModel.Layer l, String what) {
        return new IllegalArgumentException(src + ": layer '" + l.name() + "' (" + l.className() + ") " + what);
    }
}
