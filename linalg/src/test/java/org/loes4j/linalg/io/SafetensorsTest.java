package org.loes4j.linalg.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Precision;
import org.loes4j.linalg.SegmentMatrix;

class SafetensorsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsValuesShapesAndMetadata() throws IOException {
        SplittableRandom rng = new SplittableRandom(11);
        DMatrix big = DMatrix.random(7, 9, rng);
        DMatrix strided = big.view(1, 2, 4, 5);
        FMatrix f = FMatrix.random(3, 17, rng);
        long[] ints = {-3, 0, 5, Long.MAX_VALUE};
        double[] scalar = {Math.PI};
        Path file = dir.resolve("m.safetensors");
        Safetensors.writer()
                .metadata("format", "test")
                .metadata("json", "{\"a\": [1, 2]}")
                .add("w", strided)
                .add("f", f)
                .add("ints", new long[] {2, 2}, ints)
                .add("pi", new long[] {}, scalar)
                .write(file);

        try (Safetensors st = Safetensors.open(file)) {
            assertEquals(List.of("w", "f", "ints", "pi"), st.names());
            assertEquals(Map.of("format", "test", "json", "{\"a\": [1, 2]}"), st.metadata());
            SegmentMatrix w = st.matrix("w");
            assertEquals(Precision.FLOAT64, w.precision());
            assertEquals(4, w.rows());
            assertEquals(5, w.cols());
            assertArrayEquals(strided.copy().data(), w.toDMatrix().data());
            assertEquals(0, st.info("w").begin() % 8, "F64 data aligned to 8 bytes");
            SegmentMatrix fv = st.matrix("f");
            assertEquals(Precision.FLOAT32, fv.precision());
            assertArrayEquals(f.data(), fv.toFMatrix().data());
            assertArrayEquals(ints, st.longs("ints"));
            assertArrayEquals(new long[] {2, 2}, st.info("ints").shape());
            assertEquals(Safetensors.DType.I64, st.info("ints").dtype());
            assertArrayEquals(scalar, st.doubles("pi"));
            assertEquals(1, st.matrix("pi").rows());
            assertEquals(1, st.matrix("pi").cols());
        }
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "header padded to a multiple of 8");
    }

    /** A file assembled byte by byte, as another writer would produce it (no padding, other key order). */
    @Test
    void readsAHandAssembledFile() throws IOException {
        String header = "{\"b\":{\"shape\":[3],\"dtype\":\"I32\",\"data_offsets\":[8,20]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"__metadata__\":{\"k\":\"v\"}}";
        ByteBuffer data = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        data.putFloat(1.5f).putFloat(-2f).putInt(7).putInt(-1).putInt(123456);
        Path file = assemble("hand.safetensors", header, data.array());
        try (Safetensors st = Safetensors.open(file)) {
            assertArrayEquals(new double[] {1.5, -2.0}, st.doubles("a"));
            assertArrayEquals(new long[] {7, -1, 123456}, st.longs("b"));
            assertArrayEquals(new double[] {7, -1, 123456}, st.doubles("b"));
            assertEquals("v", st.metadata().get("k"));
            assertEquals(1, st.matrix("a").rows());
            assertEquals(2, st.matrix("a").cols());
        }
    }

    @Test
    void readsHalfPrecisionAndBfloat16() throws IOException {
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"g\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[4,6]}}";
        ByteBuffer data = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
        // 0x3C00 = 1.0 and 0xC000 = -2.0 in binary16; 0x3FC0 = 1.5 in bfloat16 (the top half of float 1.5).
        data.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x3FC0);
        try (Safetensors st = Safetensors.open(assemble("half.safetensors", header, data.array()))) {
            assertArrayEquals(new double[] {1.0, -2.0}, st.doubles("h"));
            assertArrayEquals(new double[] {1.5}, st.doubles("g"));
        }
    }

    /** {@link Safetensors#floats}: exact widening of F16 and BF16 (checkpoint weights), F32 as stored. */
    @Test
    void floatsWidenHalfPrecisionExactlyAndRejectOtherDtypes() throws IOException {
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]},"
                + "\"g\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[8,14]},"
                + "\"f\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[14,22]},"
                + "\"i\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[22,30]}}";
        ByteBuffer data = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
        // binary16: 0x3E00 = 1.5, 0xC000 = -2, 0x0001 = 2^-24 (smallest subnormal), 0x7C00 = +infinity.
        data.putShort((short) 0x3E00).putShort((short) 0xC000).putShort((short) 0x0001).putShort((short) 0x7C00);
        // bfloat16 is the top half of a float32: 0x3FC0 = 1.5, 0xC000 = -2, 0x0001 = the float bits 0x00010000.
        data.putShort((short) 0x3FC0).putShort((short) 0xC000).putShort((short) 0x0001);
        data.putFloat(0.1f).putFloat(-Float.MIN_VALUE).putLong(7);
        try (Safetensors st = Safetensors.open(assemble("weights.safetensors", header, data.array()))) {
            assertArrayEquals(new float[] {1.5f, -2f, 0x1p-24f, Float.POSITIVE_INFINITY}, st.floats("h"));
            assertArrayEquals(new float[] {1.5f, -2f, Float.intBitsToFloat(0x00010000)}, st.floats("g"));
            assertArrayEquals(new float[] {0.1f, -Float.MIN_VALUE}, st.floats("f"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> st.floats("i"));
            assertTrue(e.getMessage().contains("weights.safetensors") && e.getMessage().contains("'i'")
                    && e.getMessage().contains("I64"), e.getMessage());
        }
    }

    @Test
    void invalidFilesAreRejectedNamingFileAndTensor() throws IOException {
        expectBad(assembleRaw("short.safetensors", new byte[] {1, 2, 3}), "short.safetensors", "shorter");
        ByteBuffer huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000);
        expectBad(assembleRaw("huge.safetensors", huge.array()), "huge.safetensors", "header length");
        expectBad(assemble("notjson.safetensors", "{\"a\": ", new byte[0]), "notjson.safetensors", "JSON");
        expectBad(assemble("dtype.safetensors",
                "{\"w\":{\"dtype\":\"F31\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "'w'", "F31");
        expectBad(assemble("size.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", new byte[12]), "'w'", "needs 16");
        expectBad(assemble("overlap.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]),
                "'b'", "overlap");
        expectBad(assemble("hole.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]), "'a'", "hole");
        expectBad(assemble("trunc.safetensors",
                "{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}", new byte[8]), "'a'", "truncated");
        expectBad(assemble("trailing.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[9]), "trailing", "after the last");
        expectBad(assemble("meta.safetensors", "{\"__metadata__\":{\"k\":1}}", new byte[0]), "meta.safetensors", "'k'");
        expectBad(assemble("neg.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]), "'a'", "shape[0]");
        expectBad(assemble("backwards.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,0]}}", new byte[4]), "'a'", "end before");
        expectBad(assemble("dup.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]),
                "dup.safetensors", "duplicate");
    }

    /**
     * The format has no magic number, so another kind of file used to be read as a header length: a .npy
     * gave "header length 379676406402707 is invalid". It must say what the file is not.
     */
    @Test
    void otherFormatsAreNamedNotReadAsAHeaderLength() throws IOException {
        Path npy = dir.resolve("labels.npy");
        Npy.write(npy, new long[] {1, 2, 3});
        Path given = Files.copy(npy, dir.resolve("given.safetensors"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.open(given).close());
        assertTrue(e.getMessage().startsWith(given + ": not a safetensors file (") && e.getMessage().contains(".npy"),
                e.getMessage());

        Path zip = assembleRaw("torch.safetensors", new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 0, 0, 0, 0});
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.open(zip).close());
        assertTrue(e.getMessage().startsWith(zip + ": not a safetensors file (") && e.getMessage().contains("zip"),
                e.getMessage());

        Path text = assembleRaw("text.safetensors", "hello, this is plain text".getBytes(StandardCharsets.US_ASCII));
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.open(text).close());
        assertTrue(e.getMessage().startsWith(text + ": not a safetensors file (its first 8 bytes give a header length"),
                e.getMessage());

        ByteBuffer noBrace = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(4).put("[1] ".getBytes(
                StandardCharsets.US_ASCII));
        Path list = assembleRaw("list.safetensors", noBrace.array());
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.open(list).close());
        assertTrue(e.getMessage().startsWith(list + ": not a safetensors file (") && e.getMessage().contains("'{'"),
                e.getMessage());
    }

    @Test
    void wrongAccessIsRejectedNamingFileAndTensor() throws IOException {
        Path file = dir.resolve("ints.safetensors");
        Safetensors.writer().add("ids", new long[] {3}, new long[] {1, 2, 3})
                .add("x", new long[] {1}, new double[] {0.5}).write(file);
        try (Safetensors st = Safetensors.open(file)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> st.matrix("ids"));
            assertTrue(e.getMessage().contains("ints.safetensors") && e.getMessage().contains("'ids'"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> st.longs("x"));
            assertTrue(e.getMessage().contains("'x'"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> st.info("nope"));
            assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
        }
    }

    @Test
    void writerRejectsBadTensors() {
        Safetensors.Writer w = Safetensors.writer().add("a", new long[] {2}, new double[] {1, 2});
        assertThrows(IllegalArgumentException.class, () -> w.add("a", new long[] {1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> w.add("b", new long[] {3}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> w.add("__metadata__", new long[] {1}, new double[] {1}));
    }

    @Test
    void replacingATargetIsAtomicAndAFailedWriteLeavesNoFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Safetensors.writer().add("v", new long[] {1}, new double[] {1}).write(file);
        Safetensors.writer().add("v", new long[] {1}, new double[] {2}).write(file);
        try (Safetensors st = Safetensors.open(file)) {
            assertArrayEquals(new double[] {2}, st.doubles("v"));
        }
        // The final move fails (the target is a non-empty directory): the temporary file must be gone.
        Path blocker = dir.resolve("blocked.safetensors");
        Files.createDirectory(blocker);
        Files.writeString(blocker.resolve("inside"), "x");
        assertThrows(IOException.class,
                () -> Safetensors.writer().add("v", new long[] {1}, new double[] {3}).write(blocker));
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("blocked.safetensors", "model.safetensors"), names);
        }
        assertFalse(Files.exists(dir.resolve("missing-dir").resolve("x.safetensors")));
        assertThrows(IOException.class, () -> Safetensors.writer().add("v", new long[] {1}, new double[] {3})
                .write(dir.resolve("missing-dir").resolve("x.safetensors")));
    }

    private void expectBad(Path file, String mention1, String mention2) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.open(file).close());
        assertTrue(e.getMessage().contains(mention1), e.getMessage());
        assertTrue(e.getMessage().contains(mention2), e.getMessage());
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
    }

    private Path assemble(String name, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return assembleRaw(name, b.array());
    }

    private Path assembleRaw(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }
}
