package org.loes4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks on output paths given on the command line; the outputs themselves are written through
 * {@link org.loes4j.linalg.io.AtomicFile} (temporary file beside the target, then an atomic move).
 */
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
}
