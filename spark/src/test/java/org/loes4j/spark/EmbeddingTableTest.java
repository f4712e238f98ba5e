package org.loes4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.UnaryOperator;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;

/**
 * Tables of layered embeddings read as per-partition row blocks: the values, labels and block boundaries of
 * both layouts, and one failing job per kind of bad input, its message read from the root cause under Spark's
 * wrappers.
 */
class EmbeddingTableTest {
    /** 12 rows in 3 partitions of 4: row i is in partition i / 4, at row i % 4 of it. */
    private static final int ROWS = 12;
    private static final int PARTITIONS = 3;
    /** Mixed widths; column names that are not positions, so hidden-state indices come from the names. */
    private static final int[] WIDTHS = {3, 5, 2};
    private static final int[] HIDDEN = {0, 2, 5};
    private static final String[] CLASSES = {"ant", "bee", "cat"};

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("EmbeddingTableTest");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static float value(int row, int position, int j) {
        return row + 0.125f * position + 0.0625f * j;
    }

    private static float[] vector(int row, int position) {
        float[] v = new float[WIDTHS[position]];
        for (int j = 0; j < v.length; j++) {
            v[j] = value(row, position, j);
        }
        return v;
    }

    /** One cell per layer column (or the layer list), then the label; {@code edit} may change any row. */
    private static Dataset<Row> table(boolean layerList, DataType labelType, UnaryOperator<Object[]> edit) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            Object label = labelType.equals(DataTypes.StringType) ? CLASSES[i % 3] : (Object) (0.5 * i);
            Object[] cells;
            if (layerList) {
                float[][] layers = new float[WIDTHS.length][];
                for (int p = 0; p < WIDTHS.length; p++) {
                    layers[p] = vector(i, p);
                }
                cells = new Object[] {layers, label};
            } else {
                cells = new Object[] {vector(i, 0), vector(i, 1), vector(i, 2), label};
            }
            if (edit != null) {
                cells = edit.apply(cells);
            }
            rows.add(RowFactory.create(cells));
        }
        List<StructField> fields = new ArrayList<>();
        DataType array = DataTypes.createArrayType(DataTypes.FloatType, true);
        if (layerList) {
            fields.add(DataTypes.createStructField("layers", DataTypes.createArrayType(array, true), true));
        } else {
            for (int p = 0; p < WIDTHS.length; p++) {
                fields.add(DataTypes.createStructField("layer_" + HIDDEN[p], array, true));
            }
        }
        fields.add(DataTypes.createStructField("label", labelType, true));
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, PARTITIONS),
                DataTypes.createStructType(fields));
    }

    /** What a block carried, in serializable form, to be checked on the driver. */
    record Seen(int partition, long firstRow, double[][] layers, int[] codes, double[] targets) implements Serializable {
    }

    private static List<Seen> readAll(EmbeddingTable t, int blockRows) {
        List<List<Seen>> perPartition = t.mapPartitions(blockRows, (partition, blocks) -> {
            List<Seen> out = new ArrayList<>();
            while (blocks.hasNext()) {
                EmbeddingTable.LabelledBlock b = blocks.next();
                double[][] layers = new double[b.rows().layers().size()][];
                for (int p = 0; p < layers.length; p++) {
                    DMatrix m = b.rows().layers().get(p);
                    layers[p] = m.copy().data();
                }
                int[] codes = b.labels() != null && b.labels().task() == Task.CLASSIFICATION ? b.labels().codes() : null;
                double[] targets = b.labels() != null && b.labels().task() == Task.REGRESSION
                        ? b.labels().targetValues() : null;
                out.add(new Seen(partition, b.rows().firstRow(), layers, codes, targets));
            }
            return out;
        }).collect();
        List<Seen> all = new ArrayList<>();
        perPartition.forEach(all::addAll);
        return all;
    }

    /** Blocks of 3 rows over partitions of 4: sizes 3 and 1 in every partition, values and labels in order. */
    private static void checkBlocks(List<Seen> seen, Task task) {
        assertEquals(2 * PARTITIONS, seen.size());
        for (int b = 0; b < seen.size(); b++) {
            Seen s = seen.get(b);
            int partition = b / 2;
            long firstRow = b % 2 == 0 ? 0 : 3;
            int rows = b % 2 == 0 ? 3 : 1;
            assertEquals(partition, s.partition());
            assertEquals(firstRow, s.firstRow());
            for (int p = 0; p < WIDTHS.length; p++) {
                assertEquals(rows * WIDTHS[p], s.layers()[p].length);
                for (int r = 0; r < rows; r++) {
                    int row = partition * 4 + (int) firstRow + r;
                    for (int j = 0; j < WIDTHS[p]; j++) {
                        assertEquals(value(row, p, j), s.layers()[p][r * WIDTHS[p] + j], 0.0);
                    }
                }
            }
            for (int r = 0; r < rows; r++) {
                int row = partition * 4 + (int) firstRow + r;
                if (task == Task.CLASSIFICATION) {
                    assertEquals(row % 3, s.codes()[r], "class code of row " + row);
                } else if (task == Task.REGRESSION) {
                    assertEquals(0.5 * row, s.targets()[r], 0.0);
                } else {
                    assertNull(s.codes());
                    assertNull(s.targets());
                }
            }
        }
    }

    @Test
    void columnsPerLayerBecomeBlocksWithTheirLabels() {
        EmbeddingTable t = EmbeddingTable.open(table(false, DataTypes.StringType, null), "label");
        assertEquals(EmbeddingTable.Layout.COLUMN_PER_LAYER, t.layout());
        assertArrayEquals(WIDTHS, t.widths());
        assertArrayEquals(HIDDEN, t.layerIndices());
        assertEquals(Task.CLASSIFICATION, t.task());
        assertEquals(List.of(CLASSES), t.classNames());
        checkBlocks(readAll(t, 3), Task.CLASSIFICATION);
    }

    @Test
    void aLayerListColumnBecomesTheSameBlocks() {
        EmbeddingTable t = EmbeddingTable.open(table(true, DataTypes.StringType, null), "label");
        assertEquals(EmbeddingTable.Layout.LAYER_LIST, t.layout());
        assertArrayEquals(WIDTHS, t.widths());
        assertArrayEquals(new int[] {0, 1, 2}, t.layerIndices());
        checkBlocks(readAll(t, 3), Task.CLASSIFICATION);
    }

    @Test
    void aDoubleLabelIsARegressionTargetAndNoLabelIsLabelFree() {
        EmbeddingTable regression = EmbeddingTable.open(table(false, DataTypes.DoubleType, null), "label");
        assertEquals(Task.REGRESSION, regression.task());
        checkBlocks(readAll(regression, 3), Task.REGRESSION);
        EmbeddingTable free = EmbeddingTable.open(table(true, DataTypes.DoubleType, null), null);
        assertEquals(Task.LABEL_FREE, free.task());
        checkBlocks(readAll(free, 3), Task.LABEL_FREE);
    }

    /**
     * Runs a job over the blocks of {@code t} and returns the message of the exception its task threw. The
     * layer-value cases open their tables without labels: a class label column costs a distinct job on open.
     */
    private static String failure(EmbeddingTable t) {
        Exception e = assertThrows(Exception.class, () -> t.mapPartitions(4, (p, blocks) -> {
            long n = 0;
            for (Iterator<EmbeddingTable.LabelledBlock> it = blocks; it.hasNext(); ) {
                n += it.next().rows().rows();
            }
            return n;
        }).collect());
        Throwable root = LocalSpark.rootCause(e);
        assertTrue(root instanceof EmbeddingInputException, "root cause " + root);
        return root.getMessage();
    }

    /** Changes cell {@code column} of row 6 (partition 1, row 2) to {@code value}. */
    private static Dataset<Row> withRow6(boolean layerList, int column, Object value) {
        int[] row = {0};
        return table(layerList, DataTypes.StringType, cells -> {
            if (row[0]++ == 6) {
                cells[column] = value;
            }
            return cells;
        });
    }

    @Test
    void aMissingColumnFailsOnTheDriverNamingTheColumns() {
        Dataset<Row> good = table(false, DataTypes.StringType, null);
        IllegalArgumentException layer = assertThrows(IllegalArgumentException.class,
                () -> EmbeddingTable.openColumns(good, List.of("layer_0", "layer_9"), "label", null));
        assertEquals("layer column 'layer_9' not found; the table has the columns [layer_0, layer_2, layer_5, label]",
                layer.getMessage());
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> EmbeddingTable.open(good, "y"));
        assertEquals("label column 'y' not found; the table has the columns [layer_0, layer_2, layer_5, label]",
                label.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> EmbeddingTable.open(good.select("label"), "label"));
        assertEquals("layer columns: the table has neither 'layer_<k>' columns nor a 'layers' column; it has the "
                + "columns [label]", none.getMessage());
    }

    @Test
    void aColumnOfTheWrongTypeFailsOnTheDriver() {
        Dataset<Row> ints = table(false, DataTypes.StringType, null)
                .withColumn("layer_2", org.apache.spark.sql.functions.array(org.apache.spark.sql.functions.lit(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmbeddingTable.open(ints, "label"));
        assertEquals("column 'layer_2': type array<int> holds int, expected float or double", e.getMessage());
    }

    @Test
    void anArrayOfAnotherLengthFailsTheJobNamingColumnAndRow() {
        assertEquals("column 'layer_2', row 2 of partition 1: 4 values, expected 5 (the width of 'layer_2' in the "
                + "table's first row)", failure(EmbeddingTable.open(withRow6(false, 1, new float[4]), null)));
    }

    @Test
    void aLayerListOfAnotherLengthFailsTheJobNamingColumnAndRow() {
        assertEquals("column 'layers', row 2 of partition 1: 2 layers, expected 3 (the table's first row has 3)",
                failure(EmbeddingTable.open(withRow6(true, 0, new float[][] {vector(6, 0), vector(6, 1)}), null)));
        assertEquals("column 'layers', row 2 of partition 1: layer 1: 6 values, expected 5 (the width of layer 1 in "
                + "the table's first row)", failure(EmbeddingTable.open(
                withRow6(true, 0, new float[][] {vector(6, 0), new float[6], vector(6, 2)}), null)));
    }

    @Test
    void nullsFailTheJobNamingColumnAndRow() {
        assertEquals("column 'layer_0', row 2 of partition 1: null",
                failure(EmbeddingTable.open(withRow6(false, 0, null), null)));
        assertEquals("column 'layer_5', row 2 of partition 1: null at element 1",
                failure(EmbeddingTable.open(withRow6(false, 2, new Float[] {0f, null}), null)));
        assertEquals("column 'layers', row 2 of partition 1: null at layer 2",
                failure(EmbeddingTable.open(withRow6(true, 0, new float[][] {vector(6, 0), vector(6, 1), null}), null)));
        assertEquals("column 'label', row 2 of partition 1: null label",
                failure(EmbeddingTable.open(withRow6(false, 3, null), "label")));
    }

    @Test
    void nanAndInfinityFailTheJobNamingColumnAndRow() {
        float[] nan = vector(6, 1);
        nan[3] = Float.NaN;
        assertEquals("column 'layer_2', row 2 of partition 1: NaN at element 3",
                failure(EmbeddingTable.open(withRow6(false, 1, nan), null)));
        float[] inf = vector(6, 2);
        inf[0] = Float.NEGATIVE_INFINITY;
        assertEquals("column 'layers', row 2 of partition 1: layer 2: -Infinity at element 0",
                failure(EmbeddingTable.open(withRow6(true, 0, new float[][] {vector(6, 0), vector(6, 1), inf}), null)));
        int[] row = {0};
        Dataset<Row> nanTarget = table(false, DataTypes.DoubleType, cells -> {
            if (row[0]++ == 6) {
                cells[3] = Double.NaN;
            }
            return cells;
        });
        assertEquals("column 'label', row 2 of partition 1: regression target NaN",
                failure(EmbeddingTable.open(nanTarget, "label")));
    }
}
