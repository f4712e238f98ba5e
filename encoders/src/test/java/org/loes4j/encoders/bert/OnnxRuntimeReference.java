package org.loes4j.encoders.bert;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ONNX Runtime on the same model file with every hidden state exposed: one more {@code ModelProto.graph}
 * (field 7) holding only {@code GraphProto.output} entries (field 12) is appended to the model bytes;
 * protobuf merges it into the graph, so the runtime returns the intermediate LayerNorm outputs too.
 */
final class OnnxRuntimeReference implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final List<String> stateNames;

    OnnxRuntimeReference(Path onnx, int layers) throws IOException, OrtException {
        stateNames = new ArrayList<>();
        stateNames.add("/embeddings/LayerNorm/Add_1_output_0");
        for (int i = 0; i < layers - 1; i++) {
            stateNames.add("/encoder/layer." + i + "/output/LayerNorm/Add_1_output_0");
        }
        stateNames.add("last_hidden_state");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(Files.readAllBytes(onnx));
        ByteArrayOutputStream graph = new ByteArrayOutputStream();
        for (String name : stateNames.subList(0, layers)) {
            field(graph, 12, valueInfo(name));
        }
        field(bytes, 7, graph.toByteArray());
        env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            session = env.createSession(bytes.toByteArray(), options);
        }
    }

    /** ValueInfoProto{name, type: TypeProto{tensor_type: Tensor{elem_type: FLOAT}}}. */
    private static byte[] valueInfo(String name) throws IOException {
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

    /** Hidden states [state][b][s][j] of a right-padded batch. */
    float[][][][] run(TokenBatch batch) throws OrtException {
        int b = batch.size();
        int s = batch.seqLen();
        long[][] ids = new long[b][s];
        long[][] mask = new long[b][s];
        long[][] types = new long[b][s];
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < s; t++) {
                ids[i][t] = batch.inputIds()[i * s + t];
                mask[i][t] = t < batch.lengths()[i] ? 1 : 0;
            }
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, ids));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, mask));
            inputs.put("token_type_ids", OnnxTensor.createTensor(env, types));
            Set<String> wanted = new LinkedHashSet<>(stateNames);
            try (OrtSession.Result result = session.run(inputs, wanted)) {
                float[][][][] out = new float[stateNames.size()][][][];
                for (int k = 0; k < stateNames.size(); k++) {
                    OnnxValue v = result.get(stateNames.get(k)).orElseThrow();
                    out[k] = (float[][][]) v.getValue();
                }
                return out;
            }
        } finally {
            for (OnnxTensor t : inputs.values()) {
                t.close();
            }
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
