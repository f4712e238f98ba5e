package org.loes4j.linalg.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Precision;
import org.loes4j.linalg.SegmentMatrix;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian unsigned header length N, N bytes of
 * UTF-8 JSON, then the data buffer. The JSON maps each tensor name to
 * {@code {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}} (offsets relative to the start
 * of the data buffer) and may hold {@code "__metadata__": {string: string}}. Tensors are little-endian,
 * row-major, packed.
 *
 * <p>Reading memory-maps the file once ({@link #open}); tensors are then viewed without copying
 * ({@link #matrix}, {@link #segment}) or copied out ({@link #doubles}, {@link #floats}, {@link #longs}).
 * The header is validated as the reference implementation does: known dtypes, non-negative shapes, every tensor's byte
 * range exactly {@code elements * dtype size}, ranges sorted without overlaps or holes, and the last
 * range ending at the end of the file. Every error names the file and, where one is involved, the
 * tensor. Instances own the mapping: {@link #close()} unmaps it and invalidates every view.
 *
 * <p>Writing ({@link #writer()}) goes to a temporary file in the target's directory, which is moved
 * over the target atomically at the end: a failed write leaves no partial file behind.
 */
public final class Safetensors implements AutoCloseable {
    /** Largest header accepted, as in the reference implementation (100 MB). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /** Key of the free-form string metadata in the header. */
    public static final String METADATA_KEY = "__metadata__";

    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Element types of the format, with their sizes in bytes. */
    public enum DType {
        BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), I16(2), U16(2), F16(2), BF16(2), I32(4), U32(4), F32(4),
        F64(8), I64(8), U64(8);

        private final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }

        public int bytes() {
            return bytes;
        }

        boolean isFloat() {
            return this == F16 || this == BF16 || this == F32 || this == F64;
        }

        boolean isInteger() {
            return this == BOOL || this == U8 || this == I8 || this == I16 || this == U16 || this == I32
                    || this == U32 || this == I64;
        }
    }

    /**
     * One tensor's header entry.
     *
     * @param begin byte offset of the first element relative to the data buffer
     * @param end   byte offset just past the last element
     */
    public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {
        /** Number of elements (1 for a scalar, shape []). */
        public long elements() {
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            return n;
        }

        @Override
        public String toString() {
            return name + " " + dtype + " " + Arrays.toString(shape);
        }
    }

    private final Path file;
    private final Arena arena;
    private final MemorySegment data;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private Safetensors(Path file, Arena arena, MemorySegment data, Map<String, TensorInfo> tensors,
                        Map<String, String> metadata) {
        this.file = file;
        this.arena = arena;
        this.data = data;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    // ---------------------------------------------------------------- reading

    /**
     * Memory-maps and validates {@code file}.
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException if it is not a valid safetensors file (message names the file)
     */
    public static Safetensors open(Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file: null");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw bad(file, "is " + size + " bytes, shorter than the 8-byte header length");
            }
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long n = all.get(I64, 0);
            checkSignature(file, all, n, size);
            byte[] headerBytes = all.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
            String header = new String(headerBytes, StandardCharsets.UTF_8);
            Map<String, Object> json;
            try {
                json = Json.parseObject(header.stripTrailing());
            } catch (IllegalArgumentException e) {
                throw bad(file, "header is not valid JSON: " + e.getMessage());
            }
            MemorySegment buffer = all.asSlice(8 + n);
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : json.entrySet()) {
                if (e.getKey().equals(METADATA_KEY)) {
                    parseMetadata(file, e.getValue(), metadata);
                } else {
                    tensors.put(e.getKey(), parseTensor(file, e.getKey(), e.getValue()));
                }
            }
            checkLayout(file, tensors.values(), buffer.byteSize());
            return new Safetensors(file, arena, buffer, Collections.unmodifiableMap(tensors),
                    Collections.unmodifiableMap(metadata));
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * The format has no magic number: a file is taken for safetensors when its first 8 bytes give a header
     * length that fits the file and the header starts with {@code '{'}. Checked before anything is allocated
     * from the declared length, so that another kind of file (a {@code .npy}, a zip, a pickle) is named as
     * such instead of being read as a multi-terabyte header.
     */
    private static void checkSignature(Path file, MemorySegment all, long n, long size) {
        String kind = otherFormat(all);
        if (kind != null) {
            throw bad(file, "not a safetensors file (it starts like " + kind + ")");
        }
        if (n < 2 || n > MAX_HEADER_BYTES || n > size - 8) {
            throw bad(file, "not a safetensors file (its first 8 bytes give a header length of "
                    + Long.toUnsignedString(n) + " bytes; the file has " + size + " bytes"
                    + (n > MAX_HEADER_BYTES ? ", and headers are at most " + MAX_HEADER_BYTES : "") + ")");
        }
        if (all.get(ValueLayout.JAVA_BYTE, 8) != '{') {
            throw bad(file, "not a safetensors file (the header after the 8-byte length does not start with '{')");
        }
    }

    /** A short name of a well-known format {@code all} starts with, or null. */
    private static String otherFormat(MemorySegment all) {
        if (startsWith(all, (byte) 0x93, 'N', 'U', 'M', 'P', 'Y')) {
            return "a .npy array (magic \\x93NUMPY)";
        }
        if (startsWith(all, 'P', 'K', 3, 4)) {
            return "a zip archive, e.g. a PyTorch .bin/.pt checkpoint";
        }
        if (startsWith(all, (byte) 0x80) && all.byteSize() > 1 && all.get(ValueLayout.JAVA_BYTE, 1) >= 2
                && all.get(ValueLayout.JAVA_BYTE, 1) <= 5) {
            return "a Python pickle";
        }
        if (startsWith(all, 0x89, 'H', 'D', 'F')) {
            return "an HDF5 file";
        }
        return null;
    }

    private static boolean startsWith(MemorySegment all, int... prefix) {
        if (all.byteSize() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (all.get(ValueLayout.JAVA_BYTE, i) != (byte) prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException bad(Path file, String what) {
        return new IllegalArgumentException(file + ": " + what);
    }

    private static void parseMetadata(Path file, Object v, Map<String, String> out) {
        if (!(v instanceof Map<?, ?> m)) {
            throw bad(file, METADATA_KEY + " is " + Json.kind(v) + ", expected an object of strings");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw bad(file, METADATA_KEY + " entry '" + e.getKey() + "' is " + Json.kind(e.getValue())
                        + ", expected a string");
            }
            out.put((String) e.getKey(), s);
        }
    }

    private static TensorInfo parseTensor(Path file, String name, Object v) {
        if (!(v instanceof Map<?, ?> m)) {
            throw bad(file, "tensor '" + name + "': entry is " + Json.kind(v) + ", expected an object");
        }
        for (Object key : m.keySet()) {
            if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                throw bad(file, "tensor '" + name + "': unknown field '" + key + "'");
            }
        }
        if (!(m.get("dtype") instanceof String ds)) {
            throw bad(file, "tensor '" + name + "': dtype is " + Json.kind(m.get("dtype")) + ", expected a string");
        }
        DType dtype;
        try {
            dtype = DType.valueOf(ds);
        } catch (IllegalArgumentException e) {
            throw bad(file, "tensor '" + name + "': unknown dtype '" + ds + "'");
        }
        long[] shape = longList(file, name, "shape", m.get("shape"));
        long[] offsets = longList(file, name, "data_offsets", m.get("data_offsets"));
        if (offsets.length != 2) {
            throw bad(file, "tensor '" + name + "': data_offsets has " + offsets.length + " entries, expected 2");
        }
        long elements = 1;
        for (long s : shape) {
            try {
                elements = Math.multiplyExact(elements, s);
            } catch (ArithmeticException e) {
                throw bad(file, "tensor '" + name + "': shape " + Arrays.toString(shape) + " overflows");
            }
        }
        if (offsets[1] < offsets[0]) {
            throw bad(file, "tensor '" + name + "': data_offsets " + Arrays.toString(offsets) + " end before they begin");
        }
        long need;
        try {
            need = Math.multiplyExact(elements, dtype.bytes());
        } catch (ArithmeticException e) {
            throw bad(file, "tensor '" + name + "': shape " + Arrays.toString(shape) + " overflows");
        }
        if (offsets[1] - offsets[0] != need) {
            throw bad(file, "tensor '" + name + "': data_offsets " + Arrays.toString(offsets) + " span "
                    + (offsets[1] - offsets[0]) + " bytes, " + dtype + " " + Arrays.toString(shape) + " needs " + need);
        }
        return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] longList(Path file, String name, String field, Object v) {
        if (!(v instanceof List<?> l)) {
            throw bad(file, "tensor '" + name + "': " + field + " is " + Json.kind(v) + ", expected an array");
        }
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Long x) || x < 0) {
                throw bad(file, "tensor '" + name + "': " + field + "[" + i + "] is " + l.get(i)
                        + ", expected a non-negative integer");
            }
            out[i] = x;
        }
        return out;
    }

    /** Sorted by begin, ranges must tile [0, bufferSize) exactly: no overlap, no hole, nothing after. */
    private static void checkLayout(Path file, java.util.Collection<TensorInfo> infos, long bufferSize) {
        List<TensorInfo> sorted = new ArrayList<>(infos);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long at = 0;
        TensorInfo previous = null;
        for (TensorInfo t : sorted) {
            if (t.begin() < at) {
                throw bad(file, "tensor '" + t.name() + "': bytes [" + t.begin() + ", " + t.end()
                        + ") overlap tensor '" + previous.name() + "' [" + previous.begin() + ", " + previous.end() + ")");
            }
            if (t.begin() > at) {
                throw bad(file, "tensor '" + t.name() + "': begins at byte " + t.begin() + ", leaving a hole after byte "
                        + at + " of the data buffer");
            }
            at = t.end();
            previous = t;
        }
        if (at > bufferSize) {
            throw bad(file, "tensor '" + previous.name() + "': ends at byte " + at + ", the data buffer has only "
                    + bufferSize + " (file truncated?)");
        }
        if (at < bufferSize) {
            throw bad(file, "data buffer has " + (bufferSize - at) + " bytes after the last tensor");
        }
    }

    /** The file this was opened from. */
    public Path file() {
        return file;
    }

    /** The {@code __metadata__} strings (empty if absent), in file order. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Tensor names in header order. */
    public List<String> names() {
        return List.copyOf(tensors.keySet());
    }

    /** True if the file holds a tensor of that name. */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** The header entry of {@code name}. */
    public TensorInfo info(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(file + ": no tensor '" + name + "' (has " + tensors.keySet() + ")");
        }
        return t;
    }

    /** The raw little-endian bytes of {@code name}, a slice of the mapping (valid until {@link #close()}). */
    public MemorySegment segment(String name) {
        TensorInfo t = info(name);
        return data.asSlice(t.begin(), t.end() - t.begin());
    }

    /**
     * A zero-copy view of a F32 or F64 tensor as a matrix: shape [r, c] -> r x c, [n] -> 1 x n, [] -> 1 x 1,
     * higher ranks -> shape[0] x (product of the rest).
     */
    public SegmentMatrix matrix(String name) {
        TensorInfo t = info(name);
        Precision p = switch (t.dtype()) {
            case F32 -> Precision.FLOAT32;
            case F64 -> Precision.FLOAT64;
            default -> throw new IllegalArgumentException(file + ": tensor '" + name + "' is " + t.dtype()
                    + ", a matrix view needs F32 or F64");
        };
        long[] shape = t.shape();
        long rows = shape.length < 2 ? 1 : shape[0];
        long cols = shape.length == 0 ? 1 : shape.length == 1 ? shape[0] : 1;
        for (int i = 1; i < shape.length; i++) {
            cols *= shape[i];
        }
        if (rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "' " + Arrays.toString(t.shape())
                    + " is too large for a matrix view");
        }
        return new SegmentMatrix(data, t.begin(), p, (int) rows, (int) cols, cols);
    }

    /** A copy of a floating-point or integer tensor, widened to double (row-major, flattened). */
    public double[] doubles(String name) {
        TensorInfo t = info(name);
        int n = heapLength(t);
        double[] out = new double[n];
        long o = t.begin();
        switch (t.dtype()) {
            case F64 -> MemorySegment.copy(data, F64, o, out, 0, n);
            case F32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = data.get(F32, o + 4L * i);
                }
            }
            case F16, BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = half(t, i);
                }
            }
            default -> {
                if (!t.dtype().isInteger()) {
                    throw new IllegalArgumentException(file + ": tensor '" + name + "' is " + t.dtype()
                            + ", which cannot be read as numbers here");
                }
                long[] l = longs(name);
                for (int i = 0; i < n; i++) {
                    out[i] = l[i];
                }
            }
        }
        return out;
    }

    /**
     * A copy of a F32, F16 or BF16 tensor as float32 (row-major, flattened); F16 and BF16 widen exactly
     * (BF16 is the upper half of a float32's bits). For checkpoint weights, which come in these three.
     */
    public float[] floats(String name) {
        TensorInfo t = info(name);
        int n = heapLength(t);
        float[] out = new float[n];
        long o = t.begin();
        switch (t.dtype()) {
            case F32 -> MemorySegment.copy(data, F32, o, out, 0, n);
            case F16, BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = half(t, i);
                }
            }
            default -> throw new IllegalArgumentException(file + ": tensor '" + name + "' is " + t.dtype()
                    + ", expected F32, F16 or BF16");
        }
        return out;
    }

    /** Element {@code i} of a F16 or BF16 tensor, widened exactly to float32. */
    private float half(TensorInfo t, int i) {
        short bits = data.get(I16, t.begin() + 2L * i);
        return t.dtype() == DType.BF16 ? Float.intBitsToFloat((bits & 0xffff) << 16) : Float.float16ToFloat(bits);
    }

    /** A copy of an integer (or BOOL) tensor, widened to long (row-major, flattened). */
    public long[] longs(String name) {
        TensorInfo t = info(name);
        if (!t.dtype().isInteger()) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "' is " + t.dtype()
                    + ", expected an integer dtype");
        }
        int n = heapLength(t);
        long[] out = new long[n];
        long o = t.begin();
        for (int i = 0; i < n; i++) {
            out[i] = switch (t.dtype()) {
                case I64 -> data.get(I64, o + 8L * i);
                case I32 -> data.get(I32, o + 4L * i);
                case U32 -> data.get(I32, o + 4L * i) & 0xffffffffL;
                case I16 -> data.get(I16, o + 2L * i);
                case U16 -> data.get(I16, o + 2L * i) & 0xffff;
                case I8 -> data.get(ValueLayout.JAVA_BYTE, o + i);
                default -> data.get(ValueLayout.JAVA_BYTE, o + i) & 0xff;
            };
        }
        return out;
    }

    private int heapLength(TensorInfo t) {
        if (t.elements() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(file + ": tensor '" + t.name() + "' has " + t.elements()
                    + " elements, too many for an array");
        }
        return (int) t.elements();
    }

    /** Unmaps the file; views obtained from this instance become invalid. */
    @Override
    public void close() {
        arena.close();
    }

    // ---------------------------------------------------------------- writing

    /** A new writer. */
    public static Writer writer() {
        return new Writer();
    }

    /**
     * Collects metadata and tensors, then writes them in one go with {@link #write(Path)}. Tensors are
     * referenced, not copied, until written: do not modify them in between. Data is laid out in the order
     * tensors were added; the header is padded with spaces to a multiple of 8 bytes so that every F64
     * tensor starts 8-byte aligned in the file.
     */
    public static final class Writer {
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final Map<String, Pending> tensors = new LinkedHashMap<>();
        private long size;

        private record Pending(DType dtype, long[] shape, Object source, long begin, long end) {
        }

        private Writer() {
        }

        /** Adds (or replaces) one {@code __metadata__} entry. */
        public Writer metadata(String key, String value) {
            if (key == null || value == null) {
                throw new IllegalArgumentException("metadata: key and value must not be null (key " + key + ")");
            }
            metadata.put(key, value);
            return this;
        }

        /** Adds every entry of {@code entries} to {@code __metadata__}. */
        public Writer metadata(Map<String, String> entries) {
            entries.forEach(this::metadata);
            return this;
        }

        private Writer add(String name, DType dtype, long[] shape, Object source, long elements) {
            if (name == null || name.isEmpty() || name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("name: '" + name + "' is not a valid tensor name");
            }
            if (tensors.containsKey(name)) {
                throw new IllegalArgumentException("name: tensor '" + name + "' was already added");
            }
            long n = 1;
            for (long s : shape) {
                if (s < 0) {
                    throw new IllegalArgumentException("shape: " + Arrays.toString(shape) + " of '" + name
                            + "' has a negative dimension");
                }
                n = Math.multiplyExact(n, s);
            }
            if (n != elements) {
                throw new IllegalArgumentException("shape: " + Arrays.toString(shape) + " of '" + name + "' holds " + n
                        + " elements, the data has " + elements);
            }
            long bytes = n * dtype.bytes();
            tensors.put(name, new Pending(dtype, shape.clone(), source, size, size + bytes));
            size += bytes;
            return this;
        }

        /** A F64 tensor of shape [rows, cols]. */
        public Writer add(String name, DMatrix m) {
            return add(name, DType.F64, new long[] {m.rows(), m.cols()}, m, (long) m.rows() * m.cols());
        }

        /** A F32 tensor of shape [rows, cols]. */
        public Writer add(String name, FMatrix m) {
            return add(name, DType.F32, new long[] {m.rows(), m.cols()}, m, (long) m.rows() * m.cols());
        }

        /** A F64 tensor of the given shape over {@code values} (row-major). */
        public Writer add(String name, long[] shape, double[] values) {
            return add(name, DType.F64, shape, values, values.length);
        }

        /** A F32 tensor of the given shape over {@code values} (row-major). */
        public Writer add(String name, long[] shape, float[] values) {
            return add(name, DType.F32, shape, values, values.length);
        }

        /** An I64 tensor of the given shape over {@code values} (row-major). */
        public Writer add(String name, long[] shape, long[] values) {
            return add(name, DType.I64, shape, values, values.length);
        }

        /** The header JSON, padded with spaces to a multiple of 8 bytes. */
        private byte[] header() {
            Map<String, Object> h = new LinkedHashMap<>();
            if (!metadata.isEmpty()) {
                h.put(METADATA_KEY, metadata);
            }
            for (Map.Entry<String, Pending> e : tensors.entrySet()) {
                Pending p = e.getValue();
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("dtype", p.dtype().name());
                t.put("shape", p.shape());
                t.put("data_offsets", new long[] {p.begin(), p.end()});
                h.put(e.getKey(), t);
            }
            byte[] json = Json.write(h).getBytes(StandardCharsets.UTF_8);
            int padded = (json.length + 7) / 8 * 8;
            byte[] out = Arrays.copyOf(json, padded);
            Arrays.fill(out, json.length, padded, (byte) ' ');
            return out;
        }

        /**
         * Writes the file: to a temporary file next to {@code target}, forced to disk, then moved over
         * {@code target} atomically ({@link AtomicFile#write}). On any failure the temporary file is deleted
         * and {@code target} is left as it was.
         */
        public void write(Path target) throws IOException {
            if (target == null) {
                throw new IllegalArgumentException("target: null");
            }
            byte[] header = header();
            AtomicFile.write(target, tmp -> {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
                    writeFully(ch, len);
                    writeFully(ch, ByteBuffer.wrap(header));
                    ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
                    for (Pending p : tensors.values()) {
                        writeTensor(ch, buf, p);
                    }
                    buf.flip();
                    writeFully(ch, buf);
                    ch.force(true);
                }
            });
        }

        private static void writeTensor(FileChannel ch, ByteBuffer buf, Pending p) throws IOException {
            switch (p.source()) {
                case DMatrix m -> {
                    double[] d = m.data();
                    for (int i = 0; i < m.rows(); i++) {
                        int o = m.index(i, 0);
                        for (int j = 0; j < m.cols(); j++) {
                            room(ch, buf, 8).putDouble(d[o + j]);
                        }
                    }
                }
                case FMatrix m -> {
                    float[] d = m.data();
                    for (int i = 0; i < m.rows(); i++) {
                        int o = m.index(i, 0);
                        for (int j = 0; j < m.cols(); j++) {
                            room(ch, buf, 4).putFloat(d[o + j]);
                        }
                    }
                }
                case double[] a -> {
                    for (double v : a) {
                        room(ch, buf, 8).putDouble(v);
                    }
                }
                case float[] a -> {
                    for (float v : a) {
                        room(ch, buf, 4).putFloat(v);
                    }
                }
                case long[] a -> {
                    for (long v : a) {
                        room(ch, buf, 8).putLong(v);
                    }
                }
                default -> throw new IllegalStateException("unexpected tensor source " + p.source().getClass());
            }
        }

        /** Flushes {@code buf} to the channel when fewer than {@code bytes} remain. */
        private static ByteBuffer room(FileChannel ch, ByteBuffer buf, int bytes) throws IOException {
            if (buf.remaining() < bytes) {
                buf.flip();
                writeFully(ch, buf);
                buf.clear();
            }
            return buf;
        }

        private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }
}
