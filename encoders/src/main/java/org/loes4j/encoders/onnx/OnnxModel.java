package org.loes4j.encoders.onnx;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ONNX model read straight from its protobuf bytes: the graph's nodes, initializers (weights) and
 * declared inputs/outputs. The file is memory-mapped once; initializer {@code raw_data} stays in the
 * mapping until a caller copies it out ({@link OnnxTensor#toFloatArray()}), so opening a 130 MB model
 * costs a parse of its small fields only. Close the model to unmap the file.
 *
 * <p>Fields read (numbers from {@code onnx.proto}): ModelProto ir_version 1, producer_name 2,
 * producer_version 3, graph 7 (repeated occurrences merge, as protobuf does for a singular message
 * field); GraphProto node 1, name 2, initializer 5, input 11, output 12; NodeProto input 1, output 2,
 * name 3, op_type 4, attribute 5; AttributeProto name 1, f 2, i 3, s 4, t 5, ints 8; TensorProto dims 1,
 * data_type 2, float_data 4, int32_data 5, int64_data 7, name 8, raw_data 9, external_data 13,
 * data_location 14; ValueInfoProto name 1. Everything else is skipped.
 */
public final class OnnxModel implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final long irVersion;
    private final String producer;
    private final String graphName;
    private final List<OnnxNode> nodes;
    private final Map<String, OnnxTensor> initializers;
    private final List<String> inputs;
    private final List<String> outputs;
    private final Map<String, OnnxNode> producers;
    private final Map<String, List<OnnxNode>> consumers;

    private OnnxModel(Path path, Arena arena, Builder b) {
        this.path = path;
        this.arena = arena;
        this.irVersion = b.irVersion;
        this.producer = (b.producerName + " " + b.producerVersion).trim();
        this.graphName = b.graphName;
        this.nodes = List.copyOf(b.nodes);
        this.initializers = Collections.unmodifiableMap(b.initializers);
        this.inputs = List.copyOf(b.inputs);
        this.outputs = List.copyOf(b.outputs);
        Map<String, OnnxNode> prod = new HashMap<>();
        Map<String, List<OnnxNode>> cons = new HashMap<>();
        for (OnnxNode n : nodes) {
            for (String o : n.outputs()) {
                prod.put(o, n);
            }
            for (String i : n.inputs()) {
                if (!i.isEmpty()) {
                    cons.computeIfAbsent(i, k -> new ArrayList<>()).add(n);
                }
            }
        }
        this.producers = prod;
        this.consumers = cons;
    }

    /**
     * Maps and parses the model at {@code path}.
     *
     * @throws OnnxFormatException when the bytes are not an ONNX model (named in the message)
     * @throws IOException         when the file cannot be read
     */
    public static OnnxModel open(Path path) throws IOException {
        if (path == null) {
            throw new IllegalArgumentException("path: null");
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("path: " + path + " is not a file");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment bytes = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            Builder b = new Builder(path);
            try {
                b.readModel(new ProtoReader(bytes, 0, bytes.byteSize()));
            } catch (OnnxFormatException e) {
                throw new OnnxFormatException(path + ": not a readable ONNX model (" + e.getMessage() + ")");
            }
            if (b.nodes.isEmpty() && b.initializers.isEmpty()) {
                throw new OnnxFormatException(path + ": not an ONNX model (no graph nodes or initializers found)");
            }
            return new OnnxModel(path, arena, b);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public long irVersion() {
        return irVersion;
    }

    /** {@code producer_name producer_version}, e.g. {@code "pytorch 2.0.1"}. */
    public String producer() {
        return producer;
    }

    public String graphName() {
        return graphName;
    }

    /** Nodes in graph order (topologically sorted in a valid model). */
    public List<OnnxNode> nodes() {
        return nodes;
    }

    /** Initializers by name, in file order. */
    public Map<String, OnnxTensor> initializers() {
        return initializers;
    }

    /** The initializer {@code name}, if present. */
    public Optional<OnnxTensor> initializer(String name) {
        return Optional.ofNullable(initializers.get(name));
    }

    /** Declared graph input names (initializers listed as inputs by old exporters included). */
    public List<String> inputs() {
        return inputs;
    }

    /** Declared graph output names. */
    public List<String> outputs() {
        return outputs;
    }

    /** The node that computes value {@code name}, if any (graph inputs and initializers have none). */
    public Optional<OnnxNode> producer(String name) {
        return Optional.ofNullable(producers.get(name));
    }

    /** Nodes that read value {@code name}, in graph order. */
    public List<OnnxNode> consumers(String name) {
        return consumers.getOrDefault(name, List.of());
    }

    /**
     * The constant value named {@code name}: an initializer, or the {@code value} attribute of the
     * {@code Constant} node that outputs it; looks through {@code Identity} and {@code Unsqueeze} nodes
     * (an unsqueezed constant has the same elements).
     */
    public Optional<OnnxTensor> constant(String name) {
        for (int hops = 0; hops < 8; hops++) {
            OnnxTensor init = initializers.get(name);
            if (init != null) {
                return Optional.of(init);
            }
            OnnxNode n = producers.get(name);
            if (n == null) {
                return Optional.empty();
            }
            switch (n.opType()) {
                case "Constant" -> {
                    OnnxNode.Attribute value = n.attributes().get("value");
                    return value == null ? Optional.empty() : Optional.ofNullable(value.t());
                }
                case "Identity", "Unsqueeze" -> name = n.input(0);
                default -> {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Unmaps the file; tensors' raw data must not be read afterwards. */
    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "OnnxModel[" + path + ", " + producer + ", " + nodes.size() + " nodes, " + initializers.size()
                + " initializers]";
    }

    // ------------------------------------------------------------------ parsing

    private static final class Builder {
        final Path path;
        long irVersion;
        String producerName = "";
        String producerVersion = "";
        String graphName = "";
        final List<OnnxNode> nodes = new ArrayList<>();
        final Map<String, OnnxTensor> initializers = new LinkedHashMap<>();
        final List<String> inputs = new ArrayList<>();
        final List<String> outputs = new ArrayList<>();

        Builder(Path path) {
            this.path = path;
        }

        void readModel(ProtoReader r) {
            while (r.hasNext()) {
                switch (r.nextField()) {
                    case 1 -> irVersion = r.varint();
                    case 2 -> producerName = r.string();
                    case 3 -> producerVersion = r.string();
                    case 7 -> readGraph(r.message());
                    default -> r.skip();
                }
            }
        }

        void readGraph(ProtoReader r) {
            while (r.hasNext()) {
                switch (r.nextField()) {
                    case 1 -> nodes.add(readNode(r.message()));
                    case 2 -> graphName = r.string();
                    case 5 -> {
                        OnnxTensor t = readTensor(r.message());
                        initializers.put(t.name(), t);
                    }
                    case 11 -> inputs.add(readValueInfoName(r.message()));
                    case 12 -> outputs.add(readValueInfoName(r.message()));
                    default -> r.skip();
                }
            }
        }

        static String readValueInfoName(ProtoReader r) {
            String name = "";
            while (r.hasNext()) {
                if (r.nextField() == 1) {
                    name = r.string();
                } else {
                    r.skip();
                }
            }
            return name;
        }

        OnnxNode readNode(ProtoReader r) {
            List<String> in = new ArrayList<>();
            List<String> out = new ArrayList<>();
            String name = "";
            String op = "";
            Map<String, OnnxNode.Attribute> attrs = new HashMap<>();
            while (r.hasNext()) {
                switch (r.nextField()) {
                    case 1 -> in.add(r.string());
                    case 2 -> out.add(r.string());
                    case 3 -> name = r.string();
                    case 4 -> op = r.string();
                    case 5 -> {
                        OnnxNode.Attribute a = readAttribute(r.message());
                        attrs.put(a.name(), a);
                    }
                    default -> r.skip();
                }
            }
            return new OnnxNode(name, op, in, out, attrs);
        }

        OnnxNode.Attribute readAttribute(ProtoReader r) {
            String name = "";
            float f = 0;
            long i = 0;
            String s = "";
            OnnxTensor t = null;
            ProtoReader.LongList ints = new ProtoReader.LongList();
            while (r.hasNext()) {
                switch (r.nextField()) {
                    case 1 -> name = r.string();
                    case 2 -> f = Float.intBitsToFloat(r.fixed32());
                    case 3 -> i = r.varint();
                    case 4 -> s = r.string();
                    case 5 -> t = readTensor(r.message());
                    case 8 -> r.varints(ints);
                    default -> r.skip();
                }
            }
            return new OnnxNode.Attribute(name, f, i, s, t, ints.toArray());
        }

        OnnxTensor readTensor(ProtoReader r) {
            ProtoReader.LongList dims = new ProtoReader.LongList();
            ProtoReader.LongList int64 = new ProtoReader.LongList();
            FloatList floats = new FloatList();
            boolean hasInts = false;
            boolean hasFloats = false;
            int type = 0;
            String name = "";
            MemorySegment raw = null;
            boolean external = false;
            while (r.hasNext()) {
                switch (r.nextField()) {
                    case 1 -> r.varints(dims);
                    case 2 -> type = (int) r.varint();
                    case 4 -> {
                        hasFloats = true;
                        readFloats(r, floats);
                    }
                    case 5, 7 -> {
                        hasInts = true;
                        // int32_data holds sign-extended varints, so both decode the same way.
                        r.varints(int64);
                    }
                    case 8 -> name = r.string();
                    case 9 -> raw = r.bytesField();
                    case 13 -> {
                        external = true;
                        r.skip();
                    }
                    case 14 -> external |= r.varint() == 1;
                    default -> r.skip();
                }
            }
            long[] shape = dims.toArray();
            // Checked here so that no later size computation overflows; sizes against the data: OnnxTensor.
            long elements = 1;
            for (long d : shape) {
                if (d < 0) {
                    throw new OnnxFormatException("tensor '" + name + "': negative dimension in "
                            + java.util.Arrays.toString(shape));
                }
                try {
                    elements = Math.multiplyExact(elements, d);
                } catch (ArithmeticException e) {
                    throw new OnnxFormatException("tensor '" + name + "': shape " + java.util.Arrays.toString(shape)
                            + " has more elements than a long can count");
                }
            }
            return new OnnxTensor(path, name, shape, type, raw, hasFloats ? floats.toArray() : null,
                    hasInts ? int64.toArray() : null, external);
        }

        private static void readFloats(ProtoReader r, FloatList out) {
            if (r.wireType() == ProtoReader.LENGTH_DELIMITED) {
                MemorySegment packed = r.bytesField();
                if (packed.byteSize() % 4 != 0) {
                    throw new OnnxFormatException("packed float_data of " + packed.byteSize() + " bytes");
                }
                for (long off = 0; off < packed.byteSize(); off += 4) {
                    out.add(packed.get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), off));
                }
            } else if (r.wireType() == ProtoReader.FIXED32) {
                out.add(Float.intBitsToFloat(r.fixed32()));
            } else {
                throw new OnnxFormatException("float_data with wire type " + r.wireType());
            }
        }
    }

    private static final class FloatList {
        private float[] values = new float[4];
        private int size;

        void add(float v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
