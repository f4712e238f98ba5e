package org.loes4j.encoders.onnx;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An ONNX {@code TensorProto}: name, dims and element type, with its data either as a slice of the
 * model file ({@code raw_data}, little-endian; a view of the memory mapping, valid while the
 * {@link OnnxModel} is open) or as the decoded typed field ({@code float_data}, {@code int64_data},
 * {@code int32_data}). Sizes declared by the dims are checked against the data the file holds before any
 * array is allocated for a copy, and every error names the model file.
 */
public final class OnnxTensor {
    /** {@code TensorProto.DataType} values this reader decodes. */
    public static final int FLOAT = 1;
    public static final int INT32 = 6;
    public static final int INT64 = 7;

    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final String name;
    private final long[] dims;
    private final int dataType;
    private final MemorySegment raw;
    private final float[] floatData;
    private final long[] longData;
    private final boolean external;

    OnnxTensor(Path file, String name, long[] dims, int dataType, MemorySegment raw, float[] floatData,
               long[] longData, boolean external) {
        this.file = file;
        this.name = name;
        this.dims = dims;
        this.dataType = dataType;
        this.raw = raw;
        this.floatData = floatData;
        this.longData = longData;
        this.external = external;
    }

    public String name() {
        return name;
    }

    /** The shape (a copy); empty for a scalar. */
    public long[] dims() {
        return dims.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Size of dimension {@code axis}. */
    public long dim(int axis) {
        if (axis < 0 || axis >= dims.length) {
            throw new IllegalArgumentException("axis: " + axis + " outside [0, " + dims.length + ") for tensor '"
                    + name + "' of shape " + Arrays.toString(dims));
        }
        return dims[axis];
    }

    /** {@code TensorProto.DataType} code (1 FLOAT, 6 INT32, 7 INT64, ...). */
    public int dataType() {
        return dataType;
    }

    /** Product of the dims (1 for a scalar); the reader has checked that it fits a long. */
    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private OnnxFormatException bad(String what) {
        return new OnnxFormatException(file + ": tensor '" + name + "': " + what);
    }

    /** A new float32 array with the elements in row-major order; the tensor must be FLOAT. */
    public float[] toFloatArray() {
        checkReadable();
        if (dataType != FLOAT) {
            throw bad("element type " + dataType
                    + " is not FLOAT (1); only fp32 weights are supported (quantised models are not)");
        }
        int n = checkedCount();
        if (raw != null) {
            checkRawSize(n, 4);
            float[] out = new float[n];
            MemorySegment.copy(raw, FLOAT_LE, 0, out, 0, n);
            return out;
        }
        if (floatData == null || floatData.length != n) {
            throw bad("holds " + (floatData == null ? 0 : floatData.length) + " float values, its shape "
                    + Arrays.toString(dims) + " needs " + n);
        }
        return floatData.clone();
    }

    /** A new array of the elements widened to long; the tensor must be INT64 or INT32. */
    public long[] toLongArray() {
        checkReadable();
        int n = checkedCount();
        if (dataType != INT64 && dataType != INT32) {
            throw bad("element type " + dataType + " is not an integer type");
        }
        if (raw != null) {
            checkRawSize(n, dataType == INT64 ? 8 : 4);
            long[] out = new long[n];
            if (dataType == INT64) {
                MemorySegment.copy(raw, LONG_LE, 0, out, 0, n);
            } else {
                for (int i = 0; i < n; i++) {
                    out[i] = raw.getAtIndex(INT_LE, i);
                }
            }
            return out;
        }
        if (longData == null || longData.length != n) {
            throw bad("holds " + (longData == null ? 0 : longData.length) + " integer values, its shape "
                    + Arrays.toString(dims) + " needs " + n);
        }
        return longData.clone();
    }

    /** The single value of a one-element float tensor. */
    public float scalarFloat() {
        float[] v = toFloatArray();
        if (v.length != 1) {
            throw bad("expected one element, has " + v.length);
        }
        return v[0];
    }

    private void checkReadable() {
        if (external) {
            throw bad("data stored outside the model file (external_data) is not supported");
        }
    }

    private int checkedCount() {
        long n = elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw bad(n + " elements do not fit one Java array");
        }
        return (int) n;
    }

    private void checkRawSize(int n, int bytesPerElement) {
        if (raw.byteSize() != (long) n * bytesPerElement) {
            throw bad("raw_data has " + raw.byteSize() + " bytes, shape " + Arrays.toString(dims) + " needs "
                    + (long) n * bytesPerElement + (raw.byteSize() < (long) n * bytesPerElement
                    ? " (the file holds less than its dims declare)" : ""));
        }
    }

    @Override
    public String toString() {
        return "OnnxTensor[" + name + " " + Arrays.toString(dims) + " type " + dataType + "]";
    }
}
