package org.loes4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.loes4j.cli.report.ReportInput;
import org.loes4j.cli.report.ReportPage;
import org.loes4j.linalg.io.AtomicFile;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code loes report}: the JSON of {@code select}, {@code probe} and {@code compare} (any number, each
 * recognised by its content) as one self-contained HTML page. Parses, reads the inputs, builds the page
 * ({@link ReportPage}) and writes it atomically; never over one of its inputs.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Turn the JSON of select --json, probe --json and compare --out into one self-contained HTML "
                + "page: per-layer charts (probe score with its spread over folds, score0, isotropy, the picks), the "
                + "spectrum of the chosen layers, a redundancy heatmap, the method table with error bars and tests, "
                + "and the provenance, folded. No script, nothing fetched.",
                "Example: loes report --out report.html sel.json probe.json cmp.json"})
final class ReportCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE.json",
            description = "Results of loes select --json, loes probe --json or loes compare --out (its .json), in "
                    + "any order and number; each file's kind is recognised from its content.")
    List<Path> files;

    @Option(names = "--out", defaultValue = "report.html", paramLabel = "OUT.html",
            description = "The page to write (default: ${DEFAULT-VALUE}); written atomically, never over one of the "
                    + "inputs.")
    Path out;

    @Option(names = "--title", defaultValue = "loes4j report", paramLabel = "TEXT",
            description = "Title of the page (default: ${DEFAULT-VALUE}).")
    String title;

    @Override
    public void run() {
        Map<String, Path> inputs = new LinkedHashMap<>();
        for (int i = 0; i < files.size(); i++) {
            inputs.put("FILE.json #" + (i + 1), files.get(i));
        }
        AtomicFiles.checkOutput("--out", out, inputs);
        List<ReportInput> read = new ArrayList<>();
        for (Path f : files) {
            try {
                read.add(ReportInput.read(f));
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage(), e);
            }
        }
        try {
            AtomicFile.writeString(out, ReportPage.html(title, read));
        } catch (IOException e) {
            throw new BadInputException("--out: cannot write " + out + ": " + e.getMessage(), e);
        }
        spec.commandLine().getOut().println("wrote " + out);
        spec.commandLine().getOut().flush();
    }
}
