package org.loes4j.encoders.bert;

import java.util.Arrays;

/**
 * A padded batch of token sequences: {@code size} rows of {@code seqLen} ids, row-major. Row b holds
 * {@code lengths[b]} real tokens followed by padding (right padding), so the attention mask of row b is
 * 1 for positions {@code < lengths[b]} and 0 after. Token-type ids are all 0 (single-segment input).
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

    /** Total number of positions, padding included ({@code B * S}). */
    public int positions() {
        return size * seqLen;
    }

    /** Number of real (unpadded) tokens. */
    public long realTokens() {
        long n = 0;
        for (int l : lengths) {
            n += l;
        }
        return n;
    }

    @Override
    public String toString() {
        return "TokenBatch[" + size + " x " + seqLen + ", lengths " + Arrays.toString(lengths) + "]";
    }
}
