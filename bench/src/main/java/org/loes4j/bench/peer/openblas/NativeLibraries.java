package org.loes4j.bench.peer.openblas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Copies the native OpenBLAS of {@code org.bytedeco:openblas:linux-x86_64} out of the class path into a
 * cache directory, because dlopen reads files, not jar entries. {@code libopenblas.so.0} has RUNPATH
 * {@code $ORIGIN/} and needs {@code libgfortran.so.5} (which needs {@code libquadmath.so.0} and
 * {@code libgcc_s.so.1}), all shipped in the same jar and extracted next to it.
 *
 * <p>The directory is {@code -Dloes4j.bench.nativeDir} (the run script and the tests point it at
 * {@code bench/target/native}), default {@code target/native} under the working directory. A file is
 * rewritten only when its size differs from the jar entry's; writes go to a temporary file and are then
 * renamed, so concurrent JMH forks never see a half-written library.
 */
final class NativeLibraries {
    /** System property naming the cache directory. */
    static final String DIR_PROPERTY = "loes4j.bench.nativeDir";

    private static final String RESOURCE_DIR = "org/bytedeco/openblas/linux-x86_64/";
    private static final String MAIN = "libopenblas.so.0";
    private static final List<String> FILES = List.of("libgcc_s.so.1", "libquadmath.so.0", "libgfortran.so.5", MAIN);

    private NativeLibraries() {
    }

    /** Extracts OpenBLAS and its runtime libraries; returns the path of {@code libopenblas.so.0}. */
    static Path extractOpenBlas() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.startsWith("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IllegalStateException("the bundled OpenBLAS is linux-x86_64 only; this JVM is " + os + " " + arch);
        }
        Path dir = Path.of(System.getProperty(DIR_PROPERTY, "target/native")).toAbsolutePath().resolve("openblas");
        try {
            Files.createDirectories(dir);
            for (String name : FILES) {
                extract(RESOURCE_DIR + name, dir.resolve(name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract OpenBLAS into " + dir, e);
        }
        return dir.resolve(MAIN);
    }

    private static void extract(String resource, Path target) throws IOException {
        URL url = NativeLibraries.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException(resource + " is not on the class path: add the dependency "
                    + "org.bytedeco:openblas with classifier linux-x86_64");
        }
        URLConnection connection = url.openConnection();
        long size = connection.getContentLengthLong();
        if (size >= 0 && Files.isRegularFile(target) && Files.size(target) == size) {
            return;
        }
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try (InputStream in = connection.getInputStream()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
