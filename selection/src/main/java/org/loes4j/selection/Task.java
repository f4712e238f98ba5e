package org.loes4j.selection;

/** What the ridge probes of LOES fit (spec section 2, "Variants"). */
public enum Task {
    /** Integer labels, one-hot over the classes present; the triangle term is on (with 3 or more classes). */
    CLASSIFICATION,
    /** Raw float targets (one or more columns); the triangle term is 0. */
    REGRESSION,
    /** No targets: score0 = alpha (1 - iso), then alpha (1 - iso) + gamma red. */
    LABEL_FREE
}
