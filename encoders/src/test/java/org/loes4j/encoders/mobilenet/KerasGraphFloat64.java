package org.loes4j.encoders.mobilenet;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The definition, independent of the importer and the forward pass: the Keras layer graph of a
 * {@link TfjsLayersModel} interpreted layer by layer in float64, on the unfolded (dequantised float32)
 * weights, with Keras semantics written out directly: ZeroPadding2D, Conv2D and DepthwiseConv2D ('same' =
 * TensorFlow's padding rule, 'valid'), BatchNormalization {@code (x - mean) gamma / sqrt(var + eps) + beta},
 * ReLU with max_value, Add. Slow (plain loops, about a second per 224 x 224 image); one image at a time.
 */
final class KerasGraphFloat64 {
    /** A channels-last activation of one image. */
    record Activation(double[] v, int h, int w, int c) {
    }

    private KerasGraphFloat64() {
    }

    /** Every layer's output up to and including {@code last}, by layer name, for one h x w x 3 image. */
    static Map<String, Activation> run(TfjsLayersModel model, float[] image, int offset, int h, int w, String last) {
        Map<String, Activation> out = new HashMap<>();
        for (TfjsLayersModel.Layer l : model.layers()) {
            Activation x = l.inbound().isEmpty() ? null : out.get(l.inbound().getFirst());
            Map<String, Object> c = l.config();
            Activation y = switch (l.className()) {
                case "InputLayer" -> {
                    double[] v = new double[h * w * 3];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = image[offset + i];
                    }
                    yield new Activation(v, h, w, 3);
                }
                case "ZeroPadding2D" -> {
                    List<?> p = (List<?>) c.get("padding");
                    int top = intAt(p.get(0), 0);
                    int bottom = intAt(p.get(0), 1);
                    int left = intAt(p.get(1), 0);
                    int right = intAt(p.get(1), 1);
                    int ph = x.h + top + bottom;
                    int pw = x.w + left + right;
                    double[] v = new double[ph * pw * x.c];
                    for (int i = 0; i < x.h; i++) {
                        for (int j = 0; j < x.w; j++) {
                            System.arraycopy(x.v, (i * x.w + j) * x.c, v, ((i + top) * pw + j + left) * x.c, x.c);
                        }
                    }
                    yield new Activation(v, ph, pw, x.c);
                }
                case "Conv2D", "DepthwiseConv2D" -> conv(model, l, x);
                case "BatchNormalization" -> {
                    float[] g = model.weights().get(l.name() + "/gamma").values();
                    float[] b = model.weights().get(l.name() + "/beta").values();
                    float[] mean = model.weights().get(l.name() + "/moving_mean").values();
                    float[] var = model.weights().get(l.name() + "/moving_variance").values();
                    double eps = ((Number) c.get("epsilon")).doubleValue();
                    double[] v = x.v.clone();
                    for (int i = 0; i < v.length; i++) {
                        int k = i % x.c;
                        v[i] = (v[i] - mean[k]) * g[k] / Math.sqrt(var[k] + eps) + b[k];
                    }
                    yield new Activation(v, x.h, x.w, x.c);
                }
                case "ReLU" -> {
                    double max = ((Number) c.get("max_value")).doubleValue();
                    double[] v = x.v.clone();
                    for (int i = 0; i < v.length; i++) {
                        v[i] = Math.min(Math.max(v[i], 0), max);
                    }
                    yield new Activation(v, x.h, x.w, x.c);
                }
                case "Add" -> {
                    Activation z = out.get(l.inbound().get(1));
                    double[] v = x.v.clone();
                    for (int i = 0; i < v.length; i++) {
                        v[i] += z.v[i];
                    }
                    yield new Activation(v, x.h, x.w, x.c);
                }
                default -> throw new IllegalArgumentException("layer " + l.name() + ": " + l.className()
                        + " is not interpreted");
            };
            out.put(l.name(), y);
            if (l.name().equals(last)) {
                return out;
            }
        }
        throw new IllegalArgumentException("no layer " + last);
    }

    private static Activation conv(TfjsLayersModel model, TfjsLayersModel.Layer l, Activation x) {
        boolean depthwise = l.className().equals("DepthwiseConv2D");
        TfjsLayersModel.Tensor kt = model.weights().get(l.name() + (depthwise ? "/depthwise_kernel" : "/kernel"));
        int kh = kt.shape()[0];
        int kw = kt.shape()[1];
        int co = depthwise ? x.c : kt.shape()[3];
        int s = intAt(l.config().get("strides"), 0);
        boolean same = l.config().get("padding").equals("same");
        int oh = same ? (x.h + s - 1) / s : (x.h - kh) / s + 1;
        int ow = same ? (x.w + s - 1) / s : (x.w - kw) / s + 1;
        int pt = same ? Math.max((oh - 1) * s + kh - x.h, 0) / 2 : 0;
        int pl = same ? Math.max((ow - 1) * s + kw - x.w, 0) / 2 : 0;
        float[] k = kt.values();
        double[] v = new double[oh * ow * co];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                int o = (i * ow + j) * co;
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        int iy = i * s + ky - pt;
                        int ix = j * s + kx - pl;
                        if (iy < 0 || iy >= x.h || ix < 0 || ix >= x.w) {
                            continue;
                        }
                        int ip = (iy * x.w + ix) * x.c;
                        if (depthwise) {
                            for (int ch = 0; ch < co; ch++) {
                                v[o + ch] += x.v[ip + ch] * k[(ky * kw + kx) * co + ch];
                            }
                        } else {
                            for (int ci = 0; ci < x.c; ci++) {
                                double xv = x.v[ip + ci];
                                int kb = ((ky * kw + kx) * x.c + ci) * co;
                                for (int ch = 0; ch < co; ch++) {
                                    v[o + ch] += xv * k[kb + ch];
                                }
                            }
                        }
                    }
                }
            }
        }
        if (Boolean.TRUE.equals(l.config().get("use_bias"))) {
            float[] b = model.weights().get(l.name() + "/bias").values();
            for (int i = 0; i < v.length; i++) {
                v[i] += b[i % co];
            }
        }
        return new Activation(v, oh, ow, co);
    }

    private static int intAt(Object list, int i) {
        return ((Number) ((List<?>) list).get(i)).intValue();
    }
}
