package org.loes4j.selection.stats;

import java.util.Locale;

import org.loes4j.data.EmbeddingStream;
import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.Transpose;
import org.loes4j.selection.LoesOptions;

/**
 * The statistics every term of LOES follows from, over the calibration rows of a stream: with
 * {@code z = [x_0 | x_1 | ... | x_{L-1} | t]} (one calibration row: every layer's features, then its target
 * row; D = sum of d_l feature columns, c target columns, none label-free), the count N, the mean
 * {@code mean(z)} and the centred second moment {@code M2 = ZcT Zc} ((D + c) x (D + c)). M2 holds every block
 * LOES reads: {@code Xc_aT Xc_b} for all layer pairs (the per-layer Grams on the diagonal), {@code Xc_aT Tc},
 * and {@code TcT Tc}. For classification T is one-hot, so column k of {@code Xc_aT Tc} is the class sum of
 * the centred features, {@code n_k (mu_k - m)}: the class centroids come with the cross moments. None of it
 * grows with N.
 *
 * <p>Accumulation is exact in the algebra and stable in float64 (Chan, Golub and LeVeque's pairwise update):
 * a block of rows is centred by its own mean, its {@code ZcT Zc} is added through the linalg backend
 * ({@link Linalg#syrk}), and two sets a, b of sizes n_a, n_b combine as
 * {@code M2 = M2_a + M2_b + (n_a n_b / n) (mean_b - mean_a)T (mean_b - mean_a)},
 * {@code mean = mean_a + (n_b / n) (mean_b - mean_a)}; never as {@code ZT Z - N mT m}. Blocks may be
 * accumulated separately (partitions) and {@link #merge merged} in any order.
 *
 * <p>Rows: the calibration split of the in-memory {@code Loes} is drawn over the whole stream
 * ({@link org.loes4j.selection.data.CalibrationSplit}, from the options' calibration fraction and seed); a
 * block contributes the rows whose stream index is in the split, identified by {@code RowBlock.firstRow()}.
 *
 * <p>Memory: {@code 8 (D + c) (D + c + 1)} bytes for the moments, i.e. O(L^2 d^2) (all cross blocks of all
 * layer pairs: 13 layers of width 768 with 77 classes take 0.81 GB), plus one block copy of
 * {@code 8 blockRows (D + c)} bytes while accumulating ({@link #accumulationBytes}). What grows with N is the
 * plan of the calibration split: the calibration row ids and, for classes, one int code per calibration row
 * (regression: the c target values per row, as the labels themselves); drawing the split takes a transient
 * int[] of the stream's rows. Nothing grows with N times a width. {@link #accumulate} and {@link #empty} refuse, naming
 * {@code --streaming} and the heap, when that exceeds the budget (by default half the maximum heap). The
 * statistics route also needs {@code N >= D} calibration rows (every Gram it solves with is then a full d x d
 * one); with fewer rows the in-memory route (kernel side) is the one to use, and both refuse naming the
 * condition.
 *
 * <p>Not thread-safe: one accumulator per thread or partition, merged afterwards.
 */
public final class LoesStatistics {
    /** Share of the maximum heap the default budget allows the statistics. */
    public static final double DEFAULT_HEAP_SHARE = 0.5;

    private final Linalg linalg;
    private final CalibrationPlan plan;
    /** Calibration rows folded in so far. */
    private long n;
    /** Blocks folded in (provenance). */
    private long blocks;
    /** mean(z), length D + c. */
    private final double[] mean;
    /** ZcT Zc, (D + c) x (D + c), full symmetric. */
    private final DMatrix m2;

    private LoesStatistics(Linalg linalg, CalibrationPlan plan) {
        this.linalg = linalg;
        this.plan = plan;
        int m = plan.columns();
        this.mean = new double[m];
        this.m2 = DMatrix.zeros(m, m);
    }

    /**
     * One pass over {@code stream} in blocks of {@code blockRows} rows, through the process-wide {@link Linalg},
     * within the default budget.
     *
     * @see #accumulate(Linalg, EmbeddingStream, Labels, LoesOptions, int, long)
     */
    public static LoesStatistics accumulate(EmbeddingStream stream, Labels labels, LoesOptions options, int blockRows) {
        return accumulate(Linalg.get(), stream, labels, options, blockRows, defaultBudgetBytes());
    }

    /**
     * The statistics of the calibration rows of {@code stream}, in one pass of blocks of at most
     * {@code blockRows} rows. The calibration split needs the stream's row count: it is the labels' size when
     * there are labels, {@code rows()} for {@link LayeredEmbeddings}; a label-free plain stream is read once more
     * first, to count its rows. A {@link LayeredEmbeddings} (a memory-mapped file included) is not streamed through
     * {@link EmbeddingStream#forEachBlock}: its calibration rows alone are gathered, {@code blockRows} of them at a
     * time, into the concatenated block (the other rows are never read, and there is no second block copy).
     *
     * @param labels      labels of every row of the stream (ignored, may be null, for label-free)
     * @param options     task, calibration fraction and seed decide the rows and targets; the other options
     *                    are the selector's
     * @param budgetBytes largest memory the statistics and one block copy may take
     * @throws IllegalArgumentException naming the argument, when the labels do not fit the stream or the task,
     *                                  when N &lt; D, or when the budget is too small
     */
    public static LoesStatistics accumulate(Linalg linalg, EmbeddingStream stream, Labels labels, LoesOptions options,
                                            int blockRows, long budgetBytes) {
        if (stream == null) {
            throw new IllegalArgumentException("stream: null");
        }
        if (options == null) {
            throw new IllegalArgumentException("options: null");
        }
        if (blockRows < 1) {
            throw new IllegalArgumentException("blockRows: " + blockRows + " must be >= 1");
        }
        if (labels == null && options.task() != Task.LABEL_FREE) {
            throw new IllegalArgumentException("labels: null, but the task is " + options.task().cliName());
        }
        int rows = streamRows(stream, labels, options, blockRows);
        CalibrationPlan plan = CalibrationPlan.of(stream, labels, options, rows);
        requireRoute(plan, blockRows, budgetBytes);
        LoesStatistics s = new LoesStatistics(linalg == null ? Linalg.get() : linalg, plan);
        if (stream instanceof LayeredEmbeddings e) {
            if (e.rows() != rows) {
                throw new IllegalArgumentException("stream: " + e.rows() + " rows, expected " + rows + " (one per label)");
            }
            for (int i0 = 0; i0 < plan.calibrationRows(); i0 += blockRows) {
                s.addCalibrationRows(e, i0, Math.min(blockRows, plan.calibrationRows() - i0));
            }
            return s;
        }
        long[] seen = {0};
        stream.forEachBlock(blockRows, block -> {
            s.add(block);
            seen[0] += block.rows();
        });
        if (seen[0] != rows) {
            throw new IllegalArgumentException("stream: " + seen[0] + " rows, expected " + rows
                    + (options.task() == Task.LABEL_FREE ? " (as counted before)" : " (one per label)"));
        }
        return s;
    }

    /**
     * An empty accumulator for one part of a stream of {@code rows} rows (a partition, a thread): feed it the
     * blocks of that part with {@link #add}, then {@link #merge} the parts. Every part must be made from the same
     * layout, labels, task, calibration fraction, seed and row count, so they draw the same calibration rows.
     *
     * @param layout      the stream (or any one with the same layers: only widths and indices are read)
     * @param labels      labels of every row of the whole stream (ignored for label-free)
     * @param rows        rows of the whole stream
     * @param budgetBytes largest memory the statistics may take (see the class comment)
     */
    public static LoesStatistics empty(Linalg linalg, EmbeddingStream layout, Labels labels, LoesOptions options,
                                       int rows, long budgetBytes) {
        CalibrationPlan plan = CalibrationPlan.of(layout, labels, options, rows);
        requireRoute(plan, 0, budgetBytes);
        return new LoesStatistics(linalg == null ? Linalg.get() : linalg, plan);
    }

    /** {@link #empty(Linalg, EmbeddingStream, Labels, LoesOptions, int, long)} on the process-wide Linalg and budget. */
    public static LoesStatistics empty(EmbeddingStream layout, Labels labels, LoesOptions options, int rows) {
        return empty(Linalg.get(), layout, labels, options, rows, defaultBudgetBytes());
    }

    /** The default budget: {@link #DEFAULT_HEAP_SHARE} of the maximum heap. */
    public static long defaultBudgetBytes() {
        return (long) (Runtime.getRuntime().maxMemory() * DEFAULT_HEAP_SHARE);
    }

    /**
     * Bytes the statistics of layers of total width {@code totalWidth} with {@code targetColumns} target columns
     * take: {@code 8 (D + c) (D + c + 1)}.
     */
    public static long bytesFor(long totalWidth, int targetColumns) {
        long m = totalWidth + targetColumns;
        return 8L * m * (m + 1);
    }

    /**
     * Bytes {@link #accumulate} holds at most for layers of total width {@code totalWidth}, {@code targetColumns}
     * target columns, {@code calibrationRows} calibration rows and blocks of {@code blockRows}: the moments
     * ({@link #bytesFor}) plus one concatenated block, {@code 8 min(blockRows, N) (D + c)}; what the budget is
     * checked against. A plain stream's own block copies come on top; a {@link LayeredEmbeddings} is gathered
     * straight into the concatenated block.
     */
    public static long accumulationBytes(long totalWidth, int targetColumns, int calibrationRows, int blockRows) {
        return bytesFor(totalWidth, targetColumns) + 8L * Math.min(blockRows, calibrationRows) * (totalWidth + targetColumns);
    }

    /**
     * Folds in the calibration rows of {@code block} (rows {@code [firstRow, firstRow + rows())} of the whole
     * stream; rows outside the split are skipped). The block is not modified.
     *
     * @return this
     * @throws IllegalArgumentException when the block's layers do not match the layout or its rows lie outside
     *                                  the stream
     */
    public LoesStatistics add(EmbeddingStream.RowBlock block) {
        if (block == null) {
            throw new IllegalArgumentException("block: null");
        }
        int count = plan.widths.length;
        if (block.layers().size() != count) {
            throw new IllegalArgumentException("block at row " + block.firstRow() + ": " + block.layers().size()
                    + " layers, expected " + count);
        }
        for (int p = 0; p < count; p++) {
            if (block.layers().get(p).cols() != plan.widths[p]) {
                throw new IllegalArgumentException("block at row " + block.firstRow() + ": layer "
                        + plan.layerIndices[p] + " has width " + block.layers().get(p).cols() + ", expected "
                        + plan.widths[p]);
            }
        }
        long first = block.firstRow();
        int b = block.rows();
        if (first < 0 || first + b > plan.totalRows) {
            throw new IllegalArgumentException("block: rows [" + first + ", " + (first + b) + ") outside the "
                    + plan.totalRows + " rows of the stream");
        }
        int i0 = plan.firstAtOrAfter(first);
        int i1 = plan.firstAtOrAfter(first + b);
        int nb = i1 - i0;
        blocks++;
        if (nb == 0) {
            return this;
        }
        DMatrix z = DMatrix.zeros(nb, plan.columns());
        boolean contiguous = plan.rows[i1 - 1] - plan.rows[i0] == nb - 1;
        for (int p = 0; p < count; p++) {
            DMatrix x = block.layers().get(p);
            int d = plan.widths[p];
            int c0 = plan.offset[p];
            if (contiguous) {
                z.view(0, c0, nb, d).copyFrom(x.view((int) (plan.rows[i0] - first), 0, nb, d));
            } else {
                for (int i = 0; i < nb; i++) {
                    z.view(i, c0, 1, d).copyFrom(x.view((int) (plan.rows[i0 + i] - first), 0, 1, d));
                }
            }
        }
        if (plan.labelled()) {
            plan.copyTargets(i0, nb, z.view(0, plan.totalWidth, nb, plan.targetColumns));
        }
        double[] blockMean = linalg.columnMeans(z);
        linalg.subtractRow(z, blockMean);
        combine(nb, blockMean, z, null);
        return this;
    }

    /**
     * Folds in calibration positions {@code [i0, i0 + nb)} gathered straight from {@code e} into the concatenated
     * block: the rows outside the split are never read (an (N, L, d) mapping is touched only where calibration
     * rows lie), and no copy of the stream's rows is made besides that block.
     */
    private void addCalibrationRows(LayeredEmbeddings e, int i0, int nb) {
        DMatrix z = DMatrix.zeros(nb, plan.columns());
        for (int p = 0; p < plan.widths.length; p++) {
            e.gather(p, plan.rows, i0, nb, z.view(0, plan.offset[p], nb, plan.widths[p]));
        }
        if (plan.labelled()) {
            plan.copyTargets(i0, nb, z.view(0, plan.totalWidth, nb, plan.targetColumns));
        }
        blocks++;
        double[] blockMean = linalg.columnMeans(z);
        linalg.subtractRow(z, blockMean);
        combine(nb, blockMean, z, null);
    }

    /**
     * Merges {@code other} (statistics of other rows of the same run) into this one; {@code other} is not
     * modified.
     *
     * @return this
     * @throws IllegalArgumentException when {@code other} is this, or was made for another layout, task, split
     *                                  or targets
     */
    public LoesStatistics merge(LoesStatistics other) {
        if (other == null) {
            throw new IllegalArgumentException("other: null");
        }
        if (other == this) {
            throw new IllegalArgumentException("other: the same statistics (a merge would count its rows twice)");
        }
        String diff = plan.differenceFrom(other.plan);
        if (diff != null) {
            throw new IllegalArgumentException("other: statistics of another run (" + diff + ")");
        }
        blocks += other.blocks;
        if (other.n > 0) {
            combine(other.n, other.mean, null, other.m2);
        }
        return this;
    }

    /**
     * The state of these statistics as plain serialisable values (copies): what a partition ships to where the
     * parts meet.
     */
    public Moments moments() {
        return new Moments(plan.widths.clone(), plan.layerIndices.clone(), plan.targetColumns, plan.totalRows,
                plan.calibrationRows(), n, blocks, mean.clone(), m2.data().clone());
    }

    /**
     * Merges a {@link #moments() snapshot} of statistics of other rows of the same run into this one, exactly as
     * {@link #merge(LoesStatistics)} merges the statistics it was taken from.
     *
     * @return this
     * @throws IllegalArgumentException when the snapshot has another shape (widths, layers, target columns,
     *                                  stream or calibration rows) or would bring the rows past N
     */
    public LoesStatistics merge(Moments other) {
        if (other == null) {
            throw new IllegalArgumentException("other: null");
        }
        String diff = Moments.shapeDifference(plan.widths, plan.layerIndices, plan.targetColumns, plan.totalRows,
                plan.calibrationRows(), other);
        if (diff != null) {
            throw new IllegalArgumentException("other: moments of another run (" + diff + ")");
        }
        if (n + other.n() > plan.calibrationRows()) {
            throw new IllegalArgumentException("other: " + n + " + " + other.n() + " rows exceed the "
                    + plan.calibrationRows() + " calibration rows (a part merged twice?)");
        }
        blocks += other.blocks();
        if (other.n() > 0) {
            int m = mean.length;
            combine(other.n(), other.mean(), null, DMatrix.wrap(other.m2(), m, m));
        }
        return this;
    }

    /**
     * The pairwise update: folds a set of {@code nb} rows with mean {@code meanB} and either centred rows
     * {@code centredRows} (their {@code ZcT Zc} is added by syrk) or a second moment {@code m2B}.
     */
    private void combine(long nb, double[] meanB, DMatrix centredRows, DMatrix m2B) {
        long na = n;
        long total = na + nb;
        int m = mean.length;
        double[] delta = new double[m];
        for (int j = 0; j < m; j++) {
            delta[j] = meanB[j] - mean[j];
        }
        if (centredRows != null) {
            linalg.syrk(Transpose.YES, 1.0, centredRows, 1.0, m2);
        } else {
            addInPlace(m2, m2B);
        }
        if (na > 0) {
            linalg.syrk(Transpose.YES, (double) na * nb / total, DMatrix.wrap(delta, 1, m), 1.0, m2);
        }
        double w = (double) nb / total;
        for (int j = 0; j < m; j++) {
            mean[j] += delta[j] * w;
        }
        n = total;
    }

    private static void addInPlace(DMatrix a, DMatrix b) {
        double[] x = a.data();
        double[] y = b.data();
        for (int i = 0; i < a.rows(); i++) {
            int oa = a.index(i, 0);
            int ob = b.index(i, 0);
            for (int j = 0; j < a.cols(); j++) {
                x[oa + j] += y[ob + j];
            }
        }
    }

    // ---------------------------------------------------------------- what the selection reads

    /** L. */
    public int layerCount() {
        return plan.widths.length;
    }

    /** d_l of layer position {@code position}. */
    public int width(int position) {
        return plan.widths[position];
    }

    /** The widths by position (a copy). */
    public int[] widths() {
        return plan.widths.clone();
    }

    /** The hidden-state index of layer position {@code position}. */
    public int layerIndex(int position) {
        return plan.layerIndices[position];
    }

    /** The hidden-state indices by position (a copy). */
    public int[] layerIndices() {
        return plan.layerIndices.clone();
    }

    /** D = sum of d_l. */
    public int totalWidth() {
        return plan.totalWidth;
    }

    /** The task the targets were made for. */
    public Task task() {
        return plan.task;
    }

    /** The options the calibration rows and targets were drawn with (task, calibration fraction, seed). */
    public LoesOptions options() {
        return plan.options;
    }

    /** Rows of the whole stream. */
    public int streamRows() {
        return plan.totalRows;
    }

    /** N: the calibration rows of the split (all of them once every part is merged). */
    public int calibrationRows() {
        return plan.calibrationRows();
    }

    /** Calibration rows folded in so far. */
    public long accumulatedRows() {
        return n;
    }

    /** Blocks folded in so far (over all merged parts). */
    public long blocks() {
        return blocks;
    }

    /** c: target columns (one per class present in the calibration rows; 0 label-free). */
    public int targetColumns() {
        return plan.targetColumns;
    }

    /** Calibration rows per class, in target-column order (a copy); null unless classification. */
    public int[] classCounts() {
        return plan.classCounts == null ? null : plan.classCounts.clone();
    }

    /** Bytes these statistics hold ({@link #bytesFor}). */
    public long bytes() {
        return bytesFor(plan.totalWidth, plan.targetColumns);
    }

    /** The mean of layer position {@code position} over the calibration rows (length d_l, a copy). */
    public double[] mean(int position) {
        double[] out = new double[plan.widths[position]];
        System.arraycopy(mean, plan.offset[position], out, 0, out.length);
        return out;
    }

    /** mean(T) (length c, a copy). */
    public double[] targetMean() {
        double[] out = new double[plan.targetColumns];
        System.arraycopy(mean, plan.totalWidth, out, 0, out.length);
        return out;
    }

    /**
     * The centred moment block {@code [Xc_aT Xc_b]} for a in {@code rowPositions}, b in {@code colPositions}: the
     * concatenation of the layers in the given orders on each side (a new sum(d_a) x sum(d_b) matrix). With one
     * position on each side, the cross block {@code Xc_aT Xc_b}; with the same list on both, the Gram of the
     * concatenated layers.
     */
    public DMatrix moment(int[] rowPositions, int[] colPositions) {
        int r = widthOf(rowPositions, "rowPositions");
        int c = widthOf(colPositions, "colPositions");
        DMatrix out = DMatrix.zeros(r, c);
        int ro = 0;
        for (int a : rowPositions) {
            int co = 0;
            for (int b : colPositions) {
                out.view(ro, co, plan.widths[a], plan.widths[b])
                        .copyFrom(m2.view(plan.offset[a], plan.offset[b], plan.widths[a], plan.widths[b]));
                co += plan.widths[b];
            }
            ro += plan.widths[a];
        }
        return out;
    }

    /** {@code Xc_aT Xc_b} of layer positions a and b (a new d_a x d_b matrix). */
    public DMatrix moment(int a, int b) {
        return moment(new int[] {a}, new int[] {b});
    }

    /**
     * {@code [Xc_aT Tc]} for a in {@code positions}, stacked (a new sum(d_a) x c matrix). For classification,
     * column k of a layer's block is {@code n_k (mu_k - m)}: its class sums, centred.
     */
    public DMatrix targetCross(int[] positions) {
        requireLabelled();
        int r = widthOf(positions, "positions");
        int c = plan.targetColumns;
        DMatrix out = DMatrix.zeros(r, c);
        int ro = 0;
        for (int a : positions) {
            out.view(ro, 0, plan.widths[a], c).copyFrom(m2.view(plan.offset[a], plan.totalWidth, plan.widths[a], c));
            ro += plan.widths[a];
        }
        return out;
    }

    /** {@code TcT Tc} (a new c x c matrix). */
    public DMatrix targetMoment() {
        requireLabelled();
        int c = plan.targetColumns;
        return m2.view(plan.totalWidth, plan.totalWidth, c, c).copy();
    }

    private void requireLabelled() {
        if (!plan.labelled()) {
            throw new IllegalStateException("label-free statistics hold no targets");
        }
    }

    private int widthOf(int[] positions, String name) {
        if (positions == null) {
            throw new IllegalArgumentException(name + ": null");
        }
        int w = 0;
        for (int p : positions) {
            if (p < 0 || p >= plan.widths.length) {
                throw new IllegalArgumentException(name + ": position " + p + " is not in [0, " + plan.widths.length + ")");
            }
            w += plan.widths[p];
        }
        return w;
    }

    /**
     * Refuses a plan the statistics route cannot serve: fewer calibration rows than the total width, or
     * statistics (plus one block of {@code blockRows}) over the budget.
     */
    private static void requireRoute(CalibrationPlan plan, int blockRows, long budgetBytes) {
        int n = plan.calibrationRows();
        if (n < plan.totalWidth) {
            throw new IllegalArgumentException("statistics route (--streaming): needs at least as many calibration "
                    + "rows as the layers' total width (N >= sum of d_l); N = " + n + " < " + plan.totalWidth
                    + "; select without --streaming (the in-memory route handles d > N), or raise "
                    + "--calibration-fraction");
        }
        long need = accumulationBytes(plan.totalWidth, plan.targetColumns, n, blockRows);
        if (need > budgetBytes) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "statistics route (--streaming): the merged moments of %d layers (total width D = %d, c = %d "
                            + "target columns) take 8 (D + c)(D + c + 1) bytes = %s%s, over the budget of %s (the "
                            + "default is %.0f%% of the maximum heap, here %s); raise the heap (-Xmx), select from "
                            + "fewer layers, or select without --streaming",
                    plan.widths.length, plan.totalWidth, plan.targetColumns,
                    megabytes(bytesFor(plan.totalWidth, plan.targetColumns)),
                    blockRows > 0 ? " plus " + megabytes(need - bytesFor(plan.totalWidth, plan.targetColumns))
                            + " for a block of " + Math.min(blockRows, n) + " rows" : "",
                    megabytes(budgetBytes), DEFAULT_HEAP_SHARE * 100, megabytes(Runtime.getRuntime().maxMemory())));
        }
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }

    /**
     * Rows of the whole stream: one per label, {@code rows()} of in-memory embeddings, else counted in a
     * first pass (label-free plain streams).
     */
    private static int streamRows(EmbeddingStream stream, Labels labels, LoesOptions options, int blockRows) {
        if (options.task() != Task.LABEL_FREE && labels != null) {
            return labels.size();
        }
        if (stream instanceof LayeredEmbeddings e) {
            return e.rows();
        }
        long[] count = {0};
        stream.forEachBlock(blockRows, block -> count[0] += block.rows());
        if (count[0] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("stream: " + count[0] + " rows; the calibration split indexes rows by int");
        }
        return (int) count[0];
    }
}
