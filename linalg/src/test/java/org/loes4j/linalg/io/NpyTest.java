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
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.SegmentMatrix;

/** .npy reading through a memory mapping, the errors it reports, and the atomic writer. */
class NpyTest {
    @TempDir
    Path dir;

    /** A .npy file built byte by byte (independent of the writer), version 1 or 2 header. */
    static byte[] npy(String dict, int version, byte[] data) {
        int prefix = version == 1 ? 10 : 12;
        StringBuilder h = new StringBuilder(dict);
        while ((prefix + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        byte[] hb = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(prefix + hb.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        if (version == 1) {
            b.putShort((short) hb.length);
        } else {
            b.putInt(hb.length);
        }
        b.put(hb).put(data);
        return b.array();
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private String message(Path p) {
        return assertThrows(NpyFormatException.class, () -> Npy.map(p).close()).getMessage();
    }

    @Test
    void readsA3dFloat32ArrayAsStridedLayerViews() throws IOException {
        // a[i, l, j] = 100 i + 10 l + j, shape (2, 3, 4)
        float[] v = new float[24];
        for (int i = 0; i < 2; i++) {
            for (int l = 0; l < 3; l++) {
                for (int j = 0; j < 4; j++) {
                    v[i * 12 + l * 4 + j] = 100 * i + 10 * l + j;
                }
            }
        }
        for (int version : new int[] {1, 2}) {
            Path p = write("a" + version + ".npy",
                    npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }", version, floats(v)));
            try (NpyArray a = Npy.map(p)) {
                assertEquals(NpyDType.FLOAT32, a.dtype());
                assertArrayEquals(new long[] {2, 3, 4}, a.shape());
                assertEquals(3, a.layers());
                SegmentMatrix layer = a.layer(2);
                assertEquals(2, layer.rows());
                assertEquals(4, layer.cols());
                DMatrix m = layer.toDMatrix();
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 4; j++) {
                        assertEquals(100 * i + 20 + j, m.get(i, j));
                    }
                }
            }
        }
    }

    @Test
    void readsLabelsOfIntegerAndFloatDtypes() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(3).putLong(-1).putLong(7);
        Path p = write("l.npy", npy("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", 1, b.array()));
        try (NpyArray a = Npy.map(p)) {
            assertArrayEquals(new long[] {3, -1, 7}, a.toLongArray());
            assertArrayEquals(new double[] {3, -1, 7}, a.toDoubleArray());
        }
        Path u8 = write("u.npy", npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }", 1,
                new byte[] {(byte) 200, 4}));
        try (NpyArray a = Npy.map(u8)) {
            assertArrayEquals(new long[] {200, 4}, a.toLongArray());
        }
        Path f = write("f.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 1, floats(1.5f, 2)));
        try (NpyArray a = Npy.map(f)) {
            assertThrows(NpyFormatException.class, a::toLongArray);
            assertArrayEquals(new double[] {1.5, 2}, a.toDoubleArray());
        }
    }

    @Test
    void reportsEachProblemWithTheFileName() throws IOException {
        Path missing = dir.resolve("nope.npy");
        assertTrue(message(missing).contains("nope.npy") && message(missing).contains("does not exist"));

        Path magic = write("m.npy", "hello world, not numpy".getBytes(StandardCharsets.US_ASCII));
        assertTrue(message(magic).contains("bad magic"), message(magic));

        Path truncated = write("t.npy",
                npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 1, floats(1, 2, 3, 4, 5)));
        String t = message(truncated);
        assertTrue(t.contains("t.npy") && t.contains("truncated") && t.contains("24 bytes"), t);

        Path fortran = write("f.npy", npy("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }", 1, floats(1)));
        assertTrue(message(fortran).contains("Fortran"), message(fortran));

        Path complex = write("c.npy", npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", 1, new byte[8]));
        assertTrue(message(complex).contains("unsupported dtype '<c8'"), message(complex));

        Path big = write("b.npy", npy("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", 1, floats(1)));
        assertTrue(message(big).contains("big-endian"), message(big));

        Path header = write("h.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, x), }", 1, floats(1)));
        assertTrue(message(header).contains("malformed header"), message(header));

        Path cut = write("cut.npy", java.util.Arrays.copyOf(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 1,
                floats(1)), 30));
        assertTrue(message(cut).contains("truncated header"), message(cut));
    }

    @Test
    void writerRoundTripsThroughTheReader() throws IOException {
        Path p = dir.resolve("emb.npy");
        try (NpyWriter w = Npy.create(p, NpyDType.FLOAT32, 3, 2, 5)) {
            for (int i = 0; i < 30; i++) {
                w.setDouble(i, i * 0.5 - 3);
            }
            w.commit();
        }
        try (NpyArray a = Npy.map(p)) {
            assertEquals("(3, 2, 5) <f4", a.describe());
            assertEquals(0.5 * 13 - 3, a.getDouble(13));
            assertEquals(0.5 * 17 - 3, a.layer(1).getDouble(1, 2));
            assertEquals(0, (Files.size(p) - a.data().byteSize()) % 64, "data starts at a multiple of 64");
        }
        Path labels = dir.resolve("labels.npy");
        Npy.write(labels, new long[] {4, 4, -2, Long.MAX_VALUE});
        try (NpyArray a = Npy.map(labels)) {
            assertEquals(NpyDType.INT64, a.dtype());
            assertArrayEquals(new long[] {4, 4, -2, Long.MAX_VALUE}, a.toLongArray());
        }
        Path values = dir.resolve("values.npy");
        Npy.write(values, new double[] {Math.PI, -0.0, 1e300});
        try (NpyArray a = Npy.map(values)) {
            assertArrayEquals(new double[] {Math.PI, -0.0, 1e300}, a.toDoubleArray());
            assertEquals(0, Files.size(values) % 8);
        }
        Path f64 = dir.resolve("f64.npy");
        try (NpyWriter w = Npy.create(f64, NpyDType.FLOAT64, 2, 2)) {
            w.set(0, new double[] {1, 2, 3, 4});
            w.commit();
        }
        try (NpyArray a = Npy.map(f64)) {
            assertEquals(4.0, a.matrix().getDouble(1, 1));
            assertEquals(0, (Files.size(f64) - 32) % 64, "header padded to a multiple of 64 bytes");
        }
    }

    @Test
    void aWriterClosedWithoutCommitLeavesNoFile() throws IOException {
        Path p = dir.resolve("partial.npy");
        assertThrows(IllegalStateException.class, () -> {
            try (NpyWriter w = Npy.create(p, NpyDType.FLOAT32, 4, 4)) {
                w.setDouble(0, 1);
                throw new IllegalStateException("simulated failure while writing");
            }
        });
        assertFalse(Files.exists(p));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "no temporary file left behind");
        }
    }

    @Test
    void commitReplacesAnExistingFileAtomically() throws IOException {
        Path p = dir.resolve("x.npy");
        Npy.write(p, new long[] {1});
        Npy.write(p, new long[] {2, 3});
        try (NpyArray a = Npy.map(p)) {
            assertArrayEquals(new long[] {2, 3}, a.toLongArray());
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
        if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(p)), "an ordinary output file, not the temp file's 0600");
        }
    }

    @Test
    void aSafetensorsFileOrACorruptHeaderLengthIsNamedBeforeAnythingIsAllocated() throws IOException {
        Path st = dir.resolve("model.safetensors");
        Safetensors.writer().add("w", new long[] {2}, new double[] {1, 2}).write(st);
        Path renamed = write("looks.npy", Files.readAllBytes(st));
        String m = message(renamed);
        assertTrue(m.startsWith(renamed + ": not a .npy file") && m.contains("safetensors"), m);

        // A version-2 header whose 4-byte length says 4 GB - 1: refused from the length alone, whatever the file size.
        byte[] v2 = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 2, floats(1));
        v2[8] = v2[9] = v2[10] = v2[11] = (byte) 0xFF;
        Path corrupt = write("corrupt.npy", v2);
        m = message(corrupt);
        assertTrue(m.startsWith(corrupt + ": not a .npy file, or a corrupt one") && m.contains("4294967295"), m);
    }

    /**
     * A store into a mapped page the file no longer has (truncated by someone else, or a block a full disk could
     * not give) is a SIGBUS the JVM reports as an InternalError naming nothing; the writer reports an I/O error
     * naming its target.
     */
    @Test
    void aFaultInAMappedStoreIsAnIoErrorNamingTheFile() throws IOException {
        Path p = dir.resolve("victim.npy");
        try (NpyWriter w = Npy.create(p, NpyDType.FLOAT64, 4096)) {
            Path temp;
            try (Stream<Path> s = Files.list(dir)) {
                temp = s.filter(f -> f.getFileName().toString().startsWith(".victim.npy.")).findFirst().orElseThrow();
            }
            try (var ch = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(128);
            }
            java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                    () -> w.set(2048, new double[] {1, 2, 3}));
            assertTrue(e.getCause().getMessage().startsWith(p + ": writing through the memory mapping failed")
                    && e.getCause().getMessage().contains("disk full or file truncated"), e.getCause().getMessage());
        }
        assertFalse(Files.exists(p));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "no temporary file left behind");
        }
    }

    /**
     * Disk full: a 1 MiB tmpfs, a 4 MiB array. The writer allocates the whole file up front, so the failure is an
     * IOException from {@link Npy#create} naming the file, not an InternalError from a later store. Needs root and
     * mount(8) (skipped otherwise). A file-size limit (ulimit -f) cannot stand in for a full disk here: it fails the
     * old single-byte write at the end of the file with EFBIG too, so it does not reach the mapped stores.
     */
    @Test
    void aFullDiskIsAnIoErrorFromCreateNamingTheFile() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("tiny"));
        try (TinyTmpfs fs = TinyTmpfs.mount(mnt, "1m")) {
            Path p = mnt.resolve("big.npy");
            IOException e = assertThrows(IOException.class, () -> {
                try (NpyWriter w = Npy.create(p, NpyDType.FLOAT32, 1024, 1024)) {
                    for (long i = 0; i < w.size(); i += 1024) {
                        w.setDouble(i, 1);
                    }
                    w.commit();
                }
            });
            assertTrue(e.getMessage().startsWith(p + ": cannot write the ") && e.getMessage().contains("disk full"),
                    e.getMessage());
            try (Stream<Path> s = Files.list(mnt)) {
                assertEquals(0, s.count(), "no temporary file left behind");
            }
        }
    }
}
