package org.loes4j.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyArray;
import org.loes4j.linalg.io.NpyDType;

/**
 * An (N, L, d) {@code embeddings.npy} (as {@code loes extract} writes it), and optionally its
 * {@code labels.npy}, as a distributed table: partition p holds the contiguous row range
 * {@code [p N / P, (p + 1) N / P)}, and reads it on its executor by memory-mapping the files there (nothing
 * goes through the driver but the header). The files must therefore be at the same path on every executor
 * (a shared or replicated file system; a single machine in local mode).
 *
 * <p>Columns: {@code row} (long, the row's index in the file), {@code layer_0 .. layer_{L-1}}
 * ({@code array<float>} for a float32 file, {@code array<double>} for float64; {@code layer_k} is
 * {@code a[row, k, :]}), then {@code label} (long for integer labels, double for floating ones) when a labels
 * file is given: the {@link EmbeddingTable} per-layer layout.
 */
public final class NpyTable {
    /** The row-index column. */
    public static final String ROW_COLUMN = "row";
    /** The label column, present when a labels file is given. */
    public static final String LABEL_COLUMN = "label";

    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private NpyTable() {
    }

    /**
     * The rows of {@code embeddings} in {@code partitions} row ranges; lazy (the files are mapped when a task
     * reads its range).
     *
     * @param labels     a 1-D (or (N, 1)) labels file with N entries, or {@code null}
     * @param partitions P, at least 1; more than N leaves some partitions empty
     * @throws IllegalArgumentException on the driver, naming the file, when a file is not an (N, L, d) float
     *                                  array or the labels do not have N entries
     */
    public static Dataset<Row> read(SparkSession spark, Path embeddings, Path labels, int partitions) {
        if (spark == null || embeddings == null) {
            throw new IllegalArgumentException("spark, embeddings: null");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions: " + partitions + " must be >= 1");
        }
        Shape shape = readShape(embeddings, labels);
        StructType schema = schema(shape);
        List<RowRange> ranges = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            ranges.add(new RowRange(embeddings.toAbsolutePath().toString(),
                    labels == null ? null : labels.toAbsolutePath().toString(), shape,
                    shape.rows() * p / partitions, shape.rows() * (p + 1) / partitions));
        }
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(ranges, partitions)
                .mapPartitions(it -> {
                    List<Iterator<Row>> parts = new ArrayList<>();
                    while (it.hasNext()) {
                        parts.add(new RangeRows(it.next()));
                    }
                    return parts.size() == 1 ? parts.getFirst() : concat(parts);
                }, true);
        return spark.createDataFrame(rows, schema);
    }

    /** What the driver learns from the headers. */
    private record Shape(long rows, int layers, int width, NpyDType dtype, NpyDType labelType) implements Serializable {
    }

    private static Shape readShape(Path embeddings, Path labels) {
        try (NpyArray a = Npy.map(embeddings)) {
            if (a.rank() != 3) {
                throw new IllegalArgumentException(embeddings + ": expected an (N, L, d) array, found " + a.describe());
            }
            if (!a.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException(embeddings + ": " + a.describe() + " is not float32 or float64");
            }
            if (a.dim(1) == 0 || a.dim(2) == 0) {
                throw new IllegalArgumentException(embeddings + ": " + a.describe() + " has no layers or no columns");
            }
            if (a.dim(1) * a.dim(2) > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(embeddings + ": " + a.describe() + " has too many values per row");
            }
            NpyDType labelType = null;
            if (labels != null) {
                try (NpyArray y = Npy.map(labels)) {
                    boolean vector = y.rank() == 1 || (y.rank() == 2 && y.dim(1) == 1);
                    if (!vector || y.dim(0) != a.dim(0)) {
                        throw new IllegalArgumentException(labels + ": expected " + a.dim(0) + " labels (a 1-D array), found "
                                + y.describe());
                    }
                    labelType = y.dtype();
                }
            }
            return new Shape(a.dim(0), (int) a.dim(1), (int) a.dim(2), a.dtype(), labelType);
        } catch (IOException e) {
            throw new UncheckedIOException(embeddings + ": " + e.getMessage(), e);
        }
    }

    private static StructType schema(Shape shape) {
        DataType element = shape.dtype() == NpyDType.FLOAT32 ? DataTypes.FloatType : DataTypes.DoubleType;
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField(ROW_COLUMN, DataTypes.LongType, false));
        for (int k = 0; k < shape.layers(); k++) {
            Metadata meta = new MetadataBuilder().putLong(SparkExtract.HIDDEN_STATE_KEY, k).build();
            fields.add(DataTypes.createStructField(SparkExtract.LAYER_PREFIX + k,
                    DataTypes.createArrayType(element, false), false, meta));
        }
        if (shape.labelType() != null) {
            fields.add(DataTypes.createStructField(LABEL_COLUMN,
                    shape.labelType().isFloatingPoint() ? DataTypes.DoubleType : DataTypes.LongType, false));
        }
        return DataTypes.createStructType(fields);
    }

    /**
     * Rows {@code [from, to)} of the file at {@code embeddings} (and of {@code labels}, if not null), which the
     * driver found to have {@code shape}.
     */
    private record RowRange(String embeddings, String labels, Shape shape, long from, long to) implements Serializable {
    }

    /**
     * The rows of one range, read from the memory-mapped files. The mappings are released when the range is
     * exhausted or, if the task ends first (a failure, a limit), when the task completes.
     */
    private static final class RangeRows implements Iterator<Row> {
        private final RowRange range;
        private NpyArray embeddings;
        private NpyArray labels;
        private long next;

        RangeRows(RowRange range) {
            this.range = range;
            this.next = range.from();
            TaskContext task = TaskContext.get();
            if (task != null) {
                task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> close());
            }
        }

        @Override
        public boolean hasNext() {
            if (next < range.to()) {
                return true;
            }
            close();
            return false;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            open();
            int layers = range.shape().layers();
            int d = range.shape().width();
            MemorySegment data = embeddings.data();
            boolean f32 = range.shape().dtype() == NpyDType.FLOAT32;
            long rowStart = next * layers * d;
            Object[] values = new Object[1 + layers + (labels != null ? 1 : 0)];
            values[0] = next;
            for (int k = 0; k < layers; k++) {
                long element = rowStart + (long) k * d;
                if (f32) {
                    float[] v = new float[d];
                    MemorySegment.copy(data, FLOAT_LE, element * Float.BYTES, v, 0, d);
                    values[1 + k] = v;
                } else {
                    double[] v = new double[d];
                    MemorySegment.copy(data, DOUBLE_LE, element * Double.BYTES, v, 0, d);
                    values[1 + k] = v;
                }
            }
            if (labels != null) {
                // Every integer type but int64 converts to double exactly.
                values[1 + layers] = switch (labels.dtype()) {
                    case FLOAT32, FLOAT64 -> (Object) labels.getDouble(next);
                    case INT64 -> (Object) labels.data().get(LONG_LE, next * Long.BYTES);
                    default -> (Object) (long) labels.getDouble(next);
                };
            }
            next++;
            return RowFactory.create(values);
        }

        private void open() {
            if (embeddings != null) {
                return;
            }
            try {
                embeddings = Npy.map(Path.of(range.embeddings()));
                Shape s = range.shape();
                long[] found = embeddings.shape();
                if (found.length != 3 || found[0] != s.rows() || found[1] != s.layers() || found[2] != s.width()
                        || embeddings.dtype() != s.dtype()) {
                    throw new IllegalStateException(range.embeddings() + ": is " + embeddings.describe()
                            + " on this executor, but was (" + s.rows() + ", " + s.layers() + ", " + s.width() + ") "
                            + s.dtype().descriptor() + " on the driver (changed, or a different file at the same path)");
                }
                if (range.labels() != null) {
                    labels = Npy.map(Path.of(range.labels()));
                    if (labels.dim(0) != s.rows() || labels.dtype() != s.labelType()) {
                        throw new IllegalStateException(range.labels() + ": is " + labels.describe()
                                + " on this executor, but had " + s.rows() + " " + s.labelType().descriptor()
                                + " labels on the driver");
                    }
                }
            } catch (IOException e) {
                close();
                throw new UncheckedIOException(range.embeddings() + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        private void close() {
            if (embeddings != null) {
                embeddings.close();
                embeddings = null;
            }
            if (labels != null) {
                labels.close();
                labels = null;
            }
        }
    }

    private static <T> Iterator<T> concat(List<Iterator<T>> parts) {
        return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                while (i < parts.size() && !parts.get(i).hasNext()) {
                    i++;
                }
                return i < parts.size();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return parts.get(i).next();
            }
        };
    }
}
