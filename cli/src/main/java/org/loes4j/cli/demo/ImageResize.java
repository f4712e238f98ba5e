package org.loes4j.cli.demo;

/**
 * Grey images to the RGB input of an ImageNet-trained network: bilinear resampling to {@code size x size},
 * values scaled from 0..255 to [0, 1], the grey value replicated into the three channels.
 *
 * <p>Resampling follows the half-pixel-centre convention (as TensorFlow's {@code resize_bilinear} with
 * {@code half_pixel_centers=true} and PIL do): output pixel (y, x) samples the source at
 * {@code ((y + 0.5) h / size - 0.5, (x + 0.5) w / size - 0.5)}, clamped to the image, and interpolates the four
 * neighbours. Upscaling 28 x 28 Fashion-MNIST this way gives smooth edges; no antialiasing filter is applied,
 * so downscaling by more than 2 would alias (the demo only upscales).
 */
public final class ImageResize {
    private ImageResize() {
    }

    /**
     * Writes image {@code index} of {@code grey} (an {@code count x h x w} IDX array of bytes), resized to
     * {@code size x size}, into {@code out} from {@code outOffset} as channels-last RGB in [0, 1]
     * ({@code size * size * 3} values).
     */
    public static void greyToRgb(byte[] grey, int index, int h, int w, int size, float[] out, int outOffset) {
        if (h < 1 || w < 1 || size < 1) {
            throw new IllegalArgumentException("h, w, size: " + h + ", " + w + ", " + size + " must be >= 1");
        }
        int src = index * h * w;
        if (index < 0 || src + (long) h * w > grey.length) {
            throw new IllegalArgumentException("index: image " + index + " of " + h + " x " + w + " is past the "
                    + grey.length + " values");
        }
        if (outOffset < 0 || outOffset + 3L * size * size > out.length) {
            throw new IllegalArgumentException("out: " + (3L * size * size) + " values from " + outOffset
                    + " do not fit in " + out.length);
        }
        double sy = (double) h / size;
        double sx = (double) w / size;
        int o = outOffset;
        for (int y = 0; y < size; y++) {
            double fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), h - 1);
            int y0 = (int) fy;
            int y1 = Math.min(y0 + 1, h - 1);
            double ty = fy - y0;
            for (int x = 0; x < size; x++) {
                double fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), w - 1);
                int x0 = (int) fx;
                int x1 = Math.min(x0 + 1, w - 1);
                double tx = fx - x0;
                double top = (1 - tx) * (grey[src + y0 * w + x0] & 0xff) + tx * (grey[src + y0 * w + x1] & 0xff);
                double bottom = (1 - tx) * (grey[src + y1 * w + x0] & 0xff) + tx * (grey[src + y1 * w + x1] & 0xff);
                float v = (float) (((1 - ty) * top + ty * bottom) / 255.0);
                out[o] = v;
                out[o + 1] = v;
                out[o + 2] = v;
                o += 3;
            }
        }
    }
}
