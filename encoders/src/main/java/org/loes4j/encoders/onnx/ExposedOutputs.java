package org.loes4j.encoders.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes an ONNX runtime return intermediate tensors of a model file: one more {@code ModelProto.graph}
 * (field 7) holding only {@code GraphProto.output} entries (field 12: a {@code ValueInfoProto} with the
 * tensor's name and element type FLOAT) is appended to the model bytes. Protobuf merges a repeated
 * occurrence of a singular message field, so the runtime sees the original graph with those outputs added.
 * This is how the tests and the benchmark run ONNX Runtime as an independent reference with every hidden
 * state of a BERT export exposed.
 */
public final class ExposedOutputs {
    private ExposedOutputs() {
    }

    /**
     * The hidden-state tensor names of a BERT export with {@code blocks} encoder blocks, embedding output
     * first ({@code blocks + 1} names; the last one is the declared output {@code last_hidden_state}).
     */
    public static List<String> bertHiddenStates(int blocks) {
        if (blocks < 1) {
            throw new IllegalArgumentException("blocks: " + blocks + " must be >= 1");
        }
        List<String> names = new ArrayList<>(blocks + 1);
        names.add("/embeddings/LayerNorm/Add_1_output_0");
        for (int i = 0; i < blocks - 1; i++) {
            names.add("/encoder/layer." + i + "/output/LayerNorm/Add_1_output_0");
        }
        names.add("last_hidden_state");
        return names;
    }

    /** {@code model} with the float tensors {@code names} added to the graph's outputs (a new array). */
    public static byte[] withFloatOutputs(byte[] model, List<String> names) {
        ByteArrayOutputStream graph = new ByteArrayOutputStream();
        for (String name : names) {
            field(graph, 12, floatValueInfo(name));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(model.length + graph.size() + 16);
        bytes.writeBytes(model);
        field(bytes, 7, graph.toByteArray());
        return bytes.toByteArray();
    }

    /** ValueInfoProto{name, type: TypeProto{tensor_type: Tensor{elem_type: FLOAT (1)}}}. */
    private static byte[] floatValueInfo(String name) {
        ByteArrayOutputStream tensorType = new ByteArrayOutputStream();
        tensorType.write(0x08);
        tensorType.write(1);
        ByteArrayOutputStream type = new ByteArrayOutputStream();
        field(type, 1, tensorType.toByteArray());
        ByteArrayOutputStream vi = new ByteArrayOutputStream();
        field(vi, 1, name.getBytes(StandardCharsets.UTF_8));
        field(vi, 2, type.toByteArray());
        return vi.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, int number, byte[] payload) {
        varint(out, ((long) number << 3) | 2);
        varint(out, payload.length);
        out.writeBytes(payload);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
