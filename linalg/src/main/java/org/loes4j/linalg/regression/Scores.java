package org.loes4j.linalg.regression;

import org.loes4j.linalg.DMatrix;

/**
 * The held-out scores of a ridge fold (higher is better for every one), as {@link RidgeCv} computes them.
 * <ul>
 *   <li>accuracy: the fraction of rows whose largest predicted one-hot score (the lowest class code on a tie)
 *       is their class;</li>
 *   <li>macro-F1: the unweighted mean over classes of {@code F1_c = 2 TP / (2 TP + FP + FN)}, over the
 *       classes present in the held-out truth or predictions (scikit-learn's {@code f1_score(average="macro")});</li>
 *   <li>R^2: per target column {@code 1 - SSE / SST}, SST the sum of squares around the HELD-OUT mean of
 *       that column; a column with SST = 0 scores 1 when SSE = 0, else 0; columns averaged uniformly
 *       (scikit-learn's {@code r2_score} on each fold).</li>
 * </ul>
 */
final class Scores {
    private Scores() {
    }

    /** Argmax of each row, the first (lowest) column on a tie. */
    static void argmax(DMatrix scores, int[] out) {
        double[] d = scores.data();
        for (int i = 0; i < scores.rows(); i++) {
            int o = scores.index(i, 0);
            int best = 0;
            for (int c = 1; c < scores.cols(); c++) {
                if (d[o + c] > d[o + best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
    }

    static double accuracy(int[] predicted, int[] truth) {
        int ok = 0;
        for (int i = 0; i < truth.length; i++) {
            if (predicted[i] == truth[i]) {
                ok++;
            }
        }
        return (double) ok / truth.length;
    }

    static double macroF1(int[] predicted, int[] truth, int classes) {
        int[] tp = new int[classes];
        int[] fp = new int[classes];
        int[] fn = new int[classes];
        for (int i = 0; i < truth.length; i++) {
            if (predicted[i] == truth[i]) {
                tp[truth[i]]++;
            } else {
                fp[predicted[i]]++;
                fn[truth[i]]++;
            }
        }
        double sum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            int den = 2 * tp[c] + fp[c] + fn[c];
            if (den > 0) {
                sum += 2.0 * tp[c] / den;
                present++;
            }
        }
        return present == 0 ? 0 : sum / present;
    }

    /** Mean over columns of R^2 of {@code predicted} against {@code truth} (same shape). */
    static double r2(DMatrix predicted, DMatrix truth) {
        int m = truth.rows();
        int c = truth.cols();
        double total = 0;
        for (int j = 0; j < c; j++) {
            double mean = 0;
            for (int i = 0; i < m; i++) {
                mean += truth.get(i, j);
            }
            mean /= m;
            double sse = 0;
            double sst = 0;
            for (int i = 0; i < m; i++) {
                double e = truth.get(i, j) - predicted.get(i, j);
                double t = truth.get(i, j) - mean;
                sse += e * e;
                sst += t * t;
            }
            total += sst > 0 ? 1 - sse / sst : sse == 0 ? 1 : 0;
        }
        return total / c;
    }
}
