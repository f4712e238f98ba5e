package org.loes4j.encoders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

import org.loes4j.linalg.FMatrix;

/**
 * Shared fixtures: the real model files (resolved exactly as users resolve them; the jars are test
 * dependencies of this module, so they are on the test class path) and the sentence corpus.
 */
public final class TestModels {
    private static final Map<KnownModel, ModelFiles> FILES = new ConcurrentHashMap<>();

    private TestModels() {
    }

    public static ModelFiles files(KnownModel model) {
        return FILES.computeIfAbsent(model, m -> {
            try {
                return ModelResolver.defaults().resolve(m);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The lines of {@code sentences.txt} with {@code \n}, {@code \r}, {@code \t} unescaped. */
    public static List<String> sentences() {
        try (var in = TestModels.class.getResourceAsStream("sentences.txt")) {
            if (in == null) {
                throw new IllegalStateException("sentences.txt missing from the test resources");
            }
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> out = new ArrayList<>();
            for (String line : all.split("\n")) {
                if (!line.isEmpty()) {
                    out.add(line.replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t"));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A temporary directory under target/ (kept for inspection, unique per call). */
    public static Path tempDir(String prefix) throws IOException {
        Path base = Path.of("target", "test-tmp");
        Files.createDirectories(base);
        return Files.createTempDirectory(base, prefix);
    }

    /** All hidden states of text i pooled with {@code p}, as an L x d view of the result. */
    public static FMatrix sample(TextEncoder.Result r, Pooling p, int i) {
        FMatrix flat = r.flat(p);
        int d = flat.cols() / r.hiddenStates();
        return new FMatrix(flat.data(), flat.index(i, 0), r.hiddenStates(), d, d);
    }
}
