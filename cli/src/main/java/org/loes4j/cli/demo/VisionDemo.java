package org.loes4j.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.loes4j.cli.ProgressText;
import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.encoders.ImageEncoder;
import org.loes4j.encoders.mobilenet.ImageBatch;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.LibraryInfo;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.io.FileDigests;
import org.loes4j.selection.Loes;
import org.loes4j.selection.LoesOptions;
import org.loes4j.selection.SelectionResult;
import org.loes4j.training.Probe;
import org.loes4j.training.Trainer;
import org.loes4j.training.TrainingConfig;
import org.loes4j.training.TrainingResult;
import org.loes4j.training.metrics.ClassificationMetrics;

/**
 * {@code loes demo --vision}: the pipeline on images, in the paper's order.
 *
 * <ol>
 *   <li>data: Fashion-MNIST ({@link FashionMnist}); a stratified, seeded sample of the 60,000 training images
 *       split into train and validation, and one of the 10,000 test images; each 28 x 28 grey image resized
 *       bilinearly to {@code size x size} RGB in [0, 1], grey replicated ({@link ImageResize});</li>
 *   <li>extract: nsfwjs's MobileNetV2 ({@link NsfwjsMobileNet}); every one of its 18 taps (16 .. 1280 channels)
 *       globally average-pooled per image ({@link ImageEncoder});</li>
 *   <li>select: LOES-k (k = 3, the paper's vision setting) on the training images;</li>
 *   <li>train: adapters and probe with the paper's vision preset on LOES's taps, on the last tap and on the
 *       last k taps (best epoch on validation); a single-layer ridge probe per tap;</li>
 *   <li>print the table and write the same HTML report as the text demo.</li>
 * </ol>
 * Layers are tap indices 0 .. 17 ({@link ImageEncoder#tapNames()}); all of them are candidates.
 */
final class VisionDemo {
    /**
     * The configuration.
     *
     * @param k          layers LOES selects
     * @param perClass   images per class in train, validation and test
     * @param size       input height and width
     * @param epochs     training epochs
     * @param batch      images per forward pass
     * @param seed       seed of the sample, the calibration split and training
     * @param outDir     the report directory
     * @param command    the command line, for provenance
     */
    record Settings(int k, int[] perClass, int size, int epochs, int batch, long seed, Path outDir, String command) {
    }

    private final PrintWriter out;
    private final PrintWriter err;
    private final Map<String, Object> timings = new LinkedHashMap<>();

    VisionDemo(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    int run(Settings s) throws IOException {
        long start = System.nanoTime();
        int classes = FashionMnist.CLASSES.size();
        int nTrain = s.perClass()[0] * classes;
        int nVal = s.perClass()[1] * classes;
        int nTest = s.perClass()[2] * classes;
        err.printf(Locale.ROOT, "loes demo --vision: Fashion-MNIST, %d / %d / %d train / validation / test images "
                        + "(%d classes), resized to %d x %d; MobileNetV2 (nsfwjs), every tap pooled; LOES-%d vs Last and "
                        + "Last-%d.%n", nTrain, nVal, nTest, classes, s.size(), s.size(), s.k(), s.k());

        // 1. Data.
        long t = System.nanoTime();
        Path cache = NpmPackage.defaultCacheDir();
        Path dataDir = FashionMnist.locate(cache, msg -> phase("data", msg));
        FashionMnist.Part trainPart = FashionMnist.read(dataDir, true);
        FashionMnist.Part testPart = FashionMnist.read(dataDir, false);
        int[][] trainVal = FashionMnist.stratified(trainPart, new int[] {s.perClass()[0], s.perClass()[1]}, s.seed());
        int[] testIdx = FashionMnist.stratified(testPart, new int[] {s.perClass()[2]}, s.seed() + 1)[0];
        int n = nTrain + nVal + nTest;
        int imageSize = 3 * s.size() * s.size();
        float[] pixels = new float[Math.multiplyExact(n, imageSize)];
        int[] label = new int[n];
        int row = 0;
        for (int[] idx : List.of(trainVal[0], trainVal[1])) {
            float[] p = FashionMnist.pixels(trainPart, idx, s.size());
            System.arraycopy(p, 0, pixels, row * imageSize, p.length);
            for (int i : idx) {
                label[row++] = trainPart.label(i);
            }
        }
        float[] p = FashionMnist.pixels(testPart, testIdx, s.size());
        System.arraycopy(p, 0, pixels, row * imageSize, p.length);
        for (int i : testIdx) {
            label[row++] = testPart.label(i);
        }
        Map<String, Object> dataInfo = new LinkedHashMap<>();
        dataInfo.put("debianPackage", FashionMnist.PACKAGE.spec());
        dataInfo.put("debSha256", FashionMnist.PACKAGE.sha256());
        dataInfo.put("directory", dataDir.toString());
        for (String f : List.of(FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS, FashionMnist.TEST_IMAGES,
                FashionMnist.TEST_LABELS)) {
            dataInfo.put(f + ".sha256", FileDigests.sha256(dataDir.resolve(f)));
        }
        dataInfo.put("perClassTrainValidationTest", s.perClass());
        dataInfo.put("resize", "bilinear, half-pixel centres, 28 x 28 -> " + s.size() + " x " + s.size()
                + ", grey replicated to RGB, values / 255");
        phase("data", String.format(Locale.ROOT, "train %d and validation %d from the 60,000 training images, test %d "
                + "from the 10,000 test images (stratified, seed %d)", nTrain, nVal, nTest, s.seed()));
        timings.put("dataSeconds", seconds(t));

        // 2. Encoder.
        t = System.nanoTime();
        Path modelDir = NsfwjsMobileNet.modelDirectory(NpmPackage.defaultNpmCommand(), cache, msg -> phase("model", msg));
        Linalg la = Linalg.get();
        ImageEncoder encoder = ImageEncoder.load(modelDir, la);
        if (s.size() < encoder.model().minimumSize()) {
            throw new IllegalArgumentException("--image-size: " + s.size() + " is below MobileNetV2's smallest input, "
                    + encoder.model().minimumSize());
        }
        List<String> tapNames = encoder.tapNames();
        int[] widths = encoder.tapWidths();
        int taps = widths.length;
        if (s.k() > taps) {
            throw new IllegalArgumentException("--k: " + s.k() + " exceeds the " + taps + " taps of MobileNetV2");
        }
        Map<String, Object> modelInfo = new LinkedHashMap<>();
        modelInfo.put("name", "MobileNetV2 1.0 (nsfwjs " + NsfwjsMobileNet.PACKAGE.version() + ")");
        modelInfo.put("npmPackage", NsfwjsMobileNet.PACKAGE.spec());
        modelInfo.put("tarballSha256", NsfwjsMobileNet.PACKAGE.sha256());
        modelInfo.put("taps", tapNames);
        modelInfo.put("tapWidths", widths);
        modelInfo.put("depthwiseKernel", encoder.model().depthwiseKernel());
        modelInfo.put("pooling", "global average over each tap's pixels");
        modelInfo.put("inputSize", s.size());
        modelInfo.put("batch", s.batch());
        timings.put("modelSeconds", seconds(t));

        // 3. Extract every tap.
        t = System.nanoTime();
        phase("extract", String.format(Locale.ROOT, "%d images of %d x %d, %d taps each", n, s.size(), s.size(), taps));
        long extractStart = System.nanoTime();
        ImageEncoder.Result encoded = encoder.encode(new ImageBatch(pixels, n, s.size(), s.size()), s.batch(),
                new Progress(n, extractStart));
        double extractSeconds = seconds(t);
        timings.put("extractSeconds", extractSeconds);
        timings.put("extractImagesPerSecond", Math.round(10 * n / Math.max(extractSeconds, 1e-3)) / 10.0);
        phase("extract", String.format(Locale.ROOT, "done in %s: %.1f images/s", ProgressText.duration(extractSeconds),
                n / Math.max(extractSeconds, 1e-3)));
        int[] layerNumbers = range(0, taps);
        LayeredEmbeddings embeddings = LayeredEmbeddings.ofMatrices(encoded.taps(), layerNumbers);
        int[] trainRows = range(0, nTrain);
        int[] valRows = range(nTrain, nTrain + nVal);
        int[] testRows = range(nTrain + nVal, n);
        int[] trainClass = Arrays.copyOfRange(label, 0, nTrain);
        int[] valClass = Arrays.copyOfRange(label, nTrain, nTrain + nVal);
        int[] testClass = Arrays.copyOfRange(label, nTrain + nVal, n);
        List<String> classNames = FashionMnist.CLASSES;

        // 4. Select.
        t = System.nanoTime();
        LoesOptions loesOptions = LoesOptions.builder().k(s.k()).seed(s.seed()).build();
        List<DMatrix> trainLayers = new ArrayList<>(taps);
        for (int l = 0; l < taps; l++) {
            trainLayers.add(embeddings.load(l, trainRows));
        }
        SelectionResult selection = Loes.builder().options(loesOptions)
                .inputDigests(Map.of(FashionMnist.PACKAGE.fileName(), FashionMnist.PACKAGE.sha256(),
                        NsfwjsMobileNet.PACKAGE.fileName(), NsfwjsMobileNet.PACKAGE.sha256())).build()
                .select(LayeredEmbeddings.ofMatrices(trainLayers, layerNumbers), Labels.ofCodes(trainClass, classNames));
        int[] selected = selection.selected();
        phase("select", "LOES-" + s.k() + " picked taps " + Arrays.toString(selected) + " (" + names(tapNames, selected)
                + ") from " + selection.provenance().details().get("calibrationRows") + " calibration images");
        timings.put("selectSeconds", seconds(t));

        // 5. Single-layer ridge probes.
        t = System.nanoTime();
        double[] probeAcc = new double[taps];
        double[] probeValidationAcc = new double[taps];
        double[] probeLambda = new double[taps];
        for (int l = 0; l < taps; l++) {
            LayerProbes.Result r = LayerProbes.probe(la, trainLayers.get(l), trainClass, embeddings.load(l, valRows),
                    valClass, embeddings.load(l, testRows), testClass, classNames.size());
            probeAcc[l] = r.testAccuracy();
            probeValidationAcc[l] = r.validationAccuracy();
            probeLambda[l] = r.lambda();
        }
        trainLayers.clear();
        int best = 0;
        for (int l = 1; l < taps; l++) {
            if (probeValidationAcc[l] > probeValidationAcc[best]) {
                best = l;
            }
        }
        phase("probe", String.format(Locale.ROOT, "single-layer ridge probes: best tap on validation %d %s (test "
                + "accuracy %.4f), last tap %.4f", best, tapNames.get(best), probeAcc[best], probeAcc[taps - 1]));
        timings.put("layerProbeSeconds", seconds(t));

        // 6. Train and evaluate.
        t = System.nanoTime();
        TrainingConfig config = TrainingConfig.vision().withSeed(s.seed()).withEpochs(s.epochs());
        LayeredEmbeddings trainEmb = embeddings.rows(trainRows);
        LayeredEmbeddings valEmb = embeddings.rows(valRows);
        LayeredEmbeddings testEmb = embeddings.rows(testRows);
        Labels trainT = Labels.ofCodes(trainClass, classNames);
        Labels valT = Labels.ofCodes(valClass, classNames);
        Labels testT = Labels.ofCodes(testClass, classNames);
        Map<String, int[]> methods = new LinkedHashMap<>();
        methods.put("LOES-" + s.k(), selected);
        methods.put("Last", new int[] {taps - 1});
        methods.put("Last-" + s.k(), range(taps - s.k(), taps));
        List<DemoReport.MethodResult> results = new ArrayList<>();
        Map<String, Object> trainingInfo = new LinkedHashMap<>();
        List<String> unconverged = new ArrayList<>();
        for (Map.Entry<String, int[]> m : methods.entrySet()) {
            long tm = System.nanoTime();
            TrainingResult tr = new Trainer(config).train(trainEmb, trainT, valEmb, valT, m.getValue(), "gap", null);
            Probe probe = tr.probe().orElseThrow(() -> new IllegalStateException(m.getKey()
                    + ": training stopped before the first epoch completed"
                    + tr.nonFinite().map(f -> " (" + f.message() + ")").orElse("")));
            ClassificationMetrics cm = probe.evaluateClassification(testEmb, testT);
            double validation = tr.epochs().get(tr.bestEpoch() - 1).validationMetric();
            if (tr.bestEpoch() == config.epochs()) {
                unconverged.add(m.getKey());
            }
            Map<String, Object> ti = new LinkedHashMap<>();
            ti.put("layers", m.getValue());
            ti.put("testAccuracy", cm.accuracy());
            ti.put("testMacroF1", cm.macroF1());
            ti.put("bestEpoch", tr.bestEpoch());
            ti.put("validationAccuracy", validation);
            ti.put("steps", tr.steps());
            ti.put("seconds", seconds(tm));
            trainingInfo.put(m.getKey(), ti);
            String note = String.format(Locale.ROOT, "best epoch %d of %d, validation accuracy %.4f", tr.bestEpoch(),
                    config.epochs(), validation);
            phase("train", String.format(Locale.ROOT, "%-8s taps %-14s test accuracy %.4f, macro-F1 %.4f (%s, %s)",
                    m.getKey(), Arrays.toString(m.getValue()), cm.accuracy(), cm.macroF1(), note,
                    ProgressText.duration(seconds(tm))));
            results.add(new DemoReport.MethodResult(m.getKey(), m.getValue(), cm.accuracy(), cm.macroF1(), note));
        }
        timings.put("trainSeconds", seconds(t));
        List<String> notes = new ArrayList<>();
        if (!unconverged.isEmpty()) {
            notes.add("The best epoch was the last one for " + String.join(", ", unconverged) + ": training may not "
                    + "have converged; --epochs trains longer.");
        }
        notes.add("One seed (" + s.seed() + "); differences of a point or two between methods can be noise.");

        // 7. Report.
        t = System.nanoTime();
        double[] score0 = new double[taps];
        double[] isotropy = new double[taps];
        for (SelectionResult.LayerScore ls : selection.layers()) {
            score0[ls.layer()] = ls.score0();
            isotropy[ls.layer()] = ls.isotropy();
        }
        List<String> layerNames = new ArrayList<>(taps);
        int[][] sizes = encoder.model().tapSizes(s.size(), s.size());
        for (int l = 0; l < taps; l++) {
            layerNames.add(String.format(Locale.ROOT, "%s (%d channels, %d x %d)", tapNames.get(l), widths[l],
                    sizes[l][0], sizes[l][1]));
        }
        Map<String, Integer> splitSizes = new LinkedHashMap<>();
        splitSizes.put("train", nTrain);
        splitSizes.put("validation", nVal);
        splitSizes.put("test", nTest);
        Map<String, Object> prov = new LinkedHashMap<>(LibraryInfo.environment());
        prov.put("command", s.command());
        prov.put("layerNumbering", "tap index: 0 = expanded_conv_project_BN (16 channels), t = output of block t, "
                + (taps - 1) + " = out_relu (1280 channels); every tap is a candidate");
        prov.put("data", dataInfo);
        prov.put("encoder", modelInfo);
        prov.put("seeds", Map.of("sampleCalibrationSplitAndTraining", s.seed(), "testSample", s.seed() + 1));
        prov.put("loes", loesOptions.asMap());
        prov.put("loesStepScores", selection.stepScores());
        prov.put("training", config.toMap());
        prov.put("trainingRuns", trainingInfo);
        Map<String, Object> probeInfo = new LinkedHashMap<>();
        probeInfo.put("lambdasTried", LayerProbes.LAMBDAS);
        probeInfo.put("lambdaChosenPerLayer", probeLambda);
        probeInfo.put("validationAccuracyPerLayer", probeValidationAcc);
        probeInfo.put("bestLayerOnValidation", best);
        prov.put("singleLayerRidgeProbe", probeInfo);
        prov.put("timings", timings);
        String title = "loes4j demo: which layers of MobileNetV2 know the class of a Fashion-MNIST image";
        String task = String.format(Locale.ROOT, "Each image is a 28 x 28 grey Fashion-MNIST picture of a piece of "
                + "clothing, resized to %d x %d RGB; the label is one of %d classes. MobileNetV2's %d taps, of widths %d "
                + "to %d, are globally average-pooled. LOES-%d selects taps on a %.0f%% calibration split of the "
                + "training images; each method trains adapters and a probe with the paper's vision preset (%d epochs, "
                + "best epoch on validation) and is scored on test.", s.size(), s.size(), classes, taps,
                Arrays.stream(widths).min().orElse(0), Arrays.stream(widths).max().orElse(0), s.k(),
                100 * loesOptions.calibrationFraction(), config.epochs());
        DemoReport report = new DemoReport(title, task, classNames, layerNumbers, score0, isotropy, probeAcc, selected,
                results, splitSizes, FashionMnist.ATTRIBUTION, prov, notes,
                "tap index (0 = first block, 16 channels; " + (taps - 1) + " = out_relu, 1280 channels)", layerNames);
        timings.put("totalSeconds", seconds(start));
        Path index = ReportWriter.write(report, s.outDir());
        phase("report", "wrote " + index + " in " + ProgressText.duration(seconds(t)));

        out.println();
        out.print(report.table());
        out.println();
        out.printf(Locale.ROOT, "LOES-%d taps (selection order): %s = %s; best single tap by ridge probe (on "
                + "validation): %d %s%n", s.k(), Arrays.toString(selected), names(tapNames, selected), best,
                tapNames.get(best));
        out.println("Report: " + index);
        out.println("Data: " + FashionMnist.ATTRIBUTION);
        out.printf(Locale.ROOT, "Done in %s.%n", ProgressText.duration(seconds(start)));
        out.flush();
        return 0;
    }

    private static String names(List<String> tapNames, int[] taps) {
        List<String> n = new ArrayList<>();
        for (int t : taps) {
            n.add(tapNames.get(t));
        }
        return String.join(", ", n);
    }

    private void phase(String name, String message) {
        err.printf(Locale.ROOT, "[%-7s] %s%n", name, message);
        err.flush();
    }

    private static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0;
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    /** A line after the first batch (with an estimate) and then every ~10%. */
    private final class Progress implements ImageEncoder.Progress {
        private final int total;
        private final long startNanos;
        private int nextPercent = 10;
        private boolean first = true;

        Progress(int total, long startNanos) {
            this.total = total;
            this.startNanos = startNanos;
        }

        @Override
        public void update(int done, int all) {
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            double rate = done / Math.max(elapsed, 1e-9);
            int percent = (int) (100L * done / total);
            if (first || (percent >= nextPercent && done < total)) {
                phase("extract", String.format(Locale.ROOT, "%3d%%  %d/%d images, %.1f images/s, ETA %s", percent, done,
                        total, rate, ProgressText.duration((total - done) / rate)));
                first = false;
                nextPercent = (percent / 10 + 1) * 10;
            }
        }
    }
}
