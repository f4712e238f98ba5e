package org.loes4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Matrix;
import org.loes4j.linalg.SegmentMatrix;

/**
 * Pooled hidden states of N samples for L layers, <b>each layer with its own width</b> d_l: the one
 * embeddings type of loes4j. Selection, training, the encoders and the CLI all read it.
 *
 * <p>A layer position {@code p} in [0, L) carries its hidden-state index {@link #layerIndex(int)} (0 = the
 * embedding output, k = the output of block k, as Hugging Face's {@code output_hidden_states}); a view by
 * layers keeps those indices. Rows are copied, widened to float64, one layer at a time with {@link #gather};
 * the N x sum(d_l) array itself is never copied.
 *
 * <p>Sources: heap matrices ({@link #ofMatrices}, {@link #ofFlat}), memory-mapped files ({@link #open}: an
 * (N, L, d) {@code .npy}, a directory of per-layer (N, d_l) {@code .npy} files, or a {@code .safetensors}
 * file of per-layer tensors), views by rows ({@link #rows}) and by layers ({@link #layers}); as a
 * {@link EmbeddingStream} every one of them also streams in row blocks.
 */
public interface LayeredEmbeddings extends EmbeddingStream, AutoCloseable {

    /** N. */
    int rows();

    /**
     * Copies layer position {@code position} of the rows {@code rowIds[from .. from + count)} into the first
     * {@code count} rows of {@code dst} (at least count x d_l, float64; float32 is widened exactly).
     */
    void gather(int position, int[] rowIds, int from, int count, DMatrix dst);

    /** The widths by position. */
    default int[] widths() {
        int[] w = new int[layerCount()];
        for (int p = 0; p < w.length; p++) {
            w[p] = width(p);
        }
        return w;
    }

    /** The hidden-state indices by position. */
    default int[] layerIndices() {
        int[] idx = new int[layerCount()];
        for (int p = 0; p < idx.length; p++) {
            idx[p] = layerIndex(p);
        }
        return idx;
    }

    /** sum of d_l. */
    default long totalWidth() {
        long s = 0;
        for (int p = 0; p < layerCount(); p++) {
            s += width(p);
        }
        return s;
    }

    /** True when every layer has the same width. */
    default boolean uniformWidth() {
        for (int p = 1; p < layerCount(); p++) {
            if (width(p) != width(0)) {
                return false;
            }
        }
        return true;
    }

    /** The position of hidden-state index {@code layerIndex}, or -1 when it is not in this set. */
    default int positionOf(int layerIndex) {
        for (int p = 0; p < layerCount(); p++) {
            if (layerIndex(p) == layerIndex) {
                return p;
            }
        }
        return -1;
    }

    /** Rows {@code rowIds} of layer position {@code position} as a new contiguous rowIds.length x d_l matrix. */
    default DMatrix load(int position, int[] rowIds) {
        DMatrix out = DMatrix.zeros(rowIds.length, width(position));
        gather(position, rowIds, 0, rowIds.length, out);
        return out;
    }

    /** Every row of layer position {@code position}, as a new N x d_l matrix. */
    default DMatrix load(int position) {
        int[] all = new int[rows()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return load(position, all);
    }

    /**
     * Rows {@code rowIds} of the layer positions {@code positions}, side by side in that order, as a new
     * contiguous rowIds.length x (sum of their widths) matrix: the design matrix of a probe on concatenated
     * layers (mixed widths allowed).
     */
    default DMatrix concatenate(int[] positions, int[] rowIds) {
        int width = 0;
        for (int p : positions) {
            width += width(p);
        }
        DMatrix x = DMatrix.zeros(rowIds.length, width);
        int c0 = 0;
        for (int p : positions) {
            int w = width(p);
            gather(p, rowIds, 0, rowIds.length, x.view(0, c0, rowIds.length, w));
            c0 += w;
        }
        return x;
    }

    /** The samples {@code rowIds}, in that order (a view; nothing is copied). */
    default LayeredEmbeddings rows(int[] rowIds) {
        return new RowView(this, rowIds);
    }

    /** The layer positions {@code positions}, in that order, keeping their hidden-state indices (a view). */
    default LayeredEmbeddings layers(int[] positions) {
        return new LayerView(this, positions);
    }

    /**
     * The layers with hidden-state indices {@code layerIndices}, in that order (a view).
     *
     * @throws IllegalArgumentException naming an index this set does not hold, and the ones it does
     */
    default LayeredEmbeddings selectLayers(int... layerIndices) {
        int[] pos = new int[layerIndices.length];
        for (int i = 0; i < pos.length; i++) {
            pos[i] = positionOf(layerIndices[i]);
            if (pos[i] < 0) {
                throw new IllegalArgumentException("layers: hidden state " + layerIndices[i] + " is not among "
                        + Arrays.toString(layerIndices()));
            }
        }
        return layers(pos);
    }

    /**
     * Checks that every value of every layer is finite.
     *
     * @throws IllegalArgumentException naming the first non-finite value in (layer position, row, column) order
     */
    default void checkFinite() {
        int chunk = 256;
        for (int p = 0; p < layerCount(); p++) {
            DMatrix buf = DMatrix.zeros(chunk, width(p));
            int[] ids = new int[chunk];
            for (int r0 = 0; r0 < rows(); r0 += chunk) {
                int nr = Math.min(chunk, rows() - r0);
                for (int i = 0; i < nr; i++) {
                    ids[i] = r0 + i;
                }
                gather(p, ids, 0, nr, buf);
                double[] d = buf.data();
                for (int i = 0; i < nr; i++) {
                    for (int j = 0; j < width(p); j++) {
                        double v = d[buf.index(i, j)];
                        if (!Double.isFinite(v)) {
                            throw new IllegalArgumentException("embeddings: " + v + " at layer " + layerIndex(p)
                                    + ", row " + (r0 + i) + ", column " + j);
                        }
                    }
                }
            }
        }
    }

    /** Streams the rows in order, {@code blockRows} at a time (see {@link EmbeddingStream#forEachBlock}). */
    @Override
    default void forEachBlock(int blockRows, BlockConsumer consumer) {
        if (blockRows < 1) {
            throw new IllegalArgumentException("blockRows: " + blockRows + " must be >= 1");
        }
        for (int r0 = 0; r0 < rows(); r0 += blockRows) {
            int nr = Math.min(blockRows, rows() - r0);
            int[] ids = new int[nr];
            for (int i = 0; i < nr; i++) {
                ids[i] = r0 + i;
            }
            List<DMatrix> layers = new ArrayList<>(layerCount());
            for (int p = 0; p < layerCount(); p++) {
                layers.add(load(p, ids));
            }
            consumer.accept(new RowBlock(r0, layers));
        }
    }

    /** "N samples, L layers of width d" (or "widths [..]"), for messages. */
    default String describe() {
        return rows() + " samples, " + layerCount() + " layers "
                + (uniformWidth() ? "of width " + width(0) : "of widths " + Arrays.toString(widths()))
                + ", hidden states " + Arrays.toString(layerIndices());
    }

    /** Releases what the source holds (file mappings); views and heap sets hold nothing. */
    @Override
    default void close() {
    }

    /** Heap or mapped matrices, one N x d_l per layer, numbered 0..L-1. */
    static LayeredEmbeddings ofMatrices(List<? extends Matrix> layers) {
        if (layers == null) {
            throw new IllegalArgumentException("layers: null");
        }
        int[] idx = new int[layers.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        return ofMatrices(layers, idx);
    }

    /** Heap or mapped matrices, one N x d_l per layer, with their hidden-state indices. */
    static LayeredEmbeddings ofMatrices(List<? extends Matrix> layers, int[] layerIndices) {
        return new MatrixLayers(layers, layerIndices);
    }

    /**
     * A row-major N x (L d) matrix (heap float32/float64, or a mapped {@link SegmentMatrix} such as an (N, L, d)
     * {@code .npy}) as L layers of width d, numbered 0..L-1; nothing is copied.
     */
    static LayeredEmbeddings ofFlat(Matrix flat, int layers, int width) {
        if (layers < 1 || width < 1) {
            throw new IllegalArgumentException("layers, width: " + layers + ", " + width + " must be >= 1");
        }
        int[] w = new int[layers];
        Arrays.fill(w, width);
        return ofFlat(flat, w);
    }

    /** A row-major N x sum(widths) matrix as consecutive layers of the given widths, numbered 0..L-1. */
    static LayeredEmbeddings ofFlat(Matrix flat, int[] widths) {
        if (flat == null || widths == null) {
            throw new IllegalArgumentException("flat, widths: null");
        }
        long total = 0;
        for (int w : widths) {
            if (w < 1) {
                throw new IllegalArgumentException("widths: " + Arrays.toString(widths) + " holds a width < 1");
            }
            total += w;
        }
        if (total != flat.cols()) {
            throw new IllegalArgumentException("flat: " + flat.cols() + " columns, the widths sum to " + total);
        }
        List<Matrix> views = new ArrayList<>(widths.length);
        int c0 = 0;
        for (int w : widths) {
            views.add(switch (flat) {
                case DMatrix d -> d.view(0, c0, d.rows(), w);
                case FMatrix f -> f.view(0, c0, f.rows(), w);
                case SegmentMatrix s -> s.view(0, c0, s.rows(), w);
            });
            c0 += w;
        }
        return ofMatrices(views);
    }

    /**
     * Opens embeddings from disk, memory-mapped: an (N, L, d) {@code .npy} file, a directory of per-layer
     * (N, d_l) {@code .npy} files (ordered by the last number in their names, then by name), or a
     * {@code .safetensors} file with one 2-D F32/F64 tensor per layer (ordered the same way). Close it when done.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     * @throws IOException              if a file cannot be read
     */
    static EmbeddingFiles open(Path path) throws IOException {
        return EmbeddingFiles.open(path);
    }
}
