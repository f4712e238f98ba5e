package org.loes4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;

import org.loes4j.encoders.TextEncoder;

/**
 * The text encoders of this JVM, one per model name, loaded on first use and kept for the life of the JVM:
 * every task of an executor (and the driver, which asks for the model's shape) shares one copy of the
 * weights. {@link TextEncoder} is thread-safe, so concurrent tasks encode with it at once.
 *
 * <p>Weights are resolved by {@link TextEncoder#load(String)}: a models directory
 * ({@code -Dloes4j.models.dir}), then the class path (a model's carrier jar shipped with the job), then the
 * local Maven repository.
 */
final class EncoderHolder {
    private static final ConcurrentHashMap<String, TextEncoder> LOADED = new ConcurrentHashMap<>();

    private EncoderHolder() {
    }

    /**
     * The encoder of {@code model} in this JVM. The first caller loads it; concurrent callers for the same
     * name wait for that load instead of loading a second copy.
     *
     * @throws UncheckedIOException when the weights cannot be read
     */
    static TextEncoder get(String model) {
        return LOADED.computeIfAbsent(model, name -> {
            try {
                return TextEncoder.load(name);
            } catch (IOException e) {
                throw new UncheckedIOException("model '" + name + "': " + e.getMessage(), e);
            }
        });
    }
}
