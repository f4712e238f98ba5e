package org.loes4j.encoders.mobilenet;

/**
 * How a convolution pads its input, per spatial axis: either Keras/TensorFlow {@code 'same'} (output size
 * {@code ceil(in / stride)}, the total padding {@code max((out - 1) stride + k - in, 0)} split with the
 * smaller half before), or explicit zero rows/columns before and after followed by a {@code 'valid'}
 * convolution (output size {@code floor((in + before + after - k) / stride) + 1}), which is what a Keras
 * {@code ZeroPadding2D} layer in front of a {@code padding='valid'} convolution means.
 *
 * @param same   true for {@code 'same'}; the explicit amounts are then 0
 * @param top    zero rows above (explicit only)
 * @param bottom zero rows below
 * @param left   zero columns on the left
 * @param right  zero columns on the right
 */
public record Padding(boolean same, int top, int bottom, int left, int right) {
    public static final Padding SAME = new Padding(true, 0, 0, 0, 0);
    public static final Padding VALID = new Padding(false, 0, 0, 0, 0);

    public Padding {
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("padding: negative amount (" + top + ", " + bottom + ", " + left + ", "
                    + right + ")");
        }
        if (same && (top | bottom | left | right) != 0) {
            throw new IllegalArgumentException("padding: 'same' takes no explicit amounts");
        }
    }

    /** Explicit zero padding, then a valid convolution. */
    public static Padding explicit(int top, int bottom, int left, int right) {
        return new Padding(false, top, bottom, left, right);
    }

    /** Output rows for {@code in} input rows, a kernel of {@code k} rows and {@code stride}; below 1 when too small. */
    public int outRows(int in, int k, int stride) {
        return out(in, k, stride, top, bottom);
    }

    /** Output columns (as {@link #outRows}). */
    public int outCols(int in, int k, int stride) {
        return out(in, k, stride, left, right);
    }

    /** Zero rows before the input, for {@code in} input rows. */
    public int padTop(int in, int k, int stride) {
        return same ? sameBefore(in, k, stride) : top;
    }

    /** Zero columns before the input. */
    public int padLeft(int in, int k, int stride) {
        return same ? sameBefore(in, k, stride) : left;
    }

    private int out(int in, int k, int stride, int before, int after) {
        if (same) {
            return (in + stride - 1) / stride;
        }
        int span = in + before + after - k;
        return span < 0 ? 0 : span / stride + 1;
    }

    private static int sameBefore(int in, int k, int stride) {
        int out = (in + stride - 1) / stride;
        return Math.max((out - 1) * stride + k - in, 0) / 2;
    }

    @Override
    public String toString() {
        return same ? "same" : "zero(" + top + ", " + bottom + ", " + left + ", " + right + ") + valid";
    }
}
