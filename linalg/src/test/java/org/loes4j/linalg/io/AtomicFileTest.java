package org.loes4j.linalg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void writeReplacesTheTargetWithOrdinaryPermissionsAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("out.json");
        AtomicFile.writeString(target, "first");
        AtomicFile.writeString(target, "second");
        assertEquals("second", Files.readString(target));
        assertEquals(List.of("out.json"), names(dir));
        if (target.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)),
                    "an ordinary output file, not the temp file's 0600");
        }
    }

    @Test
    void aFailingWriterLeavesTheOldTargetAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("out.csv");
        AtomicFile.writeString(target, "old");
        IOException thrown = new IOException("disk full");
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(target, temp -> {
            Files.writeString(temp, "half");
            throw thrown;
        }));
        assertSame(thrown, e);
        assertEquals("old", Files.readString(target));
        assertEquals(List.of("out.csv"), names(dir));
    }

    @Test
    void aFailingMoveDeletesTheTemporaryFile() throws IOException {
        Path blocker = dir.resolve("blocked");
        Files.createDirectory(blocker);
        Files.writeString(blocker.resolve("inside"), "x");
        assertThrows(IOException.class, () -> AtomicFile.writeString(blocker, "text"));
        assertEquals(List.of("blocked"), names(dir));
    }

    @Test
    void aDirectoryIsPublishedWholeOverAnEmptyOneButNeverOverANonEmptyOne() throws IOException {
        Path staging = Files.createDirectory(dir.resolve(".result.partial"));
        Files.writeString(staging.resolve("meta.json"), "{}");
        Path target = Files.createDirectory(dir.resolve("result"));
        AtomicFile.publishDirectory(staging, target);
        assertEquals("{}", Files.readString(target.resolve("meta.json")));
        assertFalse(Files.exists(staging));

        Path again = Files.createDirectory(dir.resolve(".again.partial"));
        assertThrows(DirectoryNotEmptyException.class, () -> AtomicFile.publishDirectory(again, target));
        assertTrue(Files.exists(again));
        assertEquals("{}", Files.readString(target.resolve("meta.json")));
    }

    /**
     * Whether bytes reach the device cannot be observed from a test (a crash test kills processes, which keeps
     * the page cache); what can: the fsync of the file and of its directory work on this platform (or are
     * skipped where a directory cannot be opened) and leave exactly the published file.
     */
    @Test
    void publishingForcesTheFileAndItsDirectory() throws IOException {
        Path target = dir.resolve("forced.bin");
        Path temp = AtomicFile.temporaryBeside(target);
        Files.write(temp, new byte[] {1, 2, 3});
        AtomicFile.publish(temp, target);
        assertEquals(3, Files.size(target));
        AtomicFile.forceDirectory(dir);
        assertEquals(List.of("forced.bin"), names(dir));
        assertThrows(IllegalArgumentException.class, () -> AtomicFile.forceDirectory(null));
    }

    @Test
    void nullArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> AtomicFile.write(dir.resolve("x"), null));
        assertThrows(IllegalArgumentException.class, () -> AtomicFile.writeString(null, "x"));
        assertThrows(IllegalArgumentException.class, () -> AtomicFile.publish(null, dir.resolve("x")));
        assertThrows(IllegalArgumentException.class, () -> AtomicFile.publishDirectory(dir, null));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
