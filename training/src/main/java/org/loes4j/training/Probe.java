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

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.io.Json;
import org.loes4j.linalg.io.Safetensors;
import org.loes4j.training.metrics.ClassificationMetrics;
import org.loes4j.training.metrics.RegressionMetrics;
import org.loes4j.training.model.Architecture;
import org.loes4j.training.model.ModelShape;
import org.loes4j.training.model.ProbeNetwork;
import org.loes4j.training.nn.LayerNorm;
import org.loes4j.training.nn.Parameter;
import org.loes4j.training.nn.SoftmaxCrossEntropy;

/**
 * A trained head on selected layers of an encoder, self-describing when saved: one safetensors file
 * whose tensors are the parameters (float64, PyTorch-style names such as {@code adapters.0.linear.weight})
 * and whose {@code __metadata__} holds the architecture, the selected layers, pooling, the label
 * mapping, the target normaliser, the hyper-parameters and the provenance.
 *
 * <pre>{@code
 * Probe probe = Probe.load(Path.of("model.safetensors"));
 * try (NpyArray a = Npy.map(Path.of("test.npy"))) {          // (N, L, d), memory-mapped
 *     Predictions p = probe.predict(Embeddings.of(a));
 *     String first = p.label(0);
 * }
 * }</pre>
 * An instance predicts one batch at a time (its layers keep the last forward pass): share it between
 * threads only with external synchronisation, or load one per thread.
 */
public final class Probe {
    /** Value of the {@code format} metadata entry. */
    public static final String FORMAT = "loes4j-probe/1";
    private static final int PREDICT_CHUNK = 1024;

    private final ProbeNetwork network;
    private final int[] layers;
    private final int encoderLayers;
    private final Task task;
    private final List<String> labelNames;
    private final double targetMean;
    private final double targetStd;
    private final String pooling;
    private final Map<String, Object> hyperParameters;
    private final Map<String, Object> provenance;
    private final Map<String, Object> training;

    Probe(ProbeNetwork network, int[] layers, int encoderLayers, Task task, List<String> labelNames, double targetMean,
          double targetStd, String pooling, Map<String, Object> hyperParameters, Map<String, Object> provenance,
          Map<String, Object> training) {
        this.network = network;
        this.layers = layers.clone();
        this.encoderLayers = encoderLayers;
        this.task = task;
        this.labelNames = List.copyOf(labelNames);
        this.targetMean = targetMean;
        this.targetStd = targetStd;
        this.pooling = pooling;
        this.hyperParameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperParameters));
        this.provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
        this.training = Collections.unmodifiableMap(new LinkedHashMap<>(training));
    }

    public Task task() {
        return task;
    }

    /** Embedding layers fed to the model, in order (the selection order). */
    public int[] layers() {
        return layers.clone();
    }

    /** L of the embeddings the model was trained on. */
    public int encoderLayers() {
        return encoderLayers;
    }

    /** d. */
    public int inputDim() {
        return network.shape().inputDim();
    }

    /** Label names by class index (empty for regression). */
    public List<String> labelNames() {
        return labelNames;
    }

    public String pooling() {
        return pooling;
    }

    public Architecture architecture() {
        return network.shape().architecture();
    }

    public Map<String, Object> hyperParameters() {
        return hyperParameters;
    }

    public Map<String, Object> provenance() {
        return provenance;
    }

    /** Best epoch, validation metric and how training ended. */
    public Map<String, Object> training() {
        return training;
    }

    /** The network (its parameters are live: modifying them changes this probe). */
    public ProbeNetwork network() {
        return network;
    }

    /** Checks that {@code e} has this model's L and d. */
    public void checkCompatible(Embeddings e) {
        if (e.layers() != encoderLayers || e.dim() != inputDim()) {
            throw new IllegalArgumentException("embeddings: " + e.layers() + " layers of width " + e.dim()
                    + ", the model was trained on " + encoderLayers + " layers of width " + inputDim());
        }
    }

    /** Predictions for every sample of {@code e} (evaluation mode: no dropout). */
    public Predictions predict(Embeddings e) {
        checkCompatible(e);
        int n = e.size();
        int c = network.shape().outputs();
        DMatrix scores = DMatrix.zeros(n, c);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int d = inputDim();
        for (int from = 0; from < n; from += PREDICT_CHUNK) {
            int count = Math.min(PREDICT_CHUNK, n - from);
            List<DMatrix> batch = new ArrayList<>();
            for (int layer : layers) {
                DMatrix h = DMatrix.zeros(count, d);
                e.gather(layer, order, from, count, h);
                batch.add(h);
            }
            DMatrix out = network.forward(batch, null);
            if (task == Task.CLASSIFICATION) {
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
        return new Predictions(task, cls, labelNames, scores);
    }

    /** Accuracy, macro-F1 and confusion matrix of {@link #predict} against {@code truth}. */
    public ClassificationMetrics evaluateClassification(Embeddings e, Targets truth) {
        if (task != Task.CLASSIFICATION || truth.task() != Task.CLASSIFICATION) {
            throw new IllegalArgumentException("truth: " + truth.task() + " targets for a " + task + " model");
        }
        if (!truth.names().equals(labelNames)) {
            throw new IllegalArgumentException("truth: label mapping " + truth.names() + " differs from the model's "
                    + labelNames);
        }
        checkRows(e, truth);
        return ClassificationMetrics.of(truth.classes(), predict(e).classes(), labelNames.size());
    }

    /** RMSE, MAE and R^2 of {@link #predict} against {@code truth}. */
    public RegressionMetrics evaluateRegression(Embeddings e, Targets truth) {
        if (task != Task.REGRESSION || truth.task() != Task.REGRESSION) {
            throw new IllegalArgumentException("truth: " + truth.task() + " targets for a " + task + " model");
        }
        checkRows(e, truth);
        return RegressionMetrics.of(truth.values(), predict(e).values());
    }

    private static void checkRows(Embeddings e, Targets truth) {
        if (e.size() != truth.size()) {
            throw new IllegalArgumentException("truth: " + truth.size() + " targets for " + e.size() + " samples");
        }
    }

    // ---------------------------------------------------------------- file format

    /** Writes the model atomically (no partial file on failure). */
    public void save(Path file) throws IOException {
        ModelShape s = network.shape();
        Map<String, Object> arch = new LinkedHashMap<>();
        arch.put("fusion", s.architecture().id());
        arch.put("inputs", s.inputs());
        arch.put("inputDim", s.inputDim());
        arch.put("adapterDim", s.adapterDim());
        arch.put("outputs", s.outputs());
        arch.put("dropout", s.dropout());
        arch.put("layerNormEps", LayerNorm.DEFAULT_EPS);
        arch.put("activation", "gelu-erf");
        Map<String, Object> normaliser = new LinkedHashMap<>();
        if (task == Task.REGRESSION) {
            normaliser.put("targetMean", targetMean);
            normaliser.put("targetStd", targetStd);
        }
        Safetensors.Writer w = Safetensors.writer()
                .metadata("format", FORMAT)
                .metadata("task", task.name().toLowerCase(Locale.ROOT))
                .metadata("architecture", Json.write(arch))
                .metadata("selectedLayers", Json.write(layers))
                .metadata("encoderLayers", Integer.toString(encoderLayers))
                .metadata("pooling", pooling)
                .metadata("labels", Json.write(labelNames))
                .metadata("normaliser", Json.write(normaliser))
                .metadata("hyperParameters", Json.write(hyperParameters))
                .metadata("provenance", Json.write(provenance))
                .metadata("training", Json.write(training));
        for (Parameter p : network.parameters()) {
            DMatrix v = p.value();
            long[] shape = v.rows() == 1 ? new long[] {v.cols()} : new long[] {v.rows(), v.cols()};
            w.add(p.name(), shape, v.data());
        }
        w.write(file);
    }

    /**
     * Reads a model written by {@link #save}.
     *
     * @throws IllegalArgumentException naming the file when it is not such a model
     */
    public static Probe load(Path file) throws IOException {
        try (Safetensors st = Safetensors.open(file)) {
            Map<String, String> meta = st.metadata();
            if (!FORMAT.equals(meta.get("format"))) {
                throw new IllegalArgumentException(file + ": not a loes4j probe (format '" + meta.get("format")
                        + "', expected '" + FORMAT + "')");
            }
            try {
                Map<String, Object> arch = Json.parseObject(required(file, meta, "architecture"));
                ModelShape shape = new ModelShape(Architecture.of((String) arch.get("fusion")),
                        intOf(arch.get("inputs")), intOf(arch.get("inputDim")), intOf(arch.get("adapterDim")),
                        intOf(arch.get("outputs")), ((Number) arch.get("dropout")).doubleValue());
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
                Set<String> extra = new HashSet<>(st.names());
                extra.removeAll(expected);
                if (!extra.isEmpty()) {
                    throw new IllegalArgumentException(file + ": unexpected tensors " + extra);
                }
                Task task = Task.valueOf(required(file, meta, "task").toUpperCase(Locale.ROOT));
                List<Object> sel = asList(Json.parse(required(file, meta, "selectedLayers")));
                int[] layers = new int[sel.size()];
                for (int i = 0; i < layers.length; i++) {
                    layers[i] = intOf(sel.get(i));
                }
                List<String> labels = new ArrayList<>();
                for (Object o : asList(Json.parse(required(file, meta, "labels")))) {
                    labels.add((String) o);
                }
                Map<String, Object> norm = Json.parseObject(required(file, meta, "normaliser"));
                double mean = norm.containsKey("targetMean") ? ((Number) norm.get("targetMean")).doubleValue() : 0.0;
                double std = norm.containsKey("targetStd") ? ((Number) norm.get("targetStd")).doubleValue() : 1.0;
                int encoderLayers = Integer.parseInt(required(file, meta, "encoderLayers"));
                return new Probe(net, layers, encoderLayers, task, labels, mean, std, required(file, meta, "pooling"),
                        Json.parseObject(required(file, meta, "hyperParameters")),
                        Json.parseObject(required(file, meta, "provenance")),
                        Json.parseObject(required(file, meta, "training")));
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
        return "Probe[" + architecture().id() + ", layers " + Arrays.toString(layers) + ", " + task + "]";
    }
}
