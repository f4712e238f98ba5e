package org.loes4j.linalg;

/**
 * A dense row-major matrix view: element (i, j) lives at {@code offset + i * stride + j}.
 * Views share storage with the matrix they were cut from; nothing here copies unless it says so.
 */
public sealed interface Matrix permits DMatrix, FMatrix, SegmentMatrix {

    int rows();

    int cols();

    Precision precision();

    /** Element (i, j) widened to double. Not for hot loops. */
    double getDouble(int i, int j);

    /** A copy in float64, on the heap, contiguous. */
    DMatrix toDMatrix();

    /** {@code "rows x cols"}, for messages. */
    default String shape() {
        return rows() + " x " + cols();
    }
}
