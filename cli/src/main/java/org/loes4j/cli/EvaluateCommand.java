package org.loes4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.loes4j.linalg.io.Json;
import org.loes4j.training.Probe;
import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Task;
import org.loes4j.training.metrics.ClassificationMetrics;
import org.loes4j.training.metrics.RegressionMetrics;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code loes evaluate}: metrics of a saved model on labelled embeddings. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Accuracy, macro-F1 and confusion matrix (classification) or RMSE, MAE, R^2 (regression).")
final class EvaluateCommand implements Runnable {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M", description = "A model written by 'loes train'.")
    Path model;

    @Option(names = "--embeddings", required = true, paramLabel = "E.npy",
            description = "Embeddings holding the model's layers (same forms as train's --embeddings).")
    Path embeddings;

    @Option(names = "--labels", required = true, paramLabel = "Y", description = "True labels, one per row.")
    Path labels;

    @Option(names = "--json", description = "Print JSON instead of text (default: text).")
    boolean json;

    @Override
    public void run() {
        Probe probe = ProbeFiles.load(model);
        PrintWriter out = spec.commandLine().getOut();
        try (CommandInputs in = CommandInputs.open("--embeddings", embeddings)) {
            LayeredEmbeddings e = in.embeddings();
            ProbeFiles.checkInputs(probe, "--embeddings", e);
            Labels y = in.labels("--labels", labels, probe.task(),
                    probe.task() == Task.CLASSIFICATION ? probe.labelNames() : null);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", model.toString());
            m.put("probeType", probe.type().cliName());
            m.put("samples", e.rows());
            m.put("layers", probe.layers());
            m.put("layerNumbering", ExtractMeta.NUMBERING);
            if (probe.task() == Task.CLASSIFICATION) {
                ClassificationMetrics c = probe.evaluateClassification(e, y);
                m.put("labels", probe.labelNames());
                m.putAll(c.toMap());
                if (json) {
                    out.print(Json.writePretty(m));
                } else {
                    printClassification(out, c, probe.labelNames());
                }
            } else {
                RegressionMetrics r = probe.evaluateRegression(e, y);
                m.put("rmse", r.rmse());
                m.put("mae", r.mae());
                m.put("r2", Double.isFinite(r.r2()) ? r.r2() : null);
                if (json) {
                    out.print(Json.writePretty(m));
                } else {
                    out.printf(Locale.ROOT, "RMSE %.6g%nMAE  %.6g%nR^2  %.6f%n", r.rmse(), r.mae(), r.r2());
                }
            }
            out.flush();
        }
    }

    private static void printClassification(PrintWriter out, ClassificationMetrics c, List<String> names) {
        out.printf(Locale.ROOT, "accuracy  %.4f%nmacro-F1  %.4f%n", c.accuracy(), c.macroF1());
        out.println("confusion matrix (rows: true label, columns: predicted):");
        int w = 6;
        for (String n : names) {
            w = Math.max(w, n.length() + 1);
        }
        for (long[] row : c.confusion()) {
            for (long v : row) {
                w = Math.max(w, Long.toString(v).length() + 1);
            }
        }
        StringBuilder head = new StringBuilder(" ".repeat(w));
        for (String n : names) {
            head.append(String.format("%" + w + "s", n));
        }
        out.println(head);
        for (int i = 0; i < names.size(); i++) {
            StringBuilder line = new StringBuilder(String.format("%" + w + "s", names.get(i)));
            for (long v : c.confusion()[i]) {
                line.append(String.format("%" + w + "d", v));
            }
            out.println(line);
        }
    }
}
