package org.loes4j.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.io.Json;
import org.loes4j.linalg.io.Safetensors;
import org.loes4j.training.metrics.ClassificationMetrics;
import org.loes4j.training.metrics.RegressionMetrics;
import org.loes4j.training.model.Architecture;
import org.loes4j.training.model.LearnableWeightedSum;
import org.loes4j.training.nn.Parameter;

class TrainerTest {
    @TempDir
    Path dir;

    /** Small but not trivial: 4 classes, signal in layers 2 and 3 of 6, last layer noise. */
    private static final SyntheticLayers DATA = SyntheticLayers.generate(900, 6, 16, 4, new int[] {2, 3}, 0.6, 17);

    private static TrainingConfig fast() {
        return TrainingConfig.text().withEpochs(8).withBatchSize(32).withLearningRate(3e-3).withAdapterDim(16);
    }

    private static TrainingResult train(TrainingConfig c, int[] layers) {
        return new Trainer(c).train(DATA.embeddings(0, 700), DATA.targets(0, 700), DATA.embeddings(700, 900),
                DATA.targets(700, 900), layers, "cls", ProgressListener.NONE);
    }

    @Test
    void learnsTheInformativeLayersAndBeatsTheLastLayer() {
        TrainingResult good = train(fast(), new int[] {2, 3});
        TrainingResult last = train(fast(), new int[] {5});
        Probe probe = good.probe().orElseThrow();
        ClassificationMetrics m = probe.evaluateClassification(DATA.embeddings(700, 900), DATA.targets(700, 900));
        assertTrue(m.accuracy() > 0.9, "accuracy on informative layers " + m.accuracy());
        double lastAcc = last.probe().orElseThrow()
                .evaluateClassification(DATA.embeddings(700, 900), DATA.targets(700, 900)).accuracy();
        assertTrue(lastAcc < 0.45, "the last layer is noise: accuracy " + lastAcc);
        assertEquals(good.epochs().get(good.bestEpoch() - 1).validationMetric(), m.accuracy(), 1e-12,
                "the returned probe is the best epoch's checkpoint");
        assertEquals(8 * ((700 + 31) / 32), good.steps());
        long total = 0;
        for (long[] row : m.confusion()) {
            for (long v : row) {
                total += v;
            }
        }
        assertEquals(200, total);
    }

    @Test
    void withGeoRegAndOtherArchitecturesItStillLearns() {
        TrainingResult geo = train(fast().withGeoRegWeight(0.1), new int[] {2, 3});
        assertTrue(geo.epochs().getFirst().geoReg() != 0.0, "GeoReg active");
        assertTrue(geo.geoRegSeconds() > 0 && geo.geoRegSeconds() < geo.stepSeconds());
        assertTrue(geo.epochs().get(geo.bestEpoch() - 1).validationMetric() > 0.9);

        TrainingResult raw = train(fast().withArchitecture(Architecture.NO_ADAPTER), new int[] {2, 3});
        assertTrue(raw.epochs().get(raw.bestEpoch() - 1).validationMetric() > 0.9);

        TrainingResult lw = train(fast().withArchitecture(Architecture.LEARNABLE_WEIGHTS), new int[] {0, 1, 2, 3, 4, 5});
        assertTrue(lw.epochs().get(lw.bestEpoch() - 1).validationMetric() > 0.9);
        LearnableWeightedSum f = (LearnableWeightedSum) lw.probe().orElseThrow().network().fusion();
        assertEquals(6, f.mixingWeights().length);
    }

    @Test
    void sameSeedSameModelOtherSeedOtherModel() {
        TrainingConfig c = fast().withEpochs(2);
        List<Parameter> a = train(c, new int[] {2, 3}).probe().orElseThrow().network().parameters();
        List<Parameter> b = train(c, new int[] {2, 3}).probe().orElseThrow().network().parameters();
        List<Parameter> o = train(c.withSeed(7), new int[] {2, 3}).probe().orElseThrow().network().parameters();
        boolean differs = false;
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).value().data(), b.get(i).value().data(), a.get(i).name());
            differs |= !java.util.Arrays.equals(a.get(i).value().data(), o.get(i).value().data());
        }
        assertTrue(differs);
    }

    @Test
    void saveLoadPredictsIdenticallyAndDescribesItself() throws IOException {
        TrainingResult r = train(fast().withEpochs(3).withGeoRegWeight(0.1), new int[] {3, 2});
        Probe probe = r.probe().orElseThrow();
        Path file = dir.resolve("probe.safetensors");
        probe.save(file);

        Probe loaded = Probe.load(file);
        LayeredEmbeddings test = DATA.embeddings(700, 900);
        Predictions p1 = probe.predict(test);
        Predictions p2 = loaded.predict(test);
        assertArrayEquals(p1.classes(), p2.classes());
        assertArrayEquals(p1.scores().data(), p2.scores().data(), "bitwise identical probabilities");
        assertArrayEquals(new int[] {3, 2}, loaded.layers());
        assertEquals(List.of("class0", "class1", "class2", "class3"), loaded.labelNames());
        assertEquals("cls", loaded.pooling());

        try (Safetensors st = Safetensors.open(file)) {
            Map<String, String> meta = st.metadata();
            assertEquals(Probe.FORMAT, meta.get("format"));
            assertEquals("[3, 2]", meta.get("selectedLayers"));
            Map<String, Object> arch = Json.parseObject(meta.get("architecture"));
            assertEquals("adapters", arch.get("fusion"));
            assertEquals(16L, arch.get("adapterDim"));
            Map<String, Object> hp = Json.parseObject(meta.get("hyperParameters"));
            assertEquals(0.1, hp.get("geoRegWeight"));
            assertEquals(42L, hp.get("seed"));
            Map<String, Object> prov = Json.parseObject(meta.get("provenance"));
            assertTrue(prov.containsKey("jdk") && prov.containsKey("backend") && prov.containsKey("seed"), prov.toString());
            assertEquals(List.of(16L, 16L), Json.parse(Json.write(st.info("adapters.0.linear.weight").shape())));
            assertEquals(Safetensors.DType.F64, st.info("probe.linear.bias").dtype());
        }
    }

    @Test
    void predictRejectsEmbeddingsOfAnotherShape() throws IOException {
        Probe probe = train(fast().withEpochs(1), new int[] {2}).probe().orElseThrow();
        LayeredEmbeddings wrongL = LayeredEmbeddings.ofFlat(FMatrix.zeros(3, 5 * 16), 5, 16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> probe.predict(wrongL));
        assertTrue(e.getMessage().contains("5 layers") && e.getMessage().contains("6 layers"), e.getMessage());
        LayeredEmbeddings wrongD = LayeredEmbeddings.ofFlat(FMatrix.zeros(3, 6 * 8), 6, 8);
        assertThrows(IllegalArgumentException.class, () -> probe.predict(wrongD));
    }

    @Test
    void unknownLayersAndLabelsAreRejected() {
        Trainer t = new Trainer(fast());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.train(DATA.embeddings(),
                DATA.targets(), null, null, new int[] {2, 6}, "cls", ProgressListener.NONE));
        assertTrue(e.getMessage().contains("6") && e.getMessage().contains("[0, 6)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.train(DATA.embeddings(), DATA.targets(), null, null,
                new int[] {2, 2}, "cls", ProgressListener.NONE));
        e = assertThrows(IllegalArgumentException.class,
                () -> Labels.classification(List.of("a", "b", "z"), List.of("a", "b")));
        assertTrue(e.getMessage().contains("'z'") && e.getMessage().contains("row 2"), e.getMessage());
    }

    /** A read that turns to NaN in epoch 2 stops training there and keeps epoch 1's checkpoint. */
    @Test
    void nonFiniteLossStopsAndKeepsTheBestCheckpoint() {
        LayeredEmbeddings clean = DATA.embeddings(0, 700);
        int[] gathers = {0};
        int stepsPerEpoch = (700 + 31) / 32;
        LayeredEmbeddings poisoned = new LayeredEmbeddings() {
            public int rows() {
                return clean.rows();
            }

            public int layerCount() {
                return clean.layerCount();
            }

            public int width(int position) {
                return clean.width(position);
            }

            public int layerIndex(int position) {
                return clean.layerIndex(position);
            }

            public void gather(int layer, int[] rows, int from, int count, DMatrix dst) {
                clean.gather(layer, rows, from, count, dst);
                // One gather per step (one layer trained); the 4th step of epoch 2 reads a NaN.
                if (++gathers[0] == stepsPerEpoch + 4) {
                    dst.set(0, 0, Double.NaN);
                }
            }
        };
        TrainingResult r = new Trainer(fast()).train(poisoned, DATA.targets(0, 700), DATA.embeddings(700, 900),
                DATA.targets(700, 900), new int[] {2}, "cls", ProgressListener.NONE);
        NonFiniteLoss f = r.nonFinite().orElseThrow();
        assertEquals(2, f.epoch());
        assertEquals(4, f.step());
        assertEquals(1, r.bestEpoch());
        assertEquals(1, r.epochs().size());
        assertTrue(r.probe().isPresent());
        assertTrue(r.probe().get().training().get("nonFiniteLoss").toString().contains("epoch 2, step 4"));
    }

    @Test
    void earlyStoppingEndsARunThatStopsImproving() {
        // Pure noise labels: validation accuracy cannot keep improving for 30 epochs.
        int[] noise = new int[900];
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = rng.nextInt(4);
        }
        Labels t = Labels.ofCodes(noise, List.of("a", "b", "c", "d"));
        TrainingResult r = new Trainer(fast().withEpochs(30).withPatience(2)).train(DATA.embeddings(0, 700),
                t.rows(SyntheticLayers.range(0, 700)), DATA.embeddings(700, 900), t.rows(SyntheticLayers.range(700, 900)),
                new int[] {5}, "cls", ProgressListener.NONE);
        assertTrue(r.stoppedEarly());
        assertTrue(r.epochs().size() < 30);
        assertEquals(r.bestEpoch() + 2, r.epochs().size(), "stopped after 2 epochs without improvement");
    }

    @Test
    void regressionLearnsALinearTargetInOriginalUnits() {
        SplittableRandom rng = new SplittableRandom(4);
        int n = 600;
        FMatrix flat = FMatrix.random(n, 3 * 8, rng);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = 50 + 10 * (flat.get(i, 8) - 2 * flat.get(i, 9) + flat.get(i, 12));
        }
        LayeredEmbeddings e = LayeredEmbeddings.ofFlat(flat, 3, 8);
        Labels t = Labels.regression(y);
        TrainingConfig c = TrainingConfig.vision().withEpochs(30).withBatchSize(32).withLearningRate(3e-3)
                .withAdapterDim(32).withDropout(0.0);
        TrainingResult r = new Trainer(c).train(e.rows(SyntheticLayers.range(0, 500)),
                t.rows(SyntheticLayers.range(0, 500)), e.rows(SyntheticLayers.range(500, 600)),
                t.rows(SyntheticLayers.range(500, 600)), new int[] {1}, "mean", ProgressListener.NONE);
        RegressionMetrics m = r.probe().orElseThrow().evaluateRegression(e.rows(SyntheticLayers.range(500, 600)),
                t.rows(SyntheticLayers.range(500, 600)));
        assertTrue(m.r2() > 0.9, "R^2 " + m);
        assertEquals(r.epochs().get(r.bestEpoch() - 1).validationMetric(), m.rmse(), 1e-9);
    }

    @Test
    void progressIsReportedPerStepAndEpoch() {
        List<ProgressListener.StepProgress> steps = new ArrayList<>();
        List<EpochReport> epochs = new ArrayList<>();
        new Trainer(fast().withEpochs(2)).train(DATA.embeddings(0, 700), DATA.targets(0, 700), null, null,
                new int[] {2}, "cls", new ProgressListener() {
                    public void onStep(StepProgress p) {
                        steps.add(p);
                    }

                    public void onEpoch(EpochReport r) {
                        epochs.add(r);
                    }
                });
        assertEquals(2 * 22, steps.size());
        assertEquals(44, steps.getLast().globalStep());
        assertEquals(2, epochs.size());
        assertTrue(Double.isNaN(epochs.getFirst().validationMetric()));
        assertFalse(steps.stream().anyMatch(s -> !Double.isFinite(s.loss())));
    }

    @Test
    void loadRejectsForeignFiles() throws IOException {
        Path f = dir.resolve("other.safetensors");
        Safetensors.writer().metadata("format", "pt").add("w", new long[] {1}, new double[] {1}).write(f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Probe.load(f));
        assertTrue(e.getMessage().contains("other.safetensors") && e.getMessage().contains("not a loes4j probe"));
        Path h = dir.resolve("headless.safetensors");
        Safetensors.writer().metadata("format", Probe.FORMAT).metadata("architecture", "{\"fusion\": \"mlp\"}")
                .add("w", new long[] {1}, new double[] {1}).write(h);
        e = assertThrows(IllegalArgumentException.class, () -> Probe.load(h));
        assertTrue(e.getMessage().startsWith(h.toString()) && e.getMessage().contains("mlp"), e.getMessage());
        Path g = dir.resolve("garbage.safetensors");
        Files.writeString(g, "hello world, not a model");
        assertThrows(IllegalArgumentException.class, () -> Probe.load(g));
    }

    /**
     * A probe file is untrusted input: its header's architecture is checked against the tensors the file holds
     * before the network is allocated. Before, 40000-wide inputs and adapters asked for a 12.8 GB weight and
     * two billion inputs for an 8 GB array: OutOfMemoryError.
     */
    @Test
    void loadChecksTheDeclaredArchitectureAgainstTheFileBeforeAllocating() throws IOException {
        Probe probe = train(fast().withEpochs(1), new int[] {2}).probe().orElseThrow();
        Path file = dir.resolve("small.safetensors");
        probe.save(file);
        Map<String, Object> huge = new java.util.LinkedHashMap<>();
        huge.put("fusion", "adapters");
        huge.put("inputs", 1L);
        huge.put("inputWidths", List.of(40000L));
        huge.put("adapterDim", 40000L);
        huge.put("outputs", 4L);
        huge.put("dropout", 0.2);
        Path big = withArchitecture(file, "big.safetensors", Json.write(huge));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Probe.load(big));
        assertTrue(e.getMessage().startsWith(big + ": the architecture in its header") && e.getMessage().contains(
                "parameter values, the file holds"), e.getMessage());

        huge.put("inputs", 2_000_000_000L);
        huge.remove("inputWidths");
        huge.put("inputDim", 16L);
        Path many = withArchitecture(file, "many.safetensors", Json.write(huge));
        e = assertThrows(IllegalArgumentException.class, () -> Probe.load(many));
        assertTrue(e.getMessage().startsWith(many + ": architecture declares 2000000000 inputs"), e.getMessage());
    }

    /** A copy of {@code probe} with its {@code architecture} metadata replaced. */
    private Path withArchitecture(Path probe, String name, String architecture) throws IOException {
        Path out = dir.resolve(name);
        try (Safetensors st = Safetensors.open(probe)) {
            Map<String, String> meta = new java.util.LinkedHashMap<>(st.metadata());
            meta.put("architecture", architecture);
            Safetensors.Writer w = Safetensors.writer().metadata(meta);
            for (String t : st.names()) {
                w.add(t, st.info(t).shape(), st.doubles(t));
            }
            w.write(out);
        }
        return out;
    }
}
