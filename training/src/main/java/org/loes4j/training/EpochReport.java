package org.loes4j.training;

/**
 * One finished epoch.
 *
 * @param epoch            1-based
 * @param trainLoss        mean over the epoch's steps of task loss + GeoReg
 * @param geoReg           mean GeoReg value over the epoch's steps (0 when disabled)
 * @param validationMetric accuracy (classification) or RMSE (regression) on the validation set; NaN without one
 * @param metricName       {@code "accuracy"} or {@code "rmse"}
 * @param best             whether this epoch is the best so far (and so the checkpoint)
 * @param seconds          wall time of the epoch including validation
 */
public record EpochReport(int epoch, double trainLoss, double geoReg, double validationMetric, String metricName,
                          boolean best, double seconds) {
}
