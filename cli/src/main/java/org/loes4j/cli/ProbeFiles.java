package org.loes4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.training.Probe;

/** Saved probes and the row splits the training commands share. */
final class ProbeFiles {
    private ProbeFiles() {
    }

    /** Loads a probe given with {@code --model}, mapping file problems to bad input. */
    static Probe load(Path model) {
        if (model == null || !Files.isRegularFile(model)) {
            throw new BadInputException("--model: " + model + " does not exist or is not a file");
        }
        try {
            return Probe.load(model);
        } catch (IOException e) {
            throw new BadInputException("--model: cannot read " + model + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            throw new BadInputException("--model: " + (m.startsWith(model.toString()) ? m : model + ": " + m), e);
        }
    }

    /**
     * Checks that {@code e} (given with {@code option}) holds the probe's layers with its widths, and that
     * every value the probe reads is finite (naming layer, row and column otherwise).
     */
    static void checkInputs(Probe probe, String option, LayeredEmbeddings e) {
        try {
            probe.checkCompatible(e);
            e.selectLayers(probe.layers()).checkFinite();
        } catch (IllegalArgumentException ex) {
            throw new BadInputException(option + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * The seeded permutation whose first rows form the validation split ({@code train --val-fraction}; also
     * used by compare). Its generator is {@code SplittableRandom(seed ^ 0x5DEECE66D)}, distinct from the
     * trainer's streams, which derive from {@code SplittableRandom(seed)}.
     */
    static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
