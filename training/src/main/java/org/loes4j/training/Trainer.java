package org.loes4j.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Provenance;
import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.io.Json;
import org.loes4j.training.geo.GeoReg;
import org.loes4j.training.geo.GeoRegResult;
import org.loes4j.training.model.Architecture;
import org.loes4j.training.model.LearnableWeightedSum;
import org.loes4j.training.model.ModelShape;
import org.loes4j.training.model.ProbeNetwork;
import org.loes4j.training.nn.Loss;
import org.loes4j.training.nn.MeanSquaredError;
import org.loes4j.training.nn.Parameter;
import org.loes4j.training.nn.SoftmaxCrossEntropy;
import org.loes4j.training.optim.AdamW;
import org.loes4j.training.optim.CosineSchedule;
import org.loes4j.training.optim.GradientClipping;

/**
 * Trains adapters and probe on chosen layers (spec section 5):
 * <pre>
 *   for epoch in 1..E:
 *     for batch in seeded shuffle of the training set (batch size B, last batch smaller):
 *       logits = model(h_l1[batch], ..., h_lK[batch])          (dropout on)
 *       loss   = CE(logits, y) | MSE(logits, standardised y)  + GeoReg(F, y) if enabled
 *       stop if loss is not finite (the best checkpoint so far is kept)
 *       backward; clip the probe head's gradient norm (if set); AdamW with the cosine schedule
 *     validate (accuracy | RMSE); keep the parameters of the best epoch; early stopping if set
 * </pre>
 * The selected layers may differ in width: each adapter maps its own layer's width d_k to p.
 * Regression targets ({@link Labels#targetValues()}, one column) are standardised with the training mean and (n - 1) standard deviation (the
 * normaliser saved with the model; predictions are mapped back). GeoReg needs class labels: a positive
 * GeoReg weight with regression targets is rejected.
 *
 * <p>Randomness: one master {@link SplittableRandom} from the seed, split in this order into the streams
 * for initialisation, shuffling, dropout and GeoReg triplets; same seed, same backend, same thread
 * count: the same model.
 */
public final class Trainer {
    private final TrainingConfig config;
    private final Map<String, String> inputs;
    private final Map<String, String> inputMeta;

    public Trainer(TrainingConfig config) {
        this(config, Map.of());
    }

    /**
     * @param inputs what the data came from (e.g. file names and SHA-256 digests), recorded under
     *               {@code provenance.inputs} of the saved model; a value that is not a string is recorded
     *               as its JSON text; null means none
     */
    public Trainer(TrainingConfig config, Map<String, ?> inputs) {
        this(config, inputs, Map.of());
    }

    /**
     * @param inputMeta what the input embeddings are ({@code pooling}, {@code model}, {@code layerNumbering},
     *                  ...), saved with the model and read back by {@link Probe#inputMeta()}; null means none
     */
    public Trainer(TrainingConfig config, Map<String, ?> inputs, Map<String, String> inputMeta) {
        if (config == null) {
            throw new IllegalArgumentException("config: null");
        }
        this.config = config;
        this.inputs = new LinkedHashMap<>();
        if (inputs != null) {
            inputs.forEach((k, v) -> this.inputs.put(k, v instanceof String str ? str : Json.write(v)));
        }
        this.inputMeta = inputMeta == null ? Map.of() : new LinkedHashMap<>(inputMeta);
    }

    public TrainingConfig config() {
        return config;
    }

    /**
     * Trains a probe.
     *
     * @param train      training embeddings and labels (class labels, or one column of regression targets;
     *                   label-free is rejected)
     * @param validation validation embeddings and labels (same task, layers and widths and, for
     *                   classification, the same label coding), or null: the last epoch is then kept
     * @param layers     hidden-state indices ({@link LayeredEmbeddings#layerIndex}) of the layers to feed, in
     *                   order (the selection order; all layers for the learnable-weights baseline); the layers
     *                   may differ in width
     * @param pooling    how the embeddings were pooled ({@code "cls"}, {@code "mean"}, ...), recorded only;
     *                   null means {@code "unknown"}
     * @param listener   progress callback; null means none
     * @throws IllegalArgumentException naming the argument that is missing, inconsistent or out of range
     */
    public TrainingResult train(LayeredEmbeddings train, Labels trainTargets, LayeredEmbeddings validation,
                                Labels validationTargets, int[] layers, String pooling, ProgressListener listener) {
        return train(train, trainTargets, validation, validationTargets, layers, pooling, listener, -1);
    }

    /** As the public one; {@code encoderLayers} >= 0 overrides the L recorded in the probe (0: any). */
    TrainingResult train(LayeredEmbeddings train, Labels trainTargets, LayeredEmbeddings validation,
                         Labels validationTargets, int[] layers, String pooling, ProgressListener listener,
                         int encoderLayers) {
        int[] positions = checkInputs(train, trainTargets, validation, validationTargets, layers);
        if (listener == null) {
            listener = ProgressListener.NONE;
        }
        if (pooling == null) {
            pooling = "unknown";
        }
        int recordedLayers = encoderLayers >= 0 ? encoderLayers : train.layerCount();
        layers = layers.clone();
        Task task = trainTargets.task();
        int n = train.rows();
        int[] widths = new int[positions.length];
        for (int k = 0; k < widths.length; k++) {
            widths[k] = train.width(positions[k]);
        }
        int outputs = task == Task.CLASSIFICATION ? trainTargets.classCount() : 1;

        SplittableRandom master = new SplittableRandom(config.seed());
        SplittableRandom initRng = master.split();
        SplittableRandom shuffleRng = master.split();
        SplittableRandom dropoutRng = master.split();
        SplittableRandom geoRng = master.split();

        ModelShape shape = new ModelShape(config.architecture(), widths, config.adapterDim(), outputs, config.dropout());
        ProbeNetwork net = ProbeNetwork.create(shape, initRng);
        List<Parameter> all = net.parameters();
        List<Parameter> main = new ArrayList<>();
        List<Parameter> layerWeights = new ArrayList<>();
        for (Parameter p : all) {
            (p.name().equals(LearnableWeightedSum.WEIGHTS) ? layerWeights : main).add(p);
        }
        List<Parameter> head = net.head().parameters();

        int[] classes = task == Task.CLASSIFICATION ? trainTargets.codes() : null;
        double mean = 0;
        double std = 1;
        double[] standardised = null;
        if (task == Task.REGRESSION) {
            double[] v = trainTargets.targetValues();
            for (double x : v) {
                mean += x / v.length;
            }
            double ss = 0;
            for (double x : v) {
                ss += (x - mean) * (x - mean);
            }
            std = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 1.0;
            if (std == 0) {
                std = 1;
            }
            standardised = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                standardised[i] = (v[i] - mean) / std;
            }
        }

        int stepsPerEpoch = (n + config.batchSize() - 1) / config.batchSize();
        long totalSteps = (long) stepsPerEpoch * config.epochs();
        int warmup = (int) Math.floor(config.warmupFraction() * totalSteps);
        CosineSchedule schedule = new CosineSchedule(warmup, Math.toIntExact(totalSteps), config.learningRateFloor());
        AdamW adam = new AdamW();
        GeoReg geo = new GeoReg(config.geoRegWeight());

        Provenance.Builder provenanceBuilder = Provenance.builder("train", null)
                .seed(config.seed())
                .hyperParameters(config.toMap())
                .detail("randomStreams", "SplittableRandom(seed).split() x4: init, shuffle, dropout, geoReg")
                .detail("trainSamples", n)
                .detail("validationSamples", validation == null ? 0 : validation.rows())
                .inputs(inputs);
        Provenance provenance = provenanceBuilder.build();

        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        List<EpochReport> reports = new ArrayList<>();
        double[][] best = null;
        int bestEpoch = 0;
        double bestMetric = Double.NaN;
        int sinceBest = 0;
        boolean stoppedEarly = false;
        NonFiniteLoss failure = null;
        long globalStep = 0;
        long start = System.nanoTime();
        long stepNanos = 0;
        long geoNanos = 0;
        List<DMatrix> full = new ArrayList<>();
        for (int k = 0; k < layers.length; k++) {
            full.add(DMatrix.zeros(config.batchSize(), widths[k]));
        }

        epochs:
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            shuffle(order, shuffleRng);
            double lossSum = 0;
            double geoSum = 0;
            for (int s = 0; s < stepsPerEpoch; s++) {
                int from = s * config.batchSize();
                int count = Math.min(config.batchSize(), n - from);
                List<DMatrix> batch = new ArrayList<>(layers.length);
                for (int k = 0; k < layers.length; k++) {
                    DMatrix h = full.get(k).view(0, 0, count, widths[k]);
                    train.gather(positions[k], order, from, count, h);
                    batch.add(h);
                }
                long t0 = System.nanoTime();
                net.zeroGrad();
                DMatrix out = net.forward(batch, dropoutRng);
                Loss loss;
                int[] yb = null;
                if (task == Task.CLASSIFICATION) {
                    yb = new int[count];
                    for (int i = 0; i < count; i++) {
                        yb[i] = classes[order[from + i]];
                    }
                    loss = SoftmaxCrossEntropy.of(out, yb);
                } else {
                    DMatrix t = DMatrix.zeros(count, 1);
                    for (int i = 0; i < count; i++) {
                        t.set(i, 0, standardised[order[from + i]]);
                    }
                    loss = MeanSquaredError.of(out, t);
                }
                double total = loss.value();
                DMatrix dFused = null;
                if (geo.weight() > 0) {
                    long g0 = System.nanoTime();
                    GeoRegResult g = geo.evaluate(net.fused(), yb, geoRng);
                    geoNanos += System.nanoTime() - g0;
                    if (g.active()) {
                        total += g.value();
                        geoSum += g.value();
                        dFused = g.gradient();
                    }
                }
                if (!Double.isFinite(total)) {
                    failure = new NonFiniteLoss(epoch, s + 1, total);
                    stepNanos += System.nanoTime() - t0;
                    break epochs;
                }
                net.backward(loss.gradient(), dFused);
                if (config.clipNorm() > 0) {
                    GradientClipping.clip(head, config.clipNorm());
                }
                adam.step(main, schedule.learningRate(config.learningRate(), globalStep), config.weightDecay());
                if (!layerWeights.isEmpty()) {
                    adam.step(layerWeights, schedule.learningRate(config.layerWeightsLearningRate(), globalStep),
                            config.weightDecay());
                }
                stepNanos += System.nanoTime() - t0;
                globalStep++;
                lossSum += total;
                listener.onStep(new ProgressListener.StepProgress(epoch, config.epochs(), s + 1, stepsPerEpoch,
                        globalStep, totalSteps, total, schedule.learningRate(config.learningRate(), globalStep - 1),
                        (System.nanoTime() - start) / 1e9));
            }
            double metric = Double.NaN;
            String metricName = task == Task.CLASSIFICATION ? "accuracy" : "rmse";
            boolean isBest;
            if (validation != null) {
                Probe current = probe(net, layers, recordedLayers, task, trainTargets, mean, std, pooling, provenance,
                        Map.of());
                metric = task == Task.CLASSIFICATION
                        ? current.evaluateClassification(validation, validationTargets).accuracy()
                        : current.evaluateRegression(validation, validationTargets).rmse();
                isBest = best == null || (task == Task.CLASSIFICATION ? metric > bestMetric : metric < bestMetric);
            } else {
                isBest = true;
            }
            if (isBest) {
                best = snapshot(all);
                bestEpoch = epoch;
                bestMetric = metric;
                sinceBest = 0;
            } else {
                sinceBest++;
            }
            EpochReport r = new EpochReport(epoch, lossSum / stepsPerEpoch, geoSum / stepsPerEpoch, metric, metricName,
                    isBest, (System.nanoTime() - epochStart) / 1e9);
            reports.add(r);
            listener.onEpoch(r);
            if (config.patience() > 0 && sinceBest >= config.patience() && epoch < config.epochs()) {
                stoppedEarly = true;
                break;
            }
        }

        Optional<Probe> result = Optional.empty();
        if (best != null) {
            restore(all, best);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("bestEpoch", bestEpoch);
            summary.put("validationMetric", task == Task.CLASSIFICATION ? "accuracy" : "rmse");
            summary.put("validationValue", Double.isFinite(bestMetric) ? bestMetric : null);
            summary.put("epochsRun", reports.size());
            summary.put("stoppedEarly", stoppedEarly);
            summary.put("nonFiniteLoss", failure == null ? null : failure.message());
            provenance = provenanceBuilder.timingSince("train", start).build();
            result = Optional.of(probe(net, layers, recordedLayers, task, trainTargets, mean, std, pooling, provenance,
                    summary));
        }
        return new TrainingResult(result, bestEpoch, List.copyOf(reports), Optional.ofNullable(failure), stoppedEarly,
                stepNanos / 1e9, geoNanos / 1e9, globalStep);
    }

    private Probe probe(ProbeNetwork net, int[] layers, int encoderLayers, Task task, Labels targets, double mean,
                        double std, String pooling, Provenance provenance, Map<String, Object> summary) {
        return new Probe(net, layers, encoderLayers, task,
                task == Task.CLASSIFICATION ? targets.names() : List.of(), mean, std, pooling, config.toMap(),
                provenance, summary, inputMeta);
    }

    /** Checks the arguments of {@link #train}; returns the positions of {@code layers} in {@code train}. */
    private int[] checkInputs(LayeredEmbeddings train, Labels trainTargets, LayeredEmbeddings validation,
                              Labels validationTargets, int[] layers) {
        if (train == null) {
            throw new IllegalArgumentException("train: null embeddings");
        }
        if (trainTargets == null) {
            throw new IllegalArgumentException("trainTargets: null; a probe needs class labels or regression targets"
                    + " (" + Task.LABEL_FREE.cliName() + " is for layer selection only)");
        }
        checkTask("trainTargets", trainTargets);
        if (train.rows() != trainTargets.size()) {
            throw new IllegalArgumentException("trainTargets: " + trainTargets.size() + " targets for " + train.rows()
                    + " samples");
        }
        if (train.rows() == 0) {
            throw new IllegalArgumentException("train: no samples");
        }
        if (layers == null || layers.length == 0) {
            throw new IllegalArgumentException("layers: at least one layer is needed");
        }
        int[] positions = new int[layers.length];
        for (int k = 0; k < layers.length; k++) {
            positions[k] = train.positionOf(layers[k]);
            if (positions[k] < 0) {
                throw new IllegalArgumentException("layers: " + layers[k] + " is not among the hidden states "
                        + describeIndices(train) + " of the embeddings (" + Arrays.toString(layers) + ")");
            }
            for (int j = 0; j < k; j++) {
                if (layers[j] == layers[k]) {
                    throw new IllegalArgumentException("layers: " + layers[k] + " appears twice in "
                            + Arrays.toString(layers));
                }
            }
        }
        if (trainTargets.task() == Task.CLASSIFICATION && trainTargets.classCount() < 2) {
            throw new IllegalArgumentException("trainTargets: only " + trainTargets.classCount()
                    + " class, classification needs at least 2");
        }
        if (validation != null) {
            if (validationTargets == null || validation.rows() != validationTargets.size()) {
                throw new IllegalArgumentException("validationTargets: "
                        + (validationTargets == null ? "missing" : validationTargets.size() + " targets for "
                        + validation.rows() + " samples"));
            }
            checkTask("validationTargets", validationTargets);
            if (!Arrays.equals(validation.layerIndices(), train.layerIndices())
                    || !Arrays.equals(validation.widths(), train.widths())) {
                throw new IllegalArgumentException("validation: " + validation.describe() + ", training has "
                        + train.describe());
            }
            if (validationTargets.task() != trainTargets.task()) {
                throw new IllegalArgumentException("validationTargets: " + validationTargets.task() + ", training is "
                        + trainTargets.task());
            }
            if (trainTargets.task() == Task.CLASSIFICATION && !validationTargets.names().equals(trainTargets.names())) {
                throw new IllegalArgumentException("validationTargets: label mapping " + validationTargets.names()
                        + " differs from training's " + trainTargets.names());
            }
        }
        if (trainTargets.task() == Task.REGRESSION && config.geoRegWeight() > 0) {
            throw new IllegalArgumentException("geoRegWeight: " + config.geoRegWeight()
                    + ", but GeoReg needs class labels and the targets are for regression");
        }
        if (config.architecture() == Architecture.LEARNABLE_WEIGHTS && layers.length < 2) {
            throw new IllegalArgumentException("layers: the learnable-weights baseline needs at least 2 layers");
        }
        return positions;
    }

    static void checkTask(String name, Labels labels) {
        if (labels.task() != Task.CLASSIFICATION && labels.task() != Task.REGRESSION) {
            throw new IllegalArgumentException(name + ": task " + labels.task().cliName() + "; a probe needs class"
                    + " labels or regression targets (" + Task.LABEL_FREE.cliName() + " is for layer selection only)");
        }
        if (labels.task() == Task.REGRESSION && labels.columns() != 1) {
            throw new IllegalArgumentException(name + ": " + labels.columns() + " target columns; a regression probe"
                    + " predicts one");
        }
    }

    /** "[0, L)" when the hidden states are 0..L-1, else the list. */
    static String describeIndices(LayeredEmbeddings e) {
        int[] idx = e.layerIndices();
        for (int p = 0; p < idx.length; p++) {
            if (idx[p] != p) {
                return Arrays.toString(idx);
            }
        }
        return "[0, " + idx.length + ")";
    }

    static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static double[][] snapshot(List<Parameter> params) {
        double[][] s = new double[params.size()][];
        for (int i = 0; i < s.length; i++) {
            s[i] = params.get(i).value().data().clone();
        }
        return s;
    }

    private static void restore(List<Parameter> params, double[][] s) {
        for (int i = 0; i < s.length; i++) {
            System.arraycopy(s[i], 0, params.get(i).value().data(), 0, s[i].length);
        }
    }
}
