package org.loes4j.nativebindings.loading;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.nativebindings.testing.ChildJvm;

/**
 * Extraction into the versioned cache: complete on first use, reused afterwards, repaired when damaged,
 * and safe when several threads or several processes extract the same version at once (each sees one
 * complete directory, no partial file is ever visible under the final name, no temporary is left behind).
 */
class LibraryCacheTest {
    private static final List<String> ENTRIES = List.of("lib/linux/liba.so", "lib/linux/libb.so.1", "lib/linux/libc.so");

    /** A jar with three entries of a few MB each (random, so not compressible: extraction takes a while). */
    private static Map<String, byte[]> writeJar(Path jar, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, byte[]> contents = new TreeMap<>();
        try (OutputStream os = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.putNextEntry(new ZipEntry("lib/linux/"));
            zip.closeEntry();
            for (String e : ENTRIES) {
                byte[] b = new byte[(2 << 20) + rng.nextInt(1000)];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) rng.nextInt();
                }
                zip.putNextEntry(new ZipEntry(e));
                zip.write(b);
                zip.closeEntry();
                contents.put(e.substring(e.lastIndexOf('/') + 1), b);
            }
        }
        return contents;
    }

    private static void assertHolds(Path dir, Map<String, byte[]> contents) throws IOException {
        assertTrue(LibraryCache.isComplete(dir), dir + " is not complete");
        for (Map.Entry<String, byte[]> e : contents.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(dir.resolve(e.getKey())), e.getKey());
        }
    }

    private static List<Path> leftovers(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }

    @Test
    void extractsOnceAndReusesTheCompleteDirectory(@TempDir Path tmp) throws IOException {
        Path jar = tmp.resolve("natives.jar");
        Map<String, byte[]> contents = writeJar(jar, 1);
        Path root = tmp.resolve("cache");
        Path dir = LibraryCache.extract(jar, ENTRIES, root, "libx-1.0");
        assertEquals(root.resolve("libx-1.0"), dir);
        assertHolds(dir, contents);
        long stamp = Files.getLastModifiedTime(dir.resolve("liba.so")).toMillis();
        Files.delete(jar);
        assertEquals(dir, LibraryCache.extract(jar, ENTRIES, root, "libx-1.0"), "a complete cache needs no jar");
        assertEquals(stamp, Files.getLastModifiedTime(dir.resolve("liba.so")).toMillis());
        assertTrue(leftovers(root).isEmpty(), "temporary directories left: " + leftovers(root));
    }

    @Test
    void aDamagedCacheIsReplaced(@TempDir Path tmp) throws IOException {
        Path jar = tmp.resolve("natives.jar");
        Map<String, byte[]> contents = writeJar(jar, 2);
        Path root = tmp.resolve("cache");
        Path dir = LibraryCache.extract(jar, ENTRIES, root, "libx-1.0");
        Files.write(dir.resolve("libb.so.1"), new byte[10]);
        assertFalse(LibraryCache.isComplete(dir));
        assertEquals(dir, LibraryCache.extract(jar, ENTRIES, root, "libx-1.0"));
        assertHolds(dir, contents);
        assertTrue(leftovers(root).isEmpty(), "temporary directories left: " + leftovers(root));
    }

    @Test
    void aMissingEntryIsAnErrorAndLeavesNothingBehind(@TempDir Path tmp) throws IOException {
        Path jar = tmp.resolve("natives.jar");
        writeJar(jar, 3);
        Path root = tmp.resolve("cache");
        IOException e = assertThrows(IOException.class,
                () -> LibraryCache.extract(jar, List.of("lib/linux/liba.so", "lib/linux/nope.so"), root, "liby-1"));
        assertTrue(e.getMessage().contains("nope.so"), e.getMessage());
        assertFalse(Files.exists(root.resolve("liby-1")));
        assertTrue(leftovers(root).isEmpty(), "temporary directories left: " + leftovers(root));
        assertThrows(IllegalArgumentException.class, () -> LibraryCache.extract(jar, ENTRIES, root, "../escape"));
    }

    @Test
    void threadsExtractingAtOnceAllGetTheSameCompleteDirectory(@TempDir Path tmp) throws Exception {
        Path jar = tmp.resolve("natives.jar");
        Map<String, byte[]> contents = writeJar(jar, 4);
        Path root = tmp.resolve("cache");
        int threads = 4;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return LibraryCache.extract(jar, ENTRIES, root, "libx-2.0");
                }));
            }
            for (Future<Path> f : results) {
                assertEquals(root.resolve("libx-2.0"), f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertHolds(root.resolve("libx-2.0"), contents);
        assertTrue(leftovers(root).isEmpty(), "temporary directories left: " + leftovers(root));
    }

    @Test
    void processesExtractingAtOnceAllGetTheSameCompleteDirectory(@TempDir Path tmp) throws Exception {
        Path jar = tmp.resolve("natives.jar");
        Map<String, byte[]> contents = writeJar(jar, 5);
        Path root = tmp.resolve("cache");
        List<String> args = new ArrayList<>(List.of(jar.toString(), root.toString(), "libx-3.0"));
        args.addAll(ENTRIES);
        ChildJvm.Running a = ChildJvm.start(List.of(), ExtractMain.class, args.toArray(new String[0]));
        ChildJvm.Running b = ChildJvm.start(List.of(), ExtractMain.class, args.toArray(new String[0]));
        ChildJvm.Result ra = a.finish();
        ChildJvm.Result rb = b.finish();
        assertEquals(0, ra.exit(), ra.stderr());
        assertEquals(0, rb.exit(), rb.stderr());
        assertEquals(root.resolve("libx-3.0").toString(), ra.stdout().trim());
        assertEquals(ra.stdout(), rb.stdout());
        assertHolds(root.resolve("libx-3.0"), contents);
        assertTrue(leftovers(root).isEmpty(), "temporary directories left: " + leftovers(root));
    }
}
