package org.loes4j.spark;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.loes4j.data.EmbeddingStream;
import org.loes4j.data.EmbeddingStream.RowBlock;
import org.loes4j.data.Labels;
import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.io.FileDigests;
import org.loes4j.selection.Loes;
import org.loes4j.selection.LoesOptions;
import org.loes4j.selection.SelectionResult;
import org.loes4j.selection.stats.LoesStatistics;
import org.loes4j.selection.stats.Moments;

/**
 * LOES on Spark: the statistics route ({@link LoesStatistics}) with one accumulator per partition. Each
 * partition folds the calibration rows it holds into its own statistics, ships them as a {@link Moments}
 * snapshot, the snapshots are combined with {@code treeReduce} (on the executors, by the pairwise update), and
 * the driver selects from the merged statistics with the same code as the local statistics route
 * ({@link Loes#select(LoesStatistics)}). Same selection as {@code Loes.select} on the same rows, whatever the
 * partitioning.
 *
 * <p>Rows: the calibration split is drawn over global row indices, so every row must know its index in the
 * whole table. With a <b>row column</b> (a long or int column holding 0 .. N-1 once each: {@link NpyTable}'s
 * {@code row}; any table written with one) that column is the index, and partitions may hold any rows in any
 * order (rows with consecutive indices are read as one block, so a partition sorted by the column is read
 * fastest). <b>Without</b> one, rows are numbered in the table's order, partition by partition (what
 * {@code zipWithIndex} does): a first pass counts each partition's rows, and the second checks the count is
 * the same. That order is the order of the table as Spark reads it, which for a table of several files need
 * not be the order the files were written in: give a row column to match a local run on the same rows.
 *
 * <p>Labels: given (read on the driver, e.g. the labels file of an .npy), or collected on the driver from the
 * table's label column in the first pass (N values). The driver then broadcasts them, coded, to the executors,
 * which draw the same calibration rows and targets from them. Driver memory: N labels (and N row indices with
 * a row column) plus the merged statistics; executor memory per task: the statistics, one block and the
 * labels.
 */
public final class SparkLoes {
    /** Rows per block read from a partition (the local statistics route's block size). */
    public static final int BLOCK_ROWS = Loes.STREAMING_BLOCK_ROWS;

    private SparkLoes() {
    }

    /**
     * LOES on {@code table}.
     *
     * @param rowColumn    the row-index column, or {@code null} to number rows in the table's order
     * @param labels       labels of every row, by global row index; {@code null}: those of the table's label
     *                     column (or none, label-free)
     * @param options      the selection's options; its task must be the table's (or the given labels')
     * @param inputDigests input names and digests for the provenance (may be empty)
     * @throws IllegalArgumentException naming the argument: a row column that is missing, not integral or not a
     *                                  permutation of 0..N-1; labels that do not fit; N &lt; D
     */
    public static SelectionResult select(EmbeddingTable table, String rowColumn, Labels labels, LoesOptions options,
                                         boolean diagnostics, Map<String, String> inputDigests) {
        long t0 = System.nanoTime();
        Accumulated a = accumulate(table, rowColumn, labels, options);
        long t1 = System.nanoTime();
        SelectionResult r = Loes.builder().options(options).diagnostics(diagnostics)
                .inputDigests(inputDigests == null ? Map.of() : inputDigests).build().select(a.statistics());
        long t2 = System.nanoTime();
        SparkSession spark = table.dataset().sparkSession();
        Map<String, Object> sparkDetail = new LinkedHashMap<>();
        sparkDetail.put("version", spark.version());
        sparkDetail.put("master", spark.sparkContext().master());
        sparkDetail.put("partitions", a.partitions());
        sparkDetail.put("blockRows", BLOCK_ROWS);
        sparkDetail.put("rowNumbering", rowColumn == null ? "table order" : "row column '" + rowColumn + "'");
        sparkDetail.put("layout", table.layout().name().toLowerCase(java.util.Locale.ROOT));
        Map<String, Double> timings = new LinkedHashMap<>();
        timings.put("sparkLabelsPassMs", a.labelsPassMs());
        timings.put("sparkAccumulateMs", ms(t0, t1) - a.labelsPassMs());
        timings.put("driverSelectMs", ms(t1, t2));
        return r.withProvenance(r.provenance().withDetail("spark", sparkDetail).withTimings(timings));
    }

    /**
     * LOES on an (N, L, d) {@code embeddings.npy} read through {@link NpyTable} in {@code partitions} row ranges,
     * with the labels of {@code labels} (read on the driver by {@link Labels#read}, as {@code loes select} reads
     * them; {@code null} for label-free). The files are digested on the driver for the provenance.
     */
    public static SelectionResult selectNpy(SparkSession spark, Path embeddings, Path labels, int partitions,
                                            LoesOptions options, boolean diagnostics) {
        if (options == null) {
            throw new IllegalArgumentException("options: null");
        }
        Labels y = null;
        Map<String, String> digests = new LinkedHashMap<>();
        try {
            if (options.task() != Task.LABEL_FREE) {
                if (labels == null) {
                    throw new IllegalArgumentException("labels: required for the task " + options.task().cliName());
                }
                y = Labels.read(labels, options.task());
            }
            digests.put("embeddings", embeddings + " sha256:" + FileDigests.sha256(embeddings));
            if (y != null) {
                digests.put("labels", labels + " sha256:" + FileDigests.sha256(labels));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        Dataset<Row> rows = NpyTable.read(spark, embeddings, null, partitions);
        List<String> layers = new ArrayList<>();
        for (String name : rows.schema().fieldNames()) {
            if (name.startsWith(SparkExtract.LAYER_PREFIX)) {
                layers.add(name);
            }
        }
        EmbeddingTable table = EmbeddingTable.openColumns(rows, layers, null, Task.LABEL_FREE);
        return select(table, NpyTable.ROW_COLUMN, y, options, diagnostics, digests);
    }

    /** The merged statistics and how they were made. */
    public record Accumulated(LoesStatistics statistics, int partitions, double labelsPassMs) {
    }

    /**
     * The {@link LoesStatistics} of the calibration rows of {@code table}, accumulated per partition and merged:
     * what {@link #select} selects from. Arguments as there.
     */
    public static Accumulated accumulate(EmbeddingTable table, String rowColumn, Labels labels, LoesOptions options) {
        if (table == null || options == null) {
            throw new IllegalArgumentException("table, options: null");
        }
        Dataset<Row> ds = table.dataset();
        if (ds == null) {
            throw new IllegalArgumentException("table: deserialized, holds no table");
        }
        long t0 = System.nanoTime();
        int rowIndex = -1;
        if (rowColumn != null) {
            rowIndex = Columns.index(ds.schema(), rowColumn, "row column");
            DataType t = ds.schema().fields()[rowIndex].dataType();
            if (!t.equals(DataTypes.LongType) && !t.equals(DataTypes.IntegerType)) {
                throw new IllegalArgumentException("row column '" + rowColumn + "': type " + t.simpleString()
                        + ", expected bigint or int");
            }
        }
        boolean fromTable = labels == null && options.task() != Task.LABEL_FREE;
        if (fromTable && table.task() != options.task()) {
            throw new IllegalArgumentException("task: " + options.task().cliName() + ", but the table's label column "
                    + (table.labelColumn() == null ? "is not given" : "'" + table.labelColumn() + "' makes it "
                    + table.task().cliName()));
        }
        RowsAndLabels first = firstPass(table, ds, rowColumn, fromTable);
        Labels y = options.task() == Task.LABEL_FREE ? null : fromTable ? first.labels : labels;
        if (y != null && y.isClassification() && y.presentClassesOnly().classCount() < 2) {
            throw new IllegalArgumentException("labels: only one class present, classification needs at least 2");
        }
        double labelsPassMs = ms(t0, System.nanoTime());
        EmbeddingStream layout = EmbeddingStream.of(table.widths(), table.layerIndices(), Collections::emptyIterator);
        // On the driver first: refuses N < D or statistics over the heap before any executor works.
        LoesStatistics total = LoesStatistics.empty(Linalg.get(), layout, y, options, first.rows,
                LoesStatistics.defaultBudgetBytes());
        Plan plan = Plan.of(table, y, options, first.rows, first.offsets, first.counts);
        Broadcast<Plan> shared = JavaSparkContext.fromSparkContext(ds.sparkSession().sparkContext()).broadcast(plan);
        int rowIdx = rowIndex;
        JavaRDD<Moments> parts = ds.toJavaRDD().mapPartitionsWithIndex(
                (p, rows) -> List.of(partitionMoments(table, shared.value(), p, rows, rowIdx)).iterator(), true);
        int partitions = parts.getNumPartitions();
        Moments merged = parts.treeReduce(Moments::merge);
        shared.destroy();
        total.merge(merged);
        if (total.accumulatedRows() != total.calibrationRows()) {
            throw new IllegalStateException("spark: " + total.accumulatedRows() + " calibration rows folded in, expected "
                    + total.calibrationRows());
        }
        return new Accumulated(total, partitions, labelsPassMs);
    }

    /** One partition's statistics (runs on an executor). */
    private static Moments partitionMoments(EmbeddingTable table, Plan plan, int partition, Iterator<Row> rows,
                                            int rowIndex) {
        LoesStatistics s = LoesStatistics.empty(Linalg.get(), plan.layout(), plan.labels(), plan.options(),
                plan.rows, LoesStatistics.defaultBudgetBytes());
        Runs runs = new Runs(rows, rowIndex, rowIndex < 0 ? plan.offsets[partition] : 0);
        long seen = 0;
        while (runs.nextRun()) {
            long first = runs.runStart;
            Iterator<EmbeddingTable.LabelledBlock> blocks = table.blocks(partition, runs, BLOCK_ROWS);
            while (blocks.hasNext()) {
                RowBlock b = blocks.next().rows();
                s.add(new RowBlock(first + b.firstRow(), b.layers()));
                seen += b.rows();
            }
        }
        if (rowIndex < 0 && seen != plan.counts[partition]) {
            throw new IllegalStateException("partition " + partition + ": " + seen + " rows, but " + plan.counts[partition]
                    + " when the rows were numbered (the table's partitions changed between the passes); give a "
                    + "row column");
        }
        return s.moments();
    }

    /**
     * The rows of a partition as runs of consecutive global indices: with a row column, a run ends where the
     * next row's index is not the previous one's plus one; without, the partition is one run starting at its
     * offset. The instance is the iterator over the current run's rows.
     */
    private static final class Runs implements Iterator<Row> {
        private final Iterator<Row> in;
        private final int rowIndex;
        private Row peeked;
        private long runStart;
        private long expected;
        private boolean started;

        Runs(Iterator<Row> in, int rowIndex, long offset) {
            this.in = in;
            this.rowIndex = rowIndex;
            this.runStart = offset;
        }

        /** Starts the next run; false when the partition is exhausted. */
        boolean nextRun() {
            if (rowIndex < 0) {
                boolean first = !started;
                started = true;
                return first && in.hasNext();
            }
            if (peeked == null && !in.hasNext()) {
                return false;
            }
            if (peeked == null) {
                peeked = in.next();
            }
            runStart = index(peeked);
            expected = runStart;
            return true;
        }

        private long index(Row r) {
            return ((Number) r.get(rowIndex)).longValue();
        }

        @Override
        public boolean hasNext() {
            if (rowIndex < 0) {
                return in.hasNext();
            }
            if (peeked == null && in.hasNext()) {
                peeked = in.next();
            }
            return peeked != null && index(peeked) == expected;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            if (rowIndex < 0) {
                return in.next();
            }
            Row r = peeked;
            peeked = null;
            expected++;
            return r;
        }
    }

    /** What the first pass found: N, each partition's rows and offset (table order), and the table's labels. */
    private record RowsAndLabels(int rows, long[] counts, long[] offsets, Labels labels) {
    }

    /** One partition's share of the first pass. */
    private record LabelPart(long count, long[] rowIds, String[] classes, double[] targets) implements Serializable {
    }

    private static RowsAndLabels firstPass(EmbeddingTable table, Dataset<Row> ds, String rowColumn, boolean labels) {
        List<Column> cols = new ArrayList<>();
        if (rowColumn != null) {
            cols.add(functions.col("`" + rowColumn.replace("`", "``") + "`"));
        }
        String labelColumn = table.labelColumn();
        if (labels) {
            cols.add(functions.col("`" + labelColumn.replace("`", "``") + "`"));
        }
        if (cols.isEmpty()) {
            cols.add(functions.lit(1));
        }
        boolean withRows = rowColumn != null;
        Task task = table.task();
        List<LabelPart> parts = ds.select(cols.toArray(new Column[0])).toJavaRDD().mapPartitionsWithIndex((p, it) -> {
            long n = 0;
            long[] ids = withRows ? new long[16] : null;
            List<String> classes = labels && task == Task.CLASSIFICATION ? new ArrayList<>() : null;
            double[] targets = labels && task == Task.REGRESSION ? new double[16] : null;
            while (it.hasNext()) {
                Row r = it.next();
                int c = 0;
                if (withRows) {
                    if (r.isNullAt(0)) {
                        throw new EmbeddingInputException("column '" + rowColumn + "', row " + n + " of partition " + p
                                + ": null row index");
                    }
                    if (n == ids.length) {
                        ids = java.util.Arrays.copyOf(ids, ids.length * 2);
                    }
                    ids[(int) n] = ((Number) r.get(0)).longValue();
                    c = 1;
                }
                if (labels) {
                    if (r.isNullAt(c)) {
                        throw new EmbeddingInputException("column '" + labelColumn + "', row " + n + " of partition "
                                + p + ": null label");
                    }
                    if (classes != null) {
                        classes.add(EmbeddingTable.labelString(r.get(c)));
                    } else {
                        if (n == targets.length) {
                            targets = java.util.Arrays.copyOf(targets, targets.length * 2);
                        }
                        targets[(int) n] = ((Number) r.get(c)).doubleValue();
                    }
                }
                n++;
            }
            int k = (int) n;
            return List.of(new LabelPart(n, ids == null ? null : java.util.Arrays.copyOf(ids, k),
                    classes == null ? null : classes.toArray(new String[0]),
                    targets == null ? null : java.util.Arrays.copyOf(targets, k))).iterator();
        }, true).collect();
        long total = 0;
        long[] counts = new long[parts.size()];
        long[] offsets = new long[parts.size()];
        for (int p = 0; p < parts.size(); p++) {
            offsets[p] = total;
            counts[p] = parts.get(p).count();
            total += counts[p];
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("table: " + total + " rows; the calibration split indexes rows by int");
        }
        int n = (int) total;
        if (n < 2) {
            throw new IllegalArgumentException("table: " + n + " row(s), at least 2 are needed");
        }
        // position[i]: where the row with global index i sits in table order.
        int[] position = null;
        if (withRows) {
            position = new int[n];
            BitSet seen = new BitSet(n);
            int at = 0;
            for (LabelPart part : parts) {
                for (long id : part.rowIds()) {
                    if (id < 0 || id >= n || seen.get((int) id)) {
                        throw new IllegalArgumentException("row column '" + rowColumn + "': index " + id
                                + (id < 0 || id >= n ? " is outside [0, " + n + ")" : " appears twice")
                                + "; it must hold 0 .. N-1 once each (N = " + n + " rows)");
                    }
                    seen.set((int) id);
                    position[(int) id] = at++;
                }
            }
        }
        Labels y = null;
        if (labels) {
            if (task == Task.CLASSIFICATION) {
                List<String> inOrder = new ArrayList<>(n);
                for (LabelPart part : parts) {
                    Collections.addAll(inOrder, part.classes());
                }
                List<String> byRow = inOrder;
                if (position != null) {
                    byRow = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        byRow.add(inOrder.get(position[i]));
                    }
                }
                y = Labels.classification(byRow, table.classNames());
            } else {
                double[] inOrder = new double[n];
                int at = 0;
                for (LabelPart part : parts) {
                    System.arraycopy(part.targets(), 0, inOrder, at, part.targets().length);
                    at += part.targets().length;
                }
                double[] byRow = inOrder;
                if (position != null) {
                    byRow = new double[n];
                    for (int i = 0; i < n; i++) {
                        byRow[i] = inOrder[position[i]];
                    }
                }
                try {
                    y = Labels.regression(byRow);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("label column '" + labelColumn + "': " + e.getMessage(), e);
                }
            }
        }
        return new RowsAndLabels(n, counts, offsets, y);
    }

    /**
     * What every partition needs to draw the run's calibration rows and targets: the layout, the labels (coded),
     * the options that decide the split, N, and (table-order numbering) each partition's offset and row count.
     */
    private record Plan(int[] widths, int[] layerIndices, int rows, Task task, double calibrationFraction, long seed,
                       int[] codes, String[] classNames, double[] targets, int targetColumns, long[] offsets,
                       long[] counts) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        static Plan of(EmbeddingTable table, Labels y, LoesOptions o, int rows, long[] offsets, long[] counts) {
            int[] codes = y != null && y.isClassification() ? y.codes() : null;
            String[] names = codes != null ? y.names().toArray(new String[0]) : null;
            double[] targets = y != null && !y.isClassification() ? y.targetMatrix().copy().data() : null;
            int c = targets != null ? y.columns() : 0;
            return new Plan(table.widths(), table.layerIndices(), rows, o.task(), o.calibrationFraction(), o.seed(),
                    codes, names, targets, c, offsets, counts);
        }

        EmbeddingStream layout() {
            return EmbeddingStream.of(widths, layerIndices, Collections::emptyIterator);
        }

        Labels labels() {
            if (codes != null) {
                return Labels.ofCodes(codes, List.of(classNames));
            }
            if (targets != null) {
                return Labels.regression(DMatrix.wrap(targets, rows, targetColumns));
            }
            return null;
        }

        /** The options that decide the rows and targets; the selector's own are the driver's. */
        LoesOptions options() {
            return LoesOptions.builder().task(task).calibrationFraction(calibrationFraction).seed(seed).build();
        }
    }

    private static double ms(long from, long to) {
        return Math.round((to - from) / 1e4) / 100.0;
    }
}
