package org.loes4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.encoders.Pooling;
import org.loes4j.encoders.TextEncoder;
import org.loes4j.linalg.DMatrix;

/** Extraction on Spark is the extraction of {@link TextEncoder} run directly, row for row. */
class SparkExtractTest {
    private static final String MODEL = "all-MiniLM-L6-v2";
    /** Both sides are float32 from the same kernels; only the grouping of texts into batches differs. */
    private static final double TOLERANCE = 1e-6;
    private static final int MAX_LENGTH = 64;
    private static final int BATCH = 8;

    private static final List<String> SENTENCES = List.of(
            "The cat sat on the mat.",
            "A quick brown fox jumps over the lazy dog.",
            "Stock markets fell sharply after the announcement.",
            "She planted tomatoes and basil in the spring.",
            "The committee will meet again next Tuesday.",
            "Rain is expected across the north by evening.",
            "He forgot his umbrella at the train station.",
            "Quantum computers exploit superposition and entanglement.",
            "The recipe calls for two cups of flour.",
            "Our team won the match in extra time.",
            "Please remember to lock the door when you leave.",
            "The museum opens at nine and closes at five.",
            "Interest rates were left unchanged this quarter.",
            "A small village lies at the foot of the mountain.",
            "The software update fixed several security bugs.",
            "Children played in the park until sunset.",
            "The novel was translated into thirty languages.",
            "Heavy traffic delayed the ambulance.",
            "The violinist tuned her instrument before the concert.",
            "Bees are essential for pollinating many crops.",
            "The bridge was closed for repairs over the weekend.",
            "He ordered a coffee with oat milk.",
            "Scientists discovered a new species of frog.",
            "The election results will be announced tomorrow.",
            "My laptop battery drains too quickly.",
            "The river flooded the low-lying fields.",
            "She runs five kilometres every morning.",
            "The company hired two hundred new engineers.",
            "Snow covered the rooftops overnight.",
            "The teacher handed back the graded essays.",
            "A gentle breeze moved through the tall grass.",
            "The airline cancelled dozens of flights.",
            "He repaired the bicycle chain with a pair of pliers.",
            "The orchestra performed Beethoven's ninth symphony.",
            "Vaccines train the immune system to recognise pathogens.",
            "The bakery sells fresh bread every morning.",
            "Wildfires spread rapidly in the dry conditions.",
            "The startup raised funding from several investors.",
            "The old lighthouse still guides ships at night.",
            "She wrote a letter to her grandmother.",
            "The price of oil rose for the third week.",
            "The puppy chewed through the garden hose.",
            "Astronomers observed a distant supernova.",
            "The library extended its opening hours.",
            "He practised the piano for two hours.",
            "The festival attracts visitors from around the world.",
            "Unemployment fell to its lowest level in a decade.",
            "The hikers reached the summit before noon.");

    private static SparkSession spark;
    private static DMatrix[] direct;

    @BeforeAll
    static void start() throws Exception {
        assertEquals(48, SENTENCES.size());
        spark = LocalSpark.start("SparkExtractTest");
        // The executors' encoder (this JVM's one copy): loading the weights twice would only cost time, and the
        // comparison is of the two ways of calling it, batches of the whole list against Spark's partitions.
        TextEncoder encoder = EncoderHolder.get(MODEL);
        LayeredEmbeddings e = encoder.encode(SENTENCES, new TextEncoder.Options(EnumSet.of(Pooling.MEAN), MAX_LENGTH,
                BATCH)).get(Pooling.MEAN);
        direct = new DMatrix[e.layerCount()];
        for (int l = 0; l < direct.length; l++) {
            direct[l] = e.load(l);
        }
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static Dataset<Row> sentences(int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < SENTENCES.size(); i++) {
            rows.add(RowFactory.create(i, SENTENCES.get(i)));
        }
        StructType schema = DataTypes.createStructType(new StructField[] {
                DataTypes.createStructField("id", DataTypes.IntegerType, false),
                DataTypes.createStructField("text", DataTypes.StringType, true)});
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, partitions),
                schema);
    }

    private static SparkExtract.Options options() {
        return SparkExtract.Options.of(MODEL, "text").withLabelColumn("id").withPooling(Pooling.MEAN)
                .withMaxLength(MAX_LENGTH).withBatchSize(BATCH);
    }

    /** Every row of {@code table} (found by its id) against the direct extraction; returns the largest difference. */
    private static double compare(Dataset<Row> table) {
        List<Row> rows = table.collectAsList();
        assertEquals(SENTENCES.size(), rows.size());
        int states = direct.length;
        boolean[] seen = new boolean[rows.size()];
        double worst = 0;
        for (Row r : rows) {
            int id = r.getInt(r.fieldIndex("id"));
            assertTrue(!seen[id], "row " + id + " twice");
            seen[id] = true;
            for (int k = 0; k < states; k++) {
                List<Float> v = r.getList(r.fieldIndex(SparkExtract.LAYER_PREFIX + k));
                assertEquals(direct[k].cols(), v.size(), "width of layer_" + k);
                for (int j = 0; j < v.size(); j++) {
                    double diff = Math.abs(v.get(j) - direct[k].get(id, j));
                    worst = Math.max(worst, diff);
                    assertTrue(diff <= TOLERANCE, "row " + id + ", layer_" + k + ", element " + j + ": " + v.get(j)
                            + " on Spark, " + direct[k].get(id, j) + " directly");
                }
            }
        }
        return worst;
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, 3})
    void extractionOnSparkEqualsTheEncoderRunDirectly(int partitions, @TempDir Path dir) {
        Dataset<Row> input = sentences(partitions);
        assertEquals(partitions, input.javaRDD().getNumPartitions());
        String out = dir.resolve("embeddings.parquet").toUri().toString();

        SparkExtract.extractToParquet(input, options(), out);

        Dataset<Row> back = spark.read().parquet(out);
        StructType schema = back.schema();
        assertEquals(direct.length + 1, schema.fields().length);
        for (int k = 0; k < direct.length; k++) {
            StructField f = schema.fields()[k];
            assertEquals(SparkExtract.LAYER_PREFIX + k, f.name());
            // Spark reads a Parquet list's elements back as nullable, whatever was written.
            assertEquals(DataTypes.FloatType, ((ArrayType) f.dataType()).elementType());
            assertEquals(k, f.metadata().getLong(SparkExtract.HIDDEN_STATE_KEY), "metadata survives Parquet");
            assertEquals(MODEL, f.metadata().getString("loes4j.model"));
        }
        assertEquals("id", schema.fields()[direct.length].name());
        double worst = compare(back);
        System.err.printf("SparkExtractTest: %d partition(s), largest difference %.3g%n", partitions, worst);
    }

    @Test
    void theLayersTableReadsBackAsBlocks() {
        // Cached: opening runs two small jobs (the first row, the distinct labels) before the real pass.
        Dataset<Row> table = SparkExtract.extract(sentences(3), options()).cache();
        EmbeddingTable t = EmbeddingTable.open(table, "id");
        assertEquals(direct.length, t.layerCount());
        assertEquals(direct[0].cols(), t.width(0));
        assertEquals(48, t.classNames().size());
        long rows = t.mapPartitions(16, (p, blocks) -> {
            long n = 0;
            while (blocks.hasNext()) {
                n += blocks.next().rows().rows();
            }
            return n;
        }).reduce(Long::sum);
        assertEquals(48, rows);
    }

    @Test
    void aNullTextFailsTheJobNamingItsRow() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            rows.add(RowFactory.create(i, i == 4 ? null : SENTENCES.get(i)));
        }
        StructType schema = DataTypes.createStructType(new StructField[] {
                DataTypes.createStructField("id", DataTypes.IntegerType, false),
                DataTypes.createStructField("text", DataTypes.StringType, true)});
        Dataset<Row> input = spark.createDataFrame(
                JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 2), schema);
        Exception e = assertThrows(Exception.class, () -> SparkExtract.extract(input, options()).collectAsList());
        Throwable root = LocalSpark.rootCause(e);
        assertTrue(root instanceof EmbeddingInputException, root.toString());
        assertEquals("column 'text', row 1 of partition 1: null text", root.getMessage());
    }

    @Test
    void aMissingTextColumnFailsOnTheDriver() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkExtract.extract(sentences(1), SparkExtract.Options.of(MODEL, "sentence")));
        assertEquals("text column 'sentence' not found; the table has the columns [id, text]", e.getMessage());
    }

    @Test
    void theJobReadsACsvAndWritesParquet(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("texts.csv");
        StringBuilder s = new StringBuilder("id,text\n");
        for (int i = 0; i < 5; i++) {
            s.append(i).append(",\"").append(SENTENCES.get(i)).append("\"\n");
        }
        Files.writeString(csv, s);
        String out = dir.resolve("out.parquet").toUri().toString();
        ExtractJob.run(spark, ExtractJob.parse(new String[] {"--input", csv.toString(), "--model", MODEL,
                "--label-column", "id", "--max-length", String.valueOf(MAX_LENGTH), "--batch", "2", "--out", out}));
        List<Row> back = spark.read().parquet(out).collectAsList();
        assertEquals(5, back.size());
        for (Row r : back) {
            int id = Integer.parseInt(r.getAs("id").toString());
            List<Float> v = r.getList(r.fieldIndex("layer_6"));
            for (int j = 0; j < v.size(); j++) {
                assertEquals(direct[6].get(id, j), v.get(j), TOLERANCE);
            }
        }
    }

    /** The README's example (a snippet region): extraction to Parquet, then the table read back as row blocks. */
    @Test
    void theReadmeExampleRuns(@TempDir Path dir) {
        String input = dir.resolve("texts.parquet").toString();
        String output = dir.resolve("embeddings.parquet").toString();
        sentences(2).where("id < 6").withColumnRenamed("id", "label").write().parquet(input);

        // snippet:start spark
        Dataset<Row> texts = spark.read().parquet(input);                 // a "text" and a "label" column
        SparkExtract.extractToParquet(texts, SparkExtract.Options.of("all-MiniLM-L6-v2", "text")
                .withLabelColumn("label").withPooling(Pooling.MEAN).withMaxLength(64), output);

        EmbeddingTable table = EmbeddingTable.open(spark.read().parquet(output), "label");
        List<Long> rowsPerPartition = table.mapPartitions(1024, (partition, blocks) -> {
            long rows = 0;
            while (blocks.hasNext()) {
                EmbeddingTable.LabelledBlock block = blocks.next();  // one rows x d matrix per layer, and Labels
                rows += block.rows().rows();
            }
            return rows;
        }).collect();
        // snippet:end spark

        assertEquals(6, rowsPerPartition.stream().mapToLong(Long::longValue).sum());
        assertEquals(direct.length, table.layerCount());
    }

    @Test
    void theJobSaysWhatItDoesNotKnow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExtractJob.parse(new String[] {"--inptu", "x"}));
        assertTrue(e.getMessage().startsWith("unknown option '--inptu'"), e.getMessage());
        assertEquals("--out: needs a value",
                assertThrows(IllegalArgumentException.class, () -> ExtractJob.parse(new String[] {"--out"})).getMessage());
        assertEquals(Map.of("--input", "a", "--out", "b"), ExtractJob.parse(new String[] {"--input", "a", "--out", "b"}));
    }
}
