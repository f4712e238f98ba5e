package org.loes4j.encoders.bert;

import java.util.Arrays;

/**
 * A padded batch of token sequences: {@code size} rows of {@code seqLen} ids, row-major. Row b holds
 * {@code lengths[b]} real tokens followed by padding (right padding), so the attention mask of row b is
 * 1 for positions {@code < lengths[b]} and 0 after. Token-type ids are all 0 (single-segment input).
 *
 * <p>The encoder computes the real tokens only, packed: sample b occupies the rows
 * {@code [rowOffset(b), rowOffset(b) + lengths[b])} of a T x d matrix, {@code T = realTokens()}, with
 * {@code rowOffset(b) = lengths[0] + ... + lengths[b - 1]} (see {@link HiddenStateSink}).
 *
 * @param size     batch size B
 * @param seqLen   padded length S
 * @param inputIds B * S token ids (padding positions hold the pad id)
 * @param lengths  real length of each row, in [1, S]
 */
public record TokenBatch(int size, int seqLen, int[] inputIds, int[] lengths) {

    public TokenBatch {
        if (size <= 0) {
            throw new IllegalArgumentException("size: " + size + " must be positive");
        }
        if (seqLen <= 0) {
            throw new IllegalArgumentException("seqLen: " + seqLen + " must be positive");
        }
        if (inputIds == null || inputIds.length != (long) size * seqLen) {
            throw new IllegalArgumentException("inputIds: length " + (inputIds == null ? "null" : inputIds.length)
                    + ", expected size * seqLen = " + (long) size * seqLen);
        }
        if (lengths == null || lengths.length != size) {
            throw new IllegalArgumentException("lengths: length " + (lengths == null ? "null" : lengths.length)
                    + ", expected " + size);
        }
        for (int b = 0; b < size; b++) {
            if (lengths[b] < 1 || lengths[b] > seqLen) {
                throw new IllegalArgumentException("lengths: row " + b + " has length " + lengths[b] + ", outside [1, "
                        + seqLen + "]");
            }
        }
    }

    /**
     * Total number of positions, padding included ({@code B * S}); the encoder computes only
     * {@link #realTokens()} rows.
     */
    public int positions() {
        return size * seqLen;
    }

    /** Number of real (unpadded) tokens, {@code T = lengths[0] + ... + lengths[B - 1]}. */
    public long realTokens() {
        long n = 0;
        for (int l : lengths) {
            n += l;
        }
        return n;
    }

    /**
     * First packed row of sample b: {@code lengths[0] + ... + lengths[b - 1]} (0 for b = 0, {@code T} for
     * b = B). Position s of sample b is packed row {@code rowOffset(b) + s}.
     *
     * @param b sample index in [0, B] (B gives the total T)
     */
    public int rowOffset(int b) {
        if (b < 0 || b > size) {
            throw new IllegalArgumentException("b: " + b + " outside [0, " + size + "]");
        }
        int n = 0;
        for (int i = 0; i < b; i++) {
            n += lengths[i];
        }
        return n;
    }

    /**
     * All packed row offsets at once, a new array of B + 1 entries: entry b is {@link #rowOffset(int)
     * rowOffset(b)}, the last entry the total T.
     */
    public int[] rowOffsets() {
        int[] offsets = new int[size + 1];
        for (int b = 0; b < size; b++) {
            offsets[b + 1] = offsets[b] + lengths[b];
        }
        return offsets;
    }

    @Override
    public String toString() {
        return "TokenBatch[" + size + " x " + seqLen + ", lengths " + Arrays.toString(lengths) + "]";
    }
}
