package org.loes4j.training;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Task;
import org.loes4j.training.model.Architecture;

/**
 * Fits a {@link Probe} in one call, scikit-learn style: {@code Probe.builder().layers(7, 3).fit(train, labels)}.
 * Starts from the paper's text preset ({@link TrainingConfig#text()}); every option is checked when it is
 * set (an {@link IllegalArgumentException} naming it), and null means the default.
 *
 * <p>Validation: a set given with {@link #validation}, else a seeded hold-out of {@link #validationFraction}
 * (10% by default) of the training rows, drawn with {@code SplittableRandom(seed)}; the best epoch on it is
 * kept. With fraction 0, or too few rows to hold one out, the last epoch is kept.
 */
public final class ProbeBuilder {
    /** Default share of the training rows held out for validation. */
    public static final double DEFAULT_VALIDATION_FRACTION = 0.1;

    private TrainingConfig config = TrainingConfig.text();
    private ProbeType type = ProbeType.ADAPTER;
    private RidgeConfig ridge = RidgeConfig.defaults();
    private int[] layers;
    private LayeredEmbeddings validation;
    private Labels validationLabels;
    private double validationFraction = DEFAULT_VALIDATION_FRACTION;
    private String pooling;
    private final Map<String, String> inputMeta = new LinkedHashMap<>();
    private final Map<String, Object> inputs = new LinkedHashMap<>();
    private ProgressListener listener = ProgressListener.NONE;

    ProbeBuilder() {
    }

    /**
     * {@code "text"} (default here: the paper's 15 epochs), {@code "vision"} or {@code "default"} (the CLI's: text
     * with early stopping, see {@link TrainingConfig#defaults()}); replaces every hyper-parameter set so far.
     */
    public ProbeBuilder preset(String name) {
        config = name == null ? TrainingConfig.text() : TrainingConfig.preset(name);
        return this;
    }

    /**
     * Which model to fit: {@link ProbeType#ADAPTER} (default; the hyper-parameters of the preset and the
     * {@code with}-style setters below) or {@link ProbeType#RIDGE} (closed form, lambda by k-fold CV on all the
     * training rows: {@link #folds}, {@link #lambdas} and {@link #seed} apply; no hold-out is taken and a
     * {@link #validation} set is not used). Null means the adapter.
     */
    public ProbeBuilder type(ProbeType t) {
        type = t == null ? ProbeType.ADAPTER : t;
        return this;
    }

    /** Folds of the ridge probe's cross-validation, {@code >= 2} (default 5). */
    public ProbeBuilder folds(int k) {
        ridge = ridge.withFolds(k);
        return this;
    }

    /** The ridge probe's lambda grid (default {@link RidgeConfig#defaultLambdas()}). */
    public ProbeBuilder lambdas(double... grid) {
        ridge = ridge.withLambdas(grid);
        return this;
    }

    /** All hyper-parameters at once; null means the text preset. */
    public ProbeBuilder config(TrainingConfig c) {
        config = c == null ? TrainingConfig.text() : c;
        return this;
    }

    /** The fusion; null means adapters (the paper's model). */
    public ProbeBuilder architecture(Architecture a) {
        config = config.withArchitecture(a == null ? Architecture.ADAPTERS : a);
        return this;
    }

    public ProbeBuilder epochs(int epochs) {
        config = config.withEpochs(epochs);
        return this;
    }

    public ProbeBuilder batchSize(int batchSize) {
        config = config.withBatchSize(batchSize);
        return this;
    }

    public ProbeBuilder learningRate(double learningRate) {
        config = config.withLearningRate(learningRate);
        return this;
    }

    /** Adapter width p. */
    public ProbeBuilder adapterDim(int adapterDim) {
        config = config.withAdapterDim(adapterDim);
        return this;
    }

    public ProbeBuilder dropout(double dropout) {
        config = config.withDropout(dropout);
        return this;
    }

    /** GeoReg weight; 0 (default) disables it. */
    public ProbeBuilder geoRegWeight(double weight) {
        config = config.withGeoRegWeight(weight);
        return this;
    }

    /** Early-stopping patience in epochs; 0 (default) disables it. */
    public ProbeBuilder patience(int epochs) {
        config = config.withPatience(epochs);
        return this;
    }

    /** The master seed (42 by default) of initialisation, shuffles, dropout, GeoReg and the hold-out. */
    public ProbeBuilder seed(long seed) {
        config = config.withSeed(seed);
        ridge = ridge.withSeed(seed);
        return this;
    }

    /**
     * Hidden-state indices of the layers to read, in order (e.g. a LOES selection); null or none means every
     * layer of the embeddings given to {@link #fit}.
     */
    public ProbeBuilder layers(int... hiddenStates) {
        if (hiddenStates == null || hiddenStates.length == 0) {
            layers = null;
            return this;
        }
        for (int i = 0; i < hiddenStates.length; i++) {
            if (hiddenStates[i] < 0) {
                throw new IllegalArgumentException("layers: " + hiddenStates[i] + " is negative");
            }
            for (int j = 0; j < i; j++) {
                if (hiddenStates[j] == hiddenStates[i]) {
                    throw new IllegalArgumentException("layers: " + hiddenStates[i] + " appears twice in "
                            + Arrays.toString(hiddenStates));
                }
            }
        }
        layers = hiddenStates.clone();
        return this;
    }

    /** A validation set (same layers and label coding as the training set); both null: the hold-out. */
    public ProbeBuilder validation(LayeredEmbeddings embeddings, Labels labels) {
        if ((embeddings == null) != (labels == null)) {
            throw new IllegalArgumentException("validation: embeddings and labels go together ("
                    + (embeddings == null ? "embeddings" : "labels") + " is null)");
        }
        validation = embeddings;
        validationLabels = labels;
        return this;
    }

    /** Share of the training rows held out when no validation set is given, in [0, 1); 0: none. */
    public ProbeBuilder validationFraction(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("validationFraction: " + fraction + " must be in [0, 1)");
        }
        validationFraction = fraction;
        return this;
    }

    /** How the embeddings were pooled ({@code "cls"}, {@code "mean"}); recorded. Null: {@code "unknown"}. */
    public ProbeBuilder pooling(String pooling) {
        this.pooling = pooling;
        if (pooling == null) {
            inputMeta.remove("pooling");
        } else {
            inputMeta.put("pooling", pooling);
        }
        return this;
    }

    /** The encoder that produced the embeddings (a name or path); recorded. */
    public ProbeBuilder model(String model) {
        if (model == null) {
            inputMeta.remove("model");
        } else {
            inputMeta.put("model", model);
        }
        return this;
    }

    /**
     * More entries describing the input embeddings, saved with the model ({@link Probe#inputMeta()});
     * {@code layerNumbering} defaults to {@link Probe#LAYER_NUMBERING}.
     */
    public ProbeBuilder inputMeta(Map<String, String> meta) {
        if (meta != null) {
            meta.forEach((k, v) -> {
                if (k == null || v == null) {
                    throw new IllegalArgumentException("inputMeta: null key or value in " + meta);
                }
            });
            inputMeta.putAll(meta);
            if (meta.containsKey("pooling")) {
                pooling = meta.get("pooling");
            }
        }
        return this;
    }

    /** What the data came from (file names, digests), recorded in the provenance; null: nothing more. */
    public ProbeBuilder inputs(Map<String, ?> digests) {
        if (digests != null) {
            inputs.putAll(digests);
        }
        return this;
    }

    /** Receives progress; null means none. */
    public ProbeBuilder listener(ProgressListener l) {
        listener = l == null ? ProgressListener.NONE : l;
        return this;
    }

    /** The adapter probe's hyper-parameters as set so far. */
    public TrainingConfig config() {
        return config;
    }

    /** The ridge probe's hyper-parameters as set so far. */
    public RidgeConfig ridgeConfig() {
        return ridge;
    }

    /**
     * Trains a probe on {@code train} and returns its best checkpoint.
     *
     * @param train  embeddings holding the layers to read (all of them when {@link #layers} was not set)
     * @param labels class labels or one column of regression targets, one per row
     * @throws IllegalArgumentException naming a missing or inconsistent argument
     * @throws IllegalStateException    when training stopped on a non-finite loss before finishing an epoch
     */
    public Probe fit(LayeredEmbeddings train, Labels labels) {
        if (type == ProbeType.RIDGE) {
            return fitRidge(train, labels).probe();
        }
        return train(train, labels).probe().orElseThrow(() -> new IllegalStateException(
                "fit: no checkpoint, training stopped in its first epoch ("
                        + "a non-finite loss; try a lower learning rate)"));
    }

    /**
     * As {@link #fit} for a ridge probe, with the lambda chosen and the CV scores.
     *
     * @throws IllegalArgumentException as {@link #fit}
     */
    public RidgeResult fitRidge(LayeredEmbeddings train, Labels labels) {
        if (train == null) {
            throw new IllegalArgumentException("train: null embeddings");
        }
        Map<String, String> meta = new LinkedHashMap<>(inputMeta);
        return new RidgeTrainer(ridge, inputs, meta).train(train, labels, layers != null ? layers : train.layerIndices(),
                pooling, layers != null ? train.layerCount() : 0);
    }

    /**
     * As {@link #fit} for the adapter probe, with the per-epoch reports and timings.
     *
     * @throws IllegalStateException when {@link #type} is the ridge (it has no epochs: {@link #fitRidge})
     */
    public TrainingResult train(LayeredEmbeddings train, Labels labels) {
        if (type == ProbeType.RIDGE) {
            throw new IllegalStateException("train: a ridge probe has no epochs; use fit or fitRidge");
        }
        if (train == null) {
            throw new IllegalArgumentException("train: null embeddings");
        }
        if (labels == null) {
            throw new IllegalArgumentException("labels: null; a probe needs class labels or regression targets ("
                    + Task.LABEL_FREE.cliName() + " is for layer selection only)");
        }
        if (labels.size() != train.rows()) {
            throw new IllegalArgumentException("labels: " + labels.size() + " for " + train.rows() + " samples");
        }
        int[] read = layers != null ? layers : train.layerIndices();
        int encoderLayers = layers != null ? train.layerCount() : 0;
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("layerNumbering", Probe.LAYER_NUMBERING);
        meta.putAll(inputMeta);
        Map<String, Object> in = new LinkedHashMap<>(inputs);

        LayeredEmbeddings fitE = train;
        Labels fitY = labels;
        LayeredEmbeddings valE = validation;
        Labels valY = validationLabels;
        if (valE == null && validationFraction > 0) {
            int n = train.rows();
            int held = (int) Math.round(validationFraction * n);
            if (held >= 1 && held < n) {
                int[] order = new int[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                Trainer.shuffle(order, new SplittableRandom(config.seed()));
                int[] valRows = Arrays.copyOfRange(order, 0, held);
                int[] fitRows = Arrays.copyOfRange(order, held, n);
                Arrays.sort(valRows);
                Arrays.sort(fitRows);
                fitE = train.rows(fitRows);
                fitY = labels.rows(fitRows);
                valE = train.rows(valRows);
                valY = labels.rows(valRows);
                in.put("validationSplit", "hold-out of " + held + " of " + n + " training rows (fraction "
                        + validationFraction + ", SplittableRandom(" + config.seed() + ") shuffle)");
            }
        }
        return new Trainer(config, in, meta).train(fitE, fitY, valE, valY, read, pooling, listener, encoderLayers);
    }
}
