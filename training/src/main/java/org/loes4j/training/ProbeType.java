package org.loes4j.training;

import java.util.Locale;

/** The kinds of model a {@link Probe} holds; saved under {@code probeType} in the model file's metadata. */
public enum ProbeType {
    /**
     * The paper's head: per-layer adapters, fusion and a LayerNorm-dropout-linear probe, trained by AdamW
     * ({@link Trainer}); a {@link org.loes4j.training.model.ProbeNetwork}.
     */
    ADAPTER,
    /**
     * A closed-form ridge on the concatenated, standardised layers, lambda chosen by k-fold CV on the training
     * rows ({@link RidgeTrainer}); a {@link org.loes4j.training.model.RidgeModel}.
     */
    RIDGE;

    /** {@code adapter} or {@code ridge}: the CLI's and the model file's name. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@link #cliName()} (case-insensitive).
     *
     * @throws IllegalArgumentException naming {@code probe} and the accepted names
     */
    public static ProbeType parse(String s) {
        if (s != null) {
            for (ProbeType t : values()) {
                if (t.cliName().equalsIgnoreCase(s.strip())) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("probe: '" + s + "' is not one of adapter, ridge");
    }
}
