package org.loes4j.encoders.bert;

import org.loes4j.linalg.FMatrix;

/** Receives each hidden state of a forward pass as soon as it is computed. */
@FunctionalInterface
public interface HiddenStateSink {
    /**
     * Called once per hidden state, in order: index 0 is the embedding output (after its LayerNorm),
     * index k in [1, layers] the output of block k - 1 (the paper's "layer k - 1").
     *
     * @param index  hidden-state index in [0, layers]
     * @param states T x hidden, packed, no padding rows: {@code T = batch.realTokens()}, and row
     *               {@code batch.rowOffset(b) + s} is position s of sample b, for s in
     *               {@code [0, batch.lengths()[b])} (so row {@code batch.rowOffset(b)} is the sample's first
     *               token, its {@code [CLS]}); a view of the encoder's work buffer, valid only during this call
     *               (read it, do not modify it)
     * @param batch  the batch being encoded
     */
    void accept(int index, FMatrix states, TokenBatch batch);
}
