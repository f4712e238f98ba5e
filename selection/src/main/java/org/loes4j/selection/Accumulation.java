package org.loes4j.selection;

/** How the running prediction Yhat is updated after each pick (spec section 2, step 3). */
public enum Accumulation {
    /**
     * The authors' code: add the prediction of a ridge of the RAW chosen layer on the ORIGINAL targets. This
     * double counts on purpose (after the second pick the residual is roughly -T); it produced the paper's
     * numbers.
     */
    PAPER,
    /** Classic forward stagewise: add the chosen candidate's residual-fit prediction. */
    STAGEWISE
}
