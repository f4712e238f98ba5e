package org.loes4j.linalg;

/** Element type of a matrix. */
public enum Precision {
    FLOAT32(4),
    FLOAT64(8);

    private final int bytes;

    Precision(int bytes) {
        this.bytes = bytes;
    }

    /** Size of one element in bytes. */
    public int bytes() {
        return bytes;
    }
}
