package org.loes4j.training.nn;

import org.loes4j.linalg.DMatrix;

/** A scalar loss and its gradient with respect to the model output (same shape as the output). */
public record Loss(double value, DMatrix gradient) {
}
