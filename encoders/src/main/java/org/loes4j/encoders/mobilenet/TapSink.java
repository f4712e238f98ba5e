package org.loes4j.encoders.mobilenet;

import org.loes4j.linalg.FMatrix;

/** Receives each tap of a {@link MobileNetV2} forward pass as soon as it is computed. */
@FunctionalInterface
public interface TapSink {
    /**
     * Called once per tap, in order ({@link MobileNetV2#tapNames()}).
     *
     * @param tap         tap index in [0, taps)
     * @param activations (images height width) x channels, channels-last: row {@code (i height + y) width + x}
     *                    is pixel (y, x) of image i; a view of the model's work buffer, valid only during this
     *                    call (read it, do not modify it)
     * @param images      images in the batch
     * @param height      the tap's spatial height
     * @param width       the tap's spatial width
     */
    void accept(int tap, FMatrix activations, int images, int height, int width);
}
