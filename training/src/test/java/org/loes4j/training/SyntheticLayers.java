package org.loes4j.training;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.linalg.FMatrix;

/**
 * A synthetic (N, L, d) embedding set whose class signal sits in chosen intermediate layers: in an
 * informative layer, sample i is {@code signal * m_{y_i} + noise} (class means m_c drawn once, noise
 * uniform in [-1, 1)); every other layer is noise only. Stored float32, N x (L d), like an .npy file.
 */
public record SyntheticLayers(FMatrix flat, int layers, int dim, int[] classes, int classCount) {

    public static SyntheticLayers generate(int n, int layers, int dim, int classCount, int[] informative,
                                           double signal, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][][] means = new double[layers][classCount][dim];
        for (int l : informative) {
            for (int c = 0; c < classCount; c++) {
                for (int j = 0; j < dim; j++) {
                    means[l][c][j] = rng.nextDouble(-1, 1);
                }
            }
        }
        int[] y = new int[n];
        FMatrix flat = FMatrix.zeros(n, layers * dim);
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(classCount);
            for (int l = 0; l < layers; l++) {
                for (int j = 0; j < dim; j++) {
                    flat.set(i, l * dim + j, (float) (signal * means[l][y[i]][j] + rng.nextDouble(-1, 1)));
                }
            }
        }
        return new SyntheticLayers(flat, layers, dim, y, classCount);
    }

    public LayeredEmbeddings embeddings() {
        return LayeredEmbeddings.ofFlat(flat, layers, dim);
    }

    public Labels targets() {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classCount; c++) {
            names.add("class" + c);
        }
        return Labels.ofCodes(classes, names);
    }

    /** Rows [from, to) as a view. */
    public LayeredEmbeddings embeddings(int from, int to) {
        return embeddings().rows(range(from, to));
    }

    public Labels targets(int from, int to) {
        return targets().rows(range(from, to));
    }

    public static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
