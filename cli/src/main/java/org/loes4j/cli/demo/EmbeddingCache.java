package org.loes4j.cli.demo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.loes4j.linalg.io.AtomicFile;

/**
 * Pooled hidden states of the demo, kept between runs so that a second {@code loes demo} with other
 * selection or training options does not encode again. One file per configuration,
 * {@code <dir>/<key>.f32}: the N x L x d float32 array, little-endian, sample-major (the layout of
 * {@code PooledHiddenStates}). The key is the SHA-256 of everything the numbers depend on: the model's
 * and tokenizer's digests, pooling, max length, the shape, and every passage's text in order. A file of the
 * wrong size is ignored; files are written to a temporary name and moved into place atomically.
 */
public final class EmbeddingCache {
    private final Path dir;

    public EmbeddingCache(Path dir) {
        if (dir == null) {
            throw new IllegalArgumentException("dir: null");
        }
        this.dir = dir;
    }

    /** {@code <data cache>/../demo-embeddings}, i.e. {@code ~/.cache/loes4j/demo-embeddings} by default. */
    public static EmbeddingCache defaults() {
        Path data = NpmPackage.defaultCacheDir().toAbsolutePath();
        Path parent = data.getParent() != null ? data.getParent() : data;
        return new EmbeddingCache(parent.resolve("demo-embeddings"));
    }

    public Path dir() {
        return dir;
    }

    /**
     * The cache key of one configuration (lower-case hex SHA-256).
     *
     * @param modelDigest digest(s) identifying the encoder's weights and tokenizer
     * @param settings    everything else the vectors depend on, e.g. {@code "cls/128"}
     */
    public static String key(String modelDigest, String settings, int states, int width, List<String> texts) {
        if (modelDigest == null || settings == null || texts == null) {
            throw new IllegalArgumentException("modelDigest, settings, texts: null");
        }
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
        update(md, "loes4j-demo-embeddings/1");
        update(md, modelDigest);
        update(md, settings);
        update(md, states + "x" + width + "x" + texts.size());
        for (String t : texts) {
            update(md, t);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Length-prefixed, so no two different field lists hash the same bytes. */
    private static void update(MessageDigest md, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        md.update(ByteBuffer.allocate(4).putInt(b.length).array());
        md.update(b);
    }

    /** The cached array for {@code key} if a file of exactly {@code samples * states * width} floats is there. */
    public Optional<float[]> load(String key, int samples, int states, int width) throws IOException {
        Path f = file(key);
        long floats = (long) samples * states * width;
        if (!Files.isRegularFile(f) || Files.size(f) != 4 * floats) {
            return Optional.empty();
        }
        float[] out = new float[Math.toIntExact(floats)];
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            int filled = 0;
            while (filled < out.length) {
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), 4L * (out.length - filled)));
                while (buf.hasRemaining()) {
                    if (ch.read(buf) < 0) {
                        return Optional.empty();
                    }
                }
                buf.flip();
                int n = buf.remaining() / 4;
                buf.asFloatBuffer().get(out, filled, n);
                filled += n;
            }
        }
        return Optional.of(out);
    }

    /** Stores {@code data} under {@code key} (a temporary file beside it, then an atomic move: {@link AtomicFile}). */
    public Path store(String key, float[] data) throws IOException {
        if (data == null) {
            throw new IllegalArgumentException("data: null");
        }
        Files.createDirectories(dir);
        Path target = file(key);
        AtomicFile.write(target, temp -> {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
                int done = 0;
                while (done < data.length) {
                    buf.clear();
                    int n = Math.min(buf.capacity() / 4, data.length - done);
                    buf.asFloatBuffer().put(data, done, n);
                    buf.limit(4 * n);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    done += n;
                }
            }
        });
        return target;
    }

    private Path file(String key) {
        if (key == null || !key.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("key: '" + key + "' is not a SHA-256 hex digest");
        }
        return dir.resolve(key + ".f32");
    }
}
