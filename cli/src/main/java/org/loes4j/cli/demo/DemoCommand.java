package org.loes4j.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.loes4j.cli.CommonOptions;
import org.loes4j.cli.ProgressText;
import org.loes4j.encoders.KnownModel;
import org.loes4j.encoders.Pooling;
import org.loes4j.encoders.TextEncoder;
import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
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
import org.loes4j.training.metrics.PairedTTest;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code loes demo}: the whole pipeline on real data, from nothing to a report.
 *
 * <ol>
 *   <li>data: the State of the Union addresses, fetched once with npm as a pinned, digest-checked package;
 *       passages cut from them and labelled with their era; addresses split into train, validation and
 *       test (no address on two sides), balanced per era;</li>
 *   <li>extract: every hidden state of the encoder pooled per passage (CLS by default, as the paper does
 *       for BERT-style encoders);</li>
 *   <li>select: LOES-k on the calibration split of the training passages;</li>
 *   <li>train: adapters and probe with the paper's text preset on LOES's layers, on the last layer and on
 *       the last k layers (best epoch on validation);</li>
 *   <li>evaluate on test, plus a single-layer ridge probe per layer;</li>
 *   <li>print the table and write a self-contained HTML report.</li>
 * </ol>
 * Layers are numbered by hidden-state index, as everywhere in loes4j: 1 is the first transformer block (the
 * paper's layer 0); the embedding output, hidden state 0, is not a candidate, as in the paper.
 *
 * <p>With {@code --vision} the command parses its image options and hands over to {@link VisionDemo}: the same
 * steps on Fashion-MNIST and MobileNetV2's taps.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the whole pipeline on real data: State of the Union passages labelled with their era, "
                + "encoded by a pretrained encoder, LOES layer selection, probes on the selected layers against the "
                + "Last and Last-k baselines, a table and demo-report/index.html.",
                "Needs npm (the data set is fetched once with 'npm pack' and cached under ~/.cache/loes4j/data).",
                "--vision runs the image demo instead: Fashion-MNIST through MobileNetV2, LOES-3 vs Last and Last-3."})
public final class DemoCommand implements Callable<Integer> {
    /** Default passage budget: about 1.5 minutes of encoding at max length 128 on 2 cores. */
    static final int DEFAULT_MAX_PASSAGES = 1500;
    static final int DEFAULT_MAX_LENGTH = 128;
    /**
     * Words per passage. 100 words of these addresses are about 125 WordPiece tokens, so most passages fit
     * the default max length of 128 (the rest are truncated and counted).
     */
    static final int DEFAULT_WORDS = 100;
    static final int QUICK_MAX_PASSAGES = 150;
    static final int QUICK_MAX_LENGTH = 48;
    static final int QUICK_EPOCHS = 3;
    /**
     * The demo trains longer than the paper's 15 epochs: with 900 training passages and batch 128 those are
     * 120 optimiser steps, and the best validation epoch was then always the last one (measured: LOES-4
     * 0.552, Last-4 0.573 after 15 epochs; 0.629 and 0.621 after 100).
     */
    static final int DEMO_EPOCHS = 100;
    /**
     * Seconds per 1000 passages of everything after extraction (selection, per-layer probes, three trainings,
     * report), for the up-front estimate. Measured: 10 s for 1500 passages on 2 cores shared with other
     * jobs (load average 11); a quiet machine needs less.
     */
    static final double REST_SECONDS_PER_1000_PASSAGES = 8;
    private static final int REVISE_AFTER_BATCHES = 4;
    private static final double REVISE_CHANGE = 0.3;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--k", paramLabel = "K", description = "Layers LOES selects (default: 4, the paper's text setting).")
    Integer k;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42",
            description = "Seed of the speech split, the calibration split and training (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-passages", paramLabel = "N",
            description = "Passages in all, split 60/15/25 into train/validation/test (default: " + DEFAULT_MAX_PASSAGES
                    + ", --quick: " + QUICK_MAX_PASSAGES + ").")
    Integer maxPassages;

    @Option(names = "--max-length", paramLabel = "TOKENS",
            description = "Tokens per passage, [CLS] and [SEP] included; longer ones are truncated (default: "
                    + DEFAULT_MAX_LENGTH + ", --quick: " + QUICK_MAX_LENGTH + ").")
    Integer maxLength;

    @Option(names = "--words", paramLabel = "N", description = "Words per passage (default: " + DEFAULT_WORDS + ").")
    Integer words;

    @Option(names = "--model", paramLabel = "NAME|PATH", description = "Encoder: bge-small-en-v1.5 (default), "
            + "all-MiniLM-L6-v2, e5-small-v2, or an .onnx file with its tokenizer.json.")
    String model;

    @Option(names = "--pooling", paramLabel = "cls|mean", defaultValue = "cls",
            description = "How token states become one vector: cls (the paper's choice for BERT-style encoders) or "
                    + "mean (default: ${DEFAULT-VALUE}).")
    String pooling;

    @Option(names = "--epochs", paramLabel = "N", description = "Training epochs (default: " + DEMO_EPOCHS
            + ", --quick: " + QUICK_EPOCHS + "; the text preset's 15 epochs are sized for data sets of tens of "
            + "thousands of samples and leave 900 passages under-trained).")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "32",
            description = "Passages per encoder forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "1",
            description = "Repeat selection and training with seeds SEED..SEED+N-1 (same passages) and report mean, "
                    + "standard deviation and a paired t-test against Last (default: ${DEFAULT-VALUE}; the paper uses 5).")
    int seedCount;

    @Option(names = "--georeg", description = "Also train on LOES's layers with GeoReg (weight 0.1).")
    boolean geoReg;

    @Option(names = "--no-cache", description = "Encode even if an identical earlier run left its vectors in "
            + "~/.cache/loes4j/demo-embeddings (and do not store them).")
    boolean noCache;

    @Option(names = "--out-dir", paramLabel = "DIR", defaultValue = "demo-report",
            description = "Where the report goes (default: ${DEFAULT-VALUE}); replaced as a whole.")
    Path outDir;

    @Option(names = "--quick", description = "A tiny configuration (" + QUICK_MAX_PASSAGES + " passages, max length "
            + QUICK_MAX_LENGTH + ", " + QUICK_EPOCHS + " epochs): checks the pipeline in well under a minute; its "
            + "numbers mean little.")
    boolean quick;

    @Option(names = "--vision", description = "The image demo instead: Fashion-MNIST (fetched once with 'apt-get "
            + "download' from Debian's dataset-fashion-mnist package, or read from its installed copy), encoded by "
            + "MobileNetV2 (nsfwjs, fetched with npm), every tap pooled; LOES-3 vs Last and Last-3 with the vision "
            + "training preset.")
    boolean vision;

    @Option(names = "--images", paramLabel = "N", description = "With --vision: images in all, split 60/15/25 into "
            + "train/validation/test, the same number of each class (default: " + VISION_IMAGES + ", --quick: "
            + VISION_QUICK_IMAGES + ").")
    Integer images;

    @Option(names = "--image-size", paramLabel = "PIXELS", description = "With --vision: the 28 x 28 images are "
            + "resized bilinearly to PIXELS x PIXELS (default: " + VISION_SIZE + ", --quick: " + VISION_QUICK_SIZE + ").")
    Integer imageSize;

    /** 3000 / 750 / 1250 images: a few minutes of encoding at 96 x 96 on 2 busy cores. */
    static final int VISION_IMAGES = 5000;
    static final int VISION_QUICK_IMAGES = 200;
    /** 96 x 96: the 28 x 28 images upscaled enough for MobileNetV2's later blocks to keep 3 x 3 pixels. */
    static final int VISION_SIZE = 96;
    static final int VISION_QUICK_SIZE = 48;

    private PrintWriter err;
    private final Map<String, Object> timings = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        long start = System.nanoTime();
        PrintWriter out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        if (vision) {
            VisionDemo.Settings vs = visionSettings();
            ReportWriter.checkReplaceable(outDir.toAbsolutePath().normalize());
            return new VisionDemo(out, err).run(vs);
        }
        if (images != null || imageSize != null) {
            throw new IllegalArgumentException("--images, --image-size: only with --vision");
        }
        Settings s = settings();
        Pooling pool = Pooling.parse(pooling);
        // Fail before minutes of work, not after, if the report could not be written there.
        ReportWriter.checkReplaceable(outDir.toAbsolutePath().normalize());

        int expected = s.maxPassages() / EraTask.ERAS.size() * EraTask.ERAS.size();
        err.printf(Locale.ROOT, "loes demo: %d passages of %d words from the State of the Union addresses, era of each "
                        + "(%d classes); encoder %s, %s pooling, max length %d; LOES-%d vs Last and Last-%d.%n",
                expected, s.words(), EraTask.ERAS.size(), s.model(), pool.id(), s.maxLength(), s.k(), s.k());
        err.printf(Locale.ROOT, "loes demo: expect about %s on 2 cores (encoding dominates); a measured estimate "
                + "follows the first batch.%n", ProgressText.duration(roughSeconds(expected, s.maxLength())));

        // 1. Data.
        long t = System.nanoTime();
        Path tarball = StateOfTheUnion.PACKAGE.fetch(NpmPackage.defaultNpmCommand(), NpmPackage.defaultCacheDir(),
                msg -> phase("data", msg));
        List<Speech> speeches = StateOfTheUnion.read(tarball);
        EraTask.Sizes sizes = EraTask.Sizes.forBudget(s.maxPassages(), EraTask.ERAS.size(), s.words());
        EraTask.Splits split = EraTask.split(speeches, EraTask.ERAS, sizes, seed);
        List<EraTask.Passage> all = new ArrayList<>(split.train());
        all.addAll(split.validation());
        all.addAll(split.test());
        int nTrain = split.train().size();
        int nVal = split.validation().size();
        int nTest = split.test().size();
        phase("data", String.format(Locale.ROOT, "%d addresses %d-%d; passages train %d (%d addresses), validation %d "
                        + "(%d), test %d (%d)", speeches.size(), speeches.getFirst().year(), speeches.getLast().year(),
                nTrain, split.trainSpeeches().size(), nVal, split.validationSpeeches().size(), nTest,
                split.testSpeeches().size()));
        timings.put("dataSeconds", seconds(t));

        // 2. Encoder.
        t = System.nanoTime();
        phase("model", "loading " + s.model());
        TextEncoder encoder = TextEncoder.load(s.model());
        int blocks = encoder.config().layers();
        int d = encoder.config().hidden();
        if (s.k() > blocks) {
            throw new IllegalArgumentException("--k: " + s.k() + " exceeds the " + blocks + " layers of " + s.model());
        }
        Map<String, Object> modelInfo = new LinkedHashMap<>();
        modelInfo.put("name", s.model());
        modelInfo.put("weights", encoder.files().weights().getFileName().toString());
        modelInfo.put("weightsSha256", FileDigests.sha256(encoder.files().weights()));
        modelInfo.put("tokenizerSha256", FileDigests.sha256(encoder.files().tokenizer()));
        encoder.files().known().ifPresent(km -> modelInfo.put("mavenCoordinates", km.coordinates()));
        modelInfo.put("blocks", blocks);
        modelInfo.put("hidden", d);
        timings.put("modelSeconds", seconds(t));

        // 3. Extract every hidden state (or reuse the vectors of an identical earlier run: same weights, tokenizer,
        //    pooling, max length, batch size, backend and passages).
        t = System.nanoTime();
        List<String> texts = new ArrayList<>(all.size());
        long plannedTokens = 0;
        int truncated = 0;
        for (EraTask.Passage p : all) {
            texts.add(p.text());
            var enc = encoder.tokenizer().encode(p.text(), s.maxLength());
            plannedTokens += enc.length();
            truncated += enc.truncated() ? 1 : 0;
        }
        int stateCount = encoder.config().hiddenStates();
        EmbeddingCache cache = EmbeddingCache.defaults();
        String cacheKey = EmbeddingCache.key(modelInfo.get("weightsSha256") + "/" + modelInfo.get("tokenizerSha256"),
                pool.id() + "/" + s.maxLength() + "/batch " + batch + "/" + Linalg.get().backends().chosen().name(),
                stateCount, d, texts);
        Optional<float[]> cached = noCache ? Optional.empty() : cache.load(cacheKey, texts.size(), stateCount, d);
        float[] states;
        if (cached.isPresent()) {
            states = cached.get();
            timings.put("extractSeconds", seconds(t));
            timings.put("extractReused", true);
            phase("extract", String.format(Locale.ROOT, "reusing the %d x %d x %d vectors of an identical earlier run "
                    + "from %s (--no-cache encodes again)", texts.size(), stateCount, d, cache.dir()));
        } else {
            phase("extract", String.format(Locale.ROOT, "%d passages, %d tokens, %d hidden states each", texts.size(),
                    plannedTokens, stateCount));
            ExtractProgress progress = new ExtractProgress(plannedTokens, texts.size(), System.nanoTime(), start);
            TextEncoder.Result encoded = encoder.encode(texts, new TextEncoder.Options(EnumSet.of(pool), s.maxLength(),
                    batch), progress);
            states = encoded.flat(pool).data();
            double extractSeconds = seconds(t);
            timings.put("extractSeconds", extractSeconds);
            timings.put("extractTokensPerSecond", Math.round(encoded.tokens() / extractSeconds));
            phase("extract", String.format(Locale.ROOT, "done in %s: %.0f tokens/s", ProgressText.duration(extractSeconds),
                    encoded.tokens() / extractSeconds));
            if (!noCache) {
                cache.store(cacheKey, states);
            }
        }
        phase("extract", String.format(Locale.ROOT, "%d of %d passages were truncated to %d tokens", truncated,
                texts.size(), s.maxLength()));

        // The candidates are hidden states 1..blocks, the outputs of the transformer blocks (the paper leaves the
        // embedding output, hidden state 0, out): position l of this set is hidden state l + 1, the paper's layer l.
        List<FMatrix> blockViews = new ArrayList<>(blocks);
        int[] layerNumbers = range(1, blocks + 1);
        for (int l = 0; l < blocks; l++) {
            blockViews.add(new FMatrix(states, layerNumbers[l] * d, all.size(), d, stateCount * d));
        }
        LayeredEmbeddings embeddings = LayeredEmbeddings.ofMatrices(blockViews, layerNumbers);
        int[] trainRows = range(0, nTrain);
        int[] valRows = range(nTrain, nTrain + nVal);
        int[] testRows = range(nTrain + nVal, all.size());
        int[] eraOf = new int[all.size()];
        for (int i = 0; i < all.size(); i++) {
            eraOf[i] = all.get(i).era();
        }
        List<String> classNames = new ArrayList<>();
        for (EraTask.Era e : EraTask.ERAS) {
            classNames.add(e.name());
        }

        // 4. Select.
        t = System.nanoTime();
        LoesOptions loesOptions = LoesOptions.builder().k(s.k()).seed(seed).build();
        List<DMatrix> trainLayers = new ArrayList<>(blocks);
        for (int l = 0; l < blocks; l++) {
            trainLayers.add(embeddings.load(l, trainRows));
        }
        LayeredEmbeddings stack = LayeredEmbeddings.ofMatrices(trainLayers, layerNumbers);
        Labels selectionTargets = Labels.ofCodes(Arrays.copyOfRange(eraOf, 0, nTrain), classNames);
        long[] runSeeds = new long[s.seeds()];
        List<SelectionResult> selections = new ArrayList<>();
        for (int r = 0; r < runSeeds.length; r++) {
            runSeeds[r] = seed + r;
            SelectionResult sr = Loes.builder().options(loesOptions.toBuilder().seed(runSeeds[r]).build())
                    .inputDigests(Map.of(StateOfTheUnion.PACKAGE.fileName(), StateOfTheUnion.PACKAGE.sha256())).build()
                    .select(stack, selectionTargets);
            selections.add(sr);
            phase("select", "LOES-" + s.k() + " picked layers " + Arrays.toString(sr.selected()) + " (in selection "
                    + "order, hidden-state indices) from " + sr.provenance().details().get("calibrationRows")
                    + " calibration passages"
                    + (runSeeds.length > 1 ? " (seed " + runSeeds[r] + ")" : ""));
        }
        SelectionResult selection = selections.getFirst();
        int[] selected = selection.selected();
        timings.put("selectSeconds", seconds(t));

        // 5. Single-layer ridge probes.
        t = System.nanoTime();
        double[] probeAcc = new double[blocks];
        double[] probeValidationAcc = new double[blocks];
        double[] probeLambda = new double[blocks];
        int[] trainClass = Arrays.copyOfRange(eraOf, 0, nTrain);
        int[] valClass = Arrays.copyOfRange(eraOf, nTrain, nTrain + nVal);
        int[] testClass = Arrays.copyOfRange(eraOf, nTrain + nVal, all.size());
        Linalg la = Linalg.get();
        for (int l = 0; l < blocks; l++) {
            DMatrix xv = embeddings.load(l, valRows);
            DMatrix xt = embeddings.load(l, testRows);
            LayerProbes.Result r = LayerProbes.probe(la, trainLayers.get(l), trainClass, xv, valClass, xt, testClass,
                    classNames.size());
            probeAcc[l] = r.testAccuracy();
            probeValidationAcc[l] = r.validationAccuracy();
            probeLambda[l] = r.lambda();
        }
        trainLayers.clear();
        timings.put("layerProbeSeconds", seconds(t));
        // The best layer is chosen on validation, like everything else, and only then read off on test.
        int bestPosition = 0;
        for (int l = 1; l < blocks; l++) {
            if (probeValidationAcc[l] > probeValidationAcc[bestPosition]) {
                bestPosition = l;
            }
        }
        int bestLayer = layerNumbers[bestPosition];
        phase("probe", String.format(Locale.ROOT, "single-layer ridge probes: best layer on validation %d (test "
                + "accuracy %.4f), last layer %.4f", bestLayer, probeAcc[bestPosition], probeAcc[blocks - 1]));

        // 6. Train and evaluate.
        t = System.nanoTime();
        TrainingConfig config = TrainingConfig.text().withSeed(seed);
        if (s.epochs() != null) {
            config = config.withEpochs(s.epochs());
        }
        LayeredEmbeddings trainEmb = embeddings.rows(trainRows);
        LayeredEmbeddings valEmb = embeddings.rows(valRows);
        LayeredEmbeddings testEmb = embeddings.rows(testRows);
        Labels trainT = Labels.ofCodes(trainClass, classNames);
        Labels valT = Labels.ofCodes(valClass, classNames);
        Labels testT = Labels.ofCodes(testClass, classNames);
        int[] lastK = range(blocks + 1 - s.k(), blocks + 1);
        String loesName = "LOES-" + s.k();
        List<Method> methods = new ArrayList<>();
        methods.add(new Method(loesName, null, config));
        if (geoReg) {
            methods.add(new Method(loesName + " + GeoReg", null, config.withGeoRegWeight(0.1)));
        }
        methods.add(new Method("Last", new int[] {blocks}, config));
        methods.add(new Method("Last-" + s.k(), lastK, config));
        Map<String, double[]> accuracyBySeed = new LinkedHashMap<>();
        Map<String, double[]> macroF1BySeed = new LinkedHashMap<>();
        Map<String, String> notesByMethod = new LinkedHashMap<>();
        Map<String, Object> trainingInfo = new LinkedHashMap<>();
        List<String> unconverged = new ArrayList<>();
        for (Method m : methods) {
            double[] acc = new double[runSeeds.length];
            double[] f1 = new double[runSeeds.length];
            int[] bestEpochs = new int[runSeeds.length];
            double[] validation = new double[runSeeds.length];
            for (int r = 0; r < runSeeds.length; r++) {
                long tm = System.nanoTime();
                int[] layers = m.layers() != null ? m.layers() : selections.get(r).selected();
                TrainingResult tr = new Trainer(m.config().withSeed(runSeeds[r])).train(trainEmb, trainT, valEmb, valT,
                        layers, pool.id(), null);
                Probe probe = tr.probe().orElseThrow(() -> new IllegalStateException(m.name()
                        + ": training stopped before the first epoch completed"
                        + tr.nonFinite().map(f -> " (" + f.message() + ")").orElse("")));
                ClassificationMetrics cm = probe.evaluateClassification(testEmb, testT);
                acc[r] = cm.accuracy();
                f1[r] = cm.macroF1();
                bestEpochs[r] = tr.bestEpoch();
                validation[r] = tr.epochs().get(tr.bestEpoch() - 1).validationMetric();
                if (tr.bestEpoch() == config.epochs() && !unconverged.contains(m.name())) {
                    unconverged.add(m.name());
                }
                Map<String, Object> ti = new LinkedHashMap<>();
                ti.put("seed", runSeeds[r]);
                ti.put("layers", layers);
                ti.put("testAccuracy", acc[r]);
                ti.put("testMacroF1", f1[r]);
                ti.put("bestEpoch", tr.bestEpoch());
                ti.put("validationAccuracy", validation[r]);
                ti.put("steps", tr.steps());
                ti.put("seconds", seconds(tm));
                trainingInfo.put(runSeeds.length > 1 ? m.name() + " seed " + runSeeds[r] : m.name(), ti);
                phase("train", String.format(Locale.ROOT, "%-16s layers %-14s test accuracy %.4f, macro-F1 %.4f (best "
                                + "epoch %d of %d, validation accuracy %.4f%s, %s)", m.name(), Arrays.toString(layers),
                        acc[r], f1[r], tr.bestEpoch(), tr.epochs().size(), validation[r],
                        runSeeds.length > 1 ? ", seed " + runSeeds[r] : "", ProgressText.duration(seconds(tm))));
            }
            accuracyBySeed.put(m.name(), acc);
            macroF1BySeed.put(m.name(), f1);
            notesByMethod.put(m.name(), runSeeds.length == 1
                    ? String.format(Locale.ROOT, "best epoch %d of %d, validation accuracy %.4f", bestEpochs[0],
                            config.epochs(), validation[0])
                    : "best epochs " + Arrays.toString(bestEpochs));
        }
        List<DemoReport.MethodResult> results = new ArrayList<>();
        double[] lastAcc = accuracyBySeed.get("Last");
        for (Method m : methods) {
            double[] acc = accuracyBySeed.get(m.name());
            double p = runSeeds.length > 1 && !m.name().equals("Last") ? PairedTTest.of(acc, lastAcc).pValue() : Double.NaN;
            results.add(DemoReport.MethodResult.of(m.name(), m.layers() != null ? m.layers() : selected, acc,
                    macroF1BySeed.get(m.name()), p, notesByMethod.get(m.name())));
        }
        timings.put("trainSeconds", seconds(t));
        List<String> notes = new ArrayList<>();
        if (!unconverged.isEmpty()) {
            // The text preset's 15 epochs are few steps on a data set this small; say so rather than hide it.
            int steps = (trainT.size() + config.batchSize() - 1) / config.batchSize();
            String note = "The best epoch was the last one for " + String.join(", ", unconverged) + ": training may "
                    + "not have converged (" + steps + (steps == 1 ? " step" : " steps") + " per epoch); --epochs 100 "
                    + "trains longer.";
            phase("train", note);
            notes.add(note);
        }
        if (runSeeds.length == 1) {
            notes.add("One seed (" + seed + "); the paper reports the mean and standard deviation over 5 seeds, so "
                    + "differences of a few points between methods can be noise: --seeds 5 shows the spread.");
        } else {
            StringBuilder sel = new StringBuilder();
            for (int r = 0; r < runSeeds.length; r++) {
                sel.append(r == 0 ? "" : "; ").append(runSeeds[r]).append(": ")
                        .append(Arrays.toString(selections.get(r).selected()));
            }
            notes.add(String.format(Locale.ROOT, "Mean +- sample standard deviation over %d seeds (%d..%d) of the "
                    + "calibration split and of training, on one split of the addresses (seed %d); p is the paired "
                    + "two-sided t-test of test accuracy against Last. LOES's selection by seed: %s. The layer charts "
                    + "show seed %d.", runSeeds.length, runSeeds[0], runSeeds[runSeeds.length - 1], seed, sel, seed));
        }

        // 7. Report.
        t = System.nanoTime();
        double[] score0 = new double[blocks];
        double[] isotropy = new double[blocks];
        for (SelectionResult.LayerScore ls : selection.layers()) {
            score0[ls.layer() - 1] = ls.score0();
            isotropy[ls.layer() - 1] = ls.isotropy();
        }
        Map<String, Integer> splitSizes = new LinkedHashMap<>();
        splitSizes.put("train", nTrain);
        splitSizes.put("validation", nVal);
        splitSizes.put("test", nTest);
        Map<String, Object> prov = new LinkedHashMap<>(LibraryInfo.environment());
        prov.put("layerNumbering", "hidden-state index: 0 = embedding output (not a candidate), k = output of "
                + "transformer block k, which the paper calls layer k - 1");
        prov.put("command", "loes " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("package", StateOfTheUnion.PACKAGE.spec());
        data.put("sha256", StateOfTheUnion.PACKAGE.sha256());
        data.put("addresses", speeches.size());
        data.put("addressesPerEra", EraTask.speechesPerEra(speeches, EraTask.ERAS));
        data.put("wordsPerPassage", s.words());
        data.put("addressesTrainValidationTest", split.trainSpeeches().size() + " / " + split.validationSpeeches().size()
                + " / " + split.testSpeeches().size());
        prov.put("data", data);
        modelInfo.put("pooling", pool.id());
        modelInfo.put("maxLength", s.maxLength());
        modelInfo.put("tokens", plannedTokens);
        modelInfo.put("truncatedPassages", truncated);
        modelInfo.put("layerNumbering", "hidden-state index k = output of transformer block k (the paper's layer "
                + "k - 1); the embedding output (index 0) is not a candidate");
        prov.put("encoder", modelInfo);
        Map<String, Object> seeds = new LinkedHashMap<>();
        seeds.put("speechSplit", seed);
        seeds.put("calibrationSplitAndTraining", runSeeds);
        prov.put("seeds", seeds);
        prov.put("loes", loesOptions.asMap());
        prov.put("loesStepScores", selection.stepScores());
        if (runSeeds.length > 1) {
            Map<String, Object> bySeed = new LinkedHashMap<>();
            for (int r = 0; r < runSeeds.length; r++) {
                bySeed.put(Long.toString(runSeeds[r]), selections.get(r).selected());
            }
            prov.put("loesSelectionBySeed", bySeed);
        }
        prov.put("training", config.toMap());
        prov.put("trainingRuns", trainingInfo);
        Map<String, Object> probeInfo = new LinkedHashMap<>();
        probeInfo.put("lambdasTried", LayerProbes.LAMBDAS);
        probeInfo.put("lambdaChosenPerLayer", probeLambda);
        probeInfo.put("validationAccuracyPerLayer", probeValidationAcc);
        probeInfo.put("bestLayerOnValidation", bestLayer);
        prov.put("singleLayerRidgeProbe", probeInfo);
        prov.put("timings", timings);
        String title = "loes4j demo: which layers of " + s.model() + " know the era of a State of the Union passage";
        String taskText = String.format(Locale.ROOT, "Each passage is %d consecutive words of a US State of the Union "
                + "address; the label is the era it was delivered in. Addresses are split into train, validation and "
                + "test (seed %d), so no address appears on two sides. %s pooling, max length %d tokens. LOES-%d "
                + "selects layers on a %.0f%% calibration split of the training passages; each method trains "
                + "adapters and a probe with the paper's text preset (best epoch on validation) and is scored on test.",
                s.words(), seed, pool == Pooling.CLS ? "CLS" : "Mean", s.maxLength(), s.k(),
                100 * loesOptions.calibrationFraction());
        DemoReport report = new DemoReport(title, taskText, classNames, layerNumbers, score0, isotropy, probeAcc,
                selected, results, splitSizes, StateOfTheUnion.ATTRIBUTION, prov, notes);
        timings.put("totalSeconds", seconds(start));
        Path index = ReportWriter.write(report, outDir);
        phase("report", "wrote " + index + " in " + ProgressText.duration(seconds(t)));

        out.println();
        out.print(report.table());
        out.println();
        out.printf(Locale.ROOT, "LOES-%d layers (selection order%s): %s; best single layer by ridge probe (on validation): %d%n", s.k(),
                runSeeds.length > 1 ? ", seed " + seed : "", Arrays.toString(selected), bestLayer);
        out.println("Report: " + index);
        out.println("Data: " + StateOfTheUnion.ATTRIBUTION);
        out.printf(Locale.ROOT, "Done in %s.%n", ProgressText.duration(seconds(start)));
        out.flush();
        return 0;
    }

    /** The configuration after applying --quick and the explicit options. */
    record Settings(int k, int maxPassages, int maxLength, int words, String model, Integer epochs, int seeds) {
    }

    Settings settings() {
        int kk = k != null ? k : 4;
        int mp = maxPassages != null ? maxPassages : quick ? QUICK_MAX_PASSAGES : DEFAULT_MAX_PASSAGES;
        int ml = maxLength != null ? maxLength : quick ? QUICK_MAX_LENGTH : DEFAULT_MAX_LENGTH;
        int w = words != null ? words : DEFAULT_WORDS;
        Integer ep = epochs != null ? epochs : Integer.valueOf(quick ? QUICK_EPOCHS : DEMO_EPOCHS);
        if (kk < 1) {
            throw new IllegalArgumentException("--k: " + kk + " must be >= 1");
        }
        if (ml < 8) {
            throw new IllegalArgumentException("--max-length: " + ml + " must be >= 8");
        }
        if (w < 5) {
            throw new IllegalArgumentException("--words: " + w + " must be >= 5");
        }
        if (ep != null && ep < 1) {
            throw new IllegalArgumentException("--epochs: " + ep + " must be >= 1");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch: " + batch + " must be >= 1");
        }
        EraTask.Sizes.forBudget(mp, EraTask.ERAS.size(), w);
        String m = model != null ? model : KnownModel.defaultModel().modelName();
        if (seedCount < 1 || seedCount > 100) {
            throw new IllegalArgumentException("--seeds: " + seedCount + " must be in [1, 100]");
        }
        return new Settings(kk, mp, ml, w, m, ep, seedCount);
    }

    /** The --vision configuration; the text demo's options that do not apply are refused. */
    VisionDemo.Settings visionSettings() {
        if (maxPassages != null || maxLength != null || words != null || model != null || geoReg || seedCount != 1
                || spec.commandLine().getParseResult().hasMatchedOption("--pooling")) {
            throw new IllegalArgumentException("--vision: --max-passages, --max-length, --words, --model, --pooling, "
                    + "--georeg and --seeds belong to the text demo");
        }
        int kk = k != null ? k : 3;
        int n = images != null ? images : quick ? VISION_QUICK_IMAGES : VISION_IMAGES;
        int size = imageSize != null ? imageSize : quick ? VISION_QUICK_SIZE : VISION_SIZE;
        int ep = epochs != null ? epochs : quick ? QUICK_EPOCHS : DEMO_EPOCHS;
        if (kk < 1) {
            throw new IllegalArgumentException("--k: " + kk + " must be >= 1");
        }
        int perClass = n / FashionMnist.CLASSES.size();
        int[] split = {perClass * 60 / 100, perClass * 15 / 100, 0};
        split[2] = perClass - split[0] - split[1];
        if (split[0] < 2 || split[1] < 1 || split[2] < 1) {
            throw new IllegalArgumentException("--images: " + n + " is too few; at least 70 (7 of each class)");
        }
        if (split[0] + split[1] > 6000 || split[2] > 1000) {
            throw new IllegalArgumentException("--images: " + n + " is too many; Fashion-MNIST has 6000 training and "
                    + "1000 test images of each class (at most 10000 with this 60/15/25 split)");
        }
        if (size < 32 || size > 512) {
            throw new IllegalArgumentException("--image-size: " + size + " must be in [32, 512]");
        }
        if (ep < 1) {
            throw new IllegalArgumentException("--epochs: " + ep + " must be >= 1");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch: " + batch + " must be >= 1");
        }
        return new VisionDemo.Settings(kk, split, size, ep, batch, seed, outDir,
                "loes " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
    }

    /** A method to train; {@code layers == null} means LOES's selection of each run's seed. */
    private record Method(String name, int[] layers, TrainingConfig config) {
    }

    /** A first guess before anything is measured: about 2,000 tokens/s for a 12-block, width-384 encoder. */
    private static double roughSeconds(int passages, int maxLength) {
        return passages * (double) maxLength / 2000.0 + REST_SECONDS_PER_1000_PASSAGES * passages / 1000.0 + 10;
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

    /**
     * Extraction progress on stderr. The rate is measured per batch (tokens of the batch over its wall time)
     * and smoothed; the estimate comes after the first batch and is revised once, after a few batches, when
     * the JIT compiler has warmed up and the rate moved by more than 30%; then a line every ~10%.
     */
    private final class ExtractProgress implements TextEncoder.Progress {
        /** Weight of the newest batch in the smoothed rate. */
        private static final double SMOOTHING = 0.3;
        private final long plannedTokens;
        private final int texts;
        private final long demoStart;
        private long lastNanos;
        private long lastTokens;
        private int batches;
        private double firstRate;
        private double rate;
        private int nextReportPercent = 10;

        ExtractProgress(long plannedTokens, int texts, long encodeStart, long demoStart) {
            this.plannedTokens = plannedTokens;
            this.texts = texts;
            this.lastNanos = encodeStart;
            this.demoStart = demoStart;
        }

        @Override
        public void update(int textsDone, int textsTotal, long tokensDone) {
            long now = System.nanoTime();
            double batchRate = (tokensDone - lastTokens) / Math.max((now - lastNanos) / 1e9, 1e-9);
            lastNanos = now;
            lastTokens = tokensDone;
            batches++;
            rate = batches == 1 ? batchRate : (1 - SMOOTHING) * rate + SMOOTHING * batchRate;
            double left = (plannedTokens - tokensDone) / rate;
            if (batches == 1 || (batches == REVISE_AFTER_BATCHES && Math.abs(rate / firstRate - 1) > REVISE_CHANGE)) {
                if (batches == 1) {
                    firstRate = rate;
                }
                double sinceStart = (now - demoStart) / 1e9;
                double rest = REST_SECONDS_PER_1000_PASSAGES * texts / 1000.0;
                phase("extract", String.format(Locale.ROOT, "%s: %.0f tokens/s; estimate: encoding %s more, whole demo "
                                + "about %s (selection, probes and training ~%s after encoding)",
                        batches == 1 ? "first batch" : "revised after " + batches + " batches (JIT warm-up)", rate,
                        ProgressText.duration(left), ProgressText.duration(sinceStart + left + rest),
                        ProgressText.duration(rest)));
                return;
            }
            int percent = (int) (100L * textsDone / textsTotal);
            if (percent >= nextReportPercent && textsDone < textsTotal) {
                nextReportPercent = (percent / 10 + 1) * 10;
                phase("extract", String.format(Locale.ROOT, "%3d%%  %d/%d passages, %.0f tokens/s, ETA %s", percent,
                        textsDone, textsTotal, rate, ProgressText.duration(left)));
            }
        }
    }
}
