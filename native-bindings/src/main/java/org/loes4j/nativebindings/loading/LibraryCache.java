package org.loes4j.nativebindings.loading;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Extracts native libraries from a jar into a versioned cache directory, once per version, safely when
 * several threads or processes extract at the same time.
 *
 * <p>Protocol: files are written into a fresh private temporary directory next to the target, a manifest
 * ({@value #MANIFEST}: one {@code size name} line per file) is written last, and the directory is then
 * renamed onto the target with one atomic {@code rename(2)}. A directory whose manifest is present and
 * whose files have the listed sizes is complete by construction. When two extractions race, the rename of
 * the second fails because the target exists and is not empty ({@code ENOTEMPTY}); the loser deletes its
 * copy and uses the winner's. A target without a valid manifest (damaged by hand) is moved aside and replaced.
 */
public final class LibraryCache {
    /** Name of the manifest written last into a complete cache directory. */
    public static final String MANIFEST = ".complete";

    private LibraryCache() {
    }

    /** The cache root: {@code -Dloes4j.cache.dir}, else {@code $XDG_CACHE_HOME/loes4j}, else {@code ~/.cache/loes4j}. */
    public static Path defaultRoot() {
        String explicit = System.getProperty("loes4j.cache.dir");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "loes4j");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "loes4j");
    }

    /**
     * Makes {@code root/name} hold the given jar entries (flattened to their file names), extracting them
     * unless a complete copy is already there.
     *
     * @param jar     the jar (zip) to read
     * @param entries entry names inside the jar, e.g. {@code pytorch/cpu/linux-x86_64/libc10.so}
     * @return the complete directory
     * @throws IOException when an entry is missing or the file system refuses
     */
    public static Path extract(Path jar, List<String> entries, Path root, String name) throws IOException {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("entries: empty list for " + jar);
        }
        if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
            throw new IllegalArgumentException("name: '" + name + "' is not a plain directory name");
        }
        Path target = root.resolve(name);
        if (isComplete(target)) {
            return target;
        }
        Files.createDirectories(root);
        for (int attempt = 0; ; attempt++) {
            Path tmp = Files.createTempDirectory(root, "." + name + ".tmp-");
            try {
                writeEntries(jar, entries, tmp);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                    return target;
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException("file system of " + root + " cannot rename atomically; set "
                            + "-Dloes4j.cache.dir to a local directory", e);
                } catch (IOException e) {
                    // rename(2) onto a non-empty directory fails (ENOTEMPTY, reported as a plain
                    // FileSystemException): another extraction won, or a damaged directory is in the way.
                    if (isComplete(target)) {
                        return target;
                    }
                    if (!Files.exists(target) || attempt > 0) {
                        throw new IOException("cannot move the extracted libraries to " + target, e);
                    }
                    moveAside(target, root, name);
                }
            } finally {
                deleteTree(tmp);
            }
        }
    }

    /** True when {@code dir} has a manifest and every file it lists exists with the listed size. */
    public static boolean isComplete(Path dir) {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return false;
        }
        try {
            List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return false;
            }
            for (String line : lines) {
                int space = line.indexOf(' ');
                if (space <= 0) {
                    return false;
                }
                long size = Long.parseLong(line.substring(0, space));
                Path f = dir.resolve(line.substring(space + 1));
                if (!Files.isRegularFile(f) || Files.size(f) != size) {
                    return false;
                }
            }
            return true;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private static void writeEntries(Path jar, List<String> entries, Path dir) throws IOException {
        Map<String, Long> sizes = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (String entryName : entries) {
                ZipEntry e = zip.getEntry(entryName);
                if (e == null || e.isDirectory()) {
                    throw new IOException(jar + " has no entry " + entryName);
                }
                String file = entryName.substring(entryName.lastIndexOf('/') + 1);
                Path out = dir.resolve(file);
                try (InputStream in = zip.getInputStream(e)) {
                    Files.copy(in, out);
                }
                sizes.put(file, Files.size(out));
            }
        }
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Long> s : sizes.entrySet()) {
            lines.add(s.getValue() + " " + s.getKey());
        }
        Files.write(dir.resolve(MANIFEST), lines, StandardCharsets.UTF_8);
    }

    private static void moveAside(Path target, Path root, String name) throws IOException {
        Path aside = Files.createTempDirectory(root, "." + name + ".stale-");
        try {
            Files.move(target, aside.resolve("old"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Another process may have moved it already; the next rename attempt decides.
        }
        deleteTree(aside);
    }

    /** Deletes a directory tree, ignoring what is already gone. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // Best effort: a leftover temporary directory is harmless and named as such.
        }
    }

    /** {@code os-arch} in the spelling native jars use, e.g. {@code linux-x86_64}. */
    public static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "osx" : os.startsWith("windows") ? "win" : os;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") ? "aarch64" : arch;
        return o + "-" + a;
    }
}
