package org.loes4j.spark;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.loes4j.data.EmbeddingStream.RowBlock;
import org.loes4j.data.Labels;
import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;

/**
 * Layered embeddings held in a Spark table, read partition by partition as the row blocks of an
 * {@link org.loes4j.data.EmbeddingStream}, each with the labels of its rows: the input side of selection on
 * Spark (whose mergeable statistics arrive separately).
 *
 * <p>Two layouts, plus an optional label column:
 * <ul>
 *   <li>{@link Layout#COLUMN_PER_LAYER}: one {@code array<float>} (or {@code array<double>}) column per layer,
 *       as {@link SparkExtract} and {@link NpyTable} write them ({@code layer_<k>} holds hidden state k);</li>
 *   <li>{@link Layout#LAYER_LIST}: one {@code array<array<float>>} (or double) column, row i holding the L
 *       layers of sample i in hidden-state order.</li>
 * </ul>
 * Layers may differ in width. The widths are those of the table's first row (read on the driver when the
 * table is opened); every row of every partition is then checked against them as it is read.
 *
 * <p>Errors: a missing column, or a column of the wrong type, fails on the driver when the table is opened.
 * A bad value fails the task that reads it with an {@link EmbeddingInputException} naming the column and the
 * row (its index within its partition, and the partition): a null (layer value, element or label), an array
 * whose length differs from the first row's, a NaN or infinite value (embedding or regression target). Row
 * indices are per partition because a partition does not know how many rows precede it without another pass
 * over the table.
 *
 * <p>Labels: a string, boolean or integral label column is a classification task, a floating-point or
 * decimal one a regression task (or name the task); no label column is {@link Task#LABEL_FREE}. Class names
 * are collected on the driver when the table is opened (one distinct pass) and coded as {@link
 * Labels#classification(List)} codes them, so every partition's labels share one coding.
 *
 * <p>Instances are serializable (the table itself is not kept in the copy that travels to the executors).
 */
public final class EmbeddingTable implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final Pattern LAYER_COLUMN = Pattern.compile(Pattern.quote(SparkExtract.LAYER_PREFIX) + "(\\d+)");
    /** The column {@link #open} looks for when the table has no {@code layer_<k>} columns. */
    public static final String LAYER_LIST_COLUMN = "layers";

    /** How the layers are laid out in the table. */
    public enum Layout {
        /** One array column per layer. */
        COLUMN_PER_LAYER,
        /** One column of arrays, one per layer. */
        LAYER_LIST
    }

    private final Layout layout;
    private final String[] columns;
    private final int[] columnIndices;
    private final int[] widths;
    private final int[] layerIndices;
    private final String labelColumn;
    private final int labelIndex;
    private final Task task;
    private final ArrayList<String> classNames;
    private final transient Dataset<Row> table;

    private EmbeddingTable(Dataset<Row> table, Layout layout, String[] columns, int[] columnIndices, int[] widths,
                           int[] layerIndices, String labelColumn, int labelIndex, Task task, List<String> classNames) {
        this.table = table;
        this.layout = layout;
        this.columns = columns;
        this.columnIndices = columnIndices;
        this.widths = widths;
        this.layerIndices = layerIndices;
        this.labelColumn = labelColumn;
        this.labelIndex = labelIndex;
        this.task = task;
        this.classNames = new ArrayList<>(classNames);
    }

    /**
     * Opens {@code table} in the layout its columns show: the {@code layer_<k>} columns in order of k if
     * there are any, else the {@value #LAYER_LIST_COLUMN} column. The task follows from the label column's
     * type.
     *
     * @param labelColumn the label column, or {@code null} for none (label-free)
     * @throws IllegalArgumentException when neither layout is there (listing the columns), or a column is
     *                                  missing or of the wrong type
     */
    public static EmbeddingTable open(Dataset<Row> table, String labelColumn) {
        requireTable(table);
        TreeMap<Long, String> layers = new TreeMap<>();
        for (String name : table.schema().fieldNames()) {
            Matcher m = LAYER_COLUMN.matcher(name);
            if (m.matches()) {
                layers.put(Long.parseLong(m.group(1)), name);
            }
        }
        if (!layers.isEmpty()) {
            return openColumns(table, new ArrayList<>(layers.values()), labelColumn, null);
        }
        if (Arrays.asList(table.schema().fieldNames()).contains(LAYER_LIST_COLUMN)) {
            return openLayerList(table, LAYER_LIST_COLUMN, labelColumn, null);
        }
        throw new IllegalArgumentException("layer columns: the table has neither '" + SparkExtract.LAYER_PREFIX
                + "<k>' columns nor a '" + LAYER_LIST_COLUMN + "' column; it has the columns "
                + Arrays.toString(table.schema().fieldNames()));
    }

    /**
     * Opens {@code table} with one array column per layer, in the order given. A column named
     * {@code layer_<k>} is hidden state k; any other name takes its position in the list.
     *
     * @param task the task, or {@code null} to infer it from the label column's type
     */
    public static EmbeddingTable openColumns(Dataset<Row> table, List<String> layerColumns, String labelColumn,
                                             Task task) {
        requireTable(table);
        if (layerColumns == null || layerColumns.isEmpty()) {
            throw new IllegalArgumentException("layerColumns: empty");
        }
        StructType schema = table.schema();
        int l = layerColumns.size();
        String[] names = layerColumns.toArray(new String[0]);
        int[] indices = new int[l];
        int[] hidden = new int[l];
        for (int p = 0; p < l; p++) {
            indices[p] = Columns.index(schema, names[p], "layer column");
            requireFloatArray(schema.fields()[indices[p]], 1);
            Matcher m = LAYER_COLUMN.matcher(names[p]);
            hidden[p] = m.matches() ? Integer.parseInt(m.group(1)) : p;
        }
        Row first = firstRow(table, names);
        int[] widths = new int[l];
        for (int p = 0; p < l; p++) {
            widths[p] = firstRowWidth(first, p, names[p]);
        }
        return withLabels(table, Layout.COLUMN_PER_LAYER, names, indices, widths, hidden, labelColumn, task);
    }

    /**
     * Opens {@code table} with the layers of a row in one column of arrays; layer position p is hidden
     * state p.
     *
     * @param task the task, or {@code null} to infer it from the label column's type
     */
    public static EmbeddingTable openLayerList(Dataset<Row> table, String layersColumn, String labelColumn,
                                               Task task) {
        requireTable(table);
        StructType schema = table.schema();
        int index = Columns.index(schema, layersColumn, "layers column");
        requireFloatArray(schema.fields()[index], 2);
        Row first = firstRow(table, new String[] {layersColumn});
        if (first.isNullAt(0)) {
            throw new EmbeddingInputException("column '" + layersColumn + "', the table's first row: null");
        }
        List<?> layers = asList(first.get(0));
        if (layers.isEmpty()) {
            throw new EmbeddingInputException("column '" + layersColumn + "', the table's first row: no layers");
        }
        int[] widths = new int[layers.size()];
        int[] hidden = new int[layers.size()];
        for (int p = 0; p < widths.length; p++) {
            Object layer = layers.get(p);
            if (layer == null) {
                throw new EmbeddingInputException("column '" + layersColumn + "', the table's first row: null at layer "
                        + p);
            }
            widths[p] = asList(layer).size();
            if (widths[p] == 0) {
                throw new EmbeddingInputException("column '" + layersColumn + "', the table's first row: layer " + p
                        + " is empty");
            }
            hidden[p] = p;
        }
        return withLabels(table, Layout.LAYER_LIST, new String[] {layersColumn}, new int[] {index}, widths, hidden,
                labelColumn, task);
    }

    private static EmbeddingTable withLabels(Dataset<Row> table, Layout layout, String[] columns, int[] indices,
                                             int[] widths, int[] hidden, String labelColumn, Task task) {
        if (labelColumn == null) {
            if (task != null && task != Task.LABEL_FREE) {
                throw new IllegalArgumentException("task: " + task.cliName() + " needs a label column");
            }
            return new EmbeddingTable(table, layout, columns, indices, widths, hidden, null, -1, Task.LABEL_FREE,
                    List.of());
        }
        StructType schema = table.schema();
        int labelIndex = Columns.index(schema, labelColumn, "label column");
        DataType type = schema.fields()[labelIndex].dataType();
        Task t = task != null ? task : inferTask(labelColumn, type);
        List<String> names = List.of();
        switch (t) {
            case LABEL_FREE -> throw new IllegalArgumentException("task: label-free, but label column '" + labelColumn
                    + "' is given");
            case REGRESSION -> {
                if (!(type instanceof org.apache.spark.sql.types.NumericType)) {
                    throw new IllegalArgumentException("label column '" + labelColumn + "': type " + type.simpleString()
                            + " is not numeric; a regression target must be");
                }
            }
            case CLASSIFICATION -> names = classNames(table, labelColumn);
        }
        return new EmbeddingTable(table, layout, columns, indices, widths, hidden, labelColumn, labelIndex, t, names);
    }

    private static Task inferTask(String labelColumn, DataType type) {
        if (type.equals(DataTypes.StringType) || type instanceof BooleanType || isIntegral(type)) {
            return Task.CLASSIFICATION;
        }
        if (type.equals(DataTypes.FloatType) || type.equals(DataTypes.DoubleType) || type instanceof DecimalType) {
            return Task.REGRESSION;
        }
        throw new IllegalArgumentException("label column '" + labelColumn + "': type " + type.simpleString()
                + " is neither a class label (string, boolean, integer) nor a regression target (float, double, decimal)");
    }

    private static boolean isIntegral(DataType type) {
        return type.equals(DataTypes.ByteType) || type.equals(DataTypes.ShortType) || type.equals(DataTypes.IntegerType)
                || type.equals(DataTypes.LongType);
    }

    /** The distinct non-null labels, in the order {@link Labels#classification(List)} codes them. */
    private static List<String> classNames(Dataset<Row> table, String labelColumn) {
        List<Row> distinct = table.select(labelColumn).distinct().collectAsList();
        List<String> names = new ArrayList<>(distinct.size());
        for (Row r : distinct) {
            if (!r.isNullAt(0)) {
                names.add(labelString(r.get(0)));
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("label column '" + labelColumn + "': no non-null labels");
        }
        return Labels.classification(names).names();
    }

    /** A label value as the class name {@link #classNames()} holds it. */
    static String labelString(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return Long.toString(((Number) value).longValue());
        }
        return value.toString();
    }

    private static void requireTable(Dataset<Row> table) {
        if (table == null) {
            throw new IllegalArgumentException("table: null");
        }
    }

    /** Checks that {@code field} is an array (nested {@code depth} deep) of float or double. */
    private static void requireFloatArray(StructField field, int depth) {
        DataType t = field.dataType();
        for (int i = 0; i < depth; i++) {
            if (!(t instanceof ArrayType a)) {
                throw new IllegalArgumentException("column '" + field.name() + "': type " + field.dataType().simpleString()
                        + ", expected " + (depth == 1 ? "array<float> or array<double>"
                        : "array<array<float>> or array<array<double>>"));
            }
            t = a.elementType();
        }
        if (!t.equals(DataTypes.FloatType) && !t.equals(DataTypes.DoubleType)) {
            throw new IllegalArgumentException("column '" + field.name() + "': type " + field.dataType().simpleString()
                    + " holds " + t.simpleString() + ", expected float or double");
        }
    }

    private static Row firstRow(Dataset<Row> table, String[] names) {
        List<Row> head = table.selectExpr(quoted(names)).takeAsList(1);
        if (head.isEmpty()) {
            throw new IllegalArgumentException("table: no rows");
        }
        return head.getFirst();
    }

    private static String[] quoted(String[] names) {
        String[] q = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            q[i] = "`" + names[i].replace("`", "``") + "`";
        }
        return q;
    }

    private static int firstRowWidth(Row first, int position, String column) {
        if (first.isNullAt(position)) {
            throw new EmbeddingInputException("column '" + column + "', the table's first row: null");
        }
        int w = asList(first.get(position)).size();
        if (w == 0) {
            throw new EmbeddingInputException("column '" + column + "', the table's first row: an empty array");
        }
        return w;
    }

    /** An array cell as Spark hands it to a {@link Row} (a Scala sequence), or a Java list or array, as a list. */
    private static List<?> asList(Object cell) {
        return switch (cell) {
            case List<?> list -> list;
            case scala.collection.Seq<?> seq -> scala.jdk.javaapi.CollectionConverters.asJava(seq);
            case Object[] array -> Arrays.asList(array);
            case float[] array -> {
                List<Float> out = new ArrayList<>(array.length);
                for (float v : array) {
                    out.add(v);
                }
                yield out;
            }
            case double[] array -> {
                List<Double> out = new ArrayList<>(array.length);
                for (double v : array) {
                    out.add(v);
                }
                yield out;
            }
            default -> throw new IllegalArgumentException("cell: " + cell.getClass().getName() + " is not an array");
        };
    }

    public Layout layout() {
        return layout;
    }

    /** L. */
    public int layerCount() {
        return widths.length;
    }

    /** Width d_l of layer position {@code position}. */
    public int width(int position) {
        return widths[position];
    }

    /** The hidden-state index of layer position {@code position}. */
    public int layerIndex(int position) {
        return layerIndices[position];
    }

    /** The widths of all layer positions (a copy). */
    public int[] widths() {
        return widths.clone();
    }

    /** The hidden-state indices of all layer positions (a copy). */
    public int[] layerIndices() {
        return layerIndices.clone();
    }

    /** The table this instance reads ({@code null} in a copy deserialized on an executor). */
    Dataset<Row> dataset() {
        return table;
    }

    public Task task() {
        return task;
    }

    /** The label column, or {@code null} (label-free). */
    public String labelColumn() {
        return labelColumn;
    }

    /** The class names in code order (classification), else empty. */
    public List<String> classNames() {
        return Collections.unmodifiableList(classNames);
    }

    /**
     * Rows {@code [firstRow, firstRow + rows())} of one partition, with their labels.
     *
     * @param partition the partition's index
     * @param rows      the layers of the block; {@link RowBlock#firstRow()} counts from the partition's first row
     * @param labels    the block's labels (classification codes in the table's coding, or regression targets),
     *                  or {@code null} when the table is label-free
     */
    public record LabelledBlock(int partition, RowBlock rows, Labels labels) {
    }

    /** Computes one result from the blocks of one partition (a mergeable statistic, typically). */
    @FunctionalInterface
    public interface PartitionFunction<R> extends Serializable {
        R apply(int partition, Iterator<LabelledBlock> blocks) throws Exception;
    }

    /**
     * One result per partition: {@code f} runs on the executors over the partition's blocks of at most
     * {@code blockRows} rows. Lazy, as Spark is: nothing runs until the result is collected or reduced.
     *
     * @throws IllegalStateException on an instance deserialized on an executor (it holds no table)
     */
    public <R> JavaRDD<R> mapPartitions(int blockRows, PartitionFunction<R> f) {
        requireBlockRows(blockRows);
        if (f == null) {
            throw new IllegalArgumentException("f: null");
        }
        if (table == null) {
            throw new IllegalStateException("this EmbeddingTable was deserialized and holds no table");
        }
        EmbeddingTable self = this;
        return table.toJavaRDD().mapPartitionsWithIndex(
                (partition, rows) -> List.of(f.apply(partition, self.blocks(partition, rows, blockRows))).iterator(),
                true);
    }

    /**
     * The blocks of one partition, read lazily from its rows (the rows of this table's schema, as
     * {@code table.toJavaRDD()} hands them out), each value checked as it is read.
     *
     * @throws EmbeddingInputException (while iterating) naming the column and the row of a bad value
     */
    public Iterator<LabelledBlock> blocks(int partition, Iterator<Row> rows, int blockRows) {
        requireBlockRows(blockRows);
        if (rows == null) {
            throw new IllegalArgumentException("rows: null");
        }
        return new Blocks(partition, rows, blockRows);
    }

    private static void requireBlockRows(int blockRows) {
        if (blockRows < 1) {
            throw new IllegalArgumentException("blockRows: " + blockRows + " must be >= 1");
        }
    }

    /** Reads up to blockRows rows into one float64 matrix per layer, checking every value. */
    private final class Blocks implements Iterator<LabelledBlock> {
        private final int partition;
        private final Iterator<Row> in;
        private final int blockRows;
        private long row;

        Blocks(int partition, Iterator<Row> in, int blockRows) {
            this.partition = partition;
            this.in = in;
            this.blockRows = blockRows;
        }

        @Override
        public boolean hasNext() {
            return in.hasNext();
        }

        @Override
        public LabelledBlock next() {
            if (!in.hasNext()) {
                throw new NoSuchElementException();
            }
            long firstRow = row;
            int l = widths.length;
            double[][] data = new double[l][];
            for (int p = 0; p < l; p++) {
                data[p] = new double[blockRows * widths[p]];
            }
            List<String> classes = task == Task.CLASSIFICATION ? new ArrayList<>() : null;
            double[] targets = task == Task.REGRESSION ? new double[blockRows] : null;
            int n = 0;
            while (n < blockRows && in.hasNext()) {
                Row r = in.next();
                if (layout == Layout.COLUMN_PER_LAYER) {
                    for (int p = 0; p < l; p++) {
                        if (r.isNullAt(columnIndices[p])) {
                            throw bad(columns[p], "null");
                        }
                        read(asList(r.get(columnIndices[p])), p, data[p], n, columns[p], "");
                    }
                } else {
                    if (r.isNullAt(columnIndices[0])) {
                        throw bad(columns[0], "null");
                    }
                    List<?> layers = asList(r.get(columnIndices[0]));
                    if (layers.size() != l) {
                        throw bad(columns[0], layers.size() + " layers, expected " + l + " (the table's first row has "
                                + l + ")");
                    }
                    for (int p = 0; p < l; p++) {
                        Object layer = layers.get(p);
                        if (layer == null) {
                            throw bad(columns[0], "null at layer " + p);
                        }
                        read(asList(layer), p, data[p], n, columns[0], "layer " + p + ": ");
                    }
                }
                if (labelIndex >= 0) {
                    if (r.isNullAt(labelIndex)) {
                        throw bad(labelColumn, "null label");
                    }
                    Object v = r.get(labelIndex);
                    if (classes != null) {
                        classes.add(labelString(v));
                    } else {
                        double t = ((Number) v).doubleValue();
                        if (!Double.isFinite(t)) {
                            throw bad(labelColumn, "regression target " + t);
                        }
                        targets[n] = t;
                    }
                }
                n++;
                row++;
            }
            List<DMatrix> layers = new ArrayList<>(l);
            for (int p = 0; p < l; p++) {
                double[] d = n == blockRows ? data[p] : Arrays.copyOf(data[p], n * widths[p]);
                layers.add(DMatrix.wrap(d, n, widths[p]));
            }
            Labels labels = switch (task) {
                case CLASSIFICATION -> Labels.classification(classes, classNames);
                case REGRESSION -> Labels.regression(n == blockRows ? targets : Arrays.copyOf(targets, n));
                case LABEL_FREE -> null;
            };
            return new LabelledBlock(partition, new RowBlock(firstRow, layers), labels);
        }

        /** Copies one layer vector of the current row into row n of {@code dst}, checking length and values. */
        private void read(List<?> values, int position, double[] dst, int n, String column, String where) {
            int w = widths[position];
            if (values.size() != w) {
                throw bad(column, where + values.size() + " values, expected " + w + " (the width of "
                        + (layout == Layout.COLUMN_PER_LAYER ? "'" + column + "'" : "layer " + position)
                        + " in the table's first row)");
            }
            int base = n * w;
            for (int j = 0; j < w; j++) {
                Object v = values.get(j);
                if (v == null) {
                    throw bad(column, where + "null at element " + j);
                }
                double x = ((Number) v).doubleValue();
                if (!Double.isFinite(x)) {
                    throw bad(column, where + x + " at element " + j);
                }
                dst[base + j] = x;
            }
        }

        private EmbeddingInputException bad(String column, String problem) {
            return new EmbeddingInputException("column '" + column + "', row " + row + " of partition " + partition
                    + ": " + problem);
        }
    }
}
