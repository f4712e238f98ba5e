package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running out of heap is explained, not dumped: {@code select --calibration-fraction 1.0} on the in-memory route
 * (a {@code --memory-budget} far above the heap keeps the automatic choice from taking the statistics route)
 * copies every row it scores, which a 48 MiB heap cannot hold for 20000 x 4 x 384 floats (a 117 MiB file). The child JVM must end
 * with exit 2 and one line naming the input, its size and what helps; before, it died with "Exception in thread
 * main java.lang.OutOfMemoryError" and exit 1.
 */
class OutOfMemoryTest {
    private static final String INCUBATOR_WARNING = "WARNING: Using incubator modules: jdk.incubator.vector";

    @TempDir
    Path dir;

    @Test
    void selectOutOfHeapNamesTheInputAndWhatHelps() throws Exception {
        StringWriter synthErr = new StringWriter();
        int code = Main.run(new String[] {"synth", "--out", dir.toString(), "--n", "20000", "--layers", "4",
                "--dim", "384"}, new PrintWriter(new StringWriter()), new PrintWriter(synthErr, true));
        assertEquals(0, code, synthErr.toString());
        Path emb = dir.resolve("embeddings.npy");

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx48m", "-Dloes4j.quiet=true",
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "select", "--embeddings", emb.toString(), "--labels",
                dir.resolve("labels.npy").toString(), "--calibration-fraction", "1.0", "--memory-budget", "1g");
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "select did not finish");
        List<String> lines = Files.readAllLines(err).stream().filter(l -> !l.equals(INCUBATOR_WARNING)).toList();
        String all = String.join("\n", lines);
        assertEquals(2, p.exitValue(), all);
        assertEquals(1, lines.size(), all);
        String line = lines.getFirst();
        assertTrue(line.startsWith("loes: error: out of memory (Java heap space, Java heap at most "), line);
        assertTrue(line.contains("on --embeddings " + emb + " (117 MiB)"), line);
        assertTrue(line.contains("--calibration-fraction below 1.0") && line.contains("LOES_JAVA_OPTS=-Xmx"), line);
    }
}
