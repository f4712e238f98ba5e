package org.loes4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.loes4j.linalg.io.AtomicFile;
import org.loes4j.linalg.io.FileDigests;
import org.loes4j.linalg.io.Json;

/**
 * The hidden staging directory of a {@code loes extract} run, and what makes resuming it safe after the
 * process died at any point (SIGKILL, power loss). With {@code DIR} the output:
 *
 * <pre>
 * .DIR.lock              beside DIR: the run's {@link OutputLock}
 * .DIR.partial/          with --resume, kept until DIR is published; without it .DIR.partial-RANDOM/
 *   state.json           the resume key: input and model digests and the settings the chunks depend on
 *   chunk-NNNNNN.f32     rows of chunk N, (rows, L, d) float32 little-endian
 *   chunk-NNNNNN.json    its record: SHA-256 of the key, chunk index and rows, size and SHA-256 of the .f32,
 *                        tokens and truncated texts
 *   result/              DIR being assembled; moved to DIR as the last step
 * </pre>
 *
 * <p>Every file is written through {@link AtomicFile} (temporary file, fsync, rename, fsync of the
 * directory). A chunk's data file is published and read back (size and SHA-256 compared with the bytes
 * written) before its record is published, so a record always describes a complete data file. A chunk whose
 * record is missing, unreadable, made for another key or another row range, or whose data file disagrees with
 * it (size or digest), is encoded again; each record carries the key's digest, so chunks stay checkable
 * even when {@code state.json} itself is unreadable (it is then written again).
 *
 * <p>Everything named after DIR here belongs to the run holding DIR's lock; a run that holds it therefore
 * removes what a dead run left ({@link #removeLeftovers}).
 */
final class ExtractStaging {
    static final String STATE = "state.json";
    /** Key fields with a dedicated mismatch message: digests of files. */
    static final String INPUT_SHA = "inputSha256";
    static final String WEIGHTS_SHA = "weightsSha256";
    static final String TOKENIZER_SHA = "tokenizerSha256";
    static final String CONFIG_SHA = "configSha256";

    private static final String RESULT = "result";
    private static final String CHUNK_FORMAT = "loes4j-extract-chunk/1";

    private final Path dir;
    private final String keySha256;
    private final PrintWriter err;

    /**
     * A finished chunk as its record describes it.
     *
     * @param tokens    real tokens encoded (for the throughput report)
     * @param truncated texts cut at the maximum length
     */
    record Chunk(long tokens, int truncated) {
    }

    private ExtractStaging(Path dir, String keySha256, PrintWriter err) {
        this.dir = dir;
        this.keySha256 = keySha256;
        this.err = err;
    }

    /** The staging directory {@code --resume} uses for {@code target}: {@code .<name>.partial} beside it. */
    static Path resumeDirectory(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".partial");
    }

    /** Name prefix of the one-off staging directories of runs without {@code --resume}. */
    static String oneOffPrefix(Path target) {
        return "." + target.getFileName() + ".partial-";
    }

    /** SHA-256 of the key as {@link Json#write} prints it (the key's order is fixed by its builder). */
    static String keySha256(Map<String, Object> key) {
        return FileDigests.sha256(Json.write(key).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Removes what dead runs on {@code target} left: one-off staging directories, an unfinished
     * {@code result/} and temporary files in the resume directory. Only for the holder of {@code target}'s
     * lock: any other run on it would hold the lock itself.
     *
     * @return what was removed, relative to {@code target}'s directory (directories end with '/')
     */
    static List<String> removeLeftovers(Path target) throws IOException {
        Path parent = target.getParent();
        String prefix = oneOffPrefix(target);
        List<String> removed = new ArrayList<>();
        try (var s = Files.list(parent)) {
            for (Path p : s.sorted().toList()) {
                if (p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    deleteRecursively(p);
                    removed.add(p.getFileName() + "/");
                }
            }
        }
        Path resume = resumeDirectory(target);
        if (Files.isDirectory(resume, LinkOption.NOFOLLOW_LINKS)) {
            String shown = resume.getFileName() + "/";
            Path result = resume.resolve(RESULT);
            if (Files.exists(result, LinkOption.NOFOLLOW_LINKS)) {
                deleteRecursively(result);
                removed.add(shown + RESULT + "/");
            }
            try (var s = Files.list(resume)) {
                for (Path p : s.sorted().toList()) {
                    if (p.getFileName().toString().endsWith(".tmp") && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        Files.delete(p);
                        removed.add(shown + p.getFileName());
                    }
                }
            }
        }
        return removed;
    }

    /**
     * True when {@code target} already holds the extraction {@code keySha256} describes, with the same label
     * column: its {@code meta.json} records that key (a run finished and was interrupted only while removing
     * its staging directory, or was simply run again).
     */
    static boolean holds(Path target, String keySha256, String labelColumn) {
        try {
            Map<String, Object> meta = Json.parseObject(Files.readString(target.resolve("meta.json")));
            if (!keySha256.equals(meta.get("resumeKeySha256"))) {
                return false;
            }
            return meta.get("input") instanceof Map<?, ?> in && Objects.equals(labelColumn, in.get("labelColumn"))
                    && Files.isRegularFile(target.resolve("embeddings.npy"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Opens {@code dir} (created if absent) for chunks of {@code key}. A readable {@code state.json} with
     * another key is refused (its chunks are someone's work); an unreadable one is reported and written again,
     * each chunk then being judged by its own record.
     *
     * @param files the files behind the key's digests (field to path), named in a mismatch message
     * @throws BadInputException {@code --resume: ...} naming what changed since the staging was started
     */
    static ExtractStaging open(Path dir, Map<String, Object> key, Map<String, Path> files, PrintWriter err)
            throws IOException {
        Files.createDirectories(dir);
        Path state = dir.resolve(STATE);
        boolean write = true;
        if (Files.exists(state)) {
            Object previous;
            try {
                previous = Json.parse(Files.readString(state));
            } catch (IOException | RuntimeException e) {
                previous = null;
                err.printf("loes extract: %s is unreadable (%s); writing it again and checking every finished "
                        + "chunk against its own record%n", state, e.getMessage());
            }
            if (previous != null) {
                if (!key.equals(previous)) {
                    throw new BadInputException(mismatch(dir, key, previous, files));
                }
                write = false;
            }
        }
        if (write) {
            AtomicFile.writeString(state, Json.write(key));
        }
        return new ExtractStaging(dir, keySha256(key), err);
    }

    private static String mismatch(Path dir, Map<String, Object> key, Object previous, Map<String, Path> files) {
        String fix = "; delete " + dir + " to start over, or drop --resume";
        if (!(previous instanceof Map<?, ?> old)) {
            return "--resume: " + dir + " was made with other settings (" + previous + ")" + fix;
        }
        String model = String.valueOf(key.get("model"));
        for (String field : List.of(WEIGHTS_SHA, TOKENIZER_SHA, CONFIG_SHA, INPUT_SHA)) {
            if (!Objects.equals(key.get(field), old.get(field)) && key.containsKey(field) && old.containsKey(field)) {
                String what = switch (field) {
                    case WEIGHTS_SHA -> "the weights of model " + model;
                    case TOKENIZER_SHA -> "the tokenizer of model " + model;
                    case CONFIG_SHA -> "the config.json of model " + model;
                    default -> "the input";
                };
                return "--resume: " + what + " changed since " + dir + " was started (" + files.get(field)
                        + ": sha256 " + old.get(field) + " then, " + key.get(field) + " now)" + fix;
            }
        }
        List<String> diffs = new ArrayList<>();
        Map<String, Object> all = new LinkedHashMap<>(key);
        for (Object k : old.keySet()) {
            all.putIfAbsent(String.valueOf(k), null);
        }
        for (String k : all.keySet()) {
            if (!Objects.equals(key.get(k), old.get(k))) {
                diffs.add(k + " " + old.get(k) + ", now " + key.get(k));
            }
        }
        return "--resume: " + dir + " was made with other settings (" + String.join("; ", diffs) + ")" + fix;
    }

    Path directory() {
        return dir;
    }

    /** The staging directory of the result being assembled (absent until {@link #resultDirectory()}). */
    Path resultDirectory() throws IOException {
        return Files.createDirectories(dir.resolve(RESULT));
    }

    Path dataFile(int index) {
        return dir.resolve(String.format("chunk-%06d.f32", index));
    }

    Path recordFile(int index) {
        return dir.resolve(String.format("chunk-%06d.json", index));
    }

    /**
     * Chunk {@code index} (rows {@code [start, end)}, {@code bytes} of floats) if it is finished: its record
     * is readable and made for this key and these rows, and its data file has the recorded size and SHA-256.
     * Otherwise empty, after a note naming the file and what is wrong (no note when neither file exists).
     */
    Optional<Chunk> finished(int index, int start, int end, long bytes) {
        Path record = recordFile(index);
        Path data = dataFile(index);
        String problem;
        if (!Files.exists(record)) {
            if (!Files.exists(data)) {
                return Optional.empty();
            }
            problem = data + " has no record (the run stopped before writing " + record.getFileName() + ")";
        } else {
            try {
                Map<String, Object> r = Json.parseObject(Files.readString(record));
                problem = check(r, index, start, end, bytes);
                if (problem == null) {
                    if (!Files.exists(data)) {
                        problem = data + " is missing";
                    } else if (Files.size(data) != bytes) {
                        problem = data + " has " + Files.size(data) + " bytes, its record " + bytes;
                    } else {
                        String sha = FileDigests.sha256(data);
                        if (!sha.equals(r.get("sha256"))) {
                            problem = data + " has sha256 " + sha + ", its record " + r.get("sha256");
                        } else {
                            return Optional.of(new Chunk((Long) r.get("tokens"),
                                    Math.toIntExact((Long) r.get("truncated"))));
                        }
                    }
                } else {
                    problem = record + " " + problem;
                }
            } catch (IOException | RuntimeException e) {
                problem = record + " is unreadable (" + e.getMessage() + ")";
            }
        }
        err.printf("loes extract: encoding chunk %d again: %s%n", index, problem);
        return Optional.empty();
    }

    /** Why record {@code r} does not describe this chunk of this key, or null when it does. */
    private String check(Map<String, Object> r, int index, int start, int end, long bytes) {
        if (!CHUNK_FORMAT.equals(r.get("format"))) {
            return "is not a chunk record (format " + r.get("format") + ")";
        }
        if (!keySha256.equals(r.get("key"))) {
            return "was made with other settings (key " + r.get("key") + ", now " + keySha256 + ")";
        }
        if (!Long.valueOf(index).equals(r.get("chunk")) || !Long.valueOf(start).equals(r.get("start"))
                || !Long.valueOf(end).equals(r.get("end")) || !Long.valueOf(bytes).equals(r.get("bytes"))) {
            return "describes chunk " + r.get("chunk") + ", rows [" + r.get("start") + ", " + r.get("end") + "), "
                    + r.get("bytes") + " bytes; expected chunk " + index + ", rows [" + start + ", " + end + "), "
                    + bytes + " bytes";
        }
        if (!(r.get("sha256") instanceof String) || !(r.get("tokens") instanceof Long)
                || !(r.get("truncated") instanceof Long)) {
            return "lacks sha256, tokens or truncated";
        }
        return null;
    }

    /**
     * Writes chunk {@code index}: its data file (atomically), read back and compared with the bytes written,
     * then its record (atomically). A crash between the two leaves a data file without a record, which
     * {@link #finished} rejects.
     */
    /** Floats per positional write of a chunk's data file (8 MiB). */
    private static final int WRITE_SLICE_FLOATS = 1 << 21;

    void write(int index, int start, int end, float[] values, long tokens, int truncated) throws IOException {
        Path data = dataFile(index);
        long bytes = (long) values.length * Float.BYTES;
        MessageDigest md = sha256();
        // Plain positional writes, not a mapping: a full disk is then an IOException naming the file (a store
        // into a mapping of unallocated blocks would be an InternalError instead).
        AtomicFile.write(data, tmp -> {
            try (FileChannel fc = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.allocate((int) Math.min(bytes, WRITE_SLICE_FLOATS * Float.BYTES))
                        .order(ByteOrder.LITTLE_ENDIAN);
                long pos = 0;
                for (int from = 0; from < values.length; from += WRITE_SLICE_FLOATS) {
                    int n = Math.min(WRITE_SLICE_FLOATS, values.length - from);
                    buf.clear();
                    buf.asFloatBuffer().put(values, from, n);
                    buf.limit(n * Float.BYTES);
                    md.update(buf.duplicate());
                    while (buf.hasRemaining()) {
                        pos += fc.write(buf, pos);
                    }
                }
                fc.force(true);
            } catch (IOException e) {
                throw new IOException(data + ": " + e.getMessage(), e);
            }
        });
        String written = HexFormat.of().formatHex(md.digest());
        long size = Files.size(data);
        String read = FileDigests.sha256(data);
        if (size != bytes || !read.equals(written)) {
            throw new IOException(data + ": reads back as " + size + " bytes with sha256 " + read + ", but "
                    + bytes + " bytes with sha256 " + written + " were written");
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("format", CHUNK_FORMAT);
        r.put("key", keySha256);
        r.put("chunk", (long) index);
        r.put("start", (long) start);
        r.put("end", (long) end);
        r.put("bytes", bytes);
        r.put("sha256", written);
        r.put("tokens", tokens);
        r.put("truncated", (long) truncated);
        AtomicFile.writeString(recordFile(index), Json.write(r));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
