package org.loes4j.cli.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The vision demo's encoder weights: the MobileNetV2 of the npm package nsfwjs 4.3.0 (MIT licence), its
 * {@code dist/models/mobilenet_v2/} folder. The tarball is fetched with npm as a pinned, digest-checked
 * {@link NpmPackage}; the model folder is extracted once to {@code <cache>/nsfwjs-4.3.0/mobilenet_v2/}, the
 * place the encoders module's tests use too.
 */
public final class NsfwjsMobileNet {
    public static final NpmPackage PACKAGE = new NpmPackage("nsfwjs", "4.3.0",
            "4496790efc9bdc6f3e85a826a8e482c1fa1e9db4b3d18c095e98cc0c73cfb12f");
    static final String MODEL_PREFIX = "package/dist/models/mobilenet_v2/";
    static final List<String> REQUIRED = List.of("model.min.js", "group1-shard1of1.min.js");

    private NsfwjsMobileNet() {
    }

    /** The model directory, fetched and extracted on first use. */
    public static Path modelDirectory(String npm, Path cacheDir, Consumer<String> log) throws IOException {
        Path dir = cacheDir.resolve("nsfwjs-" + PACKAGE.version()).resolve("mobilenet_v2");
        if (present(dir)) {
            log.accept("using " + dir + " (extracted from " + PACKAGE.fileName() + ")");
            return dir;
        }
        Path tarball = PACKAGE.fetch(npm, cacheDir, log);
        List<TarReader.Entry> entries;
        try (InputStream in = Files.newInputStream(tarball)) {
            entries = TarReader.readGzip(in, n -> n.startsWith(MODEL_PREFIX));
        }
        Files.createDirectories(dir.getParent());
        Path tmp = Files.createTempDirectory(dir.getParent(), ".mobilenet-extract-");
        try {
            for (TarReader.Entry e : entries) {
                String rest = e.name().substring(MODEL_PREFIX.length());
                if (rest.isEmpty() || rest.contains("/") || rest.startsWith(".")) {
                    throw new IOException(tarball + ": unexpected entry " + e.name());
                }
                Files.write(tmp.resolve(rest), e.content());
            }
            if (!present(tmp)) {
                throw new IOException(tarball + " lacks " + MODEL_PREFIX + REQUIRED);
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                if (!present(dir)) {
                    throw e;
                }
            }
            log.accept("extracted " + entries.size() + " model files into " + dir);
            return dir;
        } finally {
            if (Files.exists(tmp)) {
                try (var walk = Files.walk(tmp)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    private static boolean present(Path dir) {
        for (String f : REQUIRED) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                return false;
            }
        }
        return true;
    }
}
