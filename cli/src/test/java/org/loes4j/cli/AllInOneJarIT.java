package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyArray;
import org.loes4j.linalg.io.NpyDType;

/**
 * The all-in-one jar ({@code -Pall-in-one}, {@code target/loes4j-cli-all.jar}) run as a user without Maven
 * runs it: {@code java -jar} in a child JVM whose home directory is empty, so neither {@code ~/.m2} nor a
 * model cache exists and the model can only come from the jar's own class path.
 */
class AllInOneJarIT {
    /** bge-small-en-v1.5: 12 blocks, so 13 hidden states, of width 384. */
    private static final long STATES = 13;
    private static final long WIDTH = 384;
    private static final long TIMEOUT_SECONDS = 300;

    @TempDir
    Path dir;

    @Test
    void extractsWithTheBundledModelFromAnEmptyHome() throws Exception {
        Path jar = Path.of(required("loes4j.allInOneJar"));
        assertTrue(Files.isRegularFile(jar), jar + " missing: build with -Pall-in-one");
        Path home = Files.createDirectories(dir.resolve("home"));
        Path emptyRepo = Files.createDirectories(dir.resolve("empty-repo"));
        Path csv = dir.resolve("tiny.csv");
        Files.writeString(csv, """
                text,label
                The cat sat on the warm mat.,pets
                Stocks fell sharply this morning.,money
                My dog loves long walks in the rain.,pets
                "Interest rates rose, again.",money
                """);
        Path out = dir.resolve("emb");

        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.addAll(List.of(required("loes4j.jvm.flags").trim().split("\\s+")));
        cmd.add("-Duser.home=" + home);
        cmd.add("-Dmaven.repo.local=" + emptyRepo);
        cmd.addAll(List.of("-jar", jar.toString(), "extract", "--model", "bge-small-en-v1.5", "--input", csv.toString(),
                "--text-column", "text", "--label-column", "label", "--out", out.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile());
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("LOES_JAVA_OPTS");
        Process p = pb.start();
        boolean finished = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        String log = Files.readString(dir.resolve("child.log"));
        assertTrue(finished, "still running after " + TIMEOUT_SECONDS + " s:\n" + log);
        assertEquals(0, p.exitValue(), log);

        // The Vector API backend is still found through the merged META-INF/services file.
        assertTrue(log.contains("linalg backend: vector"), log);
        try (NpyArray emb = Npy.map(out.resolve("embeddings.npy")); NpyArray labels = Npy.map(out.resolve("labels.npy"))) {
            assertEquals(NpyDType.FLOAT32, emb.dtype());
            assertArrayEquals(new long[] {4, STATES, WIDTH}, emb.shape());
            assertArrayEquals(new long[] {1, 0, 1, 0}, labels.toLongArray());
        }
        Path extracted = home.resolve(".cache/loes4j/models/bge-small-en-v1.5/bge-small-en-v1.5.onnx");
        assertTrue(Files.isRegularFile(extracted), "the model is extracted from the jar into the cache:\n" + log);
        try (var repo = Files.list(emptyRepo)) {
            assertEquals(0, repo.count(), "nothing looked for or written in the Maven repository");
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        assertTrue(value != null && !value.isBlank(), "-D" + property + " not set (failsafe sets it in cli/pom.xml)");
        return value;
    }
}
