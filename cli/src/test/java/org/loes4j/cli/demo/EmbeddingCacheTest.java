package org.loes4j.cli.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsBitExactlyAndIgnoresFilesOfTheWrongSize() throws IOException {
        EmbeddingCache cache = new EmbeddingCache(dir.resolve("c"));
        int n = 7;
        int l = 3;
        int d = 65_537; // more than one 1 MiB I/O buffer of floats
        float[] data = new float[n * l * d];
        SplittableRandom rng = new SplittableRandom(11);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) rng.nextGaussian();
        }
        data[5] = Float.MIN_VALUE;
        data[6] = -0.0f;
        String key = EmbeddingCache.key("m", "cls/128", l, d, List.of("a", "b"));
        assertTrue(cache.load(key, n, l, d).isEmpty());
        Path f = cache.store(key, data);
        assertArrayEquals(data, cache.load(key, n, l, d).orElseThrow());
        assertTrue(cache.load(key, n, l, d + 1).isEmpty(), "a shape mismatch is a miss");
        Files.write(f, new byte[12]);
        assertTrue(cache.load(key, n, l, d).isEmpty(), "a truncated file is a miss");
        try (var files = Files.list(cache.dir())) {
            assertEquals(1, files.count(), "no temporary files are left");
        }
    }

    @Test
    void theKeyDependsOnEveryInput() {
        String base = EmbeddingCache.key("m", "cls/128", 13, 384, List.of("a b", "c"));
        assertEquals(base, EmbeddingCache.key("m", "cls/128", 13, 384, List.of("a b", "c")));
        assertNotEquals(base, EmbeddingCache.key("m2", "cls/128", 13, 384, List.of("a b", "c")));
        assertNotEquals(base, EmbeddingCache.key("m", "mean/128", 13, 384, List.of("a b", "c")));
        assertNotEquals(base, EmbeddingCache.key("m", "cls/128", 7, 384, List.of("a b", "c")));
        assertNotEquals(base, EmbeddingCache.key("m", "cls/128", 13, 384, List.of("c", "a b")));
        assertNotEquals(base, EmbeddingCache.key("m", "cls/128", 13, 384, List.of("a", "b c")), "texts are delimited");
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingCache(dir).load("../x", 1, 1, 1));
    }
}
