package org.loes4j.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.LibraryInfo;
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
 * Regression targets are standardised with the training mean and (n - 1) standard deviation (the
 * normaliser saved with the model; predictions are mapped back). GeoReg needs class labels: a positive
 * GeoReg weight with regression targets is rejected.
 *
 * <p>Randomness: one master {@link SplittableRandom} from the seed, split in this order into the streams
 * for initialisation, shuffling, dropout and GeoReg triplets; same seed, same backend, same thread
 * count: the same model.
 */
public final class Trainer {
    private final TrainingConfig config;
    private final Map<String, Object> inputs;

    public Trainer(TrainingConfig config) {
        this(config, Map.of());
    }

    /**
     * @param inputs what the data came from (e.g. file names and SHA-256 digests), recorded under
     *               {@code provenance.inputs} of the saved model
     */
    public Trainer(TrainingConfig config, Map<String, ?> inputs) {
        if (config == null) {
            throw new IllegalArgumentException("config: null");
        }
        if (inputs == null) {
            throw new IllegalArgumentException("inputs: null");
        }
        this.config = config;
        this.inputs = new LinkedHashMap<>(inputs);
    }

    public TrainingConfig config() {
        return config;
    }

    /**
     * Trains a probe.
     *
     * @param train      training embeddings and targets
     * @param validation validation embeddings and targets (same task and, for classification, the same
     *                   label mapping), or null: the last epoch is then kept
     * @param layers     embedding layers to feed, in order (the selection order; all layers for the
     *                   learnable-weights baseline)
     * @param pooling    how the embeddings were pooled ({@code "cls"}, {@code "mean"}, ...), recorded only
     * @param listener   progress callback
     */
    public TrainingResult train(Embeddings train, Targets trainTargets, Embeddings validation, Targets validationTargets,
                                int[] layers, String pooling, ProgressListener listener) {
        checkInputs(train, trainTargets, validation, validationTargets, layers);
        Task task = trainTargets.task();
        int n = train.size();
        int d = train.dim();
        int outputs = task == Task.CLASSIFICATION ? trainTargets.classCount() : 1;

        SplittableRandom master = new SplittableRandom(config.seed());
        SplittableRandom initRng = master.split();
        SplittableRandom shuffleRng = master.split();
        SplittableRandom dropoutRng = master.split();
        SplittableRandom geoRng = master.split();

        ModelShape shape = new ModelShape(config.architecture(), layers.length, d, config.adapterDim(), outputs,
                config.dropout());
        ProbeNetwork net = ProbeNetwork.create(shape, initRng);
        List<Parameter> all = net.parameters();
        List<Parameter> main = new ArrayList<>();
        List<Parameter> layerWeights = new ArrayList<>();
        for (Parameter p : all) {
            (p.name().equals(LearnableWeightedSum.WEIGHTS) ? layerWeights : main).add(p);
        }
        List<Parameter> head = net.head().parameters();

        int[] classes = task == Task.CLASSIFICATION ? trainTargets.classes() : null;
        double mean = 0;
        double std = 1;
        double[] standardised = null;
        if (task == Task.REGRESSION) {
            double[] v = trainTargets.values();
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

        Map<String, Object> provenance = new LinkedHashMap<>(LibraryInfo.environment());
        provenance.put("seed", config.seed());
        provenance.put("randomStreams", "SplittableRandom(seed).split() x4: init, shuffle, dropout, geoReg");
        provenance.put("trainSamples", n);
        provenance.put("validationSamples", validation == null ? 0 : validation.size());
        provenance.put("inputs", inputs);

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
            full.add(DMatrix.zeros(config.batchSize(), d));
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
                    DMatrix h = full.get(k).view(0, 0, count, d);
                    train.gather(layers[k], order, from, count, h);
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
                Probe current = probe(net, layers, train.layers(), task, trainTargets, mean, std, pooling, provenance,
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
            result = Optional.of(probe(net, layers, train.layers(), task, trainTargets, mean, std, pooling, provenance,
                    summary));
        }
        return new TrainingResult(result, bestEpoch, List.copyOf(reports), Optional.ofNullable(failure), stoppedEarly,
                stepNanos / 1e9, geoNanos / 1e9, globalStep);
    }

    private Probe probe(ProbeNetwork net, int[] layers, int encoderLayers, Task task, Targets targets, double mean,
                        double std, String pooling, Map<String, Object> provenance, Map<String, Object> summary) {
        return new Probe(net, layers, encoderLayers, task,
                task == Task.CLASSIFICATION ? targets.names() : List.of(), mean, std, pooling, config.toMap(),
                provenance, summary);
    }

    private void checkInputs(Embeddings train, Targets trainTargets, Embeddings validation, Targets validationTargets,
                             int[] layers) {
        if (train == null || trainTargets == null) {
            throw new IllegalArgumentException("train: embeddings and targets are required");
        }
        if (train.size() != trainTargets.size()) {
            throw new IllegalArgumentException("trainTargets: " + trainTargets.size() + " targets for " + train.size()
                    + " samples");
        }
        if (train.size() == 0) {
            throw new IllegalArgumentException("train: no samples");
        }
        if (layers == null || layers.length == 0) {
            throw new IllegalArgumentException("layers: at least one layer is needed");
        }
        boolean[] seen = new boolean[train.layers()];
        for (int l : layers) {
            if (l < 0 || l >= train.layers()) {
                throw new IllegalArgumentException("layers: " + l + " is outside [0, " + train.layers()
                        + ") of the embeddings (" + Arrays.toString(layers) + ")");
            }
            if (seen[l]) {
                throw new IllegalArgumentException("layers: " + l + " appears twice in " + Arrays.toString(layers));
            }
            seen[l] = true;
        }
        if (trainTargets.task() == Task.CLASSIFICATION && trainTargets.classCount() < 2) {
            throw new IllegalArgumentException("trainTargets: only " + trainTargets.classCount()
                    + " class, classification needs at least 2");
        }
        if (validation != null) {
            if (validationTargets == null || validation.size() != validationTargets.size()) {
                throw new IllegalArgumentException("validationTargets: "
                        + (validationTargets == null ? "missing" : validationTargets.size() + " targets for "
                        + validation.size() + " samples"));
            }
            if (validation.layers() != train.layers() || validation.dim() != train.dim()) {
                throw new IllegalArgumentException("validation: " + validation.layers() + " layers of width "
                        + validation.dim() + ", training has " + train.layers() + " of width " + train.dim());
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
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
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
