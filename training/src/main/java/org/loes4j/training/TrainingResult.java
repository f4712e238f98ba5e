package org.loes4j.training;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of {@link Trainer#train}.
 *
 * @param probe            the best checkpoint (by validation metric; the last epoch without validation),
 *                         empty only if training failed before completing an epoch
 * @param bestEpoch        1-based epoch of that checkpoint, 0 if none
 * @param epochs           one report per completed epoch
 * @param nonFinite        set when training stopped on a NaN/infinite loss
 * @param stoppedEarly     true when early stopping ended training
 * @param stepSeconds      total wall time of optimiser steps (forward, backward, update)
 * @param geoRegSeconds    part of {@code stepSeconds} spent in GeoReg (value and gradient)
 * @param steps            number of optimiser steps taken
 */
public record TrainingResult(Optional<Probe> probe, int bestEpoch, List<EpochReport> epochs,
                             Optional<NonFiniteLoss> nonFinite, boolean stoppedEarly, double stepSeconds,
                             double geoRegSeconds, long steps) {
}
