package org.loes4j.linalg.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Output files that appear whole or not at all: the contents go to a temporary file in the target's own
 * directory (same file system, so the final rename is atomic), which is then moved over the target. A
 * reader never sees a half-written result, and a failed or interrupted write leaves the previous target
 * untouched and no temporary file behind.
 *
 * <p>Durability: {@link #publish} forces the temporary file's contents to the storage device (fsync) before
 * the rename, and forces the directory after it, so that after a crash or power loss the target is either the
 * old file or the complete new one, never an empty or torn file under the final name (file systems that
 * delay data writes past a rename, such as ext4 with {@code data=writeback} or XFS, would otherwise allow
 * that). Forcing a directory is not possible everywhere (Windows cannot open one); there it is skipped.
 *
 * <p>Temporary files are created owner-only (0600, {@link Files#createTempFile}); the published file gets
 * the usual 0644 where the file system has POSIX permissions. Where the file system refuses an atomic move
 * the file is moved with a plain replace.
 */
public final class AtomicFile {
    /** Writes the complete contents of an output into {@code temp} (an existing, empty file). */
    @FunctionalInterface
    public interface Contents {
        void writeTo(Path temp) throws IOException;
    }

    private AtomicFile() {
    }

    /**
     * Writes {@code target}: {@code contents} fills a new temporary file beside it, which is then
     * {@linkplain #publish moved into place}. If {@code contents} or the move fails, the temporary file is
     * deleted and {@code target} is left as it was.
     */
    public static void write(Path target, Contents contents) throws IOException {
        if (contents == null) {
            throw new IllegalArgumentException("contents: null");
        }
        Path temp = temporaryBeside(target);
        boolean published = false;
        try {
            contents.writeTo(temp);
            publish(temp, target);
            published = true;
        } finally {
            if (!published) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** {@link #write(Path, Contents)} of {@code text} in UTF-8. */
    public static void writeString(Path target, CharSequence text) throws IOException {
        if (text == null) {
            throw new IllegalArgumentException("text: null");
        }
        write(target, temp -> Files.writeString(temp, text, StandardCharsets.UTF_8));
    }

    /**
     * Creates an empty temporary file {@code .<name>.<random>.tmp} in {@code target}'s directory, for a
     * writer that fills it itself (e.g. through a memory mapping) and later calls {@link #publish}.
     */
    public static Path temporaryBeside(Path target) throws IOException {
        if (target == null) {
            throw new IllegalArgumentException("target: null");
        }
        Path abs = target.toAbsolutePath();
        return Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
    }

    /**
     * Moves the finished file {@code temp} over {@code target} (replacing it), atomically (an error where the
     * file system cannot), after giving it ordinary output permissions (0644 on POSIX file systems). The
     * contents of {@code temp} are forced to the device before the move, and the directory after it.
     */
    public static void publish(Path temp, Path target) throws IOException {
        if (temp == null || target == null) {
            throw new IllegalArgumentException("temp, target: both required (temp " + temp + ", target " + target
                    + ")");
        }
        if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        }
        try (FileChannel fc = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            fc.force(true);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(target + ": the file system cannot rename atomically; refusing to write the "
                    + "output non-atomically (choose an output path on a local file system)", e);
        }
        forceDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Forces {@code dir}'s entries (a rename or a new file in it) to the storage device, where the platform
     * can open a directory for that (Linux, macOS); elsewhere it does nothing. Files published through this
     * class need no further call: {@link #publish} and {@link #publishDirectory} force their directory.
     */
    public static void forceDirectory(Path dir) throws IOException {
        if (dir == null) {
            throw new IllegalArgumentException("dir: null");
        }
        FileChannel fc;
        try {
            fc = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory as a file; its file systems make a rename durable themselves.
            return;
        }
        try (fc) {
            fc.force(true);
        }
    }

    /**
     * Moves the finished directory {@code staging} to {@code target}, atomically (an error where the file
     * system cannot). An existing {@code target} must be an empty directory (it is replaced); a non-empty one is
     * never overwritten ({@link java.nio.file.DirectoryNotEmptyException}). The files inside {@code staging}
     * must already be durable (written through {@link #publish}); the move itself is forced to the device.
     */
    public static void publishDirectory(Path staging, Path target) throws IOException {
        if (staging == null || target == null) {
            throw new IllegalArgumentException("staging, target: both required (staging " + staging + ", target "
                    + target + ")");
        }
        if (Files.isDirectory(target)) {
            Files.delete(target);
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(target + ": the file system cannot rename atomically; refusing to publish the "
                    + "output directory non-atomically (choose an output path on a local file system)", e);
        }
        forceDirectory(target.toAbsolutePath().getParent());
    }
}
