package org.loes4j.training;

/** What the probe predicts. */
public enum Task {
    /** Class labels: softmax cross-entropy, accuracy. */
    CLASSIFICATION,
    /** One real value per sample: mean squared error on standardised targets, RMSE. */
    REGRESSION
}
