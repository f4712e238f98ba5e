package org.loes4j.data;

/** What the labels are: the one task vocabulary of selection, training and the CLI. */
public enum Task {
    /** Class labels: one-hot targets for selection, softmax cross-entropy and accuracy for probes. */
    CLASSIFICATION,
    /** Real-valued targets (one or more columns): raw values for selection, mean squared error for probes. */
    REGRESSION,
    /** No labels (selection only): score0 = alpha (1 - iso), then alpha (1 - iso) + gamma red. */
    LABEL_FREE;

    /** The CLI spelling: {@code classification}, {@code regression}, {@code label-free}. */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses {@code classification}, {@code regression} or {@code label-free} (case-insensitive; {@code _} for
     * {@code -} accepted).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Task parse(String s) {
        if (s != null) {
            String k = s.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            for (Task t : values()) {
                if (t.name().equals(k)) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("task: '" + s + "' is not one of classification, regression, label-free");
    }
}
