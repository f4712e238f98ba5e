package org.loes4j.selection.baselines;

import java.util.SplittableRandom;

import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.Transpose;
import org.loes4j.linalg.decomp.CholeskyFactor;
import org.loes4j.linalg.regression.Ridge;
import org.loes4j.selection.LoesOptions;

/**
 * Exhaustive search over all k-subsets of layers, each scored by a K-fold cross-validated ridge probe
 * (lambda of the options, with intercept) on the concatenated raw layers (any widths): mean accuracy (argmax of the
 * one-hot prediction) for classification, minus the mean squared error for regression; higher is better,
 * ties to the lexicographically first subset.
 *
 * <p>The probe is solved in kernel form: the Gram of a concatenation is the sum of the layers' raw Grams
 * {@code K_l = X_l X_lT}, computed once, so a subset costs N^2 k plus one Cholesky per fold. Centring of the
 * training fold is applied to the kernel ({@code Kc = H K H}, and the matching correction for held-out rows),
 * which is the same ridge as centring the features.
 */
final class ExhaustiveSearch {
    private final Linalg linalg;
    private final DMatrix[] kernels;
    private final DMatrix t;
    private final int[] classOf;
    private final int[] fold;
    private final int folds;
    private final double lambda;
    private double bestScore = Double.NaN;

    ExhaustiveSearch(Linalg linalg, LayeredEmbeddings layers, int[] rows, Labels cal, LoesOptions options, int folds) {
        this.linalg = linalg;
        int n = rows.length;
        long bytes = (long) layers.layerCount() * n * n * 8;
        if (bytes > (1L << 30)) {
            throw new IllegalArgumentException("baseline: exhaustive search keeps " + layers.layerCount() + " kernels of "
                    + n + " x " + n + " (" + (bytes >> 20) + " MiB); use a smaller --calibration-fraction");
        }
        kernels = new DMatrix[layers.layerCount()];
        for (int p = 0; p < kernels.length; p++) {
            kernels[p] = linalg.gramN(layers.load(p, rows));
        }
        this.t = cal.targetMatrix();
        this.classOf = cal.isClassification() ? cal.codes() : null;
        this.folds = Math.min(folds, n);
        this.lambda = options.lambda();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(options.seed());
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int x = perm[i];
            perm[i] = perm[j];
            perm[j] = x;
        }
        fold = new int[n];
        for (int i = 0; i < n; i++) {
            fold[perm[i]] = i % this.folds;
        }
    }

    /** The fold (0..folds-1) calibration row {@code i} is held out in. */
    int foldOf(int i) {
        return fold[i];
    }

    /** Cross-validated score of the best subset found by the last {@link #best} call. */
    double bestScore() {
        return bestScore;
    }

    /** Positions (ascending) of the best k-subset. */
    int[] best(int k) {
        int count = kernels.length;
        long subsets = binomial(count, k);
        if (subsets > Baselines.MAX_SUBSETS) {
            throw new IllegalArgumentException("baseline: exhaustive search over " + subsets + " subsets of " + k
                    + " out of " + count + " layers is too large (limit " + Baselines.MAX_SUBSETS + ")");
        }
        int[] combo = new int[k];
        for (int i = 0; i < k; i++) {
            combo[i] = i;
        }
        int[] best = null;
        double bestValue = Double.NEGATIVE_INFINITY;
        while (true) {
            double s = score(combo);
            if (best == null || s > bestValue) {
                best = combo.clone();
                bestValue = s;
            }
            int i = k - 1;
            while (i >= 0 && combo[i] == count - k + i) {
                i--;
            }
            if (i < 0) {
                break;
            }
            combo[i]++;
            for (int j = i + 1; j < k; j++) {
                combo[j] = combo[j - 1] + 1;
            }
        }
        bestScore = bestValue;
        return best;
    }

    /** The cross-validated probe score of the concatenation of the layers at {@code positions}. */
    double score(int[] positions) {
        int n = t.rows();
        int c = t.cols();
        DMatrix k = DMatrix.zeros(n, n);
        for (int p : positions) {
            double[] src = kernels[p].data();
            double[] dst = k.data();
            for (int i = 0; i < dst.length; i++) {
                dst[i] += src[i];
            }
        }
        double total = 0;
        for (int f = 0; f < folds; f++) {
            int[] tr = members(f, false);
            int[] te = members(f, true);
            int ntr = tr.length;
            double[] rowMean = new double[ntr];
            double all = 0;
            DMatrix ktr = DMatrix.zeros(ntr, ntr);
            for (int a = 0; a < ntr; a++) {
                for (int b = 0; b < ntr; b++) {
                    double v = k.get(tr[a], tr[b]);
                    ktr.set(a, b, v);
                    rowMean[a] += v / ntr;
                }
                all += rowMean[a] / ntr;
            }
            for (int a = 0; a < ntr; a++) {
                for (int b = 0; b < ntr; b++) {
                    ktr.set(a, b, ktr.get(a, b) - rowMean[a] - rowMean[b] + all);
                }
            }
            DMatrix kte = DMatrix.zeros(te.length, ntr);
            for (int a = 0; a < te.length; a++) {
                double m = 0;
                for (int b = 0; b < ntr; b++) {
                    m += k.get(te[a], tr[b]) / ntr;
                }
                for (int b = 0; b < ntr; b++) {
                    kte.set(a, b, k.get(te[a], tr[b]) - m - rowMean[b] + all);
                }
            }
            double[] tMean = new double[c];
            DMatrix ttr = DMatrix.zeros(ntr, c);
            for (int a = 0; a < ntr; a++) {
                for (int j = 0; j < c; j++) {
                    ttr.set(a, j, t.get(tr[a], j));
                    tMean[j] += t.get(tr[a], j) / ntr;
                }
            }
            linalg.subtractRow(ttr, tMean);
            Ridge.addDiagonal(ktr, lambda);
            CholeskyFactor chol = linalg.cholesky(ktr);
            chol.solveInPlace(ttr);
            DMatrix pred = DMatrix.zeros(te.length, c);
            linalg.gemm(Transpose.NO, Transpose.NO, 1.0, kte, ttr, 0.0, pred);
            for (int a = 0; a < te.length; a++) {
                if (classOf != null) {
                    int arg = 0;
                    for (int j = 1; j < c; j++) {
                        if (pred.get(a, j) + tMean[j] > pred.get(a, arg) + tMean[arg]) {
                            arg = j;
                        }
                    }
                    total += arg == classOf[te[a]] ? 1 : 0;
                } else {
                    for (int j = 0; j < c; j++) {
                        double e = pred.get(a, j) + tMean[j] - t.get(te[a], j);
                        total -= e * e / c;
                    }
                }
            }
        }
        return total / n;
    }

    private int[] members(int f, boolean inFold) {
        int count = 0;
        for (int v : fold) {
            if ((v == f) == inFold) {
                count++;
            }
        }
        int[] out = new int[count];
        int i = 0;
        for (int r = 0; r < fold.length; r++) {
            if ((fold[r] == f) == inFold) {
                out[i++] = r;
            }
        }
        return out;
    }

    static long binomial(int n, int k) {
        long r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
            if (r > Long.MAX_VALUE / (n + 1)) {
                return Long.MAX_VALUE;
            }
        }
        return r;
    }
}
