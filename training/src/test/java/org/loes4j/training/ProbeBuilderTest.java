package org.loes4j.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Provenance;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.io.Safetensors;

/** The scikit-learn-like surface: builder, fit, predict, predictProba, classes, save, load. */
class ProbeBuilderTest {
    private static final SyntheticLayers DATA = SyntheticLayers.generate(600, 6, 16, 3, new int[] {2, 3}, 0.6, 23);

    @TempDir
    Path dir;

    @Test
    void fitPredictSaveLoadInAFewLines() throws IOException {
        LayeredEmbeddings all = DATA.embeddings();
        LayeredEmbeddings train = DATA.embeddings(0, 500);
        Labels y = Labels.classification(DATA.targets(0, 500).labels());

        Probe probe = Probe.builder().layers(3, 2).epochs(6).batchSize(32).learningRate(3e-3).adapterDim(16)
                .pooling("cls").model("bge-small").listener(null).fit(train, y);

        LayeredEmbeddings test = DATA.embeddings(500, 600);
        List<String> predicted = probe.predict(test).labels();
        List<String> truth = DATA.targets(500, 600).labels();
        int right = 0;
        for (int i = 0; i < truth.size(); i++) {
            right += predicted.get(i).equals(truth.get(i)) ? 1 : 0;
        }
        assertTrue(right > 85, "accuracy " + right + "/100");
        assertEquals(List.of("class0", "class1", "class2"), probe.classes());
        DMatrix proba = probe.predictProba(test);
        assertEquals(100, proba.rows());
        assertEquals(3, proba.cols());
        assertEquals(1.0, proba.get(0, 0) + proba.get(0, 1) + proba.get(0, 2), 1e-12);
        assertEquals(6, probe.encoderLayers());
        assertEquals(50, ((Number) probe.provenance().details().get("validationSamples")).intValue(),
                "seeded 10% hold-out");

        Path file = dir.resolve("probe.safetensors");
        probe.save(file);
        Probe loaded = Probe.load(file);
        assertArrayEquals(proba.data(), loaded.predictProba(test).data());
        assertEquals(probe.classes(), loaded.classes());
        assertEquals(Map.of("layerNumbering", Probe.LAYER_NUMBERING, "pooling", "cls", "model", "bge-small"),
                loaded.inputMeta());
        assertEquals("cls", loaded.pooling());
        Provenance prov = loaded.provenance();
        assertEquals("train", prov.method());
        assertEquals(42L, prov.seed());
        assertEquals(probe.provenance().toMap().keySet(), prov.toMap().keySet());
        // The probe reads its hidden states out of a fuller set too.
        assertArrayEquals(proba.data(), loaded.predictProba(all.rows(SyntheticLayers.range(500, 600))).data());
    }

    @Test
    void sameSeedSameProbe() {
        ProbeBuilder b = Probe.builder().layers(2).epochs(2).adapterDim(8);
        Probe p = b.fit(DATA.embeddings(0, 300), DATA.targets(0, 300));
        Probe q = b.fit(DATA.embeddings(0, 300), DATA.targets(0, 300));
        assertArrayEquals(p.predictProba(DATA.embeddings()).data(), q.predictProba(DATA.embeddings()).data());
    }

    @Test
    void withoutLayersItReadsEveryLayerItWasGivenAndThenAnyFullerSet() {
        LayeredEmbeddings selected = DATA.embeddings(0, 300).selectLayers(3, 2);
        Probe p = Probe.builder().epochs(2).adapterDim(8).validationFraction(0).fit(selected, DATA.targets(0, 300));
        assertArrayEquals(new int[] {3, 2}, p.layers());
        assertEquals(0, p.encoderLayers());
        assertEquals(0, ((Number) p.provenance().details().get("validationSamples")).intValue());
        assertEquals(600, p.predict(DATA.embeddings()).size());
    }

    @Test
    void givenValidationIsUsed() {
        Probe p = Probe.builder().layers(2).epochs(2).adapterDim(8)
                .validation(DATA.embeddings(500, 600), DATA.targets(500, 600)).fit(DATA.embeddings(0, 500),
                        DATA.targets(0, 500));
        assertEquals(100, ((Number) p.provenance().details().get("validationSamples")).intValue());
    }

    @Test
    void nullMeansDefaultAndBadArgumentsAreNamed() {
        ProbeBuilder b = Probe.builder().preset(null).config(null).architecture(null).layers((int[]) null)
                .pooling(null).model(null).inputMeta(null).inputs(null).listener(null).validation(null, null);
        assertEquals(TrainingConfig.text(), b.config());
        assertMessage("epochs", () -> b.epochs(0));
        assertMessage("learningRate", () -> b.learningRate(Double.NaN));
        assertMessage("dropout", () -> b.dropout(1.5));
        assertMessage("validationFraction", () -> b.validationFraction(1));
        assertMessage("layers", () -> b.layers(1, 1));
        assertMessage("preset", () -> b.preset("audio"));
        assertMessage("validation", () -> b.validation(DATA.embeddings(), null));
        Map<String, String> bad = new HashMap<>();
        bad.put("model", null);
        assertMessage("inputMeta", () -> b.inputMeta(bad));
        assertMessage("train", () -> b.fit(null, DATA.targets()));
        IllegalArgumentException e = assertMessage("labels", () -> b.fit(DATA.embeddings(), null));
        assertTrue(e.getMessage().contains("label-free"), e.getMessage());
        assertMessage("labels", () -> b.fit(DATA.embeddings(), DATA.targets(0, 10)));
        assertMessage("layers", () -> Probe.builder().layers(9).fit(DATA.embeddings(), DATA.targets()));
        assertMessage("trainTargets", () -> new Trainer(TrainingConfig.text()).train(DATA.embeddings(), null, null,
                null, new int[] {1}, null, null));
    }

    @Test
    void regressionHasNoProbabilities() {
        double[] v = new double[300];
        for (int i = 0; i < v.length; i++) {
            v[i] = DATA.flat().get(i, 2 * 16) * 3;
        }
        Probe p = Probe.builder().layers(2).epochs(2).adapterDim(8).fit(DATA.embeddings(0, 300), Labels.regression(v));
        assertEquals(List.of(), p.classes());
        assertThrows(IllegalStateException.class, () -> p.predictProba(DATA.embeddings()));
        assertEquals(600, p.predict(DATA.embeddings()).values().length);
    }

    @Test
    void modelsSavedBeforeWidthsAndInputMetaStillLoad() throws IOException {
        Probe probe = Probe.builder().layers(2).epochs(1).adapterDim(8).fit(DATA.embeddings(0, 300),
                DATA.targets(0, 300));
        Path now = dir.resolve("now.safetensors");
        probe.save(now);
        Path before = dir.resolve("before.safetensors");
        try (Safetensors st = Safetensors.open(now)) {
            Safetensors.Writer w = Safetensors.writer();
            for (Map.Entry<String, String> m : st.metadata().entrySet()) {
                switch (m.getKey()) {
                    case "input" -> { }
                    case "architecture" -> w.metadata("architecture", m.getValue().replaceAll(",\\s*\"inputWidths\":\\s*\\[[^]]*]", ""));
                    case "provenance" -> w.metadata("provenance", "{\"loes4jVersion\": \"0.1.0\", \"jdk\": \"25\","
                            + " \"seed\": 42, \"inputs\": {\"embeddings\": {\"path\": \"a.npy\"}}}");
                    default -> w.metadata(m.getKey(), m.getValue());
                }
            }
            for (String name : st.names()) {
                w.add(name, st.info(name).shape(), st.doubles(name));
            }
            w.write(before);
        }
        try (Safetensors st = Safetensors.open(before)) {
            assertTrue(!st.metadata().get("architecture").contains("inputWidths"));
        }
        Probe old = Probe.load(before);
        assertEquals(Map.of(), old.inputMeta());
        assertEquals(16, old.inputDim());
        assertEquals(42L, old.provenance().seed());
        assertArrayEquals(probe.predictProba(DATA.embeddings()).data(), old.predictProba(DATA.embeddings()).data());
    }

    private static IllegalArgumentException assertMessage(String argument, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(argument + ":"), "expected '" + argument + ":' in: " + e.getMessage());
        return e;
    }
}
