package org.loes4j.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Provenance;
import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.io.Json;
import org.loes4j.linalg.regression.Standardiser;
import org.loes4j.linalg.io.Safetensors;
import org.loes4j.training.metrics.ClassificationMetrics;
import org.loes4j.training.metrics.RegressionMetrics;
import org.loes4j.training.model.Architecture;
import org.loes4j.training.model.ModelShape;
import org.loes4j.training.model.ProbeModel;
import org.loes4j.training.model.ProbeNetwork;
import org.loes4j.training.model.RidgeModel;
import org.loes4j.training.nn.LayerNorm;
import org.loes4j.training.nn.Parameter;
import org.loes4j.training.nn.SoftmaxCrossEntropy;

/**
 * A trained head on selected layers of an encoder, self-describing when saved: one safetensors file
 * whose tensors are the parameters (float64, PyTorch-style names such as {@code adapters.0.linear.weight})
 * and whose {@code __metadata__} holds the {@code probeType}, the architecture (with the width of every
 * selected layer), the selected layers (hidden-state indices), pooling, the label mapping, the target
 * normaliser, the hyper-parameters, the provenance and what the input embeddings were ({@link #inputMeta()}).
 *
 * <p>Two kinds of model ({@link #type()}): the paper's adapter network ({@link ProbeType#ADAPTER}, trained by
 * {@link Trainer}; its class scores are softmax probabilities) and the closed-form ridge
 * ({@link ProbeType#RIDGE}, fitted by {@link RidgeTrainer}; tensors {@code standardiser.mean},
 * {@code standardiser.scale}, {@code ridge.weight} (C x D), {@code ridge.bias}; its class scores are one-hot
 * least-squares scores, not probabilities). Both predict, evaluate, save and load through this class; a file
 * without {@code probeType} (written before the ridge existed) is an adapter probe.
 *
 * <p>The probe reads its layers by hidden-state index, so it takes the full output of an extraction:
 * <pre>{@code
 * try (LayeredEmbeddings train = LayeredEmbeddings.open(Path.of("train.npy"));
 *      LayeredEmbeddings test = LayeredEmbeddings.open(Path.of("test.npy"))) {
 *     Labels y = Labels.read(Path.of("train-labels.txt"), Task.CLASSIFICATION);
 *     Probe probe = Probe.builder().layers(7, 3, 9).epochs(10).fit(train, y);   // text preset otherwise
 *     Probe ridge = Probe.builder().type(ProbeType.RIDGE).layers(7, 3, 9).fit(train, y);
 *     List<String> predicted = probe.predict(test).labels();
 *     DMatrix p = probe.predictProba(test);                                   // N x C, columns as classes()
 *     probe.save(Path.of("model.safetensors"));
 *     Probe again = Probe.load(Path.of("model.safetensors"));
 * }
 * }</pre>
 * An instance predicts one batch at a time (its layers keep the last forward pass): share it between
 * threads only with external synchronisation, or load one per thread.
 */
public final class Probe {
    /** Value of the {@code format} metadata entry. */
    public static final String FORMAT = "loes4j-probe/1";
    /** The layer numbering of {@link #layers()}, as recorded in {@link #inputMeta()} under {@code layerNumbering}. */
    public static final String LAYER_NUMBERING = "hidden-state index, 0 = embedding output";
    private static final int PREDICT_CHUNK = 1024;

    private final ProbeModel model;
    private final int[] layers;
    private final int encoderLayers;
    private final Task task;
    private final List<String> labelNames;
    private final double targetMean;
    private final double targetStd;
    private final String pooling;
    private final Map<String, Object> hyperParameters;
    private final Provenance provenance;
    private final Map<String, Object> training;
    private final Map<String, String> inputMeta;

    Probe(ProbeModel model, int[] layers, int encoderLayers, Task task, List<String> labelNames, double targetMean,
          double targetStd, String pooling, Map<String, Object> hyperParameters, Provenance provenance,
          Map<String, Object> training, Map<String, String> inputMeta) {
        this.model = model;
        this.layers = layers.clone();
        this.encoderLayers = encoderLayers;
        this.task = task;
        this.labelNames = List.copyOf(labelNames);
        this.targetMean = targetMean;
        this.targetStd = targetStd;
        this.pooling = pooling;
        this.hyperParameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperParameters));
        this.provenance = provenance;
        this.training = Collections.unmodifiableMap(new LinkedHashMap<>(training));
        this.inputMeta = Collections.unmodifiableMap(new LinkedHashMap<>(inputMeta));
    }

    /** A builder for fitting a probe, starting from the paper's text preset ({@link TrainingConfig#text()}). */
    public static ProbeBuilder builder() {
        return new ProbeBuilder();
    }

    public Task task() {
        return task;
    }

    /** Adapter network or closed-form ridge. */
    public ProbeType type() {
        return model instanceof RidgeModel ? ProbeType.RIDGE : ProbeType.ADAPTER;
    }

    /** The model: a {@link ProbeNetwork} or a {@link RidgeModel}. */
    public ProbeModel model() {
        return model;
    }

    /** Hidden-state indices of the layers fed to the model, in order (the selection order). */
    public int[] layers() {
        return layers.clone();
    }

    /**
     * L of the embeddings the model was trained on, or 0 when it was fitted on a layer subset and reads any
     * embeddings that hold its {@link #layers()}.
     */
    public int encoderLayers() {
        return encoderLayers;
    }

    /**
     * d, the common width of the selected layers.
     *
     * @throws IllegalStateException when they differ in width (see {@link #inputWidths()})
     */
    public int inputDim() {
        int[] w = model.inputWidths();
        for (int v : w) {
            if (v != w[0]) {
                throw new IllegalStateException("inputDim: the selected layers differ in width " + Arrays.toString(w)
                        + "; see inputWidths()");
            }
        }
        return w[0];
    }

    /** d_k, the width of each selected layer, in the order of {@link #layers()}. */
    public int[] inputWidths() {
        return model.inputWidths();
    }

    /** Label names by class index (empty for regression). */
    public List<String> labelNames() {
        return labelNames;
    }

    /** The class labels, in the column order of {@link #predictProba} (empty for regression). */
    public List<String> classes() {
        return labelNames;
    }

    /**
     * What the input embeddings were, as given when training ({@code pooling}, {@code model},
     * {@code layerNumbering}, ...); empty for models saved without it.
     */
    public Map<String, String> inputMeta() {
        return inputMeta;
    }

    public String pooling() {
        return pooling;
    }

    /**
     * The adapter network's fusion.
     *
     * @throws IllegalStateException for a ridge probe (it has no network)
     */
    public Architecture architecture() {
        return network().shape().architecture();
    }

    public Map<String, Object> hyperParameters() {
        return hyperParameters;
    }

    public Provenance provenance() {
        return provenance;
    }

    /**
     * How training went: best epoch, validation metric and how training ended (adapter); the chosen lambda, its
     * CV score and the score of every lambda (ridge).
     */
    public Map<String, Object> training() {
        return training;
    }

    /**
     * The adapter network (its parameters are live: modifying them changes this probe).
     *
     * @throws IllegalStateException for a ridge probe ({@link #model()} is then its {@link RidgeModel})
     */
    public ProbeNetwork network() {
        if (model instanceof ProbeNetwork n) {
            return n;
        }
        throw new IllegalStateException("network: a ridge probe has no network; model() is its RidgeModel");
    }

    /**
     * Checks that {@code e} holds this model's layers (by hidden-state index) with the widths it was trained
     * on, and, unless it holds exactly those layers, as many layers as the embeddings it was trained on.
     *
     * @return the positions of {@link #layers()} in {@code e}
     * @throws IllegalArgumentException naming what differs
     */
    public int[] checkCompatible(LayeredEmbeddings e) {
        if (e == null) {
            throw new IllegalArgumentException("embeddings: null");
        }
        int[] widths = model.inputWidths();
        boolean exactlyMine = e.layerCount() == layers.length;
        for (int k = 0; exactlyMine && k < layers.length; k++) {
            exactlyMine = e.positionOf(layers[k]) >= 0;
        }
        if (!exactlyMine && encoderLayers > 0 && e.layerCount() != encoderLayers) {
            throw new IllegalArgumentException("embeddings: " + e.layerCount() + " layers (" + e.describe()
                    + "), the model was trained on " + encoderLayers + " layers and reads hidden states "
                    + Arrays.toString(layers) + " of widths " + Arrays.toString(widths));
        }
        int[] positions = new int[layers.length];
        for (int k = 0; k < layers.length; k++) {
            positions[k] = e.positionOf(layers[k]);
            if (positions[k] < 0) {
                throw new IllegalArgumentException("embeddings: hidden state " + layers[k] + " is not among "
                        + Arrays.toString(e.layerIndices()) + "; the model reads " + Arrays.toString(layers));
            }
            if (e.width(positions[k]) != widths[k]) {
                throw new IllegalArgumentException("embeddings: hidden state " + layers[k] + " has width "
                        + e.width(positions[k]) + ", the model was trained on width " + widths[k]);
            }
        }
        return positions;
    }

    /**
     * Predictions for every sample of {@code e} (evaluation mode: no dropout). {@code e} may hold more
     * layers than the probe reads: it picks its {@link #layers()} by hidden-state index. Class scores are
     * probabilities for the adapter probe and least-squares scores for the ridge
     * ({@link Predictions#probabilities()}); the predicted class is their argmax either way.
     */
    public Predictions predict(LayeredEmbeddings e) {
        int[] positions = checkCompatible(e);
        int[] widths = model.inputWidths();
        int n = e.rows();
        int c = model.outputs();
        boolean softmax = task == Task.CLASSIFICATION && model instanceof ProbeNetwork;
        DMatrix scores = DMatrix.zeros(n, c);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int from = 0; from < n; from += PREDICT_CHUNK) {
            int count = Math.min(PREDICT_CHUNK, n - from);
            List<DMatrix> batch = new ArrayList<>();
            for (int k = 0; k < positions.length; k++) {
                DMatrix h = DMatrix.zeros(count, widths[k]);
                e.gather(positions[k], order, from, count, h);
                batch.add(h);
            }
            DMatrix out = model.evaluate(batch);
            if (softmax) {
                out = SoftmaxCrossEntropy.softmax(out);
            }
            scores.view(from, 0, count, c).copyFrom(out);
        }
        if (task == Task.REGRESSION) {
            double[] s = scores.data();
            for (int i = 0; i < s.length; i++) {
                s[i] = s[i] * targetStd + targetMean;
            }
            return new Predictions(task, new int[0], List.of(), scores);
        }
        int[] cls = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < c; j++) {
                if (scores.get(i, j) > scores.get(i, best)) {
                    best = j;
                }
            }
            cls[i] = best;
        }
        return new Predictions(task, cls, labelNames, scores, softmax);
    }

    /**
     * Class probabilities, N x C, columns in the order of {@link #classes()}.
     *
     * @throws IllegalStateException for a regression probe, and for a ridge probe (its least-squares scores are
     *         not probabilities: {@code predict(e).scores()} holds them)
     */
    public DMatrix predictProba(LayeredEmbeddings e) {
        if (task != Task.CLASSIFICATION) {
            throw new IllegalStateException("predictProba: a " + task + " probe has no class probabilities");
        }
        if (type() == ProbeType.RIDGE) {
            throw new IllegalStateException("predictProba: a ridge probe's class scores are least-squares scores, "
                    + "not probabilities; predict(e).scores() holds them");
        }
        return predict(e).scores();
    }

    /** Accuracy, macro-F1 and confusion matrix of {@link #predict} against {@code truth}. */
    public ClassificationMetrics evaluateClassification(LayeredEmbeddings e, Labels truth) {
        if (truth == null) {
            throw new IllegalArgumentException("truth: null");
        }
        if (task != Task.CLASSIFICATION || truth.task() != Task.CLASSIFICATION) {
            throw new IllegalArgumentException("truth: " + truth.task() + " targets for a " + task + " model");
        }
        if (!truth.names().equals(labelNames)) {
            throw new IllegalArgumentException("truth: label mapping " + truth.names() + " differs from the model's "
                    + labelNames);
        }
        checkRows(e, truth);
        return ClassificationMetrics.of(truth.codes(), predict(e).classes(), labelNames.size());
    }

    /** RMSE, MAE and R^2 of {@link #predict} against {@code truth}. */
    public RegressionMetrics evaluateRegression(LayeredEmbeddings e, Labels truth) {
        if (truth == null) {
            throw new IllegalArgumentException("truth: null");
        }
        if (task != Task.REGRESSION || truth.task() != Task.REGRESSION) {
            throw new IllegalArgumentException("truth: " + truth.task() + " targets for a " + task + " model");
        }
        checkRows(e, truth);
        return RegressionMetrics.of(truth.targetValues(), predict(e).values());
    }

    private static void checkRows(LayeredEmbeddings e, Labels truth) {
        if (e == null) {
            throw new IllegalArgumentException("embeddings: null");
        }
        if (e.rows() != truth.size()) {
            throw new IllegalArgumentException("truth: " + truth.size() + " targets for " + e.rows() + " samples");
        }
    }

    // ---------------------------------------------------------------- file format

    /** Writes the model atomically (no partial file on failure). */
    public void save(Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file: null");
        }
        Map<String, Object> normaliser = new LinkedHashMap<>();
        if (task == Task.REGRESSION) {
            normaliser.put("targetMean", targetMean);
            normaliser.put("targetStd", targetStd);
        }
        Safetensors.Writer w = Safetensors.writer()
                .metadata("format", FORMAT)
                .metadata("probeType", type().cliName())
                .metadata("task", task.name().toLowerCase(Locale.ROOT));
        switch (model) {
            case ProbeNetwork network -> {
                ModelShape s = network.shape();
                Map<String, Object> arch = new LinkedHashMap<>();
                arch.put("fusion", s.architecture().id());
                arch.put("inputs", s.inputs());
                if (s.uniformWidth()) {
                    arch.put("inputDim", s.inputDim());
                }
                arch.put("inputWidths", s.inputWidths());
                arch.put("adapterDim", s.adapterDim());
                arch.put("outputs", s.outputs());
                arch.put("dropout", s.dropout());
                arch.put("layerNormEps", LayerNorm.DEFAULT_EPS);
                arch.put("activation", "gelu-erf");
                w.metadata("architecture", Json.write(arch));
            }
            case RidgeModel ridge -> {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("inputs", ridge.inputWidths().length);
                r.put("inputWidths", ridge.inputWidths());
                r.put("width", ridge.width());
                r.put("outputs", ridge.outputs());
                r.put("lambda", ridge.lambda());
                r.put("model", "P = ((X - mean) * scale) weightT + bias, X the selected layers side by side");
                w.metadata("ridge", Json.write(r));
            }
        }
        w.metadata("selectedLayers", Json.write(layers))
                .metadata("encoderLayers", Integer.toString(encoderLayers))
                .metadata("pooling", pooling)
                .metadata("labels", Json.write(labelNames))
                .metadata("normaliser", Json.write(normaliser))
                .metadata("hyperParameters", Json.write(hyperParameters))
                .metadata("provenance", Json.write(provenance.toMap()))
                .metadata("training", Json.write(training))
                .metadata("input", Json.write(inputMeta));
        switch (model) {
            case ProbeNetwork network -> {
                for (Parameter p : network.parameters()) {
                    DMatrix v = p.value();
                    long[] shape = v.rows() == 1 ? new long[] {v.cols()} : new long[] {v.rows(), v.cols()};
                    w.add(p.name(), shape, v.data());
                }
            }
            case RidgeModel ridge -> {
                DMatrix weight = ridge.weight();
                w.add(RidgeModel.MEAN, new long[] {ridge.width()}, ridge.standardiser().mean());
                w.add(RidgeModel.SCALE, new long[] {ridge.width()}, ridge.standardiser().scale());
                w.add(RidgeModel.WEIGHT, new long[] {weight.rows(), weight.cols()}, weight.data());
                w.add(RidgeModel.BIAS, new long[] {ridge.outputs()}, ridge.bias());
            }
        }
        w.write(file);
    }

    /**
     * Reads a model written by {@link #save} (also by earlier versions, whose metadata lacks the probe type, the
     * layer widths and the input description: those are adapter probes).
     *
     * @throws IllegalArgumentException naming the file when it is not such a model
     */
    public static Probe load(Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file: null");
        }
        try (Safetensors st = Safetensors.open(file)) {
            Map<String, String> meta = st.metadata();
            if (!FORMAT.equals(meta.get("format"))) {
                throw new IllegalArgumentException(file + ": not a loes4j probe (format '" + meta.get("format")
                        + "', expected '" + FORMAT + "')");
            }
            try {
                ProbeType type = ProbeType.parse(meta.getOrDefault("probeType", ProbeType.ADAPTER.cliName()));
                ProbeModel model = type == ProbeType.RIDGE ? loadRidge(file, st, meta) : loadNetwork(file, st, meta);
                Task task = Task.valueOf(required(file, meta, "task").toUpperCase(Locale.ROOT));
                List<Object> sel = asList(Json.parse(required(file, meta, "selectedLayers")));
                int[] layers = new int[sel.size()];
                for (int i = 0; i < layers.length; i++) {
                    layers[i] = intOf(sel.get(i));
                }
                if (layers.length != model.inputWidths().length) {
                    throw new IllegalArgumentException(file + ": " + layers.length + " selected layers for a model of "
                            + model.inputWidths().length + " inputs");
                }
                List<String> labels = new ArrayList<>();
                for (Object o : asList(Json.parse(required(file, meta, "labels")))) {
                    labels.add((String) o);
                }
                if (task == Task.CLASSIFICATION && labels.size() != model.outputs()) {
                    throw new IllegalArgumentException(file + ": " + labels.size() + " labels for a model of "
                            + model.outputs() + " outputs");
                }
                Map<String, Object> norm = Json.parseObject(required(file, meta, "normaliser"));
                double mean = norm.containsKey("targetMean") ? ((Number) norm.get("targetMean")).doubleValue() : 0.0;
                double std = norm.containsKey("targetStd") ? ((Number) norm.get("targetStd")).doubleValue() : 1.0;
                int encoderLayers = Integer.parseInt(required(file, meta, "encoderLayers"));
                Map<String, String> input = new LinkedHashMap<>();
                if (meta.containsKey("input")) {
                    Json.parseObject(meta.get("input")).forEach((k, v) -> input.put(k, String.valueOf(v)));
                }
                return new Probe(model, layers, encoderLayers, task, labels, mean, std, required(file, meta, "pooling"),
                        Json.parseObject(required(file, meta, "hyperParameters")),
                        Provenance.fromMap(Json.parseObject(required(file, meta, "provenance"))),
                        Json.parseObject(required(file, meta, "training")), input);
            } catch (ClassCastException | NullPointerException | NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException(file + ": malformed probe metadata (" + e + ")", e);
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
                    throw e;
                }
                throw new IllegalArgumentException(file + ": malformed probe metadata (" + e.getMessage() + ")", e);
            }
        }
    }

    private static ProbeNetwork loadNetwork(Path file, Safetensors st, Map<String, String> meta) {
        Map<String, Object> arch = Json.parseObject(required(file, meta, "architecture"));
        Architecture fusion = Architecture.of((String) arch.get("fusion"));
        // The header is untrusted: nothing is allocated from its numbers before they are checked against
        // the tensors the file holds (every input has at least one parameter in every architecture).
        long stored = storedValues(st);
        int inputs = intOf(arch.get("inputs"));
        if (inputs < 1 || inputs > stored) {
            throw new IllegalArgumentException(file + ": architecture declares " + inputs + " inputs, the "
                    + "file holds " + stored + " parameter values in all");
        }
        int[] widths = new int[inputs];
        if (arch.containsKey("inputWidths")) {
            List<Object> w = asList(arch.get("inputWidths"));
            if (w.size() != inputs) {
                throw new IllegalArgumentException(file + ": architecture has " + inputs + " inputs and "
                        + w.size() + " input widths");
            }
            for (int k = 0; k < inputs; k++) {
                widths[k] = intOf(w.get(k));
            }
        } else {
            Arrays.fill(widths, intOf(arch.get("inputDim")));
        }
        ModelShape shape = new ModelShape(fusion, widths, intOf(arch.get("adapterDim")),
                intOf(arch.get("outputs")), ((Number) arch.get("dropout")).doubleValue());
        long needed = ProbeNetwork.parameterCount(shape);
        if (needed != stored) {
            throw new IllegalArgumentException(file + ": the architecture in its header ("
                    + Json.write(arch) + ") needs " + (needed == Long.MAX_VALUE ? "more than 2^63" : needed)
                    + " parameter values, the file holds " + stored);
        }
        ProbeNetwork net = ProbeNetwork.create(shape, new SplittableRandom(0));
        Set<String> expected = new HashSet<>();
        for (Parameter p : net.parameters()) {
            expected.add(p.name());
            double[] v = st.doubles(p.name());
            double[] dst = p.value().data();
            if (v.length != dst.length) {
                throw new IllegalArgumentException(file + ": tensor '" + p.name() + "' has " + v.length
                        + " elements, the architecture needs " + p.value().shape());
            }
            System.arraycopy(v, 0, dst, 0, v.length);
        }
        checkNoExtra(file, st, expected);
        return net;
    }

    private static RidgeModel loadRidge(Path file, Safetensors st, Map<String, String> meta) {
        Map<String, Object> r = Json.parseObject(required(file, meta, "ridge"));
        List<Object> w = asList(r.get("inputWidths"));
        int outputs = intOf(r.get("outputs"));
        long stored = storedValues(st);
        // Untrusted header: the widths and outputs must account for exactly the values the file holds
        // (2 D + C D + C) before anything is allocated from them.
        long width = 0;
        int[] widths = new int[w.size()];
        for (int k = 0; k < widths.length; k++) {
            widths[k] = intOf(w.get(k));
            if (widths[k] < 1) {
                throw new IllegalArgumentException(file + ": ridge input width " + widths[k]);
            }
            width += widths[k];
        }
        long needed;
        try {
            needed = outputs < 1 ? -1 : Math.addExact(Math.multiplyExact(width, 2L + outputs), outputs);
        } catch (ArithmeticException e) {
            needed = -1;
        }
        if (widths.length == 0 || needed != stored) {
            throw new IllegalArgumentException(file + ": the ridge in its header (" + Json.write(r) + ") needs "
                    + (needed < 0 ? "an impossible number of" : Long.toString(needed)) + " values, the file holds "
                    + stored);
        }
        int d = Math.toIntExact(width);
        double[] mean = tensor(file, st, RidgeModel.MEAN, d);
        double[] scale = tensor(file, st, RidgeModel.SCALE, d);
        double[] weight = tensor(file, st, RidgeModel.WEIGHT, (long) outputs * d);
        double[] bias = tensor(file, st, RidgeModel.BIAS, outputs);
        checkNoExtra(file, st, Set.of(RidgeModel.MEAN, RidgeModel.SCALE, RidgeModel.WEIGHT, RidgeModel.BIAS));
        return RidgeModel.of(widths, Standardiser.of(mean, scale), DMatrix.wrap(weight, outputs, d), bias,
                ((Number) r.get("lambda")).doubleValue());
    }

    private static double[] tensor(Path file, Safetensors st, String name, long elements) {
        if (!st.names().contains(name)) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "' is missing");
        }
        double[] v = st.doubles(name);
        if (v.length != elements) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "' has " + v.length + " elements, the "
                    + "ridge needs " + elements);
        }
        return v;
    }

    private static long storedValues(Safetensors st) {
        long stored = 0;
        for (String name : st.names()) {
            stored += st.info(name).elements();
        }
        return stored;
    }

    private static void checkNoExtra(Path file, Safetensors st, Set<String> expected) {
        Set<String> extra = new HashSet<>(st.names());
        extra.removeAll(expected);
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException(file + ": unexpected tensors " + extra);
        }
    }

    private static String required(Path file, Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) {
            throw new IllegalArgumentException(file + ": metadata entry '" + key + "' is missing");
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object o) {
        return (List<Object>) o;
    }

    private static int intOf(Object o) {
        return Math.toIntExact((Long) o);
    }

    @Override
    public String toString() {
        return "Probe[" + (model instanceof ProbeNetwork n ? n.shape().architecture().id() : "ridge") + ", layers "
                + Arrays.toString(layers) + ", " + task + "]";
    }
}
