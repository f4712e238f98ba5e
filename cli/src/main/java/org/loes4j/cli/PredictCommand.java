package org.loes4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.loes4j.data.Task;
import org.loes4j.linalg.io.AtomicFile;
import org.loes4j.training.Predictions;
import org.loes4j.training.Probe;


import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code loes predict}: a saved model applied to embeddings, written as CSV. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict with a saved model; CSV with one row per sample (label and class probabilities, or the "
                + "ridge probe's class scores, or value).")
final class PredictCommand implements Runnable {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M", description = "A model written by 'loes train'.")
    Path model;

    @Option(names = "--embeddings", required = true, paramLabel = "E.npy",
            description = "Embeddings holding the model's layers (same forms as train's --embeddings).")
    Path embeddings;

    @Option(names = "--out", required = true, paramLabel = "predictions.csv",
            description = "CSV to write (RFC 4180; values starting with = + - @ get a leading ' so spreadsheets do "
                    + "not run them; written atomically, never one of the inputs).")
    Path out;

    @Override
    public void run() {
        try (CommandInputs in = CommandInputs.open("--embeddings", embeddings)) {
            Map<String, Path> inputs = new LinkedHashMap<>(in.inputFiles());
            inputs.put("--model", model);
            AtomicFiles.checkOutput("--out", out, inputs);
            Probe probe = ProbeFiles.load(model);
            ProbeFiles.checkInputs(probe, "--embeddings", in.embeddings());
            Predictions p = probe.predict(in.embeddings());
            AtomicFile.writeString(out, csv(p));
            PrintWriter o = spec.commandLine().getOut();
            o.printf("wrote %d predictions to %s%n", p.size(), out);
            o.flush();
        } catch (IOException ex) {
            throw new BadInputException("--out: cannot write " + out + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * {@code index,label,p_<name>...} for classification (probabilities of the adapter probe;
     * {@code score_<name>...} for the ridge probe, whose least-squares class scores are not probabilities),
     * {@code index,value} for regression; numbers as the shortest decimal that reads back to the same double.
     */
    static String csv(Predictions p) {
        StringBuilder sb = new StringBuilder();
        if (p.task() == Task.CLASSIFICATION) {
            List<String> names = p.names();
            sb.append("index,label");
            String prefix = p.probabilities() ? "p_" : "score_";
            for (String n : names) {
                sb.append(',').append(quote(prefix + n));
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

    /**
     * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, inner quotes doubled. A value
     * a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR; CWE-1236) is prefixed with a
     * single quote, unless it is a plain number such as -1.5.
     */
    static String quote(String s) {
        String v = s;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0 && !isNumber(v)) {
            v = "'" + v;
        }
        boolean needs = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
        return needs ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return !s.isBlank() && Character.isDigit(s.charAt(s.length() - 1));
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
