package org.loes4j.linalg.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 digests of input files, as recorded in the provenance of every result ({@code "sha256:<hex>"}
 * entries): lower-case hexadecimal, 64 characters, of the file's bytes exactly as stored.
 */
public final class FileDigests {
    /** Read size: large enough that the digest, not the system calls, sets the pace on big embedding files. */
    private static final int BUFFER_BYTES = 1 << 20;

    private FileDigests() {
    }

    /**
     * SHA-256 of the bytes of {@code file}, read as a stream (memory use does not grow with the file).
     *
     * @return 64 lower-case hexadecimal characters
     * @throws IOException if the file cannot be read
     */
    public static String sha256(Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file: null");
        }
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[BUFFER_BYTES];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * SHA-256 of a file's contents already read into memory (same value as {@link #sha256(Path)} of that
     * file, without reading it a second time).
     *
     * @return 64 lower-case hexadecimal characters
     */
    public static String sha256(byte[] contents) {
        if (contents == null) {
            throw new IllegalArgumentException("contents: null");
        }
        return HexFormat.of().formatHex(sha256().digest(contents));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform must provide SHA-256 (MessageDigest's class documentation).
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
