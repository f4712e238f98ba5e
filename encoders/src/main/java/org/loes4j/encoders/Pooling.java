package org.loes4j.encoders;

import java.util.Locale;

/** How a sequence of token states becomes one vector per sample. */
public enum Pooling {
    /** The state of the first token, {@code [CLS]}. */
    CLS,
    /** The mean of the states of the real tokens (attention mask 1; {@code [CLS]} and {@code [SEP]} included). */
    MEAN;

    /** Lower-case name, as in the CLI and in meta.json. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code "cls"} or {@code "mean"} (case-insensitive). */
    public static Pooling parse(String s) {
        for (Pooling p : values()) {
            if (p.name().equalsIgnoreCase(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("pooling: '" + s + "' is not one of cls, mean");
    }
}
