package org.loes4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.loes4j.encoders.Pooling;
import org.loes4j.encoders.TextEncoder;
import org.loes4j.encoders.bert.BertConfig;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.LibraryInfo;

/**
 * {@code loes extract} on Spark: a text column of a table in, every hidden state pooled per row out, one
 * {@code array<float>} column per hidden state.
 *
 * <p>The output has the columns {@code layer_0 .. layer_{L-1}} ({@code layer_k} is hidden state k: 0 the
 * embedding output, k the output of transformer block k - 1, as in {@code loes extract}'s (N, L, d)
 * {@code embeddings.npy}), each an {@code array<float>} of the model's width d, then the label column, when
 * one is named, unchanged. Rows keep the input's partitioning and order. Each layer column carries
 * metadata that survives Parquet: {@code loes4j.hiddenState}, {@code loes4j.model}, {@code loes4j.pooling},
 * {@code loes4j.maxLength}, {@code loes4j.version}.
 *
 * <p>Each partition is encoded by {@code mapPartitions} with the executor JVM's one {@link TextEncoder} for
 * the model ({@link EncoderHolder}: loaded on the executor's first task, shared by its later and concurrent
 * tasks), in chunks of {@link Options#chunkRows} rows (length-bucketed inside a chunk, as {@link
 * TextEncoder#encode} does). The weights come from the executor's class path (ship the model's carrier jar
 * with the job) or a models directory ({@code -Dloes4j.models.dir}). The driver loads the model once too: it
 * needs L and d for the output schema, and checks the options against the model before any task starts.
 */
public final class SparkExtract {
    /** Name prefix of the layer columns: {@code layer_<k>} holds hidden state k. */
    public static final String LAYER_PREFIX = "layer_";
    /** Column metadata key holding a layer column's hidden-state index. */
    public static final String HIDDEN_STATE_KEY = "loes4j.hiddenState";

    private SparkExtract() {
    }

    /**
     * What to extract and how.
     *
     * @param model       a known model name or a path that every executor can read (see {@code TextEncoder.load})
     * @param textColumn  the string column to encode; a null text fails the job, naming its row
     * @param labelColumn a column copied to the output unchanged, or {@code null} for none
     * @param pooling     how a text's token states become one vector per hidden state
     * @param maxLength   tokens per text, {@code [CLS]} and {@code [SEP]} included; longer texts are truncated
     * @param batchSize   texts per forward pass
     * @param chunkRows   rows of a partition encoded per {@code TextEncoder.encode} call: the memory bound of a
     *                    task (chunkRows x L x d floats), and the span inside which texts are sorted by length
     */
    public record Options(String model, String textColumn, String labelColumn, Pooling pooling, int maxLength,
                          int batchSize, int chunkRows) implements Serializable {
        public Options {
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("model: empty");
            }
            if (textColumn == null || textColumn.isBlank()) {
                throw new IllegalArgumentException("textColumn: empty");
            }
            if (labelColumn != null && labelColumn.isBlank()) {
                throw new IllegalArgumentException("labelColumn: blank (use null for no label column)");
            }
            if (pooling == null) {
                throw new IllegalArgumentException("pooling: null");
            }
            if (maxLength < 2) {
                throw new IllegalArgumentException("maxLength: " + maxLength + " must be at least 2");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize: " + batchSize + " must be positive");
            }
            if (chunkRows < 1) {
                throw new IllegalArgumentException("chunkRows: " + chunkRows + " must be positive");
            }
        }

        /** {@code loes extract}'s defaults: no label column, mean pooling, 256 tokens, batches of 32; chunks of 1024 rows. */
        public static Options of(String model, String textColumn) {
            return new Options(model, textColumn, null, Pooling.MEAN, 256, 32, 1024);
        }

        public Options withLabelColumn(String column) {
            return new Options(model, textColumn, column, pooling, maxLength, batchSize, chunkRows);
        }

        public Options withPooling(Pooling p) {
            return new Options(model, textColumn, labelColumn, p, maxLength, batchSize, chunkRows);
        }

        public Options withMaxLength(int tokens) {
            return new Options(model, textColumn, labelColumn, pooling, tokens, batchSize, chunkRows);
        }

        public Options withBatchSize(int texts) {
            return new Options(model, textColumn, labelColumn, pooling, maxLength, texts, chunkRows);
        }

        public Options withChunkRows(int rows) {
            return new Options(model, textColumn, labelColumn, pooling, maxLength, batchSize, rows);
        }
    }

    /**
     * The embeddings of {@code input}'s text column, computed lazily (when the result is written or
     * collected).
     *
     * @throws IllegalArgumentException on the driver, when a column is missing or the text column is not a
     *                                  string, or {@code options.maxLength()} exceeds the model's positions
     */
    public static Dataset<Row> extract(Dataset<Row> input, Options options) {
        if (input == null || options == null) {
            throw new IllegalArgumentException("input, options: null");
        }
        StructType in = input.schema();
        int text = Columns.index(in, options.textColumn(), "text column");
        if (!in.fields()[text].dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("text column '" + options.textColumn() + "': type "
                    + in.fields()[text].dataType().simpleString() + ", expected string");
        }
        int label = options.labelColumn() == null ? -1 : Columns.index(in, options.labelColumn(), "label column");
        BertConfig config = EncoderHolder.get(options.model()).config();
        if (options.maxLength() > config.maxPositions()) {
            throw new IllegalArgumentException("maxLength: " + options.maxLength() + " exceeds the "
                    + config.maxPositions() + " positions of model '" + options.model() + "'");
        }
        StructType out = outputSchema(in, options, config.hiddenStates());
        Dataset<Row> encoded = input.mapPartitions(
                new EncodePartition(options, text, label, config.hiddenStates(), config.hidden()),
                org.apache.spark.sql.Encoders.row(out));
        // The row encoder's schema loses field metadata; an alias with metadata puts it on the plan's columns,
        // from where the Parquet writer keeps it.
        Column[] columns = new Column[out.fields().length];
        for (int i = 0; i < columns.length; i++) {
            StructField f = out.fields()[i];
            columns[i] = encoded.col(quoted(f.name())).as(f.name(), f.metadata());
        }
        return encoded.select(columns);
    }

    private static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /**
     * {@link #extract} written as Parquet to {@code path} (any URI Spark writes to); fails if {@code path}
     * exists.
     */
    public static void extractToParquet(Dataset<Row> input, Options options, String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("path: empty");
        }
        extract(input, options).write().mode(SaveMode.ErrorIfExists).parquet(path);
    }

    /** The layer columns, then the label column's field as it is in {@code input}. */
    static StructType outputSchema(StructType input, Options options, int hiddenStates) {
        List<StructField> fields = new ArrayList<>(hiddenStates + 1);
        for (int k = 0; k < hiddenStates; k++) {
            Metadata meta = new MetadataBuilder()
                    .putLong(HIDDEN_STATE_KEY, k)
                    .putString("loes4j.model", options.model())
                    .putString("loes4j.pooling", options.pooling().id())
                    .putLong("loes4j.maxLength", options.maxLength())
                    .putString("loes4j.version", LibraryInfo.version())
                    .build();
            fields.add(DataTypes.createStructField(LAYER_PREFIX + k,
                    DataTypes.createArrayType(DataTypes.FloatType, false), false, meta));
        }
        if (options.labelColumn() != null) {
            StructField label = input.fields()[Columns.index(input, options.labelColumn(), "label column")];
            if (label.name().startsWith(LAYER_PREFIX)) {
                throw new IllegalArgumentException("label column '" + label.name() + "': the prefix '" + LAYER_PREFIX
                        + "' names the layer columns of the output; rename it");
            }
            fields.add(label);
        }
        return DataTypes.createStructType(fields);
    }

    /** Encodes one partition, chunk by chunk, with the executor's shared encoder. */
    private record EncodePartition(Options options, int text, int label, int hiddenStates, int width)
            implements MapPartitionsFunction<Row, Row> {
        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            return new Chunks(this, rows, TaskContext.getPartitionId());
        }
    }

    /** Pulls {@code chunkRows} input rows, encodes them, hands out their output rows, and repeats. */
    private static final class Chunks implements Iterator<Row> {
        private final EncodePartition job;
        private final Iterator<Row> in;
        private final int partition;
        private final TextEncoder.Options encoding;
        private long rowsRead;
        private Row[] ready = new Row[0];
        private int next;

        Chunks(EncodePartition job, Iterator<Row> in, int partition) {
            this.job = job;
            this.in = in;
            this.partition = partition;
            Options o = job.options();
            this.encoding = new TextEncoder.Options(EnumSet.of(o.pooling()), o.maxLength(), o.batchSize());
        }

        @Override
        public boolean hasNext() {
            if (next < ready.length) {
                return true;
            }
            if (!in.hasNext()) {
                return false;
            }
            encodeNextChunk();
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row r = ready[next];
            ready[next++] = null;
            return r;
        }

        private void encodeNextChunk() {
            Options o = job.options();
            List<String> texts = new ArrayList<>(o.chunkRows());
            List<Object> labels = new ArrayList<>(o.chunkRows());
            while (texts.size() < o.chunkRows() && in.hasNext()) {
                Row r = in.next();
                if (r.isNullAt(job.text())) {
                    throw new EmbeddingInputException("column '" + o.textColumn() + "', row " + rowsRead
                            + " of partition " + partition + ": null text");
                }
                texts.add(r.getString(job.text()));
                labels.add(job.label() < 0 ? null : r.get(job.label()));
                rowsRead++;
            }
            TextEncoder.Result result = EncoderHolder.get(o.model()).encode(texts, encoding);
            FMatrix flat = result.flat(o.pooling());
            int states = job.hiddenStates();
            int d = job.width();
            Row[] out = new Row[texts.size()];
            for (int i = 0; i < out.length; i++) {
                Object[] values = new Object[states + (job.label() < 0 ? 0 : 1)];
                int rowStart = flat.offset() + i * flat.stride();
                for (int k = 0; k < states; k++) {
                    int from = rowStart + k * d;
                    values[k] = Arrays.copyOfRange(flat.data(), from, from + d);
                }
                if (job.label() >= 0) {
                    values[states] = labels.get(i);
                }
                out[i] = RowFactory.create(values);
            }
            ready = out;
            next = 0;
        }
    }
}
