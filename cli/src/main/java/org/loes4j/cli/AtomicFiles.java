package org.loes4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * Checks on output paths given on the command line, made before any work starts (including that the directory
 * can be written: a read-only file system is reported before minutes of work, not after); the outputs themselves are
 * written through {@link org.loes4j.linalg.io.AtomicFile} (temporary file beside the target, then an atomic
 * move). An output may replace only a regular file that is none of the command's inputs: never a directory,
 * a device, a link, or a file the same command reads (compared by file identity, not by name).
 */
final class AtomicFiles {
    private AtomicFiles() {
    }

    /** {@link #checkOutput(String, Path, Map)} for a command whose inputs are checked separately. */
    static void checkWritableTarget(String option, Path target) {
        checkOutput(option, target, Map.of());
    }

    /**
     * Checks that {@code target} may be written: its directory exists; if it exists it is a regular file (not
     * a link, directory or device) and is not the same file as any of {@code inputs} (option to path).
     *
     * @throws BadInputException naming the option, the path and why
     */
    static void checkOutput(String option, Path target, Map<String, Path> inputs) {
        if (target == null) {
            return;
        }
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new BadInputException(option + ": directory " + dir + " does not exist");
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new BadInputException(option + ": " + target + " is a directory");
        }
        if (!Files.isWritable(dir)) {
            throw new BadInputException(option + ": cannot write " + target + ": " + (readOnly(dir)
                    ? "its directory is on a read-only file system" : "no permission to create files in " + dir));
        }
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new BadInputException(option + ": " + target + " exists and is not a regular file (a link, device "
                    + "or other special file); loes replaces only regular files: choose another path");
        }
        for (Map.Entry<String, Path> in : inputs.entrySet()) {
            if (in.getValue() != null && sameFile(target, in.getValue())) {
                throw new BadInputException(option + ": " + target + " is also the input " + in.getKey()
                        + " (" + in.getValue() + "); writing it would destroy the input: choose another path");
            }
        }
    }

    private static boolean readOnly(Path dir) {
        try {
            return Files.getFileStore(dir).isReadOnly();
        } catch (IOException e) {
            return false;
        }
    }

    /** True when both exist and are one file (same file key: hard links and different spellings included). */
    static boolean sameFile(Path a, Path b) {
        try {
            if (!Files.exists(a) || !Files.exists(b)) {
                return false;
            }
            if (Files.isDirectory(b)) {
                return false;
            }
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
