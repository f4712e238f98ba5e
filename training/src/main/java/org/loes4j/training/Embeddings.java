package org.loes4j.training;

import java.util.ArrayList;
import java.util.List;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Matrix;
import org.loes4j.linalg.SegmentMatrix;
import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyArray;

/**
 * Pooled hidden states of N samples for L layers of width d, the (N, L, d) array a layer selection and a
 * probe read. Batches are copied (widened to float64) one layer at a time with {@link #gather}.
 */
public interface Embeddings {

    /** N. */
    int size();

    /** L. */
    int layers();

    /** d. */
    int dim();

    /**
     * Copies layer {@code layer} of samples {@code rows[from .. from + count)} into the first
     * {@code count} rows of {@code dst} (count x d, float64).
     */
    void gather(int layer, int[] rows, int from, int count, DMatrix dst);

    /**
     * Views a row-major N x (L d) matrix (heap float32/float64, or a memory-mapped {@link SegmentMatrix},
     * e.g. an (N, L, d) .npy file) as embeddings; nothing is copied.
     */
    static Embeddings of(Matrix flat, int layers, int dim) {
        if (layers < 1 || dim < 1) {
            throw new IllegalArgumentException("layers, dim: " + layers + ", " + dim + " must be >= 1");
        }
        if ((long) layers * dim != flat.cols()) {
            throw new IllegalArgumentException("flat: " + flat.cols() + " columns, expected L * d = " + layers + " * " + dim);
        }
        return new MatrixEmbeddings(flat, layers, dim);
    }

    /**
     * Views L separate N x d matrices (e.g. one memory-mapped file or tensor per layer) as embeddings;
     * nothing is copied.
     */
    static Embeddings ofLayers(List<? extends Matrix> layers) {
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("layers: at least one layer is needed");
        }
        Matrix first = layers.getFirst();
        for (int l = 0; l < layers.size(); l++) {
            Matrix m = layers.get(l);
            if (m.rows() != first.rows() || m.cols() != first.cols()) {
                throw new IllegalArgumentException("layers: layer " + l + " is " + m.shape() + ", layer 0 is "
                        + first.shape());
            }
        }
        if (first.cols() < 1) {
            throw new IllegalArgumentException("layers: width 0");
        }
        return new LayerListEmbeddings(List.copyOf(layers));
    }

    /**
     * An (N, L, d) float32/float64 {@code .npy} array (see {@link Npy#map}) as embeddings, one strided
     * view per layer; valid while the array is open.
     *
     * @throws IllegalArgumentException naming the file if the array is not 3-D or not floating point
     */
    static Embeddings of(NpyArray array) {
        if (array.rank() != 3) {
            throw new IllegalArgumentException(array.file() + ": expected an (N, L, d) array, found " + array.describe());
        }
        List<SegmentMatrix> layers = new ArrayList<>();
        for (int l = 0; l < array.layers(); l++) {
            layers.add(array.layer(l));
        }
        return ofLayers(layers);
    }

    /** The samples {@code rows} of {@code source}, in that order (a view: nothing is copied). */
    static Embeddings rows(Embeddings source, int[] rows) {
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= source.size()) {
                throw new IllegalArgumentException("rows: entry " + i + " is " + rows[i] + ", outside [0, " + source.size() + ")");
            }
        }
        int[] map = rows.clone();
        return new Embeddings() {
            @Override
            public int size() {
                return map.length;
            }

            @Override
            public int layers() {
                return source.layers();
            }

            @Override
            public int dim() {
                return source.dim();
            }

            @Override
            public void gather(int layer, int[] r, int from, int count, DMatrix dst) {
                int[] mapped = new int[count];
                for (int i = 0; i < count; i++) {
                    mapped[i] = map[r[from + i]];
                }
                source.gather(layer, mapped, 0, count, dst);
            }
        };
    }
}

/** {@link Embeddings} over one N x d matrix per layer. */
final class LayerListEmbeddings implements Embeddings {
    private final List<Matrix> layers;

    LayerListEmbeddings(List<Matrix> layers) {
        this.layers = layers;
    }

    @Override
    public int size() {
        return layers.getFirst().rows();
    }

    @Override
    public int layers() {
        return layers.size();
    }

    @Override
    public int dim() {
        return layers.getFirst().cols();
    }

    @Override
    public void gather(int layer, int[] rows, int from, int count, DMatrix dst) {
        if (layer < 0 || layer >= layers.size()) {
            throw new IllegalArgumentException("layer: " + layer + " is outside [0, " + layers.size() + ")");
        }
        MatrixEmbeddings.gatherRows(layers.get(layer), 0, dim(), rows, from, count, dst);
    }
}

/** {@link Embeddings} over one N x (L d) matrix. */
final class MatrixEmbeddings implements Embeddings {
    private final Matrix flat;
    private final int layers;
    private final int dim;

    MatrixEmbeddings(Matrix flat, int layers, int dim) {
        this.flat = flat;
        this.layers = layers;
        this.dim = dim;
    }

    @Override
    public int size() {
        return flat.rows();
    }

    @Override
    public int layers() {
        return layers;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public void gather(int layer, int[] rows, int from, int count, DMatrix dst) {
        if (layer < 0 || layer >= layers) {
            throw new IllegalArgumentException("layer: " + layer + " is outside [0, " + layers + ")");
        }
        gatherRows(flat, layer * dim, dim, rows, from, count, dst);
    }

    /** Copies columns [c0, c0 + dim) of rows {@code rows[from .. from + count)} of {@code m} into {@code dst}. */
    static void gatherRows(Matrix m, int c0, int dim, int[] rows, int from, int count, DMatrix dst) {
        if (dst.rows() < count || dst.cols() != dim) {
            throw new IllegalArgumentException("dst: shape " + dst.shape() + ", needs at least " + count + " x " + dim);
        }
        double[] out = dst.data();
        for (int i = 0; i < count; i++) {
            int r = rows[from + i];
            int o = dst.index(i, 0);
            switch (m) {
                case DMatrix d -> System.arraycopy(d.data(), d.index(r, c0), out, o, dim);
                case FMatrix f -> {
                    float[] src = f.data();
                    int s = f.index(r, c0);
                    for (int j = 0; j < dim; j++) {
                        out[o + j] = src[s + j];
                    }
                }
                case SegmentMatrix s -> s.view(r, c0, 1, dim).copyTo(dst.view(i, 0, 1, dim));
            }
        }
    }
}
