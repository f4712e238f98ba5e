package org.loes4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.loes4j.linalg.io.Json;

/**
 * What {@code loes extract} recorded in {@code meta.json} beside the embeddings it wrote, as the later
 * commands need it: the model, the pooling, the class names of string labels (by label id), and the layer
 * numbering. Layers are numbered by hidden-state index everywhere (0 = embedding output); the paper's
 * "layer k" is hidden state k + 1, and {@link #paperLayer} gives it for display.
 *
 * @param file        the meta.json read
 * @param model       model name, or null
 * @param pooling     pooling id ({@code cls}, {@code mean}), or null
 * @param labelNames  class names by label id when extract coded string labels, else empty
 * @param layerNames  hidden-state names, by index, or empty
 * @param inputFile   the input file extract read, or null
 */
record ExtractMeta(Path file, String model, String pooling, List<String> labelNames, List<String> layerNames,
                   String inputFile) {
    /** The numbering every command uses and records. */
    static final String NUMBERING = "hidden-state index (0 = embedding output; the paper's layer k = hidden state k + 1)";

    /**
     * Reads {@code meta.json} beside {@code embeddings} (in the directory for a directory input), if it exists.
     *
     * @throws BadInputException if it exists but is not the JSON object extract writes
     */
    static Optional<ExtractMeta> besides(Path embeddings) {
        Path dir = Files.isDirectory(embeddings) ? embeddings : embeddings.toAbsolutePath().getParent();
        if (dir == null) {
            return Optional.empty();
        }
        Path file = dir.resolve("meta.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Map<String, Object> m;
        try {
            m = Json.parseObject(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(file + ": not a readable meta.json (" + e.getMessage()
                    + "); move it away or fix it", e);
        }
        if (!"loes4j-embeddings/1".equals(m.get("format"))) {
            return Optional.empty();
        }
        String model = m.get("model") instanceof Map<?, ?> mm && mm.get("name") != null ? mm.get("name").toString() : null;
        String pooling = m.get("pooling") == null ? null : m.get("pooling").toString();
        List<String> labels = List.of();
        if (m.get("input") instanceof Map<?, ?> in && in.get("labelClasses") instanceof List<?> l) {
            labels = strings(l);
        }
        String inputFile = m.get("input") instanceof Map<?, ?> in && in.get("file") != null ? in.get("file").toString()
                : null;
        List<String> names = List.of();
        if (m.get("layers") instanceof Map<?, ?> lm && lm.get("names") instanceof List<?> l) {
            names = strings(l);
        }
        return Optional.of(new ExtractMeta(file, model, pooling, labels, names, inputFile));
    }

    private static List<String> strings(List<?> l) {
        List<String> out = new ArrayList<>(l.size());
        for (Object o : l) {
            out.add(String.valueOf(o));
        }
        return List.copyOf(out);
    }

    /** The paper's layer number of hidden state {@code index} ("embedding output" for 0), for display. */
    static String paperLayer(int index) {
        return index == 0 ? "emb" : Integer.toString(index - 1);
    }

    /** What a saved model or result carries of this: model, pooling, numbering. */
    Map<String, String> asInputMeta() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        if (model != null) {
            m.put("model", model);
        }
        if (pooling != null) {
            m.put("pooling", pooling);
        }
        m.put("layerNumbering", NUMBERING);
        m.put("meta", file.toString());
        return m;
    }
}
