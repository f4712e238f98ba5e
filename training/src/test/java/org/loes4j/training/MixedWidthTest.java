package org.loes4j.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.io.Json;
import org.loes4j.linalg.io.Safetensors;
import org.loes4j.training.model.Architecture;

/** Layers of different widths (6, 16, 3) through training, prediction, save and load, for every fusion. */
class MixedWidthTest {
    private static final int[] WIDTHS = {6, 16, 3};
    private static final int N = 600;

    @TempDir
    Path dir;

    /** Class signal in every layer (sample i: signal * m_{y_i} + uniform noise), float32, N x sum(d_l). */
    static LayeredEmbeddings mixed(int[] widths, int[] y, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int total = 0;
        for (int w : widths) {
            total += w;
        }
        double[][] means = new double[classes][total];
        for (double[] m : means) {
            for (int j = 0; j < total; j++) {
                m[j] = rng.nextDouble(-1, 1);
            }
        }
        FMatrix flat = FMatrix.zeros(y.length, total);
        for (int i = 0; i < y.length; i++) {
            for (int j = 0; j < total; j++) {
                flat.set(i, j, (float) (0.8 * means[y[i]][j] + rng.nextDouble(-1, 1)));
            }
        }
        return LayeredEmbeddings.ofFlat(flat, widths);
    }

    static Labels labels(int n, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(classes);
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("c" + c);
        }
        return Labels.ofCodes(y, names);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void trainsPredictsSavesAndLoadsIdentically(Architecture architecture) throws IOException {
        Labels y = labels(N, 3, 5);
        LayeredEmbeddings e = mixed(WIDTHS, y.codes(), 3, 6);
        int[] train = SyntheticLayers.range(0, 500);
        int[] test = SyntheticLayers.range(500, N);
        TrainingConfig c = TrainingConfig.text().withEpochs(6).withBatchSize(32).withLearningRate(3e-3)
                .withAdapterDim(8).withArchitecture(architecture);
        int[] layers = {2, 0, 1};
        Probe probe = new Trainer(c).train(e.rows(train), y.rows(train), e.rows(test), y.rows(test), layers, "mean",
                null).probe().orElseThrow();
        assertArrayEquals(new int[] {3, 6, 16}, probe.inputWidths());
        assertThrows(IllegalStateException.class, probe::inputDim);
        double accuracy = probe.evaluateClassification(e.rows(test), y.rows(test)).accuracy();
        assertTrue(accuracy > 0.8, architecture + ": accuracy " + accuracy);

        Path file = dir.resolve("mixed.safetensors");
        probe.save(file);
        Probe loaded = Probe.load(file);
        assertArrayEquals(probe.inputWidths(), loaded.inputWidths());
        assertArrayEquals(layers, loaded.layers());
        Predictions p1 = probe.predict(e.rows(test));
        Predictions p2 = loaded.predict(e.rows(test));
        assertArrayEquals(p1.classes(), p2.classes());
        assertArrayEquals(p1.scores().data(), p2.scores().data(), "bitwise identical probabilities");
        // Only the probe's layers, in another order, are enough: it reads by hidden-state index.
        Predictions p3 = loaded.predict(e.rows(test).selectLayers(1, 2, 0));
        assertArrayEquals(p1.scores().data(), p3.scores().data());

        try (Safetensors st = Safetensors.open(file)) {
            Map<String, Object> arch = Json.parseObject(st.metadata().get("architecture"));
            assertEquals(List.of(3L, 6L, 16L), arch.get("inputWidths"));
            assertTrue(!arch.containsKey("inputDim"), "no single inputDim for mixed widths");
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aLayerOfTheWrongWidthIsNamed(Architecture architecture) {
        Labels y = labels(200, 2, 1);
        LayeredEmbeddings e = mixed(WIDTHS, y.codes(), 2, 2);
        TrainingConfig c = TrainingConfig.text().withEpochs(1).withAdapterDim(4).withArchitecture(architecture);
        Probe probe = new Trainer(c).train(e, y, null, null, new int[] {0, 2}, null, null).probe().orElseThrow();
        LayeredEmbeddings other = mixed(new int[] {6, 16, 4}, y.codes(), 2, 2);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> probe.predict(other));
        assertTrue(ex.getMessage().contains("hidden state 2") && ex.getMessage().contains("width 4")
                && ex.getMessage().contains("width 3"), ex.getMessage());
        assertEquals("unknown", probe.pooling());
    }
}
