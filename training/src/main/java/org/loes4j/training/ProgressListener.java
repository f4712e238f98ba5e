package org.loes4j.training;

/**
 * Receives training progress (the library prints nothing; the CLI draws its progress bar from this).
 * Called on the training thread; keep it cheap.
 */
public interface ProgressListener {
    /** A listener that ignores everything. */
    ProgressListener NONE = new ProgressListener() {
    };

    /** After every optimiser step. */
    default void onStep(StepProgress progress) {
    }

    /** After every epoch, with its validation result. */
    default void onEpoch(EpochReport report) {
    }

    /**
     * One step.
     *
     * @param epoch          1-based
     * @param step           1-based within the epoch
     * @param globalStep     1-based over the run
     * @param loss           task loss + GeoReg of this batch
     * @param elapsedSeconds since training started
     */
    record StepProgress(int epoch, int epochs, int step, int stepsPerEpoch, long globalStep, long totalSteps,
                        double loss, double learningRate, double elapsedSeconds) {
    }
}
