package org.loes4j.linalg;

/** Whether an operand of a matrix product is used as stored ({@code NO}) or transposed ({@code YES}). */
public enum Transpose {
    NO,
    YES;

    /** The operand as written in BLAS: {@code 'N'} or {@code 'T'}. */
    public char blasChar() {
        return this == NO ? 'N' : 'T';
    }
}
