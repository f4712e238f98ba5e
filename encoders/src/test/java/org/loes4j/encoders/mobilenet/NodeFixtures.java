package org.loes4j.encoders.mobilenet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Assertions;
import org.loes4j.linalg.io.FileDigests;

/**
 * The npm-delivered fixtures of the MobileNetV2 tests, fetched with the machine's own npm and kept in a
 * cache so that reruns are fast:
 * <ul>
 *   <li>nsfwjs's model files: {@code npm pack nsfwjs@4.3.0} (tarball pinned by SHA-256, kept as
 *       {@code <cache>/nsfwjs-4.3.0.tgz}, the name and place the CLI demo's {@code NpmPackage} uses), its
 *       {@code package/dist/models/mobilenet_v2/} extracted to {@code <cache>/nsfwjs-4.3.0/mobilenet_v2/};</li>
 *   <li>TensorFlow.js 4.22.0 with its wasm backend for the reference:
 *       {@code npm install --no-save --ignore-scripts} into {@code <cache>/node/tfjs-4.22.0-wasm/}
 *       (npm checks the registry's integrity hashes).</li>
 * </ul>
 * {@code <cache>} is {@code -Dloes4j.data.dir}, else {@code $XDG_CACHE_HOME/loes4j/data}, else
 * {@code ~/.cache/loes4j/data}. Every step goes to a temporary directory and is moved into place when
 * complete, so an interrupted run leaves nothing half-written under a final name.
 *
 * <p>A test using these is <b>skipped</b> (JUnit assumption, with the reason) when node or npm cannot be
 * run or npm cannot fetch the packages (no registry); it <b>fails</b> when a fetched tarball's digest differs
 * from the pinned one.
 */
final class NodeFixtures {
    static final String NSFWJS = "nsfwjs@4.3.0";
    static final String NSFWJS_SHA256 = "4496790efc9bdc6f3e85a826a8e482c1fa1e9db4b3d18c095e98cc0c73cfb12f";
    static final String TFJS_VERSION = "4.22.0";
    private static final String MODEL_PREFIX = "package/dist/models/mobilenet_v2/";
    private static final long NPM_TIMEOUT_MINUTES = 10;

    private NodeFixtures() {
    }

    static Path cacheDir() {
        String p = System.getProperty("loes4j.data.dir");
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("loes4j").resolve("data");
    }

    static String npm() {
        String p = System.getProperty("loes4j.npm");
        return p != null && !p.isBlank() ? p : "npm";
    }

    static String node() {
        String p = System.getProperty("loes4j.node");
        return p != null && !p.isBlank() ? p : "node";
    }

    /** nsfwjs's {@code mobilenet_v2} model directory, fetched and extracted on first use. */
    static synchronized Path nsfwjsMobileNetV2() throws IOException, InterruptedException {
        Path cache = cacheDir();
        Path dir = cache.resolve("nsfwjs-4.3.0").resolve("mobilenet_v2");
        if (Files.isRegularFile(dir.resolve("model.min.js")) && Files.isRegularFile(dir.resolve("group1-shard1of1.min.js"))) {
            return dir;
        }
        Path tarball = nsfwjsTarball(cache);
        Path tmp = Files.createTempDirectory(cache, ".nsfwjs-extract-");
        try {
            int files = extract(tarball, MODEL_PREFIX, tmp);
            if (files == 0) {
                throw new IOException(tarball + " holds no " + MODEL_PREFIX + " files");
            }
            Files.createDirectories(dir.getParent());
            publishDirectory(tmp, dir);
        } finally {
            deleteTree(tmp);
        }
        return dir;
    }

    private static Path nsfwjsTarball(Path cache) throws IOException, InterruptedException {
        Path target = cache.resolve("nsfwjs-4.3.0.tgz");
        if (Files.isRegularFile(target) && FileDigests.sha256(target).equals(NSFWJS_SHA256)) {
            return target;
        }
        requireTool(npm(), "npm");
        Files.createDirectories(cache);
        Path tmp = Files.createTempDirectory(cache, ".npm-pack-");
        try {
            Result r = run(List.of(npm(), "pack", NSFWJS, "--pack-destination", tmp.toString(), "--ignore-scripts"), tmp);
            Assertions.assertTrue(r.exit == 0, () -> "npm pack " + NSFWJS + " failed (exit " + r.exit + "; offline or no "
                    + "registry?): " + r.tail());
            Path got = tmp.resolve("nsfwjs-4.3.0.tgz");
            if (!Files.isRegularFile(got)) {
                throw new IOException("npm pack " + NSFWJS + " left no " + got.getFileName() + " in " + tmp + ": " + r.tail());
            }
            String digest = FileDigests.sha256(got);
            if (!digest.equals(NSFWJS_SHA256)) {
                throw new AssertionError(NSFWJS + ": npm delivered a tarball with sha256 " + digest + ", pinned "
                        + NSFWJS_SHA256);
            }
            Files.move(got, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            deleteTree(tmp);
        }
    }

    /** The {@code node_modules} directory holding {@code @tensorflow/tfjs} and its wasm backend. */
    static synchronized Path tfjsNodeModules() throws IOException, InterruptedException {
        requireTool(node(), "node");
        Path cache = cacheDir();
        Path home = cache.resolve("node").resolve("tfjs-" + TFJS_VERSION + "-wasm");
        Path modules = home.resolve("node_modules");
        if (Files.isRegularFile(modules.resolve("@tensorflow/tfjs-backend-wasm/package.json"))
                && Files.isRegularFile(modules.resolve("@tensorflow/tfjs/package.json"))) {
            return modules;
        }
        requireTool(npm(), "npm");
        Files.createDirectories(home.getParent());
        Path tmp = Files.createTempDirectory(home.getParent(), ".npm-install-");
        try {
            Files.writeString(tmp.resolve("package.json"), "{\"private\": true}\n");
            Result r = run(List.of(npm(), "install", "--no-save", "--ignore-scripts", "--no-audit", "--no-fund",
                    "@tensorflow/tfjs@" + TFJS_VERSION, "@tensorflow/tfjs-backend-wasm@" + TFJS_VERSION), tmp);
            Assertions.assertTrue(r.exit == 0, () -> "npm install @tensorflow/tfjs@" + TFJS_VERSION
                    + " failed (exit " + r.exit + "; offline or no registry?): " + r.tail());
            publishDirectory(tmp, home);
        } finally {
            deleteTree(tmp);
        }
        return modules;
    }

    /** Fails the test, naming what to install, unless {@code exe --version} runs (Node.js and npm are prerequisites of the tests, like Maven). */
    static void requireTool(String exe, String what) throws InterruptedException {
        Result r;
        try {
            r = run(List.of(exe, "--version"), Path.of("."));
        } catch (IOException e) {
            Assertions.fail(what + " cannot be run ('" + exe + "': " + e.getMessage() + "); install Node.js and npm "
                    + "or point -Dloes4j." + what + " at the executable");
            return;
        }
        Assertions.assertTrue(r.exit == 0, () -> "'" + exe + " --version' failed: " + r.tail());
    }

    record Result(int exit, String output) {
        String tail() {
            List<String> lines = new ArrayList<>();
            for (String l : output.split("\n")) {
                if (!l.isBlank()) {
                    lines.add(l.strip());
                }
            }
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        }
    }

    /** Runs a command in {@code dir}, stdout and stderr merged, stdin empty. */
    static Result run(List<String> command, Path dir) throws IOException, InterruptedException {
        Path log = Files.createTempFile("loes4j-node-", ".log");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            if (!p.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + NPM_TIMEOUT_MINUTES + " minutes");
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * Extracts the regular files under {@code prefix} of a gzipped (us)tar archive into {@code dest}, flat
     * (the model directory has no subdirectories); returns how many.
     */
    static int extract(Path tgz, String prefix, Path dest) throws IOException {
        int count = 0;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz))) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512) {
                if (header[0] == 0) {
                    break;
                }
                String name = cString(header, 0, 100);
                String ustarPrefix = cString(header, 345, 155);
                if (!ustarPrefix.isEmpty()) {
                    name = ustarPrefix + "/" + name;
                }
                long size = Long.parseLong(cString(header, 124, 12).trim(), 8);
                char type = (char) header[156];
                byte[] data = in.readNBytes((int) size);
                in.skipNBytes((512 - size % 512) % 512);
                if ((type == '0' || type == 0) && name.startsWith(prefix)) {
                    String rest = name.substring(prefix.length());
                    if (rest.isEmpty() || rest.contains("/") || rest.startsWith(".")) {
                        throw new IOException(tgz + ": unexpected entry " + name);
                    }
                    Files.write(dest.resolve(rest), data);
                    count++;
                }
            }
        }
        return count;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.US_ASCII);
    }

    /** Moves a finished directory into place; if another run got there first, keeps theirs. */
    private static void publishDirectory(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
            if (!Files.isDirectory(target)) {
                throw e;
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** All bytes of a class-path resource next to this class. */
    static byte[] resource(String name) throws IOException {
        try (InputStream in = NodeFixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " missing from the test resources");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
