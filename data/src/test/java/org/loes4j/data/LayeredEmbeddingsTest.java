package org.loes4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyDType;
import org.loes4j.linalg.io.NpyWriter;
import org.loes4j.linalg.io.Safetensors;

class LayeredEmbeddingsTest {
    private static final int[] WIDTHS = {5, 12, 3};
    private static final int N = 9;

    @TempDir
    Path dir;

    private static List<DMatrix> mixed(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<DMatrix> out = new ArrayList<>();
        for (int w : WIDTHS) {
            out.add(DMatrix.random(N, w, rng));
        }
        return out;
    }

    @Test
    void everyLayerHasItsOwnWidthAndViewsKeepHiddenStateIndices() {
        List<DMatrix> layers = mixed(1);
        LayeredEmbeddings e = LayeredEmbeddings.ofMatrices(layers, new int[] {2, 7, 4});
        assertArrayEquals(WIDTHS, e.widths());
        assertEquals(20, e.totalWidth());
        assertTrue(!e.uniformWidth());
        assertEquals(1, e.positionOf(7));
        assertEquals(-1, e.positionOf(3));

        LayeredEmbeddings sub = e.selectLayers(4, 2);
        assertArrayEquals(new int[] {4, 2}, sub.layerIndices());
        assertArrayEquals(new int[] {3, 5}, sub.widths());
        int[] rows = {8, 0, 3};
        DMatrix got = sub.rows(rows).load(0, new int[] {2, 0});
        assertEquals(layers.get(2).get(3, 1), got.get(0, 1));
        assertEquals(layers.get(2).get(8, 2), got.get(1, 2));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> e.selectLayers(3));
        assertTrue(bad.getMessage().contains("hidden state 3"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> e.rows(new int[] {N}));
        assertThrows(IllegalArgumentException.class, () -> e.layers(new int[] {0, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> LayeredEmbeddings.ofMatrices(List.of(DMatrix.zeros(3, 2), DMatrix.zeros(4, 2))));
        assertThrows(IllegalArgumentException.class,
                () -> LayeredEmbeddings.ofMatrices(layers, new int[] {1, 1, 2}));
    }

    @Test
    void flatMatricesSplitIntoConsecutiveLayers() {
        SplittableRandom rng = new SplittableRandom(3);
        FMatrix flat = FMatrix.random(N, 20, rng);
        LayeredEmbeddings e = LayeredEmbeddings.ofFlat(flat, WIDTHS);
        DMatrix l1 = e.load(1);
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < 12; j++) {
                assertEquals(flat.get(i, 5 + j), l1.get(i, j));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> LayeredEmbeddings.ofFlat(flat, new int[] {5, 5}));
        assertEquals(4, LayeredEmbeddings.ofFlat(flat, 4, 5).layerCount());
    }

    @Test
    void rowBlocksCoverEveryRowInOrder() {
        LayeredEmbeddings e = LayeredEmbeddings.ofMatrices(mixed(2));
        for (int block : new int[] {1, 4, 100}) {
            List<Long> starts = new ArrayList<>();
            double[] sums = new double[WIDTHS.length];
            e.forEachBlock(block, b -> {
                starts.add(b.firstRow());
                for (int l = 0; l < WIDTHS.length; l++) {
                    DMatrix m = b.layers().get(l);
                    assertEquals(WIDTHS[l], m.cols());
                    for (int i = 0; i < m.rows(); i++) {
                        for (int j = 0; j < m.cols(); j++) {
                            sums[l] += m.get(i, j) * (b.firstRow() + i + 1);
                        }
                    }
                }
            });
            assertEquals((N + block - 1) / block, starts.size());
            for (int l = 0; l < WIDTHS.length; l++) {
                DMatrix all = e.load(l);
                double want = 0;
                for (int i = 0; i < N; i++) {
                    for (int j = 0; j < WIDTHS[l]; j++) {
                        want += all.get(i, j) * (i + 1);
                    }
                }
                assertEquals(want, sums[l], 1e-12 * Math.abs(want));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> e.forEachBlock(0, b -> { }));
    }

    @Test
    void externalStreamsAreCheckedAndSplit() {
        List<DMatrix> layers = mixed(4);
        EmbeddingStream s = EmbeddingStream.of(WIDTHS, new int[] {0, 1, 2},
                () -> List.of(new EmbeddingStream.RowBlock(0, layers)).iterator());
        List<Integer> sizes = new ArrayList<>();
        s.forEachBlock(4, b -> sizes.add(b.rows()));
        assertEquals(List.of(4, 4, 1), sizes);

        EmbeddingStream wrongWidth = EmbeddingStream.of(new int[] {5, 11, 3}, new int[] {0, 1, 2},
                () -> List.of(new EmbeddingStream.RowBlock(0, layers)).iterator());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wrongWidth.forEachBlock(8, b -> { }));
        assertTrue(e.getMessage().contains("width 12"), e.getMessage());
        Iterator<EmbeddingStream.RowBlock> gap = List.of(new EmbeddingStream.RowBlock(3, layers)).iterator();
        EmbeddingStream gapped = EmbeddingStream.of(WIDTHS, new int[] {0, 1, 2}, () -> gap);
        assertThrows(IllegalArgumentException.class, () -> gapped.forEachBlock(8, b -> { }));
    }

    @Test
    void finitenessCheckNamesLayerRowAndColumnOnHeapAndMappedData() throws IOException {
        List<DMatrix> layers = mixed(5);
        layers.get(1).set(6, 10, Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LayeredEmbeddings.ofMatrices(layers, new int[] {0, 3, 6}).checkFinite());
        assertEquals("embeddings: NaN at layer 3, row 6, column 10", e.getMessage());

        Path file = dir.resolve("e.npy");
        try (NpyWriter w = Npy.create(file, NpyDType.FLOAT32, 4, 3, 2)) {
            w.setDouble((2L * 3 + 1) * 2 + 1, Float.POSITIVE_INFINITY);
            w.commit();
        }
        try (EmbeddingFiles f = LayeredEmbeddings.open(file)) {
            e = assertThrows(IllegalArgumentException.class, f::checkFinite);
            assertEquals("embeddings: Infinity at layer 1, row 2, column 1", e.getMessage());
            f.layers(new int[] {0, 2}).checkFinite();
            assertThrows(IllegalArgumentException.class, () -> f.layers(new int[] {2, 1}).checkFinite());
        }
    }

    @Test
    void opensNpyDirectoriesOfMixedWidthsAndSafetensors() throws IOException {
        List<DMatrix> layers = mixed(6);
        Path layerDir = Files.createDirectory(dir.resolve("layers"));
        for (int l = 0; l < WIDTHS.length; l++) {
            DMatrix m = layers.get(l);
            try (NpyWriter w = Npy.create(layerDir.resolve("layer_" + (l * 5) + ".npy"), NpyDType.FLOAT64, N, WIDTHS[l])) {
                for (int i = 0; i < N; i++) {
                    for (int j = 0; j < WIDTHS[l]; j++) {
                        w.setDouble((long) i * WIDTHS[l] + j, m.get(i, j));
                    }
                }
                w.commit();
            }
        }
        try (EmbeddingFiles f = LayeredEmbeddings.open(layerDir)) {
            assertArrayEquals(WIDTHS, f.widths(), "ordered by the number in the name: 0, 5, 10");
            assertEquals(N, f.rows());
            assertArrayEquals(layers.get(1).data(), f.load(1).data());
            assertEquals(3, f.digests().size());
            assertTrue(f.digests().values().iterator().next().contains("sha256:"));
        }

        Path st = dir.resolve("e.safetensors");
        Safetensors.Writer w = Safetensors.writer();
        for (int l = 0; l < WIDTHS.length; l++) {
            w.add("hidden_state." + l, layers.get(l));
        }
        w.write(st);
        try (EmbeddingFiles f = LayeredEmbeddings.open(st)) {
            assertArrayEquals(WIDTHS, f.widths());
            assertArrayEquals(layers.get(2).data(), f.load(2).data());
        }
    }

    @Test
    void refusesWhatIsNotLayeredEmbeddings() throws IOException {
        Path flat = dir.resolve("flat.npy");
        Npy.write(flat, new double[] {1, 2, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayeredEmbeddings.open(flat));
        assertTrue(e.getMessage().contains("expected an (N, L, d) array"), e.getMessage());

        Path twoD = dir.resolve("two.npy");
        try (NpyWriter w = Npy.create(twoD, NpyDType.FLOAT32, 3, 4)) {
            w.commit();
        }
        e = assertThrows(IllegalArgumentException.class, () -> LayeredEmbeddings.open(twoD));
        assertTrue(e.getMessage().contains("give their directory"), "a 2-D array is not silently one layer: " + e.getMessage());

        Path empty = dir.resolve("empty.npy");
        try (NpyWriter w = Npy.create(empty, NpyDType.FLOAT32, 0, 3, 4)) {
            w.commit();
        }
        e = assertThrows(IllegalArgumentException.class, () -> LayeredEmbeddings.open(empty));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LayeredEmbeddings.open(dir.resolve("missing.npy")));
    }
}
