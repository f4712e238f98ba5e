package org.loes4j.encoders;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a model's files are on disk.
 *
 * @param name      the name the model was asked for (a known name, or the weights file's path)
 * @param weights   the weights: an ONNX graph with fp32 initializers, or a {@code .safetensors} file
 *                  (then with Hugging Face's {@code config.json} beside it)
 * @param tokenizer its Hugging Face {@code tokenizer.json}
 * @param known     the known model this is, if any (its published head count is a cross-check)
 */
public record ModelFiles(String name, Path weights, Path tokenizer, Optional<KnownModel> known) {
    public ModelFiles {
        if (name == null || weights == null || tokenizer == null || known == null) {
            throw new IllegalArgumentException("ModelFiles: null component (name " + name + ", weights " + weights
                    + ", tokenizer " + tokenizer + ")");
        }
    }

    /** True when the weights are a {@code .safetensors} file (else ONNX). */
    public boolean isSafetensors() {
        return weights.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors");
    }
}
