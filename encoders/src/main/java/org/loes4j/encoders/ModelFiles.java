package org.loes4j.encoders;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a model's files are on disk.
 *
 * @param name      the name the model was asked for (a known name, or the ONNX file's path)
 * @param onnx      the ONNX graph with fp32 weights
 * @param tokenizer its Hugging Face {@code tokenizer.json}
 * @param known     the known model this is, if any (its published head count is a cross-check)
 */
public record ModelFiles(String name, Path onnx, Path tokenizer, Optional<KnownModel> known) {
    public ModelFiles {
        if (name == null || onnx == null || tokenizer == null || known == null) {
            throw new IllegalArgumentException("ModelFiles: null component (name " + name + ", onnx " + onnx
                    + ", tokenizer " + tokenizer + ")");
        }
    }
}
