package org.loes4j.encoders.mobilenet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.Transpose;
import org.loes4j.linalg.concurrent.LinalgExecutor;

/**
 * The float32 forward pass of a MobileNetV2 trunk (Sandler et al. 2018, "MobileNetV2: Inverted Residuals
 * and Linear Bottlenecks"), emitting the output of every block. For a batch of channels-last images x
 * (BatchNormalizations folded into the convolutions, {@link MobileNetV2Weights}):
 * <pre>
 *   x = relu6(conv3x3_s2(x))                                     stem, 32 channels
 *   for each block b:
 *     h = b.expand == none ? x : relu6(x W_expand + b_expand)    1x1 expansion, t c channels (GEMM)
 *     h = relu6(depthwise3x3_s(h))                               spatial filtering, stride s (DepthwiseKernel)
 *     h = h W_project + b_project                                 linear bottleneck (GEMM)
 *     x = b.residual ? x + h : h                                  -> tap b
 *   relu6(x W_head + b_head)                                      1280 channels -> tap "out_relu"
 * </pre>
 * An activation of N images of H x W pixels and C channels is one (N H W) x C row-major matrix, so a 1x1
 * convolution is one {@link Linalg#gemm}; the stem is a GEMM on its 3x3x3 patches (im2col); the depthwise
 * convolutions run on {@link DepthwiseKernel} (the Vector API kernel or its scalar twin, following the
 * linalg backend choice, as the BERT encoder's attention does). The trunk is fully convolutional: any
 * input of at least {@link #minimumSize()} pixels per side works (the classifier head that fixes nsfwjs's
 * model to 224 x 224 is not part of it).
 *
 * <p>Instances are immutable and thread-safe; each {@link #forward} call allocates its own work buffers.
 */
public final class MobileNetV2 {
    /** Output rows per task of the depthwise convolution and pixel rows per task of element-wise steps. */
    private static final int ROWS_PER_TASK = 8;
    /** Values per task of the element-wise pass after a GEMM (bias, residual, ReLU6). */
    private static final int VALUES_PER_TASK = 1 << 16;

    private final MobileNetV2Weights weights;
    private final Linalg linalg;
    private final DepthwiseKernel depthwise;
    private final List<String> tapNames;
    private final int[] tapWidths;

    public MobileNetV2(MobileNetV2Weights weights, Linalg linalg) {
        this(weights, linalg, linalg == null ? null : DepthwiseKernel.forBackends(linalg.backends()));
    }

    /** With an explicit depthwise kernel (tests compare the twins through whole forward passes). */
    MobileNetV2(MobileNetV2Weights weights, Linalg linalg, DepthwiseKernel depthwise) {
        if (weights == null) {
            throw new IllegalArgumentException("weights: null");
        }
        if (linalg == null) {
            throw new IllegalArgumentException("linalg: null");
        }
        this.weights = weights;
        this.linalg = linalg;
        this.depthwise = depthwise;
        this.tapNames = weights.tapNames();
        this.tapWidths = weights.tapWidths();
    }

    /**
     * Reads a TensorFlow.js MobileNetV2 (such as nsfwjs's {@code dist/models/mobilenet_v2/}: {@code model.min.js}
     * and its weight shards) from {@code modelDirectory} and builds the trunk on {@code linalg}.
     *
     * @throws IllegalArgumentException when the directory does not hold such a model (naming what is wrong)
     * @throws IOException              if a file cannot be read
     */
    public static MobileNetV2 load(Path modelDirectory, Linalg linalg) throws IOException {
        return new MobileNetV2(KerasMobileNetV2Importer.load(TfjsLayersModel.read(modelDirectory)), linalg);
    }

    public MobileNetV2Weights weights() {
        return weights;
    }

    public Linalg linalg() {
        return linalg;
    }

    /** The Keras layer names of the taps: every block's output, then {@code out_relu}. */
    public List<String> tapNames() {
        return tapNames;
    }

    /** The channels of every tap, in {@link #tapNames()} order. */
    public int[] tapWidths() {
        return tapWidths.clone();
    }

    /** Taps per forward pass. */
    public int taps() {
        return tapWidths.length;
    }

    /** The kernel the depthwise convolutions run on ({@code scalar} or {@code vector}), for provenance. */
    public String depthwiseKernel() {
        return depthwise instanceof ScalarDepthwiseKernel ? "scalar" : "vector";
    }

    /** The smallest height and width for which every layer has an output of at least one pixel. */
    public int minimumSize() {
        int s = 1;
        while (tapSizes(s, s) == null) {
            s++;
        }
        return s;
    }

    /**
     * Spatial sizes {@code {h_t, w_t}} of every tap for an {@code h x w} input, or null when the input is
     * too small for some layer.
     */
    public int[][] tapSizes(int h, int w) {
        int[][] sizes = new int[taps()][];
        MobileNetV2Weights.Conv stem = weights.stem();
        h = stem.padding().outRows(h, stem.kh(), stem.stride());
        w = stem.padding().outCols(w, stem.kw(), stem.stride());
        if (h < 1 || w < 1) {
            return null;
        }
        for (int t = 0; t < weights.blocks().size(); t++) {
            MobileNetV2Weights.Depthwise dw = weights.blocks().get(t).depthwise();
            h = dw.padding().outRows(h, 3, dw.stride());
            w = dw.padding().outCols(w, 3, dw.stride());
            if (h < 1 || w < 1) {
                return null;
            }
            sizes[t] = new int[] {h, w};
        }
        sizes[taps() - 1] = new int[] {h, w};
        return sizes;
    }

    /**
     * Runs the trunk on {@code batch} and hands every tap to {@code sink}, in order.
     *
     * @throws IllegalArgumentException when the images are smaller than {@link #minimumSize()} or hold a
     *                                  non-finite value
     */
    public void forward(ImageBatch batch, TapSink sink) {
        forward(batch, sink, new StageTimes());
    }

    /**
     * Wall-clock time spent per kind of step, accumulated over {@link #forward(ImageBatch, TapSink, StageTimes)}
     * calls (for benchmark breakdowns; the sink's own time is excluded).
     */
    public static final class StageTimes {
        long gemmNanos;
        long depthwiseNanos;
        long otherNanos;

        /** The GEMMs: the stem's (on im2col patches) and every 1x1 expansion, projection and the head. */
        public long gemmNanos() {
            return gemmNanos;
        }

        /** The depthwise 3x3 convolutions with their bias and ReLU6. */
        public long depthwiseNanos() {
            return depthwiseNanos;
        }

        /** Everything else: the input check, im2col, bias, residual and ReLU6 after each GEMM. */
        public long otherNanos() {
            return otherNanos;
        }
    }

    /** {@link #forward(ImageBatch, TapSink)}, adding each step's wall-clock time to {@code times}. */
    public void forward(ImageBatch batch, TapSink sink, StageTimes times) {
        if (times == null) {
            throw new IllegalArgumentException("times: null");
        }
        long t0 = System.nanoTime();
        if (batch == null) {
            throw new IllegalArgumentException("batch: null");
        }
        if (sink == null) {
            throw new IllegalArgumentException("sink: null");
        }
        if (tapSizes(batch.height(), batch.width()) == null) {
            throw new IllegalArgumentException("batch: images of " + batch.height() + " x " + batch.width()
                    + " are too small for MobileNetV2; the smallest size is " + minimumSize() + " x " + minimumSize());
        }
        float[] px = batch.pixels();
        long size = (long) batch.images() * batch.imageSize();
        for (long i = 0; i < size; i++) {
            float v = px[(int) (batch.offset() + i)];
            if (!Float.isFinite(v)) {
                long pixel = i / ImageBatch.CHANNELS;
                throw new IllegalArgumentException("batch: value " + v + " in image " + pixel / ((long) batch.height()
                        * batch.width()) + ", pixel " + pixel % ((long) batch.height() * batch.width()) + ", channel "
                        + i % ImageBatch.CHANNELS);
            }
        }
        int n = batch.images();
        int buffer = Math.toIntExact(largestActivation(n, batch.height(), batch.width()));
        float[] x = new float[buffer];
        float[] e = new float[buffer];
        float[] d = new float[buffer];

        // Stem: 3x3 patches (im2col) times the (kh kw 3) x 32 kernel.
        MobileNetV2Weights.Conv stem = weights.stem();
        int h = stem.padding().outRows(batch.height(), stem.kh(), stem.stride());
        int w = stem.padding().outCols(batch.width(), stem.kw(), stem.stride());
        int pixels = n * h * w;
        FMatrix patches = new FMatrix(d, 0, pixels, stem.kernel().rows(), stem.kernel().rows());
        im2col(batch, stem, h, w, patches);
        times.otherNanos += System.nanoTime() - t0;
        FMatrix xm = pointwise(patches, stem.kernel(), stem.bias(), true, null, x, times);

        List<MobileNetV2Weights.Block> blocks = weights.blocks();
        for (int t = 0; t < blocks.size(); t++) {
            MobileNetV2Weights.Block b = blocks.get(t);
            FMatrix hm = b.expand() == null ? xm
                    : pointwise(xm, b.expand().kernel(), b.expand().bias(), true, null, e, times);
            MobileNetV2Weights.Depthwise dw = b.depthwise();
            int oh = dw.padding().outRows(h, 3, dw.stride());
            int ow = dw.padding().outCols(w, 3, dw.stride());
            long t1 = System.nanoTime();
            FMatrix dm = depthwise(hm, n, h, w, dw, oh, ow, d);
            times.depthwiseNanos += System.nanoTime() - t1;
            FMatrix ym = pointwise(dm, b.project().kernel(), b.project().bias(), false, b.residual() ? xm : null, e,
                    times);
            float[] swap = x;
            x = e;
            e = swap;
            xm = ym;
            h = oh;
            w = ow;
            sink.accept(t, xm, n, h, w);
        }
        MobileNetV2Weights.Pointwise head = weights.head();
        FMatrix out = pointwise(xm, head.kernel(), head.bias(), true, null, e, times);
        sink.accept(taps() - 1, out, n, h, w);
    }

    /** The most values any activation (or the stem's patch matrix) of the pass takes. */
    private long largestActivation(int n, int h0, int w0) {
        MobileNetV2Weights.Conv stem = weights.stem();
        long px = (long) n * h0 * w0;
        int h = stem.padding().outRows(h0, stem.kh(), stem.stride());
        int w = stem.padding().outCols(w0, stem.kw(), stem.stride());
        long max = Math.max(px * 3, (long) n * h * w * Math.max(stem.kernel().rows(), stem.out()));
        for (MobileNetV2Weights.Block b : weights.blocks()) {
            long in = (long) n * h * w;
            max = Math.max(max, in * b.depthwise().channels());
            h = b.depthwise().padding().outRows(h, 3, b.depthwise().stride());
            w = b.depthwise().padding().outCols(w, 3, b.depthwise().stride());
            max = Math.max(max, (long) n * h * w * Math.max(b.depthwise().channels(), b.out()));
        }
        return Math.max(max, (long) n * h * w * weights.head().out());
    }

    // ------------------------------------------------------------------ the steps

    /**
     * {@code patches[(i oh + oy) ow + ox, (ky kw + kx) 3 + c] = image_i[oy s + ky - padTop, ox s + kx - padLeft, c]},
     * zero outside the image.
     */
    private static void im2col(ImageBatch batch, MobileNetV2Weights.Conv conv, int oh, int ow, FMatrix patches) {
        int ih = batch.height();
        int iw = batch.width();
        int s = conv.stride();
        int pt = conv.padding().padTop(ih, conv.kh(), s);
        int pl = conv.padding().padLeft(iw, conv.kw(), s);
        int kh = conv.kh();
        int kw = conv.kw();
        int cin = ImageBatch.CHANNELS;
        float[] src = batch.pixels();
        float[] dst = patches.data();
        int cols = patches.cols();
        int rows = batch.images() * oh;
        LinalgExecutor.parallelFor(ceilDiv(rows, ROWS_PER_TASK), task -> {
            int r1 = Math.min(rows, (task + 1) * ROWS_PER_TASK);
            for (int r = task * ROWS_PER_TASK; r < r1; r++) {
                int i = r / oh;
                int oy = r % oh;
                int image = batch.offset() + i * ih * iw * cin;
                for (int ox = 0; ox < ow; ox++) {
                    int o = (r * ow + ox) * cols;
                    for (int ky = 0; ky < kh; ky++) {
                        int iy = oy * s + ky - pt;
                        for (int kx = 0; kx < kw; kx++) {
                            int ix = ox * s + kx - pl;
                            int q = o + (ky * kw + kx) * cin;
                            boolean inside = iy >= 0 && iy < ih && ix >= 0 && ix < iw;
                            for (int c = 0; c < cin; c++) {
                                dst[q + c] = inside ? src[image + (iy * iw + ix) * cin + c] : 0f;
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * {@code y = act(x kernel + bias [+ residual])} into the front of {@code out}: one GEMM, then one pass
     * that adds the bias (and residual) and applies ReLU6 when {@code relu6}.
     */
    private FMatrix pointwise(FMatrix x, FMatrix kernel, float[] bias, boolean relu6, FMatrix residual, float[] out,
                              StageTimes times) {
        int rows = x.rows();
        int c = kernel.cols();
        FMatrix y = new FMatrix(out, 0, rows, c, c);
        long t0 = System.nanoTime();
        linalg.gemm(Transpose.NO, Transpose.NO, 1f, x, kernel, 0f, y);
        long t1 = System.nanoTime();
        times.gemmNanos += t1 - t0;
        float[] r = residual == null ? null : residual.data();
        int rowsPerTask = Math.max(1, VALUES_PER_TASK / c);
        LinalgExecutor.parallelFor(ceilDiv(rows, rowsPerTask), task -> {
            int from = task * rowsPerTask * c;
            int to = Math.min(rows, (task + 1) * rowsPerTask) * c;
            for (int i = from; i < to; i += c) {
                for (int j = 0; j < c; j++) {
                    float v = out[i + j] + bias[j];
                    if (r != null) {
                        v += r[i + j];
                    }
                    out[i + j] = relu6 ? Math.min(Math.max(v, 0f), 6f) : v;
                }
            }
        });
        times.otherNanos += System.nanoTime() - t1;
        return y;
    }

    /** {@code relu6(depthwise3x3(x))} into the front of {@code out}, (n oh ow) x channels. */
    private FMatrix depthwise(FMatrix x, int n, int h, int w, MobileNetV2Weights.Depthwise dw, int oh, int ow,
            float[] out) {
        int c = dw.channels();
        int s = dw.stride();
        int pt = dw.padding().padTop(h, 3, s);
        int pl = dw.padding().padLeft(w, 3, s);
        float[] in = x.data();
        int chunks = ceilDiv(oh, ROWS_PER_TASK);
        LinalgExecutor.parallelFor(n * chunks, task -> {
            int i = task / chunks;
            int r0 = (task % chunks) * ROWS_PER_TASK;
            depthwise.apply(in, i * h * w * c, h, w, c, dw.kernel(), dw.bias(), s, pt, pl, true,
                    out, i * oh * ow * c, ow, r0, Math.min(oh, r0 + ROWS_PER_TASK));
        });
        return new FMatrix(out, 0, n * oh * ow, c, c);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
