package org.loes4j.linalg.io;

import java.nio.file.Path;

/**
 * A {@code .npy} file that cannot be used: missing, malformed, truncated, or of a layout this library does
 * not read (Fortran order, big-endian, an unsupported dtype). The message names the file and the problem
 * on one line. It is an {@link IllegalArgumentException} because the file is an argument the user can fix.
 */
public final class NpyFormatException extends IllegalArgumentException {
    private final transient Path file;

    public NpyFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }
}
