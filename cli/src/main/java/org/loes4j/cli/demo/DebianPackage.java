package org.loes4j.cli.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.loes4j.cli.BadInputException;
import org.loes4j.linalg.io.AtomicFile;
import org.loes4j.linalg.io.FileDigests;

/**
 * A Debian binary package pinned by name, version and SHA-256 of its {@code .deb}, fetched with the machine's
 * own apt ({@code apt-get download NAME=VERSION}) into a cache directory and unpacked there with
 * {@code dpkg-deb -x} (its data member is xz-compressed, which the JDK cannot read).
 *
 * <p>As with {@link NpmPackage}: a cached {@code .deb} is used only if its digest matches; every step works in
 * a temporary directory inside the cache and is moved into place when complete; every failure the user can fix
 * (apt missing, apt failing, a digest mismatch) is a {@link BadInputException} that says what to do.
 *
 * @param name    package name ({@code dataset-fashion-mnist})
 * @param version exact Debian version ({@code 0.0~git20200523.55506a9-1})
 * @param sha256  lower-case hex SHA-256 of the {@code .deb}
 */
public record DebianPackage(String name, String version, String sha256) {
    /** System property naming the apt-get executable (default {@code apt-get}). */
    public static final String APT_PROPERTY = "loes4j.apt-get";
    /** System property naming the dpkg-deb executable (default {@code dpkg-deb}). */
    public static final String DPKG_DEB_PROPERTY = "loes4j.dpkg-deb";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.+-]+");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final long TIMEOUT_MINUTES = 10;

    public DebianPackage {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name + "' is not a Debian package name");
        }
        if (version == null || version.isBlank() || version.contains(" ") || version.contains("/")) {
            throw new IllegalArgumentException("version: '" + version + "' is not an exact version");
        }
        if (sha256 == null || !HEX64.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256: '" + sha256 + "' is not 64 lower-case hex digits");
        }
    }

    /** {@code name=version}, what apt is asked for. */
    public String spec() {
        return name + "=" + version;
    }

    /** The cache's name for the {@code .deb} (apt's own name escapes {@code :} and {@code ~} inconsistently). */
    public String fileName() {
        return name + "_" + version.replace(':', '%') + "_all.deb";
    }

    /** The directory the package is unpacked into, inside {@code cacheDir}. */
    public Path unpackedDir(Path cacheDir) {
        return cacheDir.resolve(name + "_" + version.replace(':', '%'));
    }

    /** {@code -Dloes4j.apt-get}, else {@code apt-get}. */
    public static String defaultAptCommand() {
        String p = System.getProperty(APT_PROPERTY);
        return p != null && !p.isBlank() ? p : "apt-get";
    }

    /** {@code -Dloes4j.dpkg-deb}, else {@code dpkg-deb}. */
    public static String defaultDpkgDebCommand() {
        String p = System.getProperty(DPKG_DEB_PROPERTY);
        return p != null && !p.isBlank() ? p : "dpkg-deb";
    }

    /**
     * The package's file tree (the root of what {@code dpkg -i} would install, so {@code usr/share/...} lies
     * under it), fetched and unpacked on first use.
     *
     * @throws BadInputException when apt-get or dpkg-deb cannot be run or fail, or the .deb has another digest
     */
    public Path unpack(String aptGet, String dpkgDeb, Path cacheDir, Consumer<String> log) throws IOException {
        if (aptGet == null || dpkgDeb == null || cacheDir == null || log == null) {
            throw new IllegalArgumentException("aptGet, dpkgDeb, cacheDir, log: null");
        }
        Path dir = unpackedDir(cacheDir);
        Path done = dir.resolve(".complete");
        if (Files.isRegularFile(done) && Files.readString(done, StandardCharsets.UTF_8).strip().equals(sha256)) {
            log.accept("using " + dir + " (unpacked from " + fileName() + ", sha256 verified when fetched)");
            return dir;
        }
        Path deb = fetch(aptGet, cacheDir, log);
        Path tmp = Files.createTempDirectory(cacheDir, ".dpkg-deb-x-");
        try {
            Path logFile = tmp.resolve(".log");
            Path tree = Files.createDirectory(tmp.resolve("tree"));
            int exit = run(List.of(dpkgDeb, "-x", deb.toString(), tree.toString()), tmp, logFile,
                    "cannot run '" + dpkgDeb + "'", "install dpkg (Debian/Ubuntu) or point -D" + DPKG_DEB_PROPERTY
                            + "=PATH at dpkg-deb");
            if (exit != 0) {
                throw new BadInputException("dpkg-deb -x " + deb + " failed (exit " + exit + "): " + lastLines(logFile, 3));
            }
            Files.writeString(tree.resolve(".complete"), sha256 + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tree, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                if (!Files.isRegularFile(done)) {
                    throw e;
                }
            }
            log.accept("unpacked " + fileName() + " into " + dir);
            return dir;
        } finally {
            deleteTree(tmp);
        }
    }

    /** The verified {@code .deb} in {@code cacheDir}, fetched with {@code apt-get download} when absent or corrupt. */
    public Path fetch(String aptGet, Path cacheDir, Consumer<String> log) throws IOException {
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
        Path tmp = Files.createTempDirectory(cacheDir, ".apt-download-");
        try {
            log.accept("fetching " + spec() + " with " + aptGet + " download");
            Path logFile = tmp.resolve(".log");
            int exit = run(List.of(aptGet, "download", spec()), tmp, logFile, "cannot run '" + aptGet + "'",
                    "the vision demo fetches its data set " + spec() + " with apt; run it on Debian or Ubuntu, or "
                            + "install the package (apt-get install " + name + ")");
            if (exit != 0) {
                throw new BadInputException("apt-get download " + spec() + " failed (exit " + exit + "): "
                        + lastLines(logFile, 3) + "; run 'apt-get update' first, or install the package (apt-get "
                        + "install " + name + ")");
            }
            List<Path> debs = new ArrayList<>();
            try (var files = Files.list(tmp)) {
                files.filter(f -> f.getFileName().toString().endsWith(".deb")).forEach(debs::add);
            }
            if (debs.size() != 1) {
                throw new BadInputException("apt-get download " + spec() + " left " + debs.size() + " .deb files in "
                        + tmp + ", expected one");
            }
            String got = FileDigests.sha256(debs.getFirst());
            if (!got.equals(sha256)) {
                throw new BadInputException(spec() + ": apt delivered a .deb with sha256 " + got + ", expected "
                        + sha256 + "; the package in your Debian mirror differs from the pinned one");
            }
            AtomicFile.publish(debs.getFirst(), target);
            log.accept("cached " + target + " (sha256 verified)");
            return target;
        } finally {
            deleteTree(tmp);
        }
    }

    private static int run(List<String> command, Path dir, Path logFile, String cannot, String advice)
            throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        } catch (IOException e) {
            throw new BadInputException(cannot + " (" + e.getMessage() + "): " + advice, e);
        }
        try {
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new BadInputException(String.join(" ", command) + " did not finish within " + TIMEOUT_MINUTES
                        + " minutes");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + String.join(" ", command), e);
        }
        return p.exitValue();
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
        return lines.isEmpty() ? "(no output)"
                : String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
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
