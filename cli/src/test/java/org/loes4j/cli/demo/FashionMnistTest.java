package org.loes4j.cli.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IDX reader, the bilinear resize and the stratified sample of the vision demo, on synthetic files. */
class FashionMnistTest {
    private static final float TOL = 1e-6f;

    @TempDir
    Path dir;

    static byte[] idx(int[] dims, byte[] values) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.write(new byte[] {0, 0, 8, (byte) dims.length});
        for (int x : dims) {
            d.writeInt(x);
        }
        d.write(values);
        return b.toByteArray();
    }

    static void writeGz(Path file, byte[] bytes) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(bytes);
        }
    }

    @Test
    void idxRoundTripsGzippedAndPlain() throws IOException {
        byte[] v = {0, 1, (byte) 200, (byte) 255, 7, 9};
        writeGz(dir.resolve("a.gz"), idx(new int[] {1, 2, 3}, v));
        Files.write(dir.resolve("a"), idx(new int[] {1, 2, 3}, v));
        for (String name : new String[] {"a.gz", "a"}) {
            IdxFile f = IdxFile.read(dir.resolve(name));
            assertArrayEquals(new int[] {1, 2, 3}, f.dims());
            assertArrayEquals(v, f.values());
            assertEquals(255, f.value(3));
        }
    }

    @Test
    void idxRefusesOtherTypesAndShortData() {
        IOException type = assertThrows(IOException.class, () -> IdxFile.read(
                new ByteArrayInputStream(new byte[] {0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0}), "f"));
        assertTrue(type.getMessage().contains("not an unsigned-byte IDX"), type.getMessage());
        IOException shortData = assertThrows(IOException.class, () -> IdxFile.read(
                new ByteArrayInputStream(new byte[] {0, 0, 8, 1, 0, 0, 0, 5, 1, 2}), "f"));
        assertTrue(shortData.getMessage().contains("ends after 2 of 5"), shortData.getMessage());
    }

    @Test
    void resizeToTheSameSizeIsTheIdentityReplicatedIntoRgb() {
        byte[] grey = new byte[2 * 3 * 3];
        for (int i = 0; i < grey.length; i++) {
            grey[i] = (byte) (i * 14);
        }
        float[] out = new float[3 * 3 * 3];
        ImageResize.greyToRgb(grey, 1, 3, 3, 3, out, 0);
        for (int p = 0; p < 9; p++) {
            float want = (grey[9 + p] & 0xff) / 255f;
            for (int c = 0; c < 3; c++) {
                assertEquals(want, out[3 * p + c], TOL, "pixel " + p + " channel " + c);
            }
        }
    }

    @Test
    void resizeOfAConstantImageIsConstantAndOfARampStaysMonotoneAndInRange() {
        byte[] flat = new byte[28 * 28];
        java.util.Arrays.fill(flat, (byte) 128);
        float[] out = new float[3 * 96 * 96];
        ImageResize.greyToRgb(flat, 0, 28, 28, 96, out, 0);
        for (float v : out) {
            assertEquals(128 / 255f, v, TOL);
        }
        byte[] ramp = new byte[28 * 28];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                ramp[y * 28 + x] = (byte) (x * 9);
            }
        }
        ImageResize.greyToRgb(ramp, 0, 28, 28, 96, out, 0);
        for (int y = 0; y < 96; y++) {
            assertEquals(0f, out[3 * (y * 96)], TOL, "left edge clamps to the first column");
            assertEquals(27 * 9 / 255f, out[3 * (y * 96 + 95)], TOL, "right edge clamps to the last column");
            for (int x = 1; x < 96; x++) {
                assertTrue(out[3 * (y * 96 + x)] >= out[3 * (y * 96 + x - 1)], "monotone at " + x);
            }
        }
    }

    @Test
    void resizeChecksItsArguments() {
        assertThrows(IllegalArgumentException.class, () -> ImageResize.greyToRgb(new byte[4], 1, 2, 2, 2, new float[12], 0));
        assertThrows(IllegalArgumentException.class, () -> ImageResize.greyToRgb(new byte[4], 0, 2, 2, 2, new float[11], 0));
    }

    @Test
    void stratifiedSamplesAreDisjointBalancedAndSeeded() throws IOException {
        int n = 10 * 7;
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) ((i * 3) % 10);
        }
        FashionMnist.Part part = new FashionMnist.Part(new IdxFile(new int[] {n, 1, 1}, new byte[n]), labels);
        int[][] s = FashionMnist.stratified(part, new int[] {4, 2}, 7);
        assertEquals(40, s[0].length);
        assertEquals(20, s[1].length);
        Set<Integer> seen = new HashSet<>();
        for (int[] sample : s) {
            int[] perClass = new int[10];
            for (int i : sample) {
                assertTrue(seen.add(i), "index " + i + " drawn twice");
                perClass[part.label(i)]++;
            }
            for (int c = 0; c < 10; c++) {
                assertEquals(sample.length / 10, perClass[c], "class " + c);
            }
        }
        int[][] again = FashionMnist.stratified(part, new int[] {4, 2}, 7);
        assertArrayEquals(s[0], again[0]);
        assertArrayEquals(s[1], again[1]);
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> FashionMnist.stratified(part, new int[] {5, 3}, 7));
        assertTrue(tooMany.getMessage().contains("has 7"), tooMany.getMessage());
    }

    @Test
    void readsTheFourFilesOfADirectory() throws IOException {
        byte[] img = new byte[3 * 2 * 2];
        writeGz(dir.resolve(FashionMnist.TRAIN_IMAGES), idx(new int[] {3, 2, 2}, img));
        writeGz(dir.resolve(FashionMnist.TRAIN_LABELS), idx(new int[] {3}, new byte[] {0, 9, 4}));
        writeGz(dir.resolve(FashionMnist.TEST_IMAGES), idx(new int[] {1, 2, 2}, new byte[4]));
        writeGz(dir.resolve(FashionMnist.TEST_LABELS), idx(new int[] {1}, new byte[] {10}));
        assertTrue(FashionMnist.complete(dir));
        FashionMnist.Part train = FashionMnist.read(dir, true);
        assertEquals(3, train.count());
        assertEquals(9, train.label(1));
        IOException bad = assertThrows(IOException.class, () -> FashionMnist.read(dir, false));
        assertTrue(bad.getMessage().contains("label 10"), bad.getMessage());
    }
}
