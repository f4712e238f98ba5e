package org.loes4j.encoders.bert;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.loes4j.encoders.onnx.ExposedOutputs;

/**
 * ONNX Runtime on the same model file with every hidden state exposed ({@link ExposedOutputs}), so the
 * runtime returns the intermediate LayerNorm outputs too.
 */
final class OnnxRuntimeReference implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final List<String> stateNames;

    OnnxRuntimeReference(Path onnx, int layers) throws IOException, OrtException {
        stateNames = ExposedOutputs.bertHiddenStates(layers);
        byte[] model = ExposedOutputs.withFloatOutputs(Files.readAllBytes(onnx), stateNames.subList(0, layers));
        env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            session = env.createSession(model, options);
        }
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
