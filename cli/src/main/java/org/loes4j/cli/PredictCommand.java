package org.loes4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

import org.loes4j.linalg.io.AtomicFile;
import org.loes4j.training.Predictions;
import org.loes4j.training.Probe;
import org.loes4j.training.Task;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code loes predict}: a saved model applied to embeddings, written as CSV. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict with a saved model; CSV with one row per sample (label and class probabilities, or value).")
final class PredictCommand implements Runnable {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M")
    Path model;

    @Option(names = "--embeddings", required = true, paramLabel = "E.npy")
    Path embeddings;

    @Option(names = "--out", required = true, paramLabel = "predictions.csv")
    Path out;

    @Override
    public void run() {
        AtomicFiles.checkWritableTarget("--out", out);
        Probe probe = TrainCommand.loadProbe(model);
        try (EmbeddingsFile e = EmbeddingsFile.open("--embeddings", embeddings)) {
            EvaluateCommand.checkShape(probe, e);
            Predictions p = probe.predict(e.embeddings());
            AtomicFile.writeString(out, csv(p));
            PrintWriter o = spec.commandLine().getOut();
            o.printf("wrote %d predictions to %s%n", p.size(), out);
            o.flush();
        } catch (IOException ex) {
            throw new BadInputException("--out: cannot write " + out + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * {@code index,label,p_<name>...} for classification, {@code index,value} for regression; numbers as
     * the shortest decimal that reads back to the same double.
     */
    static String csv(Predictions p) {
        StringBuilder sb = new StringBuilder();
        if (p.task() == Task.CLASSIFICATION) {
            List<String> names = p.names();
            sb.append("index,label");
            for (String n : names) {
                sb.append(",p_").append(quote(n));
            }
            sb.append('\n');
            for (int i = 0; i < p.size(); i++) {
                sb.append(i).append(',').append(quote(p.label(i)));
                for (int c = 0; c < names.size(); c++) {
                    sb.append(',').append(p.scores().get(i, c));
                }
                sb.append('\n');
            }
        } else {
            sb.append("index,value\n");
            for (int i = 0; i < p.size(); i++) {
                sb.append(i).append(',').append(p.value(i)).append('\n');
            }
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
