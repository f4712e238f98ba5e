package org.loes4j.linalg.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;

/**
 * A small tmpfs mounted over a test directory, to run out of disk space for real. Mounting needs root (or
 * CAP_SYS_ADMIN) and mount(8); where either is missing the test is skipped with the reason, not failed.
 */
final class TinyTmpfs implements AutoCloseable {
    private final Path dir;

    private TinyTmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code size} (mount's syntax, e.g. {@code 1m}) on the existing, empty {@code dir}. */
    static TinyTmpfs mount(Path dir, String size) throws IOException, InterruptedException {
        String[] r = exec("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
        Assertions.assertTrue(r[0].equals("0"), "cannot mount a tmpfs here (the fault tests need root and mount(8), "
                + "as CI has): " + r[1]);
        return new TinyTmpfs(dir);
    }

    private static String[] exec(String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new String[] {"-1", e.getMessage()};
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new String[] {"-1", cmd[0] + " did not finish"};
        }
        return new String[] {Integer.toString(p.exitValue()), out};
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String[] r = exec("umount", dir.toString());
        if (!r[0].equals("0")) {
            throw new IOException("umount " + dir + ": " + r[1]);
        }
    }
}
