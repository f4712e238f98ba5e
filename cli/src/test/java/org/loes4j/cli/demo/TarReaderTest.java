package org.loes4j.cli.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class TarReaderTest {
    /**
     * Made with GNU tar 1.34 ({@code tar --format=pax --owner=0 --group=0 --mtime=2020-01-01 -czf}) from a
     * tree holding package/README.md ("hello\n"), package/data/1801_a.json and a file.txt ("long\n") under
     * a 129-character directory path, so its name needs a pax record.
     */
    private static final String GNU_TAR_PAX = "H4sIAAAAAAAAA+2a327aMBjFue5TRLmugv8bKvWi0yrtZtK0F5is4pVuQFDwtFTT3n1Ot0xJSkEpxqXN+d3ExEg2+jjn5MNk40+m/GDNzBab8drcfDe3dhQY4lFCPFw93Sshmo0oV4RpRUR1n1JFySgpQ29kGz82zhR+KzHWOkHYNDHubmkvqZ5KLnwNZCYmglKt+JmfvHk0OWV/J1965yAE/yQ/PuYaDxKX8mn9+3Fb/0wIOUrkMTdVU+u/yHO363375rsf7pVQ17+RAp+vr95/vM6Ws1Br9Pd/7u/B/2Ow1f9ri4f/v3lq/QcXfYO9+ieqq3/N/PNfFE0O3P/ndrHIoeXBsiX/Z8aZoGv0z3/GlUD+xwD937Cp9V+J/lhNYP/+j3Op0P/FoFX/RgjQCaFfTPZtk68OXqO//wvGJPw/Buj/hk1L/yFF32C//rv9n6TV73/o/47Pr/TemiK9qEp/nq7M0qYX6VXyLj1P16Zw9/5V6cfOls4P85VN3M88cfPC2vQ3PODVs63/s3YddI3n9H8a539R6J//dXP40jsHIfif/170p9T/KYb+Lwat+jdD4AC6a/T2f6YYw/lfFOD/w6al/0NEvyM8evs/04xR+H8MwtW/ER62zT7/51S0688pU3j+jwIVMlkbN78M90WwBzA+23kgxUk3kHQ2EdWkphKJ9AxilL23/3PBGYf/xyBW/Xf6P5Nd/+cK5z9RoJKflP9/vVvYzJWusnrztNUjCAJxCvonpKt/7//4/18UFvnqFnoBAAAAAAAAAAAAAAAAAAAA4G3wB9NTSCYAUAAA";
    /** The same tree written with {@code --format=gnu} (a GNU long-name 'L' record instead of pax). */
    private static final String GNU_TAR_GNU = "H4sIAAAAAAAAA+2YT2/CIBiHe96nIJxNBVro4mku89Zd9gUWMpk6a2kqy2qWffdRM5dUlxqjYJ3vc4H+SSD9wUP6FvJlLieqHziEWBLO161lu133aSQISwSJ6/uU0pgHiLuc1Ib3pZElQkGptWl7b9/zC6X4yf9pNHx4HIWLsYMx6oBFHLfkL7byZzEjASIO5rLDlec/VVmmb849C+BcbPb/WBrp6hA43P+McAH+90Ejf3pL6LMM35Y6P+UYe/2fbPs/EvX5D/53zydeKVniQR19D+dyofAAD9E97uFClmZlryrbN6oytqtzhcyHRmZaKoW/4Ny4eH73v1JFl/wvGPjfB438x0fQsngOzp/xhFHI3wdhP+zfpTqfpLN87miMfec/o821YP//eRIHKHU0nwZXnv/p9r86AqflJ6AFH/kf7P8oIiwC//ugE/5nf/ifg/990BH/v84yFZrqP37hbuPL/+31f77rf6j/eyGz6ocyDgAAAAAAAABcB99u1sY6ACgAAA==";
    private static final String LONG_NAME = "package/deep/" + "d".repeat(60) + "/" + "e".repeat(60) + "/file.txt";

    @Test
    void readsArchivesWrittenByGnuTarInPaxAndGnuFormat() throws IOException {
        for (String b64 : List.of(GNU_TAR_PAX, GNU_TAR_GNU)) {
            List<TarReader.Entry> all = TarReader.readGzip(new ByteArrayInputStream(Base64.getDecoder().decode(b64)),
                    n -> true);
            List<String> names = all.stream().map(TarReader.Entry::name).toList();
            assertEquals(List.of("package/README.md", "package/data/1801_a.json", LONG_NAME), names);
            assertEquals("hello\n", new String(all.get(0).content(), StandardCharsets.UTF_8));
            assertEquals("long\n", new String(all.get(2).content(), StandardCharsets.UTF_8));
            assertTrue(new String(all.get(1).content(), StandardCharsets.UTF_8).startsWith("{\"year\":1801"));
        }
    }

    @Test
    void roundTripsFilesOfAwkwardSizesAndFiltersByName() throws IOException {
        SplittableRandom rng = new SplittableRandom(7);
        int[] sizes = {0, 1, 511, 512, 513, 1024, 70_000};
        TestTarballs t = new TestTarballs().directory("package/");
        byte[][] contents = new byte[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            contents[i] = new byte[sizes[i]];
            for (int j = 0; j < sizes[i]; j++) {
                contents[i][j] = (byte) rng.nextInt(256);
            }
            t.file("package/data/f" + i + ".bin", contents[i]);
            t.file("package/other/g" + i + ".bin", contents[i]);
        }
        String longName = "package/data/" + "x".repeat(120) + ".bin";
        t.file(longName, "pax".getBytes(StandardCharsets.UTF_8));
        t.gnuLongName("package/data/" + "y".repeat(110) + ".bin", "gnu");
        List<TarReader.Entry> got = TarReader.readGzip(new ByteArrayInputStream(t.tgz()),
                n -> n.startsWith("package/data/"));
        assertEquals(sizes.length + 2, got.size());
        for (int i = 0; i < sizes.length; i++) {
            assertEquals("package/data/f" + i + ".bin", got.get(i).name());
            assertArrayEquals(contents[i], got.get(i).content(), "content of size " + sizes[i]);
        }
        assertEquals(longName, got.get(sizes.length).name());
        assertEquals("package/data/" + "y".repeat(110) + ".bin", got.get(sizes.length + 1).name());
        assertEquals("gnu", new String(got.get(sizes.length + 1).content(), StandardCharsets.UTF_8));
    }

    @Test
    void rejectsABadChecksumNamingTheMember() {
        byte[] tar = new TestTarballs().file("a.txt", "x").corruptHeader("broken.txt").tar();
        IOException e = assertThrows(IOException.class,
                () -> TarReader.read(new ByteArrayInputStream(tar), n -> true));
        assertTrue(e.getMessage().contains("checksum") && e.getMessage().contains("broken.txt"), e.getMessage());
    }

    @Test
    void rejectsTruncatedArchives() {
        byte[] tar = new TestTarballs().file("a.txt", "x".repeat(2000)).tar();
        byte[] cut = Arrays.copyOf(tar, 512 + 1000);
        IOException e = assertThrows(IOException.class,
                () -> TarReader.read(new ByteArrayInputStream(cut), n -> true));
        assertTrue(e.getMessage().contains("a.txt") || e.getMessage().contains("ends"), e.getMessage());
        byte[] noEnd = Arrays.copyOf(tar, tar.length - 1024);
        IOException e2 = assertThrows(IOException.class,
                () -> TarReader.read(new ByteArrayInputStream(noEnd), n -> true));
        assertTrue(e2.getMessage().contains("end-of-archive"), e2.getMessage());
    }
}
