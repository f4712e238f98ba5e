package org.loes4j.training.optim;

/**
 * Learning rate as a function of the number of optimiser steps already taken ({@code step} = 0 for
 * the first update), over {@code totalSteps} updates:
 * <pre>
 *   factor(step) = step / warmup                                   if step &lt; warmup
 *                = (1 + cos(pi * (step - warmup) / (total - warmup))) / 2   otherwise (0 after the end)
 *   lr(step)     = floor + (base - floor) * factor(step)
 * </pre>
 * With floor = 0 this is Hugging Face's {@code get_cosine_schedule_with_warmup} (so the very first
 * update of a warmed-up run has lr 0, as there); with warmup = 0 it is PyTorch's
 * {@code CosineAnnealingLR(T_max = total, eta_min = floor)} in closed form.
 */
public final class CosineSchedule {
    private final int warmupSteps;
    private final int totalSteps;
    private final double floor;

    /**
     * @param warmupSteps linear warmup length, in [0, totalSteps]
     * @param totalSteps  number of updates of the run, >= 1
     * @param floor       learning rate the cosine decays to, >= 0
     */
    public CosineSchedule(int warmupSteps, int totalSteps, double floor) {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps: " + totalSteps + " must be >= 1");
        }
        if (warmupSteps < 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("warmupSteps: " + warmupSteps + " must be in [0, " + totalSteps + "]");
        }
        if (!(floor >= 0) || !Double.isFinite(floor)) {
            throw new IllegalArgumentException("floor: " + floor + " must be finite and >= 0");
        }
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
        this.floor = floor;
    }

    /** The schedule factor in [0, 1] at {@code step} (updates already taken). */
    public double factor(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step: " + step + " is negative");
        }
        if (step < warmupSteps) {
            return (double) step / warmupSteps;
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        if (progress >= 1.0) {
            return 0.0;
        }
        return 0.5 * (1.0 + Math.cos(Math.PI * progress));
    }

    /** {@code floor + (base - floor) * factor(step)}. */
    public double learningRate(double base, long step) {
        return floor + (base - floor) * factor(step);
    }

    public int warmupSteps() {
        return warmupSteps;
    }

    public int totalSteps() {
        return totalSteps;
    }

    public double floor() {
        return floor;
    }
}
