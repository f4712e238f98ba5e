package org.loes4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Text outputs written to a temporary file next to the target and moved over it atomically. */
final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Checks early that {@code target}'s directory exists, so a long run does not fail at the end. */
    static void checkWritableTarget(String option, Path target) {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new BadInputException(option + ": directory " + dir + " does not exist");
        }
        if (Files.isDirectory(target)) {
            throw new BadInputException(option + ": " + target + " is a directory");
        }
    }

    static void writeString(Path target, CharSequence text) throws IOException {
        Path abs = target.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
        boolean done = false;
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
