package org.loes4j.bench.e2e;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.loes4j.encoders.bert.TokenBatch;
import org.loes4j.encoders.onnx.ExposedOutputs;

/**
 * ONNX Runtime on a BERT ONNX file with every hidden state exposed (the peer of loes4j's encoder). The
 * exported graph declares only {@code last_hidden_state}; one more {@code ModelProto.graph} (field 7) holding
 * only {@code GraphProto.output} entries (field 12, a {@code ValueInfoProto} per intermediate LayerNorm output,
 * float) is appended to the model bytes, and protobuf merges it into the graph, so one run returns the
 * embedding output and every block's output ({@link ExposedOutputs}, shared with the encoders module's test
 * reference).
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
        stateNames = ExposedOutputs.bertHiddenStates(layers);
        byte[] model = ExposedOutputs.withFloatOutputs(Files.readAllBytes(onnx), stateNames.subList(0, layers));
        env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            session = env.createSession(model, options);
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

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
