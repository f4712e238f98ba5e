package org.loes4j.encoders;

import java.util.List;

import org.loes4j.data.LayeredEmbeddings;

/**
 * A pretrained encoder read layer by layer: a batch of inputs in, every layer's output pooled to one
 * vector per input out. Layer index {@code l} in [0, L) names the same layer in {@link #layerNames()},
 * {@link #layerWidths()} and the returned embeddings' layer indices; widths may differ between layers.
 *
 * <p>Implemented by {@link TextEncoder} (BERT: L = blocks + 1 hidden states, mean-pooled over the real
 * tokens) and {@link ImageEncoder} (MobileNetV2: every block's output and {@code out_relu}, globally
 * average-pooled); {@link Architectures} loads either from its files.
 *
 * @param <I> a batch of inputs: {@code List<String>} texts, or an
 *            {@link org.loes4j.encoders.mobilenet.ImageBatch ImageBatch}
 */
public interface LayerwiseEncoder<I> {
    /** What the inputs are. */
    enum Modality {
        TEXT,
        IMAGE
    }

    /** The architecture's registered name ({@link Architectures.Architecture#name()}). */
    String architecture();

    Modality modality();

    /** The layers' names by index. */
    List<String> layerNames();

    /** The layers' widths by index. */
    int[] layerWidths();

    /**
     * Every layer of every input, pooled, as N x d_l matrices numbered by layer index, with the encoder's
     * default settings (see the implementation).
     */
    LayeredEmbeddings encodeLayers(I inputs);
}
