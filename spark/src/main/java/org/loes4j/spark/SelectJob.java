package org.loes4j.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.loes4j.data.Labels;
import org.loes4j.data.Task;
import org.loes4j.linalg.io.AtomicFile;
import org.loes4j.linalg.io.Json;
import org.loes4j.selection.Accumulation;
import org.loes4j.selection.LoesOptions;
import org.loes4j.selection.SelectionResult;
import org.loes4j.selection.TriangleEstimator;

/**
 * {@link SparkLoes} as a command, for {@code spark-submit} and {@code ./loes spark select}: LOES on an (N, L, d)
 * .npy or on a table of layered embeddings, with the options of {@code loes select} that apply, printing the
 * selected layers and writing the result as {@code loes select} writes it (plus the {@code spark} provenance
 * detail: version, master, partitions, row numbering).
 *
 * <pre>
 * spark-submit --class org.loes4j.spark.SelectJob loes4j-spark-job.jar \
 *     --embeddings E.npy [--labels Y.npy] [--partitions P]                           (an .npy, or)
 *     --parquet TABLE [--format parquet|csv|json] [--label-column C] [--row-column R]
 *         [--layer-columns a,b,c | --layers-column layers]                           (a table)
 *     [--task classification|regression|label-free] [--k 4] [--calibration-fraction 0.2] [--seed 42]
 *     [--alpha 1.0] [--gamma 0.5] [--eta 0.1] [--lambda 1e-3] [--mu 1e-6] [--isotropy-eps 1e-9]
 *     [--accumulate paper|stagewise] [--triangle exact|sampled:T] [--diagnostics] [--json out.json]
 *     [--master local[2]]
 * </pre>
 *
 * A table's layers are its {@code layer_<k>} columns unless {@code --layer-columns} or {@code --layers-column}
 * says otherwise; without {@code --row-column} its rows are numbered in the table's order (see
 * {@link SparkLoes}). {@code --task} defaults to the label column's type for a table, classification for an
 * .npy with labels, label-free without labels. {@code --master} is for a run outside spark-submit (the
 * default there is {@code local[*]}).
 */
public final class SelectJob {
    private static final List<String> VALUED = List.of("--embeddings", "--labels", "--partitions", "--parquet",
            "--format", "--label-column", "--row-column", "--layer-columns", "--layers-column", "--task", "--k",
            "--calibration-fraction", "--seed", "--alpha", "--gamma", "--eta", "--lambda", "--mu", "--isotropy-eps",
            "--accumulate", "--triangle", "--json", "--master");
    private static final List<String> FLAGS = List.of("--diagnostics");

    private SelectJob() {
    }

    public static void main(String[] args) {
        Map<String, String> a;
        try {
            a = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("loes spark select: error: " + e.getMessage());
            System.exit(2);
            return;
        }
        SparkSession.Builder b = SparkSession.builder().appName("loes4j select");
        if (a.containsKey("--master")) {
            b = b.master(a.get("--master"));
        } else if (System.getProperty("spark.master") == null) {
            b = b.master("local[*]");
        }
        SparkSession spark = b.getOrCreate();
        int rc = 0;
        try {
            run(spark, a, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("loes spark select: error: " + e.getMessage());
            rc = 2;
        } finally {
            spark.stop();
        }
        if (rc != 0) {
            System.exit(rc);
        }
    }

    /** Runs the selection in {@code spark} (not stopped afterwards), printing to {@code out}. */
    static SelectionResult run(SparkSession spark, Map<String, String> a, PrintStream out) {
        boolean npy = a.containsKey("--embeddings");
        if (npy == a.containsKey("--parquet")) {
            throw new IllegalArgumentException("give one of --embeddings E.npy and --parquet TABLE");
        }
        boolean diagnostics = a.containsKey("--diagnostics");
        SelectionResult r;
        if (npy) {
            for (String tableOnly : List.of("--label-column", "--row-column", "--layer-columns", "--layers-column",
                    "--format")) {
                if (a.containsKey(tableOnly)) {
                    throw new IllegalArgumentException(tableOnly + ": applies to --parquet, not to --embeddings");
                }
            }
            Task task = a.containsKey("--task") ? Task.parse(a.get("--task"))
                    : a.containsKey("--labels") ? Task.CLASSIFICATION : Task.LABEL_FREE;
            int partitions = integer(a, "--partitions", spark.sparkContext().defaultParallelism());
            LoesOptions o = options(a, task);
            String labels = a.get("--labels");
            r = SparkLoes.selectNpy(spark, Path.of(a.get("--embeddings")), labels == null ? null : Path.of(labels),
                    partitions, o, diagnostics);
        } else {
            if (a.containsKey("--labels") || a.containsKey("--partitions")) {
                throw new IllegalArgumentException((a.containsKey("--labels") ? "--labels" : "--partitions")
                        + ": applies to --embeddings; a table's labels are its --label-column, and its partitions "
                        + "Spark's");
            }
            String path = a.get("--parquet");
            String format = a.getOrDefault("--format", "parquet");
            var reader = spark.read();
            if (format.equals("csv")) {
                reader = reader.option("header", "true");
            }
            Dataset<Row> ds = reader.format(format).load(path);
            Task given = a.containsKey("--task") ? Task.parse(a.get("--task")) : null;
            String labelColumn = a.get("--label-column");
            EmbeddingTable table;
            if (a.containsKey("--layer-columns")) {
                table = EmbeddingTable.openColumns(ds, Arrays.asList(a.get("--layer-columns").split(",")), labelColumn,
                        given);
            } else if (a.containsKey("--layers-column")) {
                table = EmbeddingTable.openLayerList(ds, a.get("--layers-column"), labelColumn, given);
            } else {
                table = EmbeddingTable.open(ds, labelColumn);
                if (given != null && given != table.task()) {
                    throw new IllegalArgumentException("--task: " + given.cliName() + ", but the label column makes it "
                            + table.task().cliName() + "; name the layer columns (--layer-columns) to override");
                }
            }
            LoesOptions o = options(a, table.task());
            r = SparkLoes.select(table, a.get("--row-column"), (Labels) null, o, diagnostics,
                    Map.of("table", path + " (" + format + ")"));
        }
        out.println("selected layers: " + Arrays.toString(r.selected()));
        out.println("step scores:     " + Arrays.toString(r.stepScores()));
        out.println("spark:           " + r.provenance().details().get("spark"));
        String json = a.get("--json");
        if (json != null) {
            try {
                AtomicFile.writeString(Path.of(json), Json.writePretty(r.toJsonMap()));
            } catch (IOException e) {
                throw new IllegalArgumentException("--json: cannot write " + json + ": " + e.getMessage(), e);
            }
            out.println("wrote " + json);
        }
        return r;
    }

    private static LoesOptions options(Map<String, String> a, Task task) {
        LoesOptions.Builder b = LoesOptions.builder().task(task).k(integer(a, "--k", 4));
        try {
            b.calibrationFraction(real(a, "--calibration-fraction", 0.2)).seed(Long.parseLong(a.getOrDefault("--seed", "42")))
                    .alpha(real(a, "--alpha", 1.0)).gamma(real(a, "--gamma", 0.5)).eta(real(a, "--eta", 0.1))
                    .lambda(real(a, "--lambda", 1e-3)).mu(real(a, "--mu", 1e-6))
                    .isotropyEps(real(a, "--isotropy-eps", 1e-9))
                    .accumulation(switch (a.getOrDefault("--accumulate", "paper")) {
                        case "paper" -> Accumulation.PAPER;
                        case "stagewise" -> Accumulation.STAGEWISE;
                        default -> throw new IllegalArgumentException("--accumulate: '" + a.get("--accumulate")
                                + "', expected paper or stagewise");
                    })
                    .triangle(TriangleEstimator.parse(a.getOrDefault("--triangle", "exact")));
            return b.build();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed: '" + a.get("--seed") + "' is not an integer", e);
        }
    }

    /** {@code --name value} pairs and {@code --flag}s; unknown names and missing values are errors. */
    static Map<String, String> parse(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String name = rest.removeFirst();
            if (FLAGS.contains(name)) {
                out.put(name, "true");
                continue;
            }
            if (!VALUED.contains(name)) {
                throw new IllegalArgumentException("unknown option '" + name + "'; the options are " + VALUED + " and "
                        + FLAGS);
            }
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(name + ": needs a value");
            }
            out.put(name, rest.removeFirst());
        }
        return out;
    }

    private static int integer(Map<String, String> a, String name, int fallback) {
        String v = a.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + v + "' is not an integer");
        }
    }

    private static double real(Map<String, String> a, String name, double fallback) {
        String v = a.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + v + "' is not a number");
        }
    }
}
