package org.loes4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.loes4j.linalg.io.FileDigests;

/** File digests for provenance: {@code "name sha256:hex"}. */
final class Digests {
    private Digests() {
    }

    static String describe(Path file) {
        return file.getFileName() + " sha256:" + sha256(file);
    }

    /** {@link FileDigests#sha256(Path)}, an unreadable file being bad input. */
    static String sha256(Path file) {
        try {
            return FileDigests.sha256(file);
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
