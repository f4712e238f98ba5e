package org.loes4j.bench.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.loes4j.encoders.bert.TokenBatch;

/**
 * ONNX Runtime on a BERT ONNX file with every hidden state exposed (the peer of loes4j's encoder). The
 * exported graph declares only {@code last_hidden_state}; one more {@code ModelProto.graph} (field 7) holding
 * only {@code GraphProto.output} entries (field 12, a {@code ValueInfoProto} per intermediate LayerNorm output,
 * float) is appended to the model bytes, and protobuf merges it into the graph, so one run returns the
 * embedding output and every block's output. The same approach as the encoders module's test reference
 * (test scope there, so not reachable from here).
 */
final class OrtAllHiddenStates implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final List<String> stateNames;

    /**
     * @param onnx          the model file
     * @param layers        encoder blocks (hidden states = layers + 1)
     * @param intraOpThreads ONNX Runtime's intra-op thread count
     */
    OrtAllHiddenStates(Path onnx, int layers, int intraOpThreads) throws IOException, OrtException {
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
            field(graph, 12, floatValueInfo(name));
        }
        field(bytes, 7, graph.toByteArray());
        env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            session = env.createSession(bytes.toByteArray(), options);
        }
    }

    /** Names of the hidden states, embedding output first. */
    List<String> stateNames() {
        return stateNames;
    }

    /**
     * Runs one right-padded batch and returns every hidden state ([B, S, d] float tensors, by name); the caller
     * closes the result.
     */
    OrtSession.Result run(TokenBatch batch) throws OrtException {
        int b = batch.size();
        int s = batch.seqLen();
        long[] ids = new long[b * s];
        long[] mask = new long[b * s];
        long[] types = new long[b * s];
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < s; t++) {
                ids[i * s + t] = batch.inputIds()[i * s + t];
                mask[i * s + t] = t < batch.lengths()[i] ? 1 : 0;
            }
        }
        long[] shape = {b, s};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
            return session.run(inputs, new LinkedHashSet<>(stateNames));
        } finally {
            for (OnnxTensor t : inputs.values()) {
                t.close();
            }
        }
    }

    /** The float data of hidden state {@code index} of a result (a copy). */
    float[] state(OrtSession.Result result, int index) throws OrtException {
        OnnxTensor t = (OnnxTensor) result.get(stateNames.get(index)).orElseThrow();
        FloatBuffer fb = t.getFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
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

    /** A length-delimited protobuf field (wire type 2). */
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

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
