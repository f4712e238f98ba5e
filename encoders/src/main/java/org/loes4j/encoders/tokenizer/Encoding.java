package org.loes4j.encoders.tokenizer;

/**
 * One tokenised text: {@code [CLS] tokens [SEP]} as vocabulary ids, after truncation.
 *
 * @param ids        token ids, special tokens included; {@code ids.length <= maxLength}
 * @param fullLength the length the encoding would have had without truncation
 */
public record Encoding(int[] ids, int fullLength) {

    public Encoding {
        if (ids == null || ids.length == 0) {
            throw new IllegalArgumentException("ids: empty");
        }
        if (fullLength < ids.length) {
            throw new IllegalArgumentException("fullLength: " + fullLength + " is less than the " + ids.length + " ids");
        }
    }

    /** Number of ids (special tokens included). */
    public int length() {
        return ids.length;
    }

    /** True when tokens were cut to fit the maximum length. */
    public boolean truncated() {
        return fullLength > ids.length;
    }
}
