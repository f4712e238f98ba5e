package org.loes4j.selection.data;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyDType;
import org.loes4j.linalg.io.NpyWriter;

/**
 * Seeded synthetic "encoder outputs" with the structure LOES looks for, written as an (N, L, d) float32
 * {@code .npy} plus int64 labels: a low-rank latent (rank {@code min(d, 16)}) seen through a projection that
 * drifts from layer to layer, per-layer anisotropic scaling (strongest at the first and last layers), isotropic
 * noise, and a class signal (one random prototype per class) whose strength peaks in the intermediate layers
 * (around 45% of the depth) and fades towards the first and last layers. Classes are drawn uniformly; the first C rows hold classes 0..C-1 so
 * every class is present.
 *
 * <p>{@link #write} stores them as files that {@link LayeredEmbeddings#open} and
 * {@link Labels#read} read back; {@link #embeddings()} and {@link #labels()} give the same values in memory.
 *
 * @param rows    N
 * @param layers  L
 * @param dim     d
 * @param classes C (&gt;= 2)
 * @param seed    seed of the one generator everything is drawn from
 */
public record SyntheticEmbeddings(int rows, int layers, int dim, int classes, long seed) {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public SyntheticEmbeddings {
        if (rows < 2 || layers < 1 || dim < 1) {
            throw new IllegalArgumentException("shape: rows " + rows + " (>= 2), layers " + layers + " (>= 1), dim "
                    + dim + " (>= 1)");
        }
        if (classes < 2 || classes > rows) {
            throw new IllegalArgumentException("classes: " + classes + " must be in [2, rows = " + rows + "]");
        }
    }

    /** The relative strength of the class signal in layer l: a bump centred at 45% of the depth. */
    public double signal(int l) {
        double centre = 0.45 * (layers - 1);
        double width = Math.max(1.0, 0.2 * layers);
        double z = (l - centre) / width;
        return 2.0 * Math.exp(-z * z);
    }

    /** Writes {@code embeddings} (N, L, d) float32 and {@code labels} (N,) int64, each atomically. */
    public void write(Path embeddings, Path labels) throws IOException {
        long[] y;
        try (NpyWriter w = Npy.create(embeddings, NpyDType.FLOAT32, rows, layers, dim)) {
            MemorySegment out = w.data();
            y = generate((index, v) -> out.set(F32, 4L * index, v));
            w.commit();
        }
        Npy.write(labels, y);
    }

    /** The embeddings {@link #write} stores, on the heap: L layers of width d, hidden states 0..L-1. */
    public LayeredEmbeddings embeddings() {
        float[] data = new float[Math.multiplyExact(Math.multiplyExact(rows, layers), dim)];
        generate((index, v) -> data[(int) index] = v);
        return LayeredEmbeddings.ofFlat(FMatrix.wrap(data, rows, layers * dim), layers, dim);
    }

    /** The class labels {@link #write} stores (integer classes 0..C-1). */
    public Labels labels() {
        SplittableRandom rng = new SplittableRandom(seed);
        return Labels.ofIntegers(drawLabels(rng));
    }

    /** Receives value {@code v} at flat index {@code (i * L + l) * d + j} of the (N, L, d) array. */
    private interface Sink {
        void set(long index, float v);
    }

    private long[] drawLabels(SplittableRandom rng) {
        long[] y = new long[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = i < classes ? i : rng.nextInt(classes);
        }
        return y;
    }

    /** Draws everything from one generator in a fixed order, hands every value to {@code out}; returns the labels. */
    private long[] generate(Sink out) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[] y = drawLabels(rng);
        int rank = Math.min(dim, 16);
        double[][] proto = gaussian(rng, classes, dim, 1.0 / Math.sqrt(dim) * 4);
        double[][] latent = gaussian(rng, rows, rank, 1.0);
        double[][] proj = gaussian(rng, rank, dim, 1.0);
        double[] scale = new double[dim];
        double[] row = new double[dim];
        for (int l = 0; l < layers; l++) {
            if (l > 0) {
                double[][] drift = gaussian(rng, rank, dim, 0.5);
                for (int a = 0; a < rank; a++) {
                    for (int j = 0; j < dim; j++) {
                        proj[a][j] = 0.85 * proj[a][j] + drift[a][j];
                    }
                }
            }
            // Real encoders are most anisotropic at the ends; here the spectrum is flattest where the class
            // signal peaks, so isotropy and fit agree on the intermediate layers.
            double decay = 0.3 + 2.4 * Math.abs(l - 0.45 * (layers - 1)) / Math.max(1.0, layers - 1.0);
            for (int j = 0; j < dim; j++) {
                scale[j] = Math.pow(1.0 + j, -0.5 * decay);
            }
            double s = signal(l);
            double noise = 0.3 + 0.2 * l / Math.max(1.0, layers - 1.0);
            for (int i = 0; i < rows; i++) {
                double[] p = proto[(int) y[i]];
                for (int j = 0; j < dim; j++) {
                    row[j] = s * p[j] + noise * gaussian(rng);
                }
                for (int a = 0; a < rank; a++) {
                    double z = latent[i][a];
                    double[] pa = proj[a];
                    for (int j = 0; j < dim; j++) {
                        row[j] += z * pa[j];
                    }
                }
                long base = ((long) i * layers + l) * dim;
                for (int j = 0; j < dim; j++) {
                    out.set(base + j, (float) (scale[j] * row[j]));
                }
            }
        }
        return y;
    }

    private static double gaussian(SplittableRandom rng) {
        double u = rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }

    private static double[][] gaussian(SplittableRandom rng, int r, int c, double sd) {
        double[][] m = new double[r][c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                m[i][j] = sd * gaussian(rng);
            }
        }
        return m;
    }
}
