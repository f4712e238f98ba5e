package org.loes4j.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.loes4j.encoders.Pooling;

/**
 * The main class of the job jar: {@link SparkExtract} from a table on disk to Parquet, for
 * {@code spark-submit}.
 *
 * <pre>
 * spark-submit --class org.loes4j.spark.ExtractJob loes4j-spark-job.jar \
 *     --input texts.parquet --text-column text [--label-column label] [--format parquet|csv|json] \
 *     [--model all-MiniLM-L6-v2] [--pooling mean|cls] [--max-length 256] [--batch 32] [--chunk-rows 1024] \
 *     --out embeddings.parquet
 * </pre>
 *
 * The input format follows the file's extension unless {@code --format} says otherwise; CSV is read with a
 * header row.
 */
public final class ExtractJob {
    private static final List<String> OPTIONS = List.of("--input", "--format", "--text-column", "--label-column",
            "--model", "--pooling", "--max-length", "--batch", "--chunk-rows", "--out");

    private ExtractJob() {
    }

    public static void main(String[] args) {
        Map<String, String> a = parse(args);
        SparkSession spark = SparkSession.builder().appName("loes4j extract").getOrCreate();
        try {
            run(spark, a);
        } finally {
            spark.stop();
        }
    }

    /** Runs the job in {@code spark} (not stopped afterwards). */
    static void run(SparkSession spark, Map<String, String> a) {
        String input = required(a, "--input");
        String out = required(a, "--out");
        String format = a.getOrDefault("--format", formatOf(input));
        var reader = spark.read();
        if (format.equals("csv")) {
            reader = reader.option("header", "true");
        }
        Dataset<Row> table = reader.format(format).load(input);
        SparkExtract.Options o = SparkExtract.Options.of(a.getOrDefault("--model", "bge-small-en-v1.5"),
                        a.getOrDefault("--text-column", "text"))
                .withLabelColumn(a.get("--label-column"))
                .withPooling(Pooling.parse(a.getOrDefault("--pooling", "mean")))
                .withMaxLength(integer(a, "--max-length", 256))
                .withBatchSize(integer(a, "--batch", 32))
                .withChunkRows(integer(a, "--chunk-rows", 1024));
        SparkExtract.extractToParquet(table, o, out);
    }

    /** {@code --name value} pairs; unknown names and missing values are errors. */
    static Map<String, String> parse(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String name = rest.removeFirst();
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException("unknown option '" + name + "'; the options are " + OPTIONS);
            }
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(name + ": needs a value");
            }
            out.put(name, rest.removeFirst());
        }
        return out;
    }

    private static String required(Map<String, String> a, String name) {
        String v = a.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + ": required");
        }
        return v;
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

    private static String formatOf(String path) {
        String p = path.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
        if (p.endsWith(".csv")) {
            return "csv";
        }
        if (p.endsWith(".json") || p.endsWith(".jsonl")) {
            return "json";
        }
        return "parquet";
    }
}
