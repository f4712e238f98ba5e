package org.loes4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.loes4j.linalg.SegmentMatrix;
import org.loes4j.training.Embeddings;

/**
 * Embeddings for train, evaluate, predict and compare, in the same forms {@code loes select} reads
 * ({@link SelectionInputs}): an (N, L, d) {@code .npy}, a directory of per-layer (N, d) {@code .npy}
 * files, or a {@code .safetensors} file with one (N, d) tensor per layer; memory-mapped, batches read
 * straight from the mapping. Close it when the command is done.
 */
final class EmbeddingsFile implements AutoCloseable {
    private final SelectionInputs inputs;
    private final Embeddings embeddings;

    private EmbeddingsFile(SelectionInputs inputs, Embeddings embeddings) {
        this.inputs = inputs;
        this.embeddings = embeddings;
    }

    /** Opens {@code file}; a missing or malformed input is bad input naming the option and the file. */
    static EmbeddingsFile open(String option, Path file) {
        if (!Files.exists(file)) {
            throw new BadInputException(option + ": " + file + " does not exist");
        }
        SelectionInputs in;
        try {
            in = new SelectionInputs(file);
        } catch (IOException e) {
            throw new BadInputException(option + ": cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(option + ": " + e.getMessage(), e);
        }
        try {
            List<SegmentMatrix> views = new ArrayList<>();
            for (int l = 0; l < in.layerCount(); l++) {
                views.add(in.layer(l));
            }
            return new EmbeddingsFile(in, Embeddings.ofLayers(views));
        } catch (RuntimeException e) {
            in.close();
            throw e;
        }
    }

    Embeddings embeddings() {
        return embeddings;
    }

    /** Layer l as an N x d view of the mapping (for the selection module). */
    SegmentMatrix layer(int l) {
        return inputs.layer(l);
    }

    /** File names and SHA-256 digests, for the provenance. */
    Map<String, String> digests() throws IOException {
        return inputs.digests();
    }

    /** "N samples, L layers of width d", for messages. */
    String describe() {
        return embeddings.size() + " samples, " + embeddings.layers() + " layers of width " + embeddings.dim();
    }

    @Override
    public void close() {
        inputs.close();
    }
}
