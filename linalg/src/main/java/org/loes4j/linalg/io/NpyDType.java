package org.loes4j.linalg.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The element types a {@code .npy} file may hold here: little-endian (or byte-sized) numeric scalars.
 * The numpy descriptor is {@code '<' + code} ({@code '|' + code} for one-byte types).
 */
public enum NpyDType {
    FLOAT32("f4", 4, true),
    FLOAT64("f8", 8, true),
    INT8("i1", 1, false),
    UINT8("u1", 1, false),
    INT16("i2", 2, false),
    UINT16("u2", 2, false),
    INT32("i4", 4, false),
    UINT32("u4", 4, false),
    INT64("i8", 8, false),
    BOOL("b1", 1, false);

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String code;
    private final int bytes;
    private final boolean floating;

    NpyDType(String code, int bytes, boolean floating) {
        this.code = code;
        this.bytes = bytes;
        this.floating = floating;
    }

    /** The kind and size, e.g. {@code "f4"}. */
    public String code() {
        return code;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** True for float32 and float64. */
    public boolean isFloatingPoint() {
        return floating;
    }

    /** The descriptor written into a header: {@code "<f4"}, {@code "|u1"}, ... */
    public String descriptor() {
        return (bytes == 1 ? "|" : "<") + code;
    }

    /**
     * The type of a header descriptor such as {@code "<f8"}.
     *
     * @throws IllegalArgumentException for big-endian, structured or unknown descriptors, naming them
     */
    public static NpyDType ofDescriptor(String descr) {
        if (descr.length() < 3) {
            throw new IllegalArgumentException("unsupported dtype '" + descr + "'");
        }
        char order = descr.charAt(0);
        String code = descr.substring(1);
        if (order == '>') {
            throw new IllegalArgumentException("big-endian dtype '" + descr + "' is not supported (save it as '<"
                    + code + "')");
        }
        for (NpyDType t : values()) {
            if (t.code.equals(code)) {
                boolean orderOk = order == '<' || (order == '|' && t.bytes == 1) || (order == '=' && t.bytes == 1);
                if (!orderOk) {
                    break;
                }
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported dtype '" + descr
                + "' (supported: <f4, <f8, |i1, |u1, <i2, <u2, <i4, <u4, <i8, |b1)");
    }

    /** Element {@code index} of {@code data} widened to double. */
    double getDouble(MemorySegment data, long index) {
        long a = index * bytes;
        return switch (this) {
            case FLOAT32 -> data.get(F32, a);
            case FLOAT64 -> data.get(F64, a);
            case INT8 -> data.get(ValueLayout.JAVA_BYTE, a);
            case UINT8 -> data.get(ValueLayout.JAVA_BYTE, a) & 0xFF;
            case BOOL -> data.get(ValueLayout.JAVA_BYTE, a) != 0 ? 1.0 : 0.0;
            case INT16 -> data.get(I16, a);
            case UINT16 -> data.get(I16, a) & 0xFFFF;
            case INT32 -> data.get(I32, a);
            case UINT32 -> data.get(I32, a) & 0xFFFFFFFFL;
            case INT64 -> (double) data.get(I64, a);
        };
    }

    /** Element {@code index} of an integer (or bool) array as long. */
    long getLong(MemorySegment data, long index) {
        long a = index * bytes;
        return switch (this) {
            case INT8 -> data.get(ValueLayout.JAVA_BYTE, a);
            case UINT8 -> data.get(ValueLayout.JAVA_BYTE, a) & 0xFF;
            case BOOL -> data.get(ValueLayout.JAVA_BYTE, a) != 0 ? 1 : 0;
            case INT16 -> data.get(I16, a);
            case UINT16 -> data.get(I16, a) & 0xFFFF;
            case INT32 -> data.get(I32, a);
            case UINT32 -> data.get(I32, a) & 0xFFFFFFFFL;
            case INT64 -> data.get(I64, a);
            case FLOAT32, FLOAT64 -> throw new IllegalStateException("getLong on " + this);
        };
    }

    /** Stores {@code v} as element {@code index}, converted to this type (rounded for integers). */
    void setDouble(MemorySegment data, long index, double v) {
        long a = index * bytes;
        switch (this) {
            case FLOAT32 -> data.set(F32, a, (float) v);
            case FLOAT64 -> data.set(F64, a, v);
            default -> setLong(data, index, Math.round(v));
        }
    }

    /** Stores {@code v} as element {@code index}, converted (narrowed) to this type. */
    void setLong(MemorySegment data, long index, long v) {
        long a = index * bytes;
        switch (this) {
            case FLOAT32 -> data.set(F32, a, (float) v);
            case FLOAT64 -> data.set(F64, a, (double) v);
            case INT8, UINT8 -> data.set(ValueLayout.JAVA_BYTE, a, (byte) v);
            case BOOL -> data.set(ValueLayout.JAVA_BYTE, a, (byte) (v != 0 ? 1 : 0));
            case INT16, UINT16 -> data.set(I16, a, (short) v);
            case INT32, UINT32 -> data.set(I32, a, (int) v);
            case INT64 -> data.set(I64, a, v);
        }
    }
}
