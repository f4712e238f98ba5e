package org.loes4j.training.model;

/** Which fusion sits between the selected layers and the probe. */
public enum Architecture {
    /** Per-layer LayerNorm -> Linear(d_k -> p) -> GELU adapters, concatenated (the paper's model). */
    ADAPTERS("adapters"),
    /** The probe directly on the concatenated raw layers (ablation). */
    NO_ADAPTER("no-adapter"),
    /** One adapter per layer, softmax-weighted sum (baseline; usually fed all layers). */
    LEARNABLE_WEIGHTS("learnable-weights");

    private final String id;

    Architecture(String id) {
        this.id = id;
    }

    /** The name used in files and on the command line. */
    public String id() {
        return id;
    }

    /** Parses {@link #id()}. */
    public static Architecture of(String id) {
        for (Architecture a : values()) {
            if (a.id.equals(id)) {
                return a;
            }
        }
        throw new IllegalArgumentException("architecture: '" + id + "' is not one of adapters, no-adapter, learnable-weights");
    }
}
