package org.loes4j.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.spark_partition_id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.data.Task;
import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyArray;
import org.loes4j.linalg.io.NpyDType;
import org.loes4j.linalg.io.NpyWriter;

/** An (N, L, d) .npy read back through Spark, row for row and partition by partition, equals the file. */
class NpyTableTest {
    private static final int N = 37;
    private static final int L = 3;
    private static final int D = 5;

    private static SparkSession spark;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("NpyTableTest");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static Path write(String name, NpyDType dtype, long seed, long... shape) throws IOException {
        Path file = dir.resolve(name);
        SplittableRandom rng = new SplittableRandom(seed);
        try (NpyWriter w = Npy.create(file, dtype, shape)) {
            for (long i = 0; i < w.size(); i++) {
                w.setDouble(i, dtype.isFloatingPoint() ? rng.nextGaussian() : rng.nextInt(4));
            }
            w.commit();
        }
        return file;
    }

    /** Every cell of every row against the file, bit for bit; the row column gives the row. */
    private static void compare(Dataset<Row> table, Path embeddings, Path labels) throws IOException {
        List<Row> rows = table.collectAsList();
        assertEquals(N, rows.size());
        try (NpyArray a = Npy.map(embeddings); NpyArray y = labels == null ? null : Npy.map(labels)) {
            boolean[] seen = new boolean[N];
            for (Row r : rows) {
                int i = (int) r.getLong(0);
                assertTrue(!seen[i], "row " + i + " twice");
                seen[i] = true;
                for (int k = 0; k < L; k++) {
                    List<Number> v = r.getList(1 + k);
                    assertEquals(D, v.size());
                    for (int j = 0; j < D; j++) {
                        double expected = a.getDouble(((long) i * L + k) * D + j);
                        assertEquals(expected, v.get(j).doubleValue(), 0.0, "row " + i + ", layer " + k + ", column " + j);
                    }
                }
                if (y != null) {
                    assertEquals((long) y.getDouble(i), r.getLong(1 + L));
                }
            }
        }
    }

    @Test
    void float32RowsAndLabelsReadBackInTheirRangesAsTheFileHasThem() throws IOException {
        Path embeddings = write("embeddings.npy", NpyDType.FLOAT32, 1, N, L, D);
        Path labels = write("labels.npy", NpyDType.INT64, 2, N);
        Dataset<Row> table = NpyTable.read(spark, embeddings, labels, 4);
        assertEquals(4, table.javaRDD().getNumPartitions());
        assertEquals(List.of("row", "layer_0", "layer_1", "layer_2", "label"), List.of(table.schema().fieldNames()));
        compare(table, embeddings, labels);

        List<Row> ranges = table.groupBy(spark_partition_id().as("p"))
                .agg(min("row"), max("row"), count("row")).orderBy(col("p")).collectAsList();
        assertEquals(4, ranges.size());
        for (int p = 0; p < 4; p++) {
            long from = (long) N * p / 4;
            long to = (long) N * (p + 1) / 4;
            Row r = ranges.get(p);
            assertEquals(p, r.getInt(0));
            assertEquals(from, r.getLong(1), "first row of partition " + p);
            assertEquals(to - 1, r.getLong(2), "last row of partition " + p);
            assertEquals(to - from, r.getLong(3), "rows of partition " + p);
        }
    }

    @Test
    void float64WithoutLabelsInFivePartitions() throws IOException {
        Path embeddings = write("embeddings64.npy", NpyDType.FLOAT64, 3, N, L, D);
        Dataset<Row> table = NpyTable.read(spark, embeddings, null, 5);
        assertEquals(List.of("row", "layer_0", "layer_1", "layer_2"), List.of(table.schema().fieldNames()));
        compare(table, embeddings, null);
    }

    @Test
    void theTableIsAnEmbeddingTable() throws IOException {
        Path embeddings = write("embeddings-et.npy", NpyDType.FLOAT32, 4, N, L, D);
        Path labels = write("labels-et.npy", NpyDType.INT64, 5, N);
        EmbeddingTable t = EmbeddingTable.open(NpyTable.read(spark, embeddings, labels, 3), "label");
        assertEquals(Task.CLASSIFICATION, t.task());
        assertEquals(L, t.layerCount());
        double[] sums = t.mapPartitions(8, (p, blocks) -> {
            double[] s = new double[L];
            while (blocks.hasNext()) {
                var b = blocks.next();
                for (int k = 0; k < L; k++) {
                    for (double v : b.rows().layers().get(k).copy().data()) {
                        s[k] += v;
                    }
                }
            }
            return s;
        }).reduce((a, b) -> {
            double[] s = new double[L];
            for (int k = 0; k < L; k++) {
                s[k] = a[k] + b[k];
            }
            return s;
        });
        try (NpyArray a = Npy.map(embeddings)) {
            for (int k = 0; k < L; k++) {
                double expected = 0;
                for (int i = 0; i < N; i++) {
                    for (int j = 0; j < D; j++) {
                        expected += a.getDouble(((long) i * L + k) * D + j);
                    }
                }
                assertEquals(expected, sums[k], 1e-9 * N * D, "sum of layer " + k);
            }
        }
    }

    @Test
    void notAnNLdArrayFailsOnTheDriverNamingTheFile() throws IOException {
        Path flat = write("flat.npy", NpyDType.FLOAT32, 6, N, D);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NpyTable.read(spark, flat, null, 2));
        assertEquals(flat + ": expected an (N, L, d) array, found (37, 5) <f4", e.getMessage());
        Path embeddings = write("embeddings-short.npy", NpyDType.FLOAT32, 7, N, L, D);
        Path shortLabels = write("labels-short.npy", NpyDType.INT64, 8, N - 1);
        IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
                () -> NpyTable.read(spark, embeddings, shortLabels, 2));
        assertEquals(shortLabels + ": expected 37 labels (a 1-D array), found (36,) <i8", labels.getMessage());
    }
}
