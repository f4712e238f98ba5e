package org.loes4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.loes4j.linalg.io.Json;
import org.loes4j.training.EpochReport;
import org.loes4j.training.Embeddings;
import org.loes4j.training.Probe;
import org.loes4j.training.Targets;
import org.loes4j.training.Task;
import org.loes4j.training.Trainer;
import org.loes4j.training.TrainingConfig;
import org.loes4j.training.TrainingResult;
import org.loes4j.training.model.Architecture;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code loes train}: adapters and probe on selected layers, saved as one safetensors file. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train adapters and a probe on selected layers and save the model (safetensors).")
final class TrainCommand implements Runnable {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--embeddings", required = true, paramLabel = "E.npy", description = "Training embeddings, (N, L, d) float32/float64.")
    Path embeddings;

    @Option(names = "--labels", required = true, paramLabel = "Y", description = "Labels (.npy 1-D, or text: one per line).")
    Path labels;

    @ArgGroup(exclusive = true, multiplicity = "1")
    LayerChoice layerChoice;

    static final class LayerChoice {
        @Option(names = "--layers", split = ",", paramLabel = "L1,L2,...", description = "Layers in selection order, e.g. 3,15,1,4.")
        int[] layers;

        @Option(names = "--selection", paramLabel = "sel.json", description = "A selection written by 'loes select' (its \"selected\" layers).")
        Path selection;
    }

    @ArgGroup(exclusive = true)
    ValidationChoice validation;

    static final class ValidationChoice {
        @ArgGroup(exclusive = false)
        ValidationFiles files;

        @Option(names = "--val-fraction", paramLabel = "F", description = "Hold out a seeded random fraction of the training set (default 0.1; 0 = no validation).")
        Double fraction;
    }

    static final class ValidationFiles {
        @Option(names = "--val-embeddings", required = true, paramLabel = "E.npy")
        Path embeddings;

        @Option(names = "--val-labels", required = true, paramLabel = "Y")
        Path labels;
    }

    @Option(names = "--task", defaultValue = "classification", paramLabel = "T", description = "classification (default) or regression.")
    String task;

    @Option(names = "--preset", defaultValue = "text", paramLabel = "P", description = "text (default) or vision: the paper's settings.")
    String preset;

    @Option(names = "--architecture", defaultValue = "adapters", paramLabel = "A", description = "adapters (default), no-adapter, learnable-weights.")
    String architecture;

    @Option(names = "--geo-reg", paramLabel = "W", description = "GeoReg weight (the paper uses 0.1; default off).")
    Double geoReg;

    @Option(names = "--epochs", paramLabel = "N")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "B")
    Integer batch;

    @Option(names = "--lr", paramLabel = "LR")
    Double lr;

    @Option(names = "--patience", paramLabel = "N", description = "Early stopping after N epochs without improvement (default off).")
    Integer patience;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S")
    long seed;

    @Option(names = "--pooling", defaultValue = "unknown", paramLabel = "P", description = "How the embeddings were pooled (recorded in the model).")
    String pooling;

    @Option(names = "--out", required = true, paramLabel = "model.safetensors")
    Path out;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public void run() {
        AtomicFiles.checkWritableTarget("--out", out);
        TrainingConfig config = config();
        Task t = parseTask(task);
        int[] layers = layers();
        String pool = pooling;
        if (layerChoice.selection != null) {
            pool = "unknown".equals(pooling) ? poolingOf(layerChoice.selection) : pooling;
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (EmbeddingsFile train = EmbeddingsFile.open("--embeddings", embeddings);
             EmbeddingsFile val = validation != null && validation.files != null
                     ? EmbeddingsFile.open("--val-embeddings", validation.files.embeddings) : null) {
            Embeddings e = train.embeddings();
            Targets y = targets(t, "--labels", labels, null);
            checkRows("--labels", y, e);
            Embeddings trainE = e;
            Targets trainY = y;
            Embeddings valE = null;
            Targets valY = null;
            if (val != null) {
                valE = val.embeddings();
                valY = targets(t, "--val-labels", validation.files.labels, t == Task.CLASSIFICATION ? y.names() : null);
                checkRows("--val-labels", valY, valE);
                if (valE.layers() != e.layers() || valE.dim() != e.dim()) {
                    throw new BadInputException("--val-embeddings: " + val.describe() + ", training has " + train.describe());
                }
            } else {
                double f = validation == null || validation.fraction == null ? 0.1 : validation.fraction;
                if (!(f >= 0 && f < 1)) {
                    throw new BadInputException("--val-fraction: " + f + " must be in [0, 1)");
                }
                int nv = (int) Math.round(f * e.size());
                if (nv > 0) {
                    int[] perm = permutation(e.size(), seed);
                    int[] vRows = Arrays.copyOfRange(perm, 0, nv);
                    int[] tRows = Arrays.copyOfRange(perm, nv, perm.length);
                    valE = Embeddings.rows(e, vRows);
                    valY = y.rows(vRows);
                    trainE = Embeddings.rows(e, tRows);
                    trainY = y.rows(tRows);
                }
            }
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("embeddings", train.digests());
            inputs.put("labels", Digests.describe(labels));
            if (layerChoice.selection != null) {
                inputs.put("selection", Digests.describe(layerChoice.selection));
            }
            if (val != null) {
                inputs.put("validationEmbeddings", val.digests());
                inputs.put("validationLabels", Digests.describe(validation.files.labels));
            } else {
                inputs.put("validationSplit", valE == null ? "none"
                        : valE.size() + " rows by SplittableRandom(seed ^ 0x5DEECE66D) permutation");
            }
            TrainingResult r = new Trainer(config, inputs).train(trainE, trainY, valE, valY, layers, pool,
                    quiet ? org.loes4j.training.ProgressListener.NONE : new ProgressBar(err));
            if (r.probe().isPresent()) {
                r.probe().get().save(out);
            }
            if (r.nonFinite().isPresent()) {
                throw new BadInputException(r.nonFinite().get().message() + (r.probe().isPresent()
                        ? "; the best checkpoint (epoch " + r.bestEpoch() + ") was saved to " + out
                        : "; no epoch completed, nothing was written"));
            }
            EpochReport best = r.epochs().get(r.bestEpoch() - 1);
            stdout.printf(Locale.ROOT, "saved %s: layers %s, best epoch %d of %d%s, %d steps in %.1f s%n", out,
                    Arrays.toString(layers), r.bestEpoch(), r.epochs().size(),
                    Double.isNaN(best.validationMetric()) ? ""
                            : String.format(Locale.ROOT, ", validation %s %.4f", best.metricName(), best.validationMetric()),
                    r.steps(), r.stepSeconds());
            stdout.flush();
        } catch (IOException e) {
            throw new BadInputException("--out: cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    private TrainingConfig config() {
        TrainingConfig c = TrainingConfig.preset(preset).withSeed(seed).withArchitecture(Architecture.of(architecture));
        if (geoReg != null) {
            c = c.withGeoRegWeight(geoReg);
        }
        if (epochs != null) {
            c = c.withEpochs(epochs);
        }
        if (batch != null) {
            c = c.withBatchSize(batch);
        }
        if (lr != null) {
            c = c.withLearningRate(lr);
        }
        if (patience != null) {
            c = c.withPatience(patience);
        }
        return c;
    }

    static Task parseTask(String task) {
        return switch (task) {
            case "classification" -> Task.CLASSIFICATION;
            case "regression" -> Task.REGRESSION;
            default -> throw new BadInputException("--task: '" + task + "' is not one of classification, regression");
        };
    }

    static Targets targets(Task t, String option, Path file, List<String> names) {
        if (t == Task.REGRESSION) {
            return Targets.regression(LabelsFile.values(option, file));
        }
        List<String> raw = LabelsFile.labels(option, file);
        try {
            return names == null ? Targets.classification(raw) : Targets.classification(raw, names);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(option + ": " + file + ": " + e.getMessage(), e);
        }
    }

    static void checkRows(String option, Targets y, Embeddings e) {
        if (y.size() != e.size()) {
            throw new BadInputException(option + ": " + y.size() + " labels for " + e.size() + " embeddings");
        }
    }

    private int[] layers() {
        if (layerChoice.layers != null) {
            return layerChoice.layers;
        }
        Object sel = readSelection(layerChoice.selection).get("selected");
        if (!(sel instanceof List<?> l) || l.isEmpty()) {
            throw new BadInputException("--selection: " + layerChoice.selection + " has no \"selected\" array of layers");
        }
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Long v) || v < 0 || v > Integer.MAX_VALUE) {
                throw new BadInputException("--selection: selected[" + i + "] is " + l.get(i) + ", not a layer index");
            }
            out[i] = (int) (long) v;
        }
        return out;
    }

    private static String poolingOf(Path selection) {
        Object p = readSelection(selection).get("pooling");
        return p instanceof String s ? s : "unknown";
    }

    private static Map<String, Object> readSelection(Path file) {
        try {
            return Json.parseObject(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BadInputException("--selection: cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--selection: " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The seeded permutation whose first rows form the validation split ({@code --val-fraction}; also
     * used by compare). Its generator is {@code SplittableRandom(seed ^ 0x5DEECE66D)}, distinct from the
     * trainer's streams, which derive from {@code SplittableRandom(seed)}.
     */
    static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Loads a probe for the other commands, mapping file problems to bad input. */
    static Probe loadProbe(Path model) {
        if (!Files.isRegularFile(model)) {
            throw new BadInputException("--model: " + model + " does not exist or is not a file");
        }
        try {
            return Probe.load(model);
        } catch (IOException e) {
            throw new BadInputException("--model: cannot read " + model + ": " + e.getMessage(), e);
        }
    }
}
