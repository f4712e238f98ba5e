package org.loes4j.selection.metrics;

import java.util.SplittableRandom;

import org.loes4j.linalg.DMatrix;

/**
 * The class-centroid triangle term (spec section 1): for centroids {@code mu_1..mu_C},
 * {@code area(i,j,k) = 1/2 sqrt(max(0, |mu_i-mu_j|^2 |mu_i-mu_k|^2 - ((mu_i-mu_j).(mu_i-mu_k))^2))},
 * averaged over ordered triplets drawn with replacement (degenerate ones included; no log, no scale
 * normalisation). Every quantity follows from the C x C centroid Gram {@code g = M MT}:
 * {@code |mu_i-mu_j|^2 = g_ii + g_jj - 2 g_ij}, {@code (mu_i-mu_j).(mu_i-mu_k) = g_ii - g_ij - g_ik + g_jk}.
 */
public final class TriangleArea {
    private TriangleArea() {
    }

    /**
     * The area of triangle (i, j, k) from the centroid Gram. A triplet with a repeated index is degenerate and
     * has area 0 exactly: from the Gram, {@code ab * ac - dot^2} would otherwise be rounding noise whose square
     * root is ~1e-8 of the scale.
     */
    public static double area(DMatrix g, int i, int j, int k) {
        if (i == j || i == k || j == k) {
            return 0;
        }
        double gii = g.get(i, i);
        double ab = (gii - g.get(i, j)) + (g.get(j, j) - g.get(i, j));
        double ac = (gii - g.get(i, k)) + (g.get(k, k) - g.get(i, k));
        double dot = (gii - g.get(i, j)) + (g.get(j, k) - g.get(i, k));
        return 0.5 * Math.sqrt(Math.max(0.0, ab * ac - dot * dot));
    }

    /** The exact estimator: the mean area over all C^3 ordered triplets with replacement. 0 for C &lt; 3. */
    public static double exact(DMatrix g) {
        int c = g.rows();
        if (c < 3) {
            return 0;
        }
        double sum = 0;
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                for (int k = 0; k < c; k++) {
                    sum += area(g, i, j, k);
                }
            }
        }
        return sum / ((double) c * c * c);
    }

    /** The authors' estimator: the mean area of {@code draws} triplets drawn uniformly with replacement. */
    public static double sampled(DMatrix g, int draws, SplittableRandom rng) {
        if (draws < 1) {
            throw new IllegalArgumentException("draws: " + draws + " must be >= 1");
        }
        int c = g.rows();
        if (c < 3) {
            return 0;
        }
        double sum = 0;
        for (int t = 0; t < draws; t++) {
            sum += area(g, rng.nextInt(c), rng.nextInt(c), rng.nextInt(c));
        }
        return sum / draws;
    }

    /**
     * The largest value {@link #exact} can take for centroids of this spread:
     * {@code (sqrt 3 / 4) ((C - 2) / C) D}, with {@code D = (1/C^2) sum_ij |mu_i - mu_j|^2
     * = (2/C) tr g - (2/C^2) sum_ij g_ij} the mean squared distance over ordered pairs with replacement. By
     * Weitzenboeck's inequality ({@code a^2 + b^2 + c^2 >= 4 sqrt(3) area}, equality for an equilateral triangle) a
     * triangle's area is at most {@code (sqrt 3 / 12)} times the sum of its squared sides; summed over the
     * {@code C (C-1) (C-2)} ordered triplets of distinct classes each ordered pair of distinct classes is a side
     * {@code 3 (C - 2)} times, which gives the bound, reached exactly when the centroids form a regular simplex.
     * Scales with the square of the features, as the area does. 0 for C &lt; 3.
     */
    public static double bound(DMatrix g) {
        int c = g.rows();
        if (c < 3) {
            return 0;
        }
        double trace = 0;
        double all = 0;
        for (int i = 0; i < c; i++) {
            trace += g.get(i, i);
            for (int j = 0; j < c; j++) {
                all += g.get(i, j);
            }
        }
        double meanSquaredDistance = Math.max(0, 2 * trace / c - 2 * all / ((double) c * c));
        return Math.sqrt(3) / 4 * (c - 2) / c * meanSquaredDistance;
    }

    /**
     * A centroid Gram {@code M MT} re-expressed for centroids taken relative to their mean:
     * {@code H g H} with {@code H = I - 11T / C} (areas are unchanged). Returns a new matrix.
     */
    public static DMatrix centreGram(DMatrix g) {
        int c = g.rows();
        if (g.cols() != c) {
            throw new IllegalArgumentException("g: " + g.shape() + " is not square");
        }
        double[] rowMean = new double[c];
        double all = 0;
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                rowMean[i] += g.get(i, j) / c;
            }
            all += rowMean[i] / c;
        }
        DMatrix out = DMatrix.zeros(c, c);
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                out.set(i, j, g.get(i, j) - rowMean[i] - rowMean[j] + all);
            }
        }
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < i; j++) {
                double v = 0.5 * (out.get(i, j) + out.get(j, i));
                out.set(i, j, v);
                out.set(j, i, v);
            }
        }
        return out;
    }

    /**
     * The C x C Gram of the class centroids of the rows of x (N x d), centroids taken relative to their own
     * mean (areas depend only on differences; centring keeps the Gram free of cancellation).
     *
     * @param classOf class index in [0, classes) of each row; every class must occur
     */
    public static DMatrix centroidGram(DMatrix x, int[] classOf, int classes) {
        if (classOf.length != x.rows()) {
            throw new IllegalArgumentException("classOf: " + classOf.length + " entries for " + x.rows() + " rows");
        }
        int d = x.cols();
        double[] sums = new double[classes * d];
        int[] counts = new int[classes];
        double[] a = x.data();
        for (int i = 0; i < x.rows(); i++) {
            int c = classOf[i];
            counts[c]++;
            int o = x.index(i, 0);
            int s = c * d;
            for (int j = 0; j < d; j++) {
                sums[s + j] += a[o + j];
            }
        }
        double[] centre = new double[d];
        for (int c = 0; c < classes; c++) {
            if (counts[c] == 0) {
                throw new IllegalArgumentException("classOf: class " + c + " has no rows");
            }
            double inv = 1.0 / counts[c];
            for (int j = 0; j < d; j++) {
                sums[c * d + j] *= inv;
                centre[j] += sums[c * d + j] / classes;
            }
        }
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < d; j++) {
                sums[c * d + j] -= centre[j];
            }
        }
        DMatrix g = DMatrix.zeros(classes, classes);
        for (int p = 0; p < classes; p++) {
            for (int q = 0; q <= p; q++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += sums[p * d + j] * sums[q * d + j];
                }
                g.set(p, q, s);
                g.set(q, p, s);
            }
        }
        return g;
    }
}
