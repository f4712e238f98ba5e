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

import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Task;
import org.loes4j.linalg.io.Json;
import org.loes4j.training.EpochReport;
import org.loes4j.training.ProbeType;
import org.loes4j.training.RidgeConfig;
import org.loes4j.training.RidgeResult;
import org.loes4j.training.RidgeTrainer;
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

/**
 * {@code loes train}: a probe on selected layers, saved as one safetensors file: the paper's adapters and probe
 * ({@code --probe adapter}) or the closed-form ridge with lambda by k-fold CV ({@code --probe ridge}).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a probe on selected layers (adapters and probe, or a closed-form ridge) and save the "
                + "model (safetensors).")
final class TrainCommand implements Runnable {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--embeddings", required = true, paramLabel = "E.npy", description = "Training embeddings: (N, L, d) .npy, a directory of per-layer (N, d_l) .npy files, or a .safetensors file of per-layer tensors; a meta.json beside (from extract) is read.")
    Path embeddings;

    @Option(names = "--labels", required = true, paramLabel = "Y", description = "Labels: .npy 1-D, or text with one label per line.")
    Path labels;

    @ArgGroup(exclusive = true, multiplicity = "1")
    LayerChoice layerChoice;

    static final class LayerChoice {
        @Option(names = "--layers", split = ",", paramLabel = "L1,L2,...", description = "Hidden-state indices in selection order, e.g. 3,12,1,4.")
        int[] layers;

        @Option(names = "--selection", paramLabel = "sel.json", description = "A selection written by 'loes select' (its \"selected\" layers).")
        Path selection;
    }

    @ArgGroup(exclusive = true)
    ValidationChoice validation;

    static final class ValidationChoice {
        @ArgGroup(exclusive = false)
        ValidationFiles files;

        @Option(names = "--val-fraction", paramLabel = "F", description = "Adapter: hold out a seeded random fraction of the training set for the best epoch (default 0.1; 0 = no validation).")
        Double fraction;
    }

    static final class ValidationFiles {
        @Option(names = "--val-embeddings", required = true, paramLabel = "E.npy",
                description = "Validation embeddings: the adapter's best epoch is chosen on them instead of on a "
                        + "hold-out; the ridge, which chooses lambda by cross-validation, reports its score on them "
                        + "(default: none).")
        Path embeddings;

        @Option(names = "--val-labels", required = true, paramLabel = "Y", description = "Labels of --val-embeddings.")
        Path labels;
    }

    @Option(names = "--task", defaultValue = "classification", paramLabel = "T", description = "classification or regression (default: ${DEFAULT-VALUE}).")
    String task;

    /** The options only the adapter probe reads; one of them given without --probe means --probe adapter. */
    static final List<String> ADAPTER_OPTIONS = List.of("--preset", "--architecture", "--geo-reg", "--epochs",
            "--batch", "--lr", "--patience", "--val-fraction");

    @Option(names = "--probe", paramLabel = "P",
            description = "ridge (closed form on the standardised layers side by side, lambda by k-fold CV on all "
                    + "training rows) or adapter (the paper's adapters and probe, trained by AdamW until validation "
                    + "stops improving) (default: ridge; adapter when an adapter option such as --epochs or "
                    + "--preset is given).")
    String probe;

    @Option(names = "--folds", paramLabel = "K", description = "Ridge only: cross-validation folds choosing lambda, "
            + "stratified for classification (default: " + RidgeConfig.DEFAULT_FOLDS + ").")
    Integer folds;

    @Option(names = "--lambdas", paramLabel = "GRID", description = "Ridge only: strengths tried, FROM:TO:POINTS "
            + "log-spaced or a list a,b,c (default: 1e-2:1e6:17).")
    String lambdas;

    @Option(names = "--preset", defaultValue = "default", paramLabel = "P", description = "Adapter: default (the text "
            + "hyper-parameters, at most 300 epochs, early stopping with patience 20), text or vision (the paper's, "
            + "15 epochs) (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--architecture", defaultValue = "adapters", paramLabel = "A", description = "Adapter: adapters, no-adapter or learnable-weights (default: ${DEFAULT-VALUE}).")
    String architecture;

    @Option(names = "--geo-reg", paramLabel = "W", description = "Adapter: GeoReg weight (the paper uses 0.1; default off).")
    Double geoReg;

    @Option(names = "--epochs", paramLabel = "N", description = "Adapter: epochs, at most (default: the preset's: 300 for default, 15 for text and vision).")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "B", description = "Adapter: batch size (default: the preset's, 128).")
    Integer batch;

    @Option(names = "--lr", paramLabel = "LR", description = "Adapter: peak learning rate of AdamW (default: the preset's, 1e-4).")
    Double lr;

    @Option(names = "--patience", paramLabel = "N", description = "Adapter: early stopping after N epochs without improvement; 0 = off (default: the preset's: 20 for default, off for text and vision).")
    Integer patience;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
            description = "Seed of initialisation, shuffling, dropout and the hold-out (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--pooling", defaultValue = "unknown", paramLabel = "P", description = "How the embeddings were pooled, recorded in the model (default: from meta.json or the selection, else ${DEFAULT-VALUE}).")
    String pooling;

    @Option(names = "--out", required = true, paramLabel = "model.safetensors",
            description = "The model file to write (atomically; never one of the inputs).")
    Path out;

    @Option(names = "--quiet", description = "No progress bar (default: a progress bar on stderr).")
    boolean quiet;

    @Override
    public void run() {
        ProbeType type = probeType();
        checkOptionsFor(type);
        TrainingConfig config = config();
        Task t = CommandInputs.task("--task", task, false);
        int[] layers = layers();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (CommandInputs train = CommandInputs.open("--embeddings", embeddings);
             CommandInputs val = validation != null && validation.files != null
                     ? CommandInputs.open("--val-embeddings", validation.files.embeddings) : null) {
            LayeredEmbeddings e = train.embeddings();
            Labels y = train.labels("--labels", labels, t);
            Map<String, Path> inputs = new LinkedHashMap<>(train.inputFiles());
            inputs.put("--selection", layerChoice.selection);
            if (val != null) {
                inputs.putAll(val.inputFiles());
                inputs.put("--val-labels", validation.files.labels);
            }
            AtomicFiles.checkOutput("--out", out, inputs);
            checkLayers(layers, e);
            LayeredEmbeddings trainE = e;
            Labels trainY = y;
            LayeredEmbeddings valE = null;
            Labels valY = null;
            if (val != null) {
                valE = val.embeddings();
                valY = val.labels("--val-labels", validation.files.labels, t, t == Task.CLASSIFICATION ? y.names() : null);
                checkLayers(layers, valE);
                for (int l : layers) {
                    if (valE.width(valE.positionOf(l)) != e.width(e.positionOf(l))) {
                        throw new BadInputException("--val-embeddings: hidden state " + l + " has width "
                                + valE.width(valE.positionOf(l)) + ", in --embeddings " + e.width(e.positionOf(l)));
                    }
                }
            } else if (type == ProbeType.ADAPTER) {
                double f = validation == null || validation.fraction == null ? 0.1 : validation.fraction;
                if (!(f >= 0 && f < 1)) {
                    throw new BadInputException("--val-fraction: " + f + " must be in [0, 1)");
                }
                int nv = (int) Math.round(f * e.rows());
                if (nv > 0) {
                    int[] perm = ProbeFiles.permutation(e.rows(), seed);
                    int[] vRows = Arrays.copyOfRange(perm, 0, nv);
                    int[] tRows = Arrays.copyOfRange(perm, nv, perm.length);
                    valE = e.rows(vRows);
                    valY = y.rows(vRows);
                    trainE = e.rows(tRows);
                    trainY = y.rows(tRows);
                }
            }
            try {
                e.selectLayers(layers).checkFinite();
                if (val != null) {
                    val.embeddings().selectLayers(layers).checkFinite();
                }
            } catch (IllegalArgumentException ex) {
                throw new BadInputException((val != null && ex.getMessage().contains("embeddings") ? "" : "--embeddings: ")
                        + ex.getMessage(), ex);
            }
            if (t == Task.CLASSIFICATION && valY != null && type == ProbeType.ADAPTER) {
                int[] counts = valY.classCounts();
                int fewest = Integer.MAX_VALUE;
                for (int c : counts) {
                    fewest = Math.min(fewest, c);
                }
                if (fewest < MIN_VALIDATION_ROWS_PER_CLASS) {
                    err.printf(Locale.ROOT, "loes: warning: the validation set has only %d row(s) of some class (fewer "
                            + "than %d): the best epoch is chosen on noise; a larger --val-fraction or "
                            + "--val-embeddings helps%n", fewest, MIN_VALIDATION_ROWS_PER_CLASS);
                }
            }
            Map<String, Object> digests = new LinkedHashMap<>(train.digests());
            if (layerChoice.selection != null) {
                digests.put("selection", Digests.describe(layerChoice.selection));
            }
            if (val != null) {
                val.digests().forEach((k, v) -> digests.put("validation." + k, v));
            } else if (type == ProbeType.RIDGE) {
                digests.put("validationSplit", "none: lambda by k-fold cross-validation on all training rows");
            } else {
                digests.put("validationSplit", valE == null ? "none"
                        : valE.rows() + " rows by SplittableRandom(seed ^ 0x5DEECE66D) permutation");
            }
            Map<String, String> inputMeta = new LinkedHashMap<>();
            train.meta().ifPresent(m -> inputMeta.putAll(m.asInputMeta()));
            inputMeta.put("layerNumbering", ExtractMeta.NUMBERING);
            String pool = pooling;
            if ("unknown".equals(pool) && layerChoice.selection != null) {
                pool = poolingOf(layerChoice.selection);
            }
            if ("unknown".equals(pool) && train.meta().isPresent() && train.meta().get().pooling() != null) {
                pool = train.meta().get().pooling();
            }
            if (type == ProbeType.RIDGE) {
                ridge(e, y, valE, valY, layers, pool, digests, inputMeta, stdout, err);
                return;
            }
            TrainingResult r = new Trainer(config, digests, inputMeta).train(trainE, trainY, valE, valY, layers, pool,
                    quiet ? null : new ProgressBar(err));
            if (r.probe().isPresent()) {
                r.probe().get().save(out);
            }
            if (r.nonFinite().isPresent()) {
                throw new BadInputException(r.nonFinite().get().message() + (r.probe().isPresent()
                        ? "; the best checkpoint (epoch " + r.bestEpoch() + ") was saved to " + out
                        : "; no epoch completed, nothing was written"));
            }
            EpochReport best = r.epochs().get(r.bestEpoch() - 1);
            if (r.bestEpoch() == r.epochs().size() && r.epochs().size() == config.epochs() && valE != null) {
                err.printf(Locale.ROOT, "loes: warning: the best validation epoch was the last one (%d): training may not "
                        + "have converged; --epochs %d trains longer%n", r.bestEpoch(), 2 * config.epochs());
            }
            stdout.printf(Locale.ROOT, "saved %s: layers %s (hidden-state indices), best epoch %d of %d%s, %d steps in %.1f s%n",
                    out, Arrays.toString(layers), r.bestEpoch(), r.epochs().size(),
                    Double.isNaN(best.validationMetric()) ? ""
                            : String.format(Locale.ROOT, ", validation %s %.4f", best.metricName(), best.validationMetric()),
                    r.steps(), r.stepSeconds());
            stdout.flush();
        } catch (IOException e) {
            throw new BadInputException("--out: cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fits, saves and reports the ridge probe: lambda by k-fold CV on every training row; a validation set, when
     * given, is only scored (it chooses nothing).
     */
    private void ridge(LayeredEmbeddings e, Labels y, LayeredEmbeddings valE, Labels valY, int[] layers, String pool,
                       Map<String, Object> digests, Map<String, String> inputMeta, PrintWriter stdout, PrintWriter err)
            throws IOException {
        RidgeConfig rc;
        RidgeResult r;
        try {
            rc = RidgeConfig.defaults().withSeed(seed);
            if (folds != null) {
                rc = rc.withFolds(folds);
            }
            if (lambdas != null) {
                rc = rc.withLambdas(LambdaGrids.parse(lambdas));
            }
            r = new RidgeTrainer(rc, digests, inputMeta).train(e, y, layers, pool);
        } catch (BadInputException ex) {
            throw ex;
        } catch (IllegalArgumentException ex) {
            String m = String.valueOf(ex.getMessage());
            for (String key : List.of("folds", "lambdas", "labels", "embeddings")) {
                if (m.startsWith(key + ": ")) {
                    throw new BadInputException("--" + m, ex);
                }
            }
            throw ex;
        }
        r.probe().save(out);
        String validationScore = "";
        if (valE != null) {
            validationScore = y.task() == Task.CLASSIFICATION
                    ? String.format(Locale.ROOT, ", validation accuracy %.4f",
                            r.probe().evaluateClassification(valE, valY).accuracy())
                    : String.format(Locale.ROOT, ", validation R^2 %.4f", r.probe().evaluateRegression(valE, valY).r2());
        }
        if (r.atGridEdge()) {
            double[] g = r.lambdas();
            err.printf(Locale.ROOT, "loes: warning: the chosen lambda %.1e is at the edge of the grid [%.1e, %.1e]: the "
                    + "best may lie outside it; --lambdas widens the grid%n", r.lambda(), g[0], g[g.length - 1]);
        }
        stdout.printf(Locale.ROOT, "saved %s: ridge probe on layers %s (hidden-state indices), width %d, lambda %.1e "
                        + "(%d-fold CV %s %.4f +- %.4f)%s, fitted in %.1f s%n", out, Arrays.toString(layers),
                Arrays.stream(r.probe().inputWidths()).sum(), r.lambda(),
                rc.folds(), r.scoreName().equals("r2") ? "R^2" : r.scoreName(), r.cvScore(), r.cvStd(),
                validationScore, r.seconds());
        stdout.flush();
    }

    /** {@code --probe}, or without it ridge unless an adapter option is given. */
    private ProbeType probeType() {
        if (probe != null) {
            try {
                return ProbeType.parse(probe);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--" + e.getMessage(), e);
            }
        }
        var parsed = spec.commandLine().getParseResult();
        for (String o : ADAPTER_OPTIONS) {
            if (parsed.hasMatchedOption(o)) {
                return ProbeType.ADAPTER;
            }
        }
        return ProbeType.RIDGE;
    }

    /** Options that only one kind of probe reads are refused for the other, naming the option. */
    private void checkOptionsFor(ProbeType type) {
        var parsed = spec.commandLine().getParseResult();
        if (type == ProbeType.RIDGE) {
            for (String o : ADAPTER_OPTIONS) {
                if (parsed.hasMatchedOption(o)) {
                    throw new BadInputException(o + ": applies to --probe adapter; the ridge probe is fitted in closed "
                            + "form, lambda chosen by cross-validation (--folds, --lambdas)");
                }
            }
        } else {
            for (String o : List.of("--folds", "--lambdas")) {
                if (parsed.hasMatchedOption(o)) {
                    throw new BadInputException(o + ": applies to --probe ridge only");
                }
            }
        }
    }

    /** Validation rows per class below which train warns that the best epoch is chosen on noise. */
    static final int MIN_VALIDATION_ROWS_PER_CLASS = 5;

    /** Every layer must be a hidden state the embeddings hold. */
    private static void checkLayers(int[] layers, LayeredEmbeddings e) {
        for (int l : layers) {
            if (e.positionOf(l) < 0) {
                throw new BadInputException("--layers: hidden state " + l + " is not among the embeddings' "
                        + Arrays.toString(e.layerIndices()));
            }
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
}
