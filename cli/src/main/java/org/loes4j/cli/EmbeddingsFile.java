package org.loes4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.loes4j.linalg.Precision;
import org.loes4j.linalg.SegmentMatrix;
import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyArray;
import org.loes4j.training.Embeddings;

/**
 * An (N, L, d) float32/float64 {@code .npy} file memory-mapped as {@link Embeddings}; batches are read
 * straight from the mapping. Close it when the command is done.
 */
final class EmbeddingsFile implements AutoCloseable {
    private final NpyArray array;
    private final Embeddings embeddings;

    private EmbeddingsFile(NpyArray array, Embeddings embeddings) {
        this.array = array;
        this.embeddings = embeddings;
    }

    /** Opens {@code file}; a missing or malformed file is bad input. */
    static EmbeddingsFile open(String option, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(option + ": " + file + " does not exist or is not a file");
        }
        NpyArray a;
        try {
            a = Npy.map(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(option + ": " + file + " does not exist");
        } catch (IOException e) {
            throw new BadInputException(option + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            long[] s = a.shape();
            if (s.length != 3) {
                throw new BadInputException(option + ": " + file + " has shape " + a.describe()
                        + ", expected (N, L, d)");
            }
            Precision p = switch (a.dtype()) {
                case FLOAT32 -> Precision.FLOAT32;
                case FLOAT64 -> Precision.FLOAT64;
                default -> throw new BadInputException(option + ": " + file + " holds " + a.dtype().descriptor()
                        + ", expected float32 or float64 embeddings");
            };
            if (s[0] > Integer.MAX_VALUE || s[1] * s[2] > Integer.MAX_VALUE) {
                throw new BadInputException(option + ": " + file + " shape " + a.describe() + " is too large");
            }
            int n = (int) s[0];
            int l = (int) s[1];
            int d = (int) s[2];
            if (l < 1 || d < 1) {
                throw new BadInputException(option + ": " + file + " has shape " + a.describe() + ", L and d must be >= 1");
            }
            SegmentMatrix flat = new SegmentMatrix(a.data(), 0, p, n, l * d, (long) l * d);
            return new EmbeddingsFile(a, Embeddings.of(flat, l, d));
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
    }

    Embeddings embeddings() {
        return embeddings;
    }

    /** Layer l as an N x d view of the mapping (for the selection module). */
    SegmentMatrix layer(int l) {
        return array.layer(l);
    }

    /** "N x L x d" for messages. */
    String describe() {
        return embeddings.size() + " samples, " + embeddings.layers() + " layers of width " + embeddings.dim();
    }

    @Override
    public void close() {
        array.close();
    }
}
