package org.loes4j.linalg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDigestsTest {
    @TempDir
    Path dir;

    /** The FIPS 180-2 test vectors for SHA-256: the empty message and "abc". */
    @Test
    void standardTestVectors() throws IOException {
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        Path abc = Files.writeString(dir.resolve("abc"), "abc", StandardCharsets.US_ASCII);
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", FileDigests.sha256(empty));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", FileDigests.sha256(abc));
        assertEquals(FileDigests.sha256(abc), FileDigests.sha256("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    /** A file several read buffers long hashes the same streamed as in memory, and any changed byte shows. */
    @Test
    void streamingAgreesWithTheInMemoryDigest() throws IOException {
        byte[] bytes = new byte[(5 << 20) + 17];
        new SplittableRandom(20261122L).nextBytes(bytes);
        Path file = Files.write(dir.resolve("big.bin"), bytes);
        String streamed = FileDigests.sha256(file);
        assertEquals(FileDigests.sha256(bytes), streamed);
        assertEquals(64, streamed.length());
        assertEquals(streamed.toLowerCase(java.util.Locale.ROOT), streamed);
        bytes[bytes.length - 1] ^= 1;
        assertNotEquals(streamed, FileDigests.sha256(Files.write(file, bytes)));
    }

    @Test
    void missingFilesAndNullsAreRejected() {
        assertThrows(IOException.class, () -> FileDigests.sha256(dir.resolve("nope")));
        assertThrows(IllegalArgumentException.class, () -> FileDigests.sha256((Path) null));
        assertThrows(IllegalArgumentException.class, () -> FileDigests.sha256((byte[]) null));
    }
}
