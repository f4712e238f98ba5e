package org.loes4j.encoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class ModelResolverTest {

    /** A fake carrier jar for MiniLM in a fake repository, with random "model" bytes. */
    private static byte[] fakeJar(Path repo, KnownModel m, long seed) throws Exception {
        ModelResolver r = new ModelResolver(repo, repo.resolve("unused"));
        Path jar = r.jarPath(m);
        Files.createDirectories(jar.getParent());
        byte[] model = new byte[3_000_000];
        new SplittableRandom(seed).nextBytes(model);
        try (OutputStream os = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.putNextEntry(new ZipEntry(m.onnxEntry()));
            zip.write(model);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(m.tokenizerEntry()));
            zip.write("{}".getBytes());
            zip.closeEntry();
        }
        return model;
    }

    @Test
    void extractsOnceAndSafelyUnderConcurrentRuns() throws Exception {
        Path dir = TestModels.tempDir("resolver");
        Path repo = dir.resolve("repo");
        byte[] model = fakeJar(repo, KnownModel.ALL_MINILM_L6_V2, 3);
        ModelResolver resolver = new ModelResolver(repo, dir.resolve("cache"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ModelFiles>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Callable<ModelFiles> c = () -> resolver.resolve("all-minilm-l6-v2");
                runs.add(pool.submit(c));
            }
            for (Future<ModelFiles> f : runs) {
                ModelFiles files = f.get();
                assertEquals(dir.resolve("cache").resolve("all-MiniLM-L6-v2").resolve("all-minilm-l6-v2.onnx"), files.weights());
                assertArrayEquals(model, Files.readAllBytes(files.weights()));
                assertEquals(KnownModel.ALL_MINILM_L6_V2, files.known().orElseThrow());
            }
        } finally {
            pool.shutdown();
        }
        try (var left = Files.list(dir.resolve("cache").resolve("all-MiniLM-L6-v2"))) {
            assertEquals(2, left.count(), "no temporary files left behind");
        }
        long modified = Files.getLastModifiedTime(resolver.resolve("all-MiniLM-L6-v2").weights()).toMillis();
        Thread.sleep(20);
        assertEquals(modified, Files.getLastModifiedTime(resolver.resolve("all-MiniLM-L6-v2").weights()).toMillis(),
                "a complete extraction is reused");
    }

    @Test
    void resolvesPathsAndExplainsWhatIsMissing() throws Exception {
        Path dir = TestModels.tempDir("resolver");
        ModelResolver resolver = new ModelResolver(dir.resolve("empty-repo"), dir.resolve("cache"));
        IllegalArgumentException missingJar = assertThrows(IllegalArgumentException.class,
                () -> resolver.resolve("e5-small-v2"));
        assertTrue(missingJar.getMessage().contains(KnownModel.E5_SMALL_V2.coordinates()), missingJar.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> resolver.resolve("no-such-model"));
        assertTrue(unknown.getMessage().contains("bge-small-en-v1.5"), unknown.getMessage());

        Path m = dir.resolve("custom");
        Files.createDirectories(m);
        Files.writeString(m.resolve("enc.onnx"), "x");
        IllegalArgumentException noTok = assertThrows(IllegalArgumentException.class,
                () -> resolver.resolve(m.resolve("enc.onnx").toString()));
        assertTrue(noTok.getMessage().contains("tokenizer.json"), noTok.getMessage());
        Files.writeString(m.resolve("enc-tokenizer.json"), "{}");
        assertEquals(m.resolve("enc-tokenizer.json").toAbsolutePath(), resolver.resolve(m.toString()).tokenizer());
    }
}
