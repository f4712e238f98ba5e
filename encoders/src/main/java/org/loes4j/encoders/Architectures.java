package org.loes4j.encoders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.loes4j.linalg.Linalg;

/**
 * The registry of encoder architectures: each knows how to recognise its model files and how to load them
 * as a {@link LayerwiseEncoder} (the shape of Jlama's {@code ModelSupport}). Built in, tried in this order:
 * <ul>
 *   <li>{@link #MOBILENET_V2}: a directory holding a TensorFlow.js layers model ({@code model.min.js} or
 *       {@code model.json}), such as nsfwjs's {@code dist/models/mobilenet_v2/};</li>
 *   <li>{@link #BERT}: a {@link KnownModel} name, an {@code .onnx} or {@code .safetensors} file, or a
 *       directory holding one (resolved by {@link ModelResolver#defaults()}).</li>
 * </ul>
 * More can be {@link #register registered}; recognising only looks at names and files, loading reads them.
 */
public final class Architectures {
    /** An encoder architecture. */
    public interface Architecture {
        /** Unique lower-case name, e.g. {@code bert}. */
        String name();

        LayerwiseEncoder.Modality modality();

        /** True when {@code nameOrPath} looks like a model of this architecture (nothing is loaded). */
        boolean recognises(String nameOrPath);

        /**
         * Loads the model on {@code linalg}.
         *
         * @throws IllegalArgumentException when the files are not a model of this architecture (naming why)
         * @throws IOException              if a file cannot be read
         */
        LayerwiseEncoder<?> load(String nameOrPath, Linalg linalg) throws IOException;
    }

    /** MobileNetV2 from a TensorFlow.js layers model directory. */
    public static final Architecture MOBILENET_V2 = new Architecture() {
        @Override
        public String name() {
            return "mobilenet_v2";
        }

        @Override
        public LayerwiseEncoder.Modality modality() {
            return LayerwiseEncoder.Modality.IMAGE;
        }

        @Override
        public boolean recognises(String nameOrPath) {
            Path p = path(nameOrPath);
            return p != null && Files.isDirectory(p)
                    && (Files.isRegularFile(p.resolve("model.min.js")) || Files.isRegularFile(p.resolve("model.json")));
        }

        @Override
        public LayerwiseEncoder<?> load(String nameOrPath, Linalg linalg) throws IOException {
            return ImageEncoder.load(Path.of(nameOrPath), linalg);
        }

        @Override
        public String toString() {
            return name();
        }
    };

    /** BERT-family text encoders from ONNX or safetensors weights with a WordPiece tokenizer. */
    public static final Architecture BERT = new Architecture() {
        @Override
        public String name() {
            return "bert";
        }

        @Override
        public LayerwiseEncoder.Modality modality() {
            return LayerwiseEncoder.Modality.TEXT;
        }

        @Override
        public boolean recognises(String nameOrPath) {
            if (KnownModel.byName(nameOrPath).isPresent()) {
                return true;
            }
            Path p = path(nameOrPath);
            if (p == null) {
                return false;
            }
            if (Files.isRegularFile(p)) {
                return weightsFile(p);
            }
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.list(p)) {
                    return files.anyMatch(f -> Files.isRegularFile(f) && weightsFile(f));
                } catch (IOException e) {
                    return false;
                }
            }
            return false;
        }

        private static boolean weightsFile(Path f) {
            String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
            return n.endsWith(".onnx") || n.endsWith(".safetensors");
        }

        @Override
        public LayerwiseEncoder<?> load(String nameOrPath, Linalg linalg) throws IOException {
            return TextEncoder.load(ModelResolver.defaults().resolve(nameOrPath), linalg);
        }

        @Override
        public String toString() {
            return name();
        }
    };

    private static final List<Architecture> REGISTERED = new CopyOnWriteArrayList<>(List.of(MOBILENET_V2, BERT));

    private Architectures() {
    }

    /** Every registered architecture, in the order {@link #detect} tries them. */
    public static List<Architecture> all() {
        return List.copyOf(REGISTERED);
    }

    /** The architecture called {@code name} (case-insensitive). */
    public static Optional<Architecture> byName(String name) {
        for (Architecture a : REGISTERED) {
            if (a.name().equalsIgnoreCase(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /**
     * Adds an architecture, tried after the ones already registered.
     *
     * @throws IllegalArgumentException when one of that name is already registered
     */
    public static synchronized void register(Architecture architecture) {
        if (architecture == null || architecture.name() == null || architecture.name().isBlank()) {
            throw new IllegalArgumentException("architecture: null or unnamed");
        }
        if (byName(architecture.name()).isPresent()) {
            throw new IllegalArgumentException("architecture: '" + architecture.name() + "' is already registered");
        }
        REGISTERED.add(architecture);
    }

    /**
     * The first registered architecture that recognises {@code nameOrPath}.
     *
     * @throws IllegalArgumentException when none does, listing what each one looks for
     */
    public static Architecture detect(String nameOrPath) {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            throw new IllegalArgumentException("model: empty name");
        }
        for (Architecture a : REGISTERED) {
            if (a.recognises(nameOrPath)) {
                return a;
            }
        }
        List<String> names = new ArrayList<>();
        for (Architecture a : REGISTERED) {
            names.add(a.name());
        }
        throw new IllegalArgumentException("model: '" + nameOrPath + "' is not recognised by any architecture " + names
                + ": expected a known text model name (" + knownNames() + "), an .onnx/.safetensors file or a "
                + "directory holding one, or a directory with a TensorFlow.js model.min.js/model.json");
    }

    /** {@link #detect} then {@link Architecture#load}. */
    public static LayerwiseEncoder<?> load(String nameOrPath, Linalg linalg) throws IOException {
        return detect(nameOrPath).load(nameOrPath, linalg);
    }

    private static String knownNames() {
        List<String> names = new ArrayList<>();
        for (KnownModel m : KnownModel.values()) {
            names.add(m.modelName());
        }
        return String.join(", ", names);
    }

    private static Path path(String s) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
