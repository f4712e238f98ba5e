package org.loes4j.encoders;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.encoders.mobilenet.ImageBatch;
import org.loes4j.encoders.mobilenet.MobileNetV2;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Linalg;

/**
 * Images in, every tap of a MobileNetV2 globally average-pooled per image out.
 *
 * <p>{@link #encode} runs the images through {@link MobileNetV2#forward} {@code batchSize} at a time and
 * pools each tap as it is produced: {@code v_t[i, c] = mean over the tap's pixels (y, x) of a_t[i, y, x, c]}
 * (summed in double, rounded once). Tap t (0 .. T-1) is the output of block t, the last one
 * {@code out_relu}; {@link #tapNames()} gives their Keras layer names, {@link #tapWidths()} their widths
 * (16 .. 1280 for MobileNetV2 1.0).
 */
public final class ImageEncoder implements LayerwiseEncoder<ImageBatch> {
    /** Images per forward pass of {@link #encodeLayers}: at 224 x 224 the work buffers take 3 x 38 MB. */
    public static final int DEFAULT_BATCH_SIZE = 8;

    private final MobileNetV2 model;

    public ImageEncoder(MobileNetV2 model) {
        if (model == null) {
            throw new IllegalArgumentException("model: null");
        }
        this.model = model;
    }

    /**
     * Loads a TensorFlow.js MobileNetV2 from {@code modelDirectory} (nsfwjs's {@code dist/models/mobilenet_v2/},
     * see {@link MobileNetV2#load}) on {@code linalg}.
     */
    public static ImageEncoder load(Path modelDirectory, Linalg linalg) throws IOException {
        return new ImageEncoder(MobileNetV2.load(modelDirectory, linalg));
    }

    public MobileNetV2 model() {
        return model;
    }

    /** The taps' Keras layer names, by tap index. */
    public List<String> tapNames() {
        return model.tapNames();
    }

    /** The taps' widths, by tap index. */
    public int[] tapWidths() {
        return model.tapWidths();
    }

    @Override
    public String architecture() {
        return Architectures.MOBILENET_V2.name();
    }

    @Override
    public Modality modality() {
        return Modality.IMAGE;
    }

    /** {@link #tapNames()}. */
    @Override
    public List<String> layerNames() {
        return tapNames();
    }

    /** {@link #tapWidths()}. */
    @Override
    public int[] layerWidths() {
        return tapWidths();
    }

    /** {@code encode(images, DEFAULT_BATCH_SIZE).embeddings()}: every tap, globally average-pooled. */
    @Override
    public LayeredEmbeddings encodeLayers(ImageBatch images) {
        return encode(images, DEFAULT_BATCH_SIZE).embeddings();
    }

    /** Receives progress after each batch. */
    @FunctionalInterface
    public interface Progress {
        void update(int imagesDone, int imagesTotal);
    }

    /**
     * The result of {@link #encode}.
     *
     * @param taps     per tap, an N x d_t float32 matrix of the pooled activations
     * @param tapNames the taps' Keras layer names
     */
    public record Result(List<FMatrix> taps, List<String> tapNames) {
        public Result {
            taps = List.copyOf(taps);
            tapNames = List.copyOf(tapNames);
            if (taps.size() != tapNames.size()) {
                throw new IllegalArgumentException("taps, tapNames: " + taps.size() + " and " + tapNames.size()
                        + " entries");
            }
        }

        /** The pooled taps as layers numbered 0 .. T-1 by tap index (views; nothing is copied). */
        public LayeredEmbeddings embeddings() {
            int[] idx = new int[taps.size()];
            for (int t = 0; t < idx.length; t++) {
                idx[t] = t;
            }
            return LayeredEmbeddings.ofMatrices(taps, idx);
        }
    }

    /** {@link #encode(ImageBatch, int, Progress)} without progress reports. */
    public Result encode(ImageBatch images, int batchSize) {
        return encode(images, batchSize, (done, total) -> { });
    }

    /**
     * Encodes every image of {@code images}, {@code batchSize} per forward pass.
     *
     * @throws IllegalArgumentException when batchSize &lt; 1, or the images are too small or not finite
     */
    public Result encode(ImageBatch images, int batchSize, Progress progress) {
        if (images == null) {
            throw new IllegalArgumentException("images: null");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: " + batchSize + " must be positive");
        }
        if (progress == null) {
            throw new IllegalArgumentException("progress: null");
        }
        int n = images.images();
        int[] widths = model.tapWidths();
        List<FMatrix> pooled = new ArrayList<>(widths.length);
        for (int wt : widths) {
            pooled.add(FMatrix.zeros(n, wt));
        }
        for (int start = 0; start < n; start += batchSize) {
            int size = Math.min(batchSize, n - start);
            ImageBatch batch = new ImageBatch(images.pixels(), images.offset() + start * images.imageSize(), size,
                    images.height(), images.width());
            int first = start;
            model.forward(batch, (tap, a, count, h, w) -> pool(a, count, h * w, pooled.get(tap), first));
            progress.update(start + size, n);
        }
        return new Result(pooled, model.tapNames());
    }

    /** Rows [first, first + images) of {@code out} = the per-image channel means of {@code a}. */
    private static void pool(FMatrix a, int images, int pixels, FMatrix out, int first) {
        int c = a.cols();
        float[] src = a.data();
        double[] sum = new double[c];
        for (int i = 0; i < images; i++) {
            Arrays.fill(sum, 0);
            for (int p = 0; p < pixels; p++) {
                int r = a.index(i * pixels + p, 0);
                for (int j = 0; j < c; j++) {
                    sum[j] += src[r + j];
                }
            }
            for (int j = 0; j < c; j++) {
                out.set(first + i, j, (float) (sum[j] / pixels));
            }
        }
    }
}
