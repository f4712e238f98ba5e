package org.loes4j.encoders.safetensors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.loes4j.linalg.io.Json;

/**
 * A {@code .safetensors} file: {@code u64 n} (little-endian), an n-byte JSON header mapping each tensor
 * name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets into the bytes after the
 * header), then the tensor bytes. The file is memory-mapped; {@link Tensor#toFloatArray()} copies one
 * tensor out, widening F16 and BF16 to float32. Close to unmap.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Header sizes above this are rejected as corrupt (the format's own reference limit is 100 MB). */
    private static final long MAX_HEADER = 100L << 20;

    private final Path path;
    private final Arena arena;
    private final Map<String, Tensor> tensors;

    /** One tensor of the file. */
    public final class Tensor {
        private final String name;
        private final String dtype;
        private final long[] shape;
        private final MemorySegment bytes;

        Tensor(String name, String dtype, long[] shape, MemorySegment bytes) {
            this.name = name;
            this.dtype = dtype;
            this.shape = shape;
            this.bytes = bytes;
        }

        public String name() {
            return name;
        }

        /** {@code "F32"}, {@code "F16"}, {@code "BF16"}, ... */
        public String dtype() {
            return dtype;
        }

        public long[] shape() {
            return shape.clone();
        }

        public long elementCount() {
            long n = 1;
            for (long s : shape) {
                n = Math.multiplyExact(n, s);
            }
            return n;
        }

        /** The elements as float32, row-major. */
        public float[] toFloatArray() {
            long n = elementCount();
            if (n > Integer.MAX_VALUE - 8) {
                throw new SafetensorsFormatException(path + ": tensor '" + name + "' has too many elements (" + n + ")");
            }
            int count = (int) n;
            int width = switch (dtype) {
                case "F32" -> 4;
                case "F16", "BF16" -> 2;
                default -> throw new SafetensorsFormatException(path + ": tensor '" + name + "' has dtype " + dtype
                        + "; only F32, F16 and BF16 weights are supported");
            };
            if (bytes.byteSize() != (long) count * width) {
                throw new SafetensorsFormatException(path + ": tensor '" + name + "' spans " + bytes.byteSize()
                        + " bytes, its shape " + Arrays.toString(shape) + " of " + dtype + " needs " + (long) count * width);
            }
            float[] out = new float[count];
            if (width == 4) {
                MemorySegment.copy(bytes, FLOAT_LE, 0, out, 0, count);
            } else {
                for (int i = 0; i < count; i++) {
                    short bits = bytes.getAtIndex(SHORT_LE, i);
                    out[i] = dtype.equals("BF16") ? Float.intBitsToFloat((bits & 0xFFFF) << 16) : Float.float16ToFloat(bits);
                }
            }
            return out;
        }
    }

    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private SafetensorsFile(Path path, Arena arena, MemorySegment file) {
        this.path = path;
        this.arena = arena;
        if (file.byteSize() < 8) {
            throw new SafetensorsFormatException(path + ": not a safetensors file (" + file.byteSize() + " bytes)");
        }
        long n = file.get(LONG_LE, 0);
        if (n < 2 || n > MAX_HEADER || 8 + n > file.byteSize()) {
            throw new SafetensorsFormatException(path + ": not a safetensors file (header length " + n + " for a file of "
                    + file.byteSize() + " bytes)");
        }
        String json = new String(file.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        Map<String, Object> header;
        try {
            header = Json.parseObject(json.strip());
        } catch (IllegalArgumentException e) {
            throw new SafetensorsFormatException(path + ": not a safetensors file (header: " + e.getMessage() + ")");
        }
        MemorySegment data = file.asSlice(8 + n);
        Map<String, Tensor> map = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> t) || !(t.get("dtype") instanceof String dtype)
                    || !(t.get("shape") instanceof List<?> shapeList) || !(t.get("data_offsets") instanceof List<?> offs)
                    || offs.size() != 2 || !(offs.get(0) instanceof Long begin) || !(offs.get(1) instanceof Long end)) {
                throw new SafetensorsFormatException(path + ": header entry '" + e.getKey() + "' lacks dtype, shape or "
                        + "data_offsets");
            }
            if (begin < 0 || end < begin || end > data.byteSize()) {
                throw new SafetensorsFormatException(path + ": tensor '" + e.getKey() + "' data_offsets [" + begin + ", "
                        + end + "] fall outside the " + data.byteSize() + " data bytes");
            }
            long[] shape = new long[shapeList.size()];
            for (int i = 0; i < shape.length; i++) {
                if (!(shapeList.get(i) instanceof Long s) || s < 0) {
                    throw new SafetensorsFormatException(path + ": tensor '" + e.getKey() + "' has shape " + shapeList);
                }
                shape[i] = s;
            }
            map.put(e.getKey(), new Tensor(e.getKey(), dtype, shape, data.asSlice(begin, end - begin)));
        }
        this.tensors = Collections.unmodifiableMap(map);
    }

    /**
     * Maps and indexes the file.
     *
     * @throws SafetensorsFormatException when the bytes are not a safetensors file (named in the message)
     */
    public static SafetensorsFile open(Path path) throws IOException {
        if (path == null) {
            throw new IllegalArgumentException("path: null");
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("path: " + path + " is not a file");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return new SafetensorsFile(path, arena, file);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** Tensors by name, in header order. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public Optional<Tensor> tensor(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    @Override
    public void close() {
        arena.close();
    }
}
