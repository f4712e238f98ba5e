package org.loes4j.encoders.mobilenet;

/**
 * A batch of RGB images in channels-last (NHWC) float32 layout: pixel (y, x) of image i, channel c, is
 * {@code pixels[offset + ((i height + y) width + x) 3 + c]}. MobileNetV2 as trained (Keras applications,
 * nsfwjs) expects values in [0, 1].
 *
 * @param pixels the values (not copied; the forward pass only reads them)
 * @param offset where image 0 starts
 * @param images N >= 1
 * @param height H >= 1
 * @param width  W >= 1
 */
public record ImageBatch(float[] pixels, int offset, int images, int height, int width) {
    /** Channels per pixel. */
    public static final int CHANNELS = 3;

    public ImageBatch {
        if (pixels == null) {
            throw new IllegalArgumentException("pixels: null");
        }
        if (images < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("images, height, width: " + images + ", " + height + ", " + width
                    + " must be >= 1");
        }
        long need = (long) images * height * width * CHANNELS;
        if (offset < 0 || offset + need > pixels.length) {
            throw new IllegalArgumentException("pixels: " + images + " images of " + height + " x " + width + " x 3 from "
                    + "offset " + offset + " need " + need + " values, the array holds " + pixels.length);
        }
    }

    /** {@code images} images of {@code height x width} starting at index 0. */
    public ImageBatch(float[] pixels, int images, int height, int width) {
        this(pixels, 0, images, height, width);
    }

    /** Values per image: {@code height width 3}. */
    public int imageSize() {
        return height * width * CHANNELS;
    }
}
