package org.loes4j.encoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.io.TempDir;

class ModelResolverTest {

    /** A fake carrier jar for MiniLM in a fake repository, with random "model" bytes. */
    private static byte[] fakeJar(Path repo, KnownModel m, long seed) throws Exception {
        ModelResolver r = new ModelResolver(repo, repo.resolve("unused"));
        Path jar = r.jarPath(m);
        Files.createDirectories(jar.getParent());
        return writeCarrier(jar, m, seed);
    }

    /** Writes a carrier jar laid out as langchain4j's: both files at the root; returns the "model" bytes. */
    private static byte[] writeCarrier(Path jar, KnownModel m, long seed) throws Exception {
        byte[] model = new byte[3_000_000];
        new SplittableRandom(seed).nextBytes(model);
        try (OutputStream os = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.putNextEntry(new ZipEntry(m.onnxEntry()));
            zip.write(model);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(m.tokenizerEntry()));
            zip.write(tokenizerText(seed).getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return model;
    }

    /** Tells apart the tokenizers of the fake sources. */
    private static String tokenizerText(long seed) {
        return "{\"seed\": " + seed + "}";
    }

    /** A resolver over the repository only: the real carrier jars on the test class path must not answer. */
    private static ModelResolver repositoryOnly(Path repo, Path cache) {
        return ModelResolver.builder().modelsDir(null).classLoader(null).mavenRepository(repo).cacheDir(cache).build();
    }

    @Test
    void extractsOnceAndSafelyUnderConcurrentRuns() throws Exception {
        Path dir = TestModels.tempDir("resolver");
        Path repo = dir.resolve("repo");
        byte[] model = fakeJar(repo, KnownModel.ALL_MINILM_L6_V2, 3);
        ModelResolver resolver = repositoryOnly(repo, dir.resolve("cache"));
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
        ModelResolver resolver = repositoryOnly(dir.resolve("empty-repo"), dir.resolve("cache"));
        IllegalArgumentException missingJar = assertThrows(IllegalArgumentException.class,
                () -> resolver.resolve("e5-small-v2"));
        assertTrue(missingJar.getMessage().contains(KnownModel.E5_SMALL_V2.coordinates()), missingJar.getMessage());
        assertTrue(missingJar.getMessage().contains("-Dloes4j.models.dir"), missingJar.getMessage());
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

    @Test
    void findsTheCarrierJarOnAClassLoaderAndExtractsItOnce(@TempDir Path dir) throws Exception {
        KnownModel m = KnownModel.BGE_SMALL_EN_V15;
        Path jar = dir.resolve("carrier.jar");
        byte[] model = writeCarrier(jar, m, 5);
        Path cache = dir.resolve("cache");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            ModelResolver resolver = ModelResolver.builder().modelsDir(null).classLoader(loader)
                    .mavenRepository(dir.resolve("empty-repo")).cacheDir(cache).build();
            ModelFiles files = resolver.resolve(m.modelName());
            assertEquals(cache.resolve(m.modelName()).resolve(m.onnxEntry()), files.weights());
            assertEquals(cache.resolve(m.modelName()).resolve(m.tokenizerEntry()), files.tokenizer());
            assertArrayEquals(model, Files.readAllBytes(files.weights()));
            assertEquals(tokenizerText(5), Files.readString(files.tokenizer()));
            assertEquals(m, files.known().orElseThrow());

            long modified = Files.getLastModifiedTime(files.weights()).toMillis();
            Thread.sleep(20);
            assertEquals(modified, Files.getLastModifiedTime(resolver.resolve(m).weights()).toMillis(),
                    "a complete extraction is reused");
            try (var left = Files.list(cache.resolve(m.modelName()))) {
                assertEquals(2, left.count(), "no temporary files left behind");
            }
        }
    }

    @Test
    void usesTheModelsDirectoryInPlaceInEitherLayout(@TempDir Path dir) throws Exception {
        Path models = dir.resolve("models");
        Path plain = Files.createDirectories(models.resolve("bge-small-en-v1.5"));
        Files.writeString(plain.resolve("model.onnx"), "bge");
        Files.writeString(plain.resolve("tokenizer.json"), "{}");
        // The carrier jar's (and the extraction cache's) file names, under the lower-cased model name.
        Path carrierNames = Files.createDirectories(models.resolve("all-minilm-l6-v2"));
        Files.writeString(carrierNames.resolve("all-minilm-l6-v2.onnx"), "minilm");
        Files.writeString(carrierNames.resolve("all-minilm-l6-v2-tokenizer.json"), "{}");
        ModelResolver resolver = ModelResolver.builder().modelsDir(models).classLoader(null)
                .mavenRepository(dir.resolve("empty-repo")).cacheDir(dir.resolve("cache")).build();

        ModelFiles bge = resolver.resolve("bge-small-en-v1.5");
        assertEquals(plain.resolve("model.onnx"), bge.weights());
        assertEquals(plain.resolve("tokenizer.json"), bge.tokenizer());
        assertEquals(KnownModel.BGE_SMALL_EN_V15, bge.known().orElseThrow());
        ModelFiles minilm = resolver.resolve(KnownModel.ALL_MINILM_L6_V2);
        assertEquals(carrierNames.resolve("all-minilm-l6-v2.onnx"), minilm.weights());
        assertEquals(carrierNames.resolve("all-minilm-l6-v2-tokenizer.json"), minilm.tokenizer());
        assertTrue(Files.notExists(dir.resolve("cache")), "nothing is extracted from a models directory");

        // A model without a directory there is looked for further on, and the error lists every place.
        IllegalArgumentException e5 = assertThrows(IllegalArgumentException.class, () -> resolver.resolve("e5-small-v2"));
        String msg = e5.getMessage();
        int inModels = msg.indexOf("models directory " + models);
        int onClassPath = msg.indexOf("class path");
        int inRepo = msg.indexOf("local Maven repository: no " + dir.resolve("empty-repo"));
        assertTrue(inModels > 0 && onClassPath > inModels && inRepo > onClassPath, msg);

        // An incomplete model directory, or a models directory that is not there, is an error, not a miss.
        Path partial = Files.createDirectories(models.resolve("e5-small-v2"));
        Files.writeString(partial.resolve("model.onnx"), "e5");
        IllegalArgumentException incomplete = assertThrows(IllegalArgumentException.class,
                () -> resolver.resolve(KnownModel.E5_SMALL_V2));
        assertTrue(incomplete.getMessage().contains("tokenizer.json"), incomplete.getMessage());
        ModelResolver typo = ModelResolver.builder().modelsDir(dir.resolve("no-such-dir")).classLoader(null)
                .mavenRepository(dir.resolve("empty-repo")).cacheDir(dir.resolve("cache")).build();
        IllegalArgumentException missingDir = assertThrows(IllegalArgumentException.class,
                () -> typo.resolve(KnownModel.BGE_SMALL_EN_V15));
        assertTrue(missingDir.getMessage().contains("no-such-dir"), missingDir.getMessage());
    }

    @Test
    void modelsDirectoryWinsOverClassPathWhichWinsOverRepository(@TempDir Path dir) throws Exception {
        KnownModel m = KnownModel.ALL_MINILM_L6_V2;
        Path repo = dir.resolve("repo");
        byte[] fromRepo = fakeJar(repo, m, 1);
        Path jar = dir.resolve("on-class-path.jar");
        byte[] fromClassPath = writeCarrier(jar, m, 2);
        Path models = dir.resolve("models");
        Path own = Files.createDirectories(models.resolve(m.modelName()));
        Files.writeString(own.resolve("model.onnx"), "from the models directory");
        Files.writeString(own.resolve("tokenizer.json"), "{}");
        Path emptyModels = Files.createDirectories(dir.resolve("empty-models"));

        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
             URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            ModelResolver all = ModelResolver.builder().modelsDir(models).classLoader(loader).mavenRepository(repo)
                    .cacheDir(dir.resolve("cache-1")).build();
            assertEquals(own.resolve("model.onnx"), all.resolve(m).weights());

            ModelResolver noModelHere = ModelResolver.builder().modelsDir(emptyModels).classLoader(loader)
                    .mavenRepository(repo).cacheDir(dir.resolve("cache-2")).build();
            ModelFiles classPath = noModelHere.resolve(m);
            assertArrayEquals(fromClassPath, Files.readAllBytes(classPath.weights()));
            assertEquals(tokenizerText(2), Files.readString(classPath.tokenizer()));

            ModelResolver repositoryLast = ModelResolver.builder().modelsDir(emptyModels)
                    .classLoader(empty).mavenRepository(repo)
                    .cacheDir(dir.resolve("cache-3")).build();
            ModelFiles repository = repositoryLast.resolve(m);
            assertArrayEquals(fromRepo, Files.readAllBytes(repository.weights()));
            assertEquals(tokenizerText(1), Files.readString(repository.tokenizer()));
        }
    }
}
