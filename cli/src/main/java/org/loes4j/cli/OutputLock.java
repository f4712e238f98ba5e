package org.loes4j.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An exclusive claim on an output path for the length of one run: the file {@code .<name>.lock} beside the
 * output, held with {@link FileChannel#tryLock()}. The operating system drops such a lock when its process
 * dies, SIGKILL included, so a crashed run never blocks the next one; a lock file it leaves behind is simply
 * locked again.
 *
 * <p>The file holds {@code "<pid> <nonce>"} so that a refused run can name the process holding it. It is
 * deleted on {@link #close()}, while still locked. A run that opened the file just before its holder deleted
 * it ends up locking a file that no longer has a name; it notices because the name then shows no file or
 * someone else's nonce, and tries again on the new file.
 */
final class OutputLock implements AutoCloseable {
    /** Tries after losing the race described above; each loss means another run took the lock meanwhile. */
    private static final int ATTEMPTS = 50;
    /** How long a refused run waits for the holder to write its pid (it writes right after locking). */
    private static final int HOLDER_WAIT_MS = 500;

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of {@code target}: {@code .<name>.lock} in the same directory. */
    static Path lockFile(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        return abs.resolveSibling("." + abs.getFileName() + ".lock");
    }

    /**
     * Locks {@code target} (whose directory must exist) for this process.
     *
     * @param option the option naming the output, for the message
     * @param shown  the output as the user wrote it, for the message
     * @throws BadInputException {@code "<option>: <shown> is in use by another run (pid N)"} when another run,
     *                           in this process or another, holds it
     */
    static OutputLock acquire(String option, Path shown, Path target) throws IOException {
        Path file = lockFile(target);
        String token = ProcessHandle.current().pid() + " "
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + "\n";
        byte[] tokenBytes = token.getBytes(StandardCharsets.US_ASCII);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = null;
            boolean held = false;
            try {
                try {
                    lock = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    // Another run in this very process holds it.
                    lock = null;
                }
                if (lock == null) {
                    throw new BadInputException(option + ": " + shown + " is in use by another run (pid "
                            + holder(ch) + ")");
                }
                ch.truncate(0);
                ch.write(ByteBuffer.wrap(tokenBytes), 0);
                if (token.equals(readByName(file))) {
                    held = true;
                    return new OutputLock(file, ch, lock);
                }
            } finally {
                if (!held) {
                    if (lock != null) {
                        lock.release();
                    }
                    ch.close();
                }
            }
        }
        throw new IOException(file + ": could not take the lock in " + ATTEMPTS + " attempts: other runs keep "
                + "taking and releasing it");
    }

    /** The holder's pid as written in the file, or "unknown" if it has not written it in time. */
    private static String holder(FileChannel ch) throws IOException {
        long deadline = System.nanoTime() + HOLDER_WAIT_MS * 1_000_000L;
        while (true) {
            ByteBuffer buf = ByteBuffer.allocate(64);
            ch.read(buf, 0);
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip();
            int space = text.indexOf(' ');
            if (space > 0 && text.substring(0, space).chars().allMatch(Character::isDigit)) {
                return text.substring(0, space);
            }
            if (System.nanoTime() > deadline) {
                return "unknown";
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "unknown";
            }
        }
    }

    private static String readByName(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return "";
        }
    }

    /** The lock file. */
    Path file() {
        return file;
    }

    /** Deletes the lock file and releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(file);
        } finally {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
