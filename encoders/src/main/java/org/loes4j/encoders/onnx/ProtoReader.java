package org.loes4j.encoders.onnx;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over protobuf wire-format bytes in a {@link MemorySegment} (usually a memory-mapped file).
 * Only what the ONNX reader needs: tags, varints, fixed 32/64-bit values and length-delimited fields,
 * which are returned as sub-readers so that large payloads (tensor {@code raw_data}) are sliced, never
 * copied.
 *
 * <p>Wire types: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32 (3 and 4, the deprecated groups,
 * are rejected).
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED
            .withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED
            .withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment bytes;
    private long pos;
    private final long end;
    private int wireType = -1;

    ProtoReader(MemorySegment bytes, long start, long end) {
        this.bytes = bytes;
        this.pos = start;
        this.end = end;
    }

    /** True while fields remain. */
    boolean hasNext() {
        return pos < end;
    }

    /** Reads the next tag and returns its field number; the wire type is kept for the value read. */
    int nextField() {
        long tag = varint();
        wireType = (int) (tag & 7);
        long field = tag >>> 3;
        if (field == 0 || field > Integer.MAX_VALUE) {
            throw malformed("field number " + field);
        }
        return (int) field;
    }

    /** Wire type of the field whose tag was read last. */
    int wireType() {
        return wireType;
    }

    /** Offset of the cursor in the underlying segment. */
    long position() {
        return pos;
    }

    long varint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw malformed("varint runs past the end of its message");
            }
            byte b = bytes.get(ValueLayout.JAVA_BYTE, pos++);
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw malformed("varint longer than 10 bytes");
    }

    int fixed32() {
        require(4);
        int v = bytes.get(INT_LE, pos);
        pos += 4;
        return v;
    }

    long fixed64() {
        require(8);
        long v = bytes.get(LONG_LE, pos);
        pos += 8;
        return v;
    }

    /** A reader over the payload of the current length-delimited field; the cursor moves past it. */
    ProtoReader message() {
        long length = length();
        ProtoReader sub = new ProtoReader(bytes, pos, pos + length);
        pos += length;
        return sub;
    }

    /** The payload of the current length-delimited field as a slice of the underlying segment. */
    MemorySegment bytesField() {
        long length = length();
        MemorySegment slice = bytes.asSlice(pos, length);
        pos += length;
        return slice;
    }

    String string() {
        MemorySegment s = bytesField();
        return new String(s.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** Skips the value of the field whose tag was read last. */
    void skip() {
        switch (wireType) {
            case VARINT -> varint();
            case FIXED64 -> {
                require(8);
                pos += 8;
            }
            case LENGTH_DELIMITED -> {
                long length = length();
                pos += length;
            }
            case FIXED32 -> {
                require(4);
                pos += 4;
            }
            default -> throw malformed("unsupported wire type " + wireType);
        }
    }

    /**
     * Appends the value(s) of a repeated integer field to {@code out}: one varint, or a packed run of
     * varints when the field is length-delimited.
     */
    void varints(LongList out) {
        if (wireType == LENGTH_DELIMITED) {
            ProtoReader packed = message();
            while (packed.hasNext()) {
                out.add(packed.varint());
            }
        } else if (wireType == VARINT) {
            out.add(varint());
        } else {
            throw malformed("integer field with wire type " + wireType);
        }
    }

    private long length() {
        if (wireType != LENGTH_DELIMITED) {
            throw malformed("expected a length-delimited field, found wire type " + wireType);
        }
        long length = varint();
        if (length < 0 || length > end - pos) {
            throw malformed("length " + length + " runs past the end of its message");
        }
        return length;
    }

    private void require(long n) {
        if (end - pos < n) {
            throw malformed("fixed-width value runs past the end of its message");
        }
    }

    private OnnxFormatException malformed(String what) {
        return new OnnxFormatException("malformed protobuf at byte " + pos + ": " + what);
    }

    /** A growable {@code long[]} (no boxing). */
    static final class LongList {
        private long[] values = new long[4];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
