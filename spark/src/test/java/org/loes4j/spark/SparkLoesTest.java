package org.loes4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyDType;
import org.loes4j.linalg.io.NpyWriter;
import org.loes4j.selection.Loes;
import org.loes4j.selection.LoesOptions;
import org.loes4j.selection.SelectionResult;

/**
 * LOES on a real Spark engine (local[2]) against the local in-memory {@code Loes.select} on the same rows: the
 * same layers in the same order, every step score and per-layer score within {@link #REL}, for 1, 3 and 17
 * partitions; an .npy read as row ranges, an in-memory table of mixed widths scattered over partitions (both
 * layouts), and Parquet tables with and without a row column.
 */
class SparkLoesTest {
    /** Scores of the distributed statistics route against the in-memory route, relative. */
    static final double REL = 1e-9;

    private static SparkSession spark;

    @TempDir
    static Path dir;

    private static Path classEmb;
    private static Path classLab;
    private static Path regEmb;
    private static Path regLab;

    @BeforeAll
    static void start() throws IOException {
        spark = LocalSpark.start("SparkLoesTest");
        classEmb = writeEmbeddings("class.npy", 600, 4, 8, 1);
        classLab = dir.resolve("class-labels.npy");
        SplittableRandom rng = new SplittableRandom(2);
        long[] classes = new long[600];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = i < 3 ? i : rng.nextInt(3);
        }
        Npy.write(classLab, classes);
        regEmb = writeEmbeddings("reg.npy", 900, 6, 5, 3);
        regLab = dir.resolve("reg-labels.npy");
        double[] targets = new double[900];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = rng.nextGaussian() * 3 + 1;
        }
        Npy.write(regLab, targets);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    /** Float32 (N, L, d) with a per-layer signal, so that the layers differ. */
    private static Path writeEmbeddings(String name, int n, int l, int d, long seed) throws IOException {
        Path file = dir.resolve(name);
        SplittableRandom rng = new SplittableRandom(seed);
        try (NpyWriter w = Npy.create(file, NpyDType.FLOAT32, n, l, d)) {
            for (long i = 0; i < w.size(); i++) {
                long layer = (i / d) % l;
                w.setDouble(i, rng.nextGaussian() * (1 + layer) + 0.3 * ((i % d) == layer ? 1 : 0));
            }
            w.commit();
        }
        return file;
    }

    private static LoesOptions options(Task task) {
        return LoesOptions.builder().k(3).task(task).calibrationFraction(0.5).seed(17).build();
    }

    private static SelectionResult local(Path embeddings, Path labels, LoesOptions o) throws IOException {
        try (var e = LayeredEmbeddings.open(embeddings)) {
            Labels y = labels == null ? null : Labels.read(labels, o.task());
            return Loes.builder().options(o).build().select(e, y);
        }
    }

    static void assertSame(SelectionResult expected, SelectionResult actual, String what) {
        assertArrayEquals(expected.selected(), actual.selected(), what + ": selected");
        assertEquals(expected.stepScores().length, actual.stepScores().length, what);
        for (int s = 0; s < expected.stepScores().length; s++) {
            close(expected.stepScores()[s], actual.stepScores()[s], what + ": step " + s);
        }
        assertEquals(expected.layers().size(), actual.layers().size(), what);
        for (int i = 0; i < expected.layers().size(); i++) {
            var a = expected.layers().get(i);
            var b = actual.layers().get(i);
            assertEquals(a.layer(), b.layer());
            close(a.score0(), b.score0(), what + ": score0 of layer " + a.layer());
            close(a.isotropy(), b.isotropy(), what + ": isotropy of layer " + a.layer());
        }
    }

    private static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, REL * Math.max(1e-3, Math.abs(expected)), what);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 17})
    void npyClassificationEqualsLocal(int partitions) throws IOException {
        LoesOptions o = options(Task.CLASSIFICATION);
        SelectionResult r = SparkLoes.selectNpy(spark, classEmb, classLab, partitions, o, false);
        assertSame(local(classEmb, classLab, o), r, "600x4x8 classification, " + partitions + " partitions");
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = (Map<String, Object>) r.provenance().details().get("spark");
        assertEquals(partitions, detail.get("partitions"));
        assertEquals(spark.version(), detail.get("version"));
        assertTrue(r.provenance().inputs().get("embeddings").contains(" sha256:"), r.provenance().inputs().toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 17})
    void npyRegressionEqualsLocal(int partitions) throws IOException {
        LoesOptions o = options(Task.REGRESSION);
        assertSame(local(regEmb, regLab, o), SparkLoes.selectNpy(spark, regEmb, regLab, partitions, o, false),
                "900x6x5 regression, " + partitions + " partitions");
    }

    /** 500 rows of widths 4, 7, 2; label-free; both layouts, rows scattered over the partitions by a shuffle. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 17})
    void mixedWidthsLabelFreeEqualsLocal(int partitions) {
        int n = 500;
        int[] widths = {4, 7, 2};
        SplittableRandom rng = new SplittableRandom(5);
        List<DMatrix> layers = new ArrayList<>();
        for (int l = 0; l < widths.length; l++) {
            DMatrix x = DMatrix.zeros(n, widths[l]);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < widths[l]; j++) {
                    x.set(i, j, rng.nextGaussian() * (1 + j % (l + 2)) + l);
                }
            }
            layers.add(x);
        }
        LoesOptions o = options(Task.LABEL_FREE);
        SelectionResult expected = Loes.builder().options(o).build().select(LayeredEmbeddings.ofMatrices(layers), null);

        List<StructField> perLayer = new ArrayList<>();
        perLayer.add(DataTypes.createStructField("id", DataTypes.LongType, false));
        List<Row> columnRows = new ArrayList<>();
        List<Row> listRows = new ArrayList<>();
        for (int l = 0; l < widths.length; l++) {
            perLayer.add(DataTypes.createStructField("layer_" + l,
                    DataTypes.createArrayType(DataTypes.DoubleType, false), false));
        }
        for (int i = 0; i < n; i++) {
            Object[] values = new Object[1 + widths.length];
            List<List<Double>> all = new ArrayList<>();
            values[0] = (long) i;
            for (int l = 0; l < widths.length; l++) {
                double[] v = new double[widths[l]];
                List<Double> boxed = new ArrayList<>();
                for (int j = 0; j < widths[l]; j++) {
                    v[j] = layers.get(l).get(i, j);
                    boxed.add(v[j]);
                }
                values[1 + l] = v;
                all.add(boxed);
            }
            columnRows.add(RowFactory.create(values));
            listRows.add(RowFactory.create((long) i, all));
        }
        StructType listSchema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("id", DataTypes.LongType, false),
                DataTypes.createStructField("layers", DataTypes.createArrayType(
                        DataTypes.createArrayType(DataTypes.DoubleType, false), false), false)));
        Dataset<Row> byColumn = spark.createDataFrame(columnRows, DataTypes.createStructType(perLayer))
                .repartition(partitions);
        Dataset<Row> byList = spark.createDataFrame(listRows, listSchema).repartition(partitions);
        assertSame(expected, SparkLoes.select(EmbeddingTable.open(byColumn, null), "id", null, o, false, Map.of()),
                "500x3x(4,7,2) column per layer, " + partitions + " partitions");
        assertSame(expected, SparkLoes.select(EmbeddingTable.open(byList, null), "id", null, o, false, Map.of()),
                "500x3x(4,7,2) layer list, " + partitions + " partitions");
    }

    @Test
    void parquetWithAndWithoutRowColumnGivesTheSameSelection() throws IOException {
        LoesOptions o = options(Task.CLASSIFICATION);
        SelectionResult expected = local(classEmb, classLab, o);
        String withRows = dir.resolve("with-rows.parquet").toString();
        NpyTable.read(spark, classEmb, classLab, 3).write().parquet(withRows);
        EmbeddingTable a = EmbeddingTable.open(spark.read().parquet(withRows), NpyTable.LABEL_COLUMN);
        assertEquals(Task.CLASSIFICATION, a.task());
        assertSame(expected, SparkLoes.select(a, NpyTable.ROW_COLUMN, null, o, false, Map.of()), "parquet, row column");

        String oneFile = dir.resolve("one-file.parquet").toString();
        NpyTable.read(spark, classEmb, classLab, 1).drop(NpyTable.ROW_COLUMN).write().parquet(oneFile);
        EmbeddingTable b = EmbeddingTable.open(spark.read().parquet(oneFile), NpyTable.LABEL_COLUMN);
        SelectionResult r = SparkLoes.select(b, null, null, o, false, Map.of());
        assertSame(expected, r, "parquet, table order");
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = (Map<String, Object>) r.provenance().details().get("spark");
        assertEquals("table order", detail.get("rowNumbering"));
    }

    @Test
    void refusesARowColumnThatIsNotAPermutation() {
        Dataset<Row> rows = NpyTable.read(spark, classEmb, classLab, 2)
                .withColumn("twice", org.apache.spark.sql.functions.expr("row % 300"));
        EmbeddingTable t = EmbeddingTable.open(rows, NpyTable.LABEL_COLUMN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkLoes.select(t, "twice", null, options(Task.CLASSIFICATION), false, Map.of()));
        assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
        IllegalArgumentException task = assertThrows(IllegalArgumentException.class,
                () -> SparkLoes.select(t, "row", null, options(Task.REGRESSION), false, Map.of()));
        assertTrue(task.getMessage().contains("classification"), task.getMessage());
    }
    @Test
    void selectJobWritesTheJsonOfLoesSelectWithTheSparkDetail() throws IOException {
        Path json = dir.resolve("job.json");
        Map<String, String> args = SelectJob.parse(new String[] {"--embeddings", classEmb.toString(), "--labels",
                classLab.toString(), "--partitions", "3", "--k", "3", "--calibration-fraction", "0.5", "--seed", "17",
                "--json", json.toString()});
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        SelectionResult r = SelectJob.run(spark, args, new java.io.PrintStream(text, true,
                java.nio.charset.StandardCharsets.UTF_8));
        assertSame(local(classEmb, classLab, options(Task.CLASSIFICATION)), r, "SelectJob");
        Map<String, Object> written = org.loes4j.linalg.io.Json.parseObject(java.nio.file.Files.readString(json));
        @SuppressWarnings("unchecked")
        Map<String, Object> prov = (Map<String, Object>) written.get("provenance");
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = (Map<String, Object>) prov.get("spark");
        assertEquals(3, ((Number) detail.get("partitions")).intValue());
        assertEquals("statistics", prov.get("route"));
        assertTrue(text.toString(java.nio.charset.StandardCharsets.UTF_8).contains("selected layers: "));
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> SelectJob.run(spark,
                SelectJob.parse(new String[] {"--embeddings", "a.npy", "--parquet", "t"}), System.out));
        assertTrue(both.getMessage().contains("one of"), both.getMessage());
    }
    /** The README's example. */
    @Test
    void readmeExample() {
        Path embeddings = classEmb;
        Path labels = classLab;
        String parquet = dir.resolve("readme.parquet").toString();
        NpyTable.read(spark, embeddings, labels, 2).write().parquet(parquet);
        // snippet:start spark-select
        LoesOptions options = LoesOptions.builder().k(3).calibrationFraction(0.5).seed(17).build();
        SelectionResult fromNpy = SparkLoes.selectNpy(spark, embeddings, labels, 17, options, false);

        EmbeddingTable table = EmbeddingTable.open(spark.read().parquet(parquet), "label");
        SelectionResult fromTable = SparkLoes.select(table, "row", null, options, false, Map.of());
        // snippet:end spark-select
        assertSame(fromNpy, fromTable, "README example");
    }
}
