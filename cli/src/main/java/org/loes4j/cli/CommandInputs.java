package org.loes4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.loes4j.data.EmbeddingFiles;
import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Task;
import org.loes4j.linalg.io.FileDigests;
import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyArray;

/**
 * The inputs of select, train, evaluate, predict and compare, opened and checked in one place: the
 * embeddings ({@link LayeredEmbeddings#open}, memory-mapped), labels ({@link Labels#read}, one rule for every
 * command), the {@code meta.json} that extract wrote beside the embeddings ({@link ExtractMeta}: label names,
 * pooling, model), and the SHA-256 digests of every input, hashed on a background thread so that they overlap
 * the work. Every problem is a {@link BadInputException} naming the option and the file. Close it when the
 * command is done (it unmaps the files).
 */
final class CommandInputs implements AutoCloseable {
    private final String option;
    private final EmbeddingFiles embeddings;
    private final Optional<ExtractMeta> meta;
    private final Map<String, Path> toDigest = new LinkedHashMap<>();
    private Thread digester;
    private volatile Map<String, String> digests;
    private volatile IOException digestFailure;

    private CommandInputs(String option, EmbeddingFiles embeddings, Optional<ExtractMeta> meta) {
        this.option = option;
        this.embeddings = embeddings;
        this.meta = meta;
        embeddings.files().forEach(toDigest::put);
    }

    /** Opens the embeddings given with {@code option} (e.g. {@code --embeddings}) and the meta.json beside them. */
    static CommandInputs open(String option, Path file) {
        if (file == null) {
            throw new BadInputException(option + ": missing");
        }
        if (!Files.exists(file)) {
            throw new BadInputException(option + ": " + file + " does not exist");
        }
        EmbeddingFiles e;
        try {
            e = LayeredEmbeddings.open(file);
        } catch (IOException ex) {
            throw new BadInputException(option + ": cannot read " + file + ": " + ex.getMessage(), ex);
        } catch (IllegalArgumentException ex) {
            throw new BadInputException(option + ": " + ex.getMessage(), ex);
        }
        try {
            return new CommandInputs(option, e, ExtractMeta.besides(file));
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    EmbeddingFiles embeddings() {
        return embeddings;
    }

    /** The meta.json extract wrote beside the embeddings, if any. */
    Optional<ExtractMeta> meta() {
        return meta;
    }

    /**
     * Reads labels for {@code task} from {@code file} (given with {@code labelOption}) and checks their count
     * against the embeddings. Integer labels written by extract for string classes (an int64 .npy beside a
     * meta.json that lists {@code labelClasses}) come back under those names, in extract's coding.
     */
    Labels labels(String labelOption, Path file, Task task) {
        if (file == null) {
            throw new BadInputException(labelOption + ": missing (the task is " + task.cliName() + ")");
        }
        Labels y;
        try {
            y = readWithNames(file, task);
        } catch (IOException ex) {
            throw new BadInputException(labelOption + ": cannot read " + file + ": " + ex.getMessage(), ex);
        } catch (IllegalArgumentException ex) {
            String m = ex.getMessage() == null ? "" : ex.getMessage();
            throw new BadInputException(labelOption + ": " + m.replace("use the regression task", "use --task regression"),
                    ex);
        }
        if (y.size() != embeddings.rows()) {
            throw new BadInputException(labelOption + ": " + file + " holds " + y.size() + " labels, " + option + " has "
                    + embeddings.rows() + " rows");
        }
        toDigest.put("labels", file);
        return y;
    }

    private Labels readWithNames(Path file, Task task) throws IOException {
        Labels y = Labels.read(file, task);
        if (task != Task.CLASSIFICATION || meta.isEmpty() || meta.get().labelNames().isEmpty()
                || !file.getFileName().toString().endsWith(".npy")) {
            return y;
        }
        Path dir = meta.get().file().getParent();
        if (!Files.isSameFile(dir, file.toAbsolutePath().getParent())) {
            return y;
        }
        java.util.List<String> names = meta.get().labelNames();
        long[] ids;
        try (NpyArray a = Npy.map(file)) {
            ids = a.toLongArray();
        }
        int[] codes = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= names.size()) {
                throw new IllegalArgumentException(file + ": label id " + ids[i] + " at row " + i + " is not one of the "
                        + names.size() + " classes listed in " + meta.get().file());
            }
            codes[i] = (int) ids[i];
        }
        return Labels.ofCodes(codes, names);
    }

    /**
     * Parses {@code --task}; {@code label-free} only where {@code allowLabelFree} (selection).
     *
     * @throws BadInputException naming the option and the accepted values
     */
    static Task task(String option, String value, boolean allowLabelFree) {
        Task t;
        try {
            t = Task.parse(value);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(option + ": '" + value + "' is not one of classification, regression"
                    + (allowLabelFree ? ", label-free" : ""), e);
        }
        if (t == Task.LABEL_FREE && !allowLabelFree) {
            throw new BadInputException(option + ": label-free is for selection only; probes need "
                    + "classification or regression labels");
        }
        return t;
    }

    /**
     * Labels read like {@link #labels(String, Path, Task)} and coded under a trained model's class
     * {@code names} (classification), so that label k means the same class in both.
     */
    Labels labels(String labelOption, Path file, Task task, java.util.List<String> names) {
        Labels y = labels(labelOption, file, task);
        if (task != Task.CLASSIFICATION || names == null || y.names().equals(names)) {
            return y;
        }
        try {
            return Labels.classification(y.labels(), names);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(labelOption + ": " + file + ": " + e.getMessage(), e);
        }
    }

    /** The files read, by option, for output-path checks. */
    Map<String, Path> inputFiles() {
        Map<String, Path> m = new LinkedHashMap<>();
        embeddings.files().forEach((k, v) -> m.put(option + " (" + k + ")", v));
        toDigest.forEach((k, v) -> m.putIfAbsent(k, v));
        return m;
    }

    /** Starts hashing every input read so far on a background thread (idempotent). */
    synchronized void startDigests() {
        if (digester != null) {
            return;
        }
        Map<String, Path> todo = new LinkedHashMap<>(toDigest);
        digester = new Thread(() -> {
            Map<String, String> done = new LinkedHashMap<>();
            try {
                for (Map.Entry<String, Path> e : todo.entrySet()) {
                    done.put(e.getKey(), e.getValue() + " sha256:" + FileDigests.sha256(e.getValue()));
                }
                digests = done;
            } catch (IOException e) {
                digestFailure = e;
            }
        }, "loes-digest");
        digester.setDaemon(true);
        digester.start();
    }

    /** Input names to {@code "path sha256:..."} for the provenance (waits for the background hashing). */
    Map<String, String> digests() {
        startDigests();
        try {
            digester.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadInputException("interrupted while hashing the inputs", e);
        }
        if (digestFailure != null) {
            throw new BadInputException(option + ": cannot hash the inputs: " + digestFailure.getMessage(), digestFailure);
        }
        return new LinkedHashMap<>(digests);
    }

    /** "N samples, L layers of width d, hidden states [...]", for messages. */
    String describe() {
        return embeddings.describe();
    }

    @Override
    public void close() {
        embeddings.close();
    }
}
