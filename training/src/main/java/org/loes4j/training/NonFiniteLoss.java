package org.loes4j.training;

/**
 * Training stopped because a batch loss was NaN or infinite.
 *
 * @param epoch 1-based epoch
 * @param step  1-based step within the epoch
 * @param value the offending loss
 */
public record NonFiniteLoss(int epoch, int step, double value) {
    /** One line for users: where it happened. */
    public String message() {
        return "non-finite loss " + value + " at epoch " + epoch + ", step " + step;
    }
}
