package org.loes4j.selection;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.linalg.DMatrix;

/**
 * Seeded synthetic "encoder" layers with structure: a shared latent drifts through the layers, a class
 * signal peaks in an intermediate layer, every layer has its own noise level and a non-zero mean (so the raw
 * and centred quantities differ).
 */
final class Fixtures {
    final double[][][] layers;
    final int[] labels;
    final int classes;

    private Fixtures(double[][][] layers, int[] labels, int classes) {
        this.layers = layers;
        this.labels = labels;
        this.classes = classes;
    }

    static Fixtures structured(long seed, int n, int layerCount, int d, int classes) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i < classes ? i : rng.nextInt(classes);
        }
        double[][] proto = gaussian(rng, classes, d, 1.0);
        double[][] z = gaussian(rng, n, d, 1.0);
        double[][][] layers = new double[layerCount][n][d];
        for (int l = 0; l < layerCount; l++) {
            double[][] mix = gaussian(rng, d, d, 0.4 / Math.sqrt(d));
            for (int a = 0; a < d; a++) {
                mix[a][a] += 1.0;
            }
            double centre = (layerCount - 1) / 2.0;
            double signal = 1.5 * Math.exp(-(l - centre) * (l - centre) / 2.0);
            double noise = 0.2 + 0.15 * l;
            double[] offset = new double[d];
            for (int a = 0; a < d; a++) {
                offset[a] = rng.nextDouble(-1, 1);
            }
            double[] scale = new double[d];
            for (int a = 0; a < d; a++) {
                scale[a] = 0.3 + rng.nextDouble() * (1 + l % 3);
            }
            for (int i = 0; i < n; i++) {
                for (int b = 0; b < d; b++) {
                    double v = 0;
                    for (int a = 0; a < d; a++) {
                        v += z[i][a] * mix[a][b];
                    }
                    layers[l][i][b] = scale[b] * v + signal * proto[labels[i]][b] + noise * gaussian(rng)
                            + offset[b];
                }
            }
        }
        return new Fixtures(layers, labels, classes);
    }

    /**
     * Layers of different widths ({@code widths[l]}): a shared 6-dim latent seen through a per-layer random map,
     * a per-layer class prototype whose strength peaks in the middle layers, per-layer noise, scales and means.
     */
    static Fixtures mixed(long seed, int n, int[] widths, int classes) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i < classes ? i : rng.nextInt(classes);
        }
        int rank = 6;
        double[][] z = gaussian(rng, n, rank, 1.0);
        int count = widths.length;
        double[][][] layers = new double[count][][];
        for (int l = 0; l < count; l++) {
            int d = widths[l];
            double[][] mix = gaussian(rng, rank, d, 1.0 / Math.sqrt(rank));
            double[][] proto = gaussian(rng, classes, d, 1.0);
            double centre = (count - 1) / 2.0;
            double signal = 1.5 * Math.exp(-(l - centre) * (l - centre) / 2.0);
            double noise = 0.2 + 0.15 * l;
            layers[l] = new double[n][d];
            for (int b = 0; b < d; b++) {
                double offset = rng.nextDouble(-1, 1);
                double scale = 0.3 + rng.nextDouble() * (1 + l % 3);
                for (int i = 0; i < n; i++) {
                    double v = 0;
                    for (int a = 0; a < rank; a++) {
                        v += z[i][a] * mix[a][b];
                    }
                    layers[l][i][b] = scale * v + signal * proto[labels[i]][b] + noise * gaussian(rng) + offset;
                }
            }
        }
        return new Fixtures(layers, labels, classes);
    }

    static double gaussian(SplittableRandom rng) {
        double u = rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    static double[][] gaussian(SplittableRandom rng, int rows, int cols, double sd) {
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m[i][j] = sd * gaussian(rng);
            }
        }
        return m;
    }

    LayeredEmbeddings stack() {
        List<DMatrix> list = new ArrayList<>();
        for (double[][] x : layers) {
            list.add(DMatrix.of(x));
        }
        return LayeredEmbeddings.ofMatrices(list);
    }

    long[] longLabels() {
        long[] out = new long[labels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = labels[i];
        }
        return out;
    }

    double[][] oneHot() {
        double[][] t = new double[labels.length][classes];
        for (int i = 0; i < labels.length; i++) {
            t[i][labels[i]] = 1;
        }
        return t;
    }

    /** Regression targets: a linear read-out of layer {@code from} plus seeded noise, two columns. */
    double[][] regressionTargets(int from, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int d = layers[from][0].length;
        double[][] w = gaussian(rng, d, 2, 1.0);
        double[][] t = new double[labels.length][2];
        for (int i = 0; i < t.length; i++) {
            for (int c = 0; c < 2; c++) {
                double v = 0.3 * gaussian(rng);
                for (int a = 0; a < d; a++) {
                    v += layers[from][i][a] * w[a][c];
                }
                t[i][c] = v;
            }
        }
        return t;
    }
}
