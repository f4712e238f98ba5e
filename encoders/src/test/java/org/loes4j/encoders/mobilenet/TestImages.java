package org.loes4j.encoders.mobilenet;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Real images for the MobileNetV2 tests: the first 32 Fashion-MNIST test images (see fashion-mnist.SOURCE.md). */
final class TestImages {
    static final int COUNT = 32;
    static final int SIDE = 28;

    private TestImages() {
    }

    /** The 32 grey 28 x 28 images, values / 255 in [0, 1]. */
    static float[][] fashionMnist() throws IOException {
        ByteBuffer b = ByteBuffer.wrap(NodeFixtures.resource("fashion-mnist-t10k-32-images-idx3-ubyte"));
        if (b.getInt() != 0x803 || b.getInt() != COUNT || b.getInt() != SIDE || b.getInt() != SIDE) {
            throw new IOException("fashion-mnist-t10k-32-images-idx3-ubyte: unexpected IDX header");
        }
        float[][] out = new float[COUNT][SIDE * SIDE];
        for (int i = 0; i < COUNT; i++) {
            for (int p = 0; p < SIDE * SIDE; p++) {
                out[i][p] = (b.get() & 0xff) / 255f;
            }
        }
        return out;
    }

    /**
     * The first n images resized (nearest neighbour) to h x w RGB, channels-last: pixel (y, x) of the result
     * is source pixel (floor(y 28 / h), floor(x 28 / w)), copied to all three channels.
     */
    static float[] resizeNearest(float[][] images, int n, int h, int w) {
        float[] out = new float[n * h * w * 3];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = images[i][(y * SIDE / h) * SIDE + x * SIDE / w];
                    int o = ((i * h + y) * w + x) * 3;
                    out[o] = v;
                    out[o + 1] = v;
                    out[o + 2] = v;
                }
            }
        }
        return out;
    }
}
