package org.loes4j.selection.probe;

import org.loes4j.linalg.regression.Standardiser;

/**
 * A deliberately plain scalar twin of {@link LayerProbe} for tests: {@code double[][]} matrices, and for every
 * fold and every lambda separately the definition as written: standardise the columns by the training rows'
 * mean and population std (a constant column, by the same rule, becomes 0), form {@code XT X + lambda I} and
 * {@code XT T} (T uncentred: X is centred, so it is the same system) in double loops, solve it by its own
 * Cholesky factorisation, predict {@code X' W + 1 mean(T)} and score. It shares no code with the production
 * path (no eigen-decomposition, no dual form, no linalg).
 */
final class ReferenceProbe {
    private ReferenceProbe() {
    }

    /** Scores of one (layer, lambda): [0] per-fold primary scores, [1] per-fold macro-F1 (classification). */
    static double[][] foldScores(double[][] x, int[] classes, int classCount, double[][] targets, int[] fold, int k,
                                 double lambda) {
        double[][] out = new double[2][k];
        for (int f = 0; f < k; f++) {
            int ntr = 0;
            for (int v : fold) {
                ntr += v == f ? 0 : 1;
            }
            int nte = fold.length - ntr;
            int d = x[0].length;
            int c = classes != null ? classCount : targets[0].length;
            double[][] xtr = new double[ntr][];
            double[][] xte = new double[nte][];
            double[][] ttr = new double[ntr][c];
            int[] truth = new int[nte];
            double[][] tte = new double[nte][];
            int a = 0;
            int b = 0;
            for (int i = 0; i < fold.length; i++) {
                if (fold[i] == f) {
                    xte[b] = x[i].clone();
                    if (classes != null) {
                        truth[b] = classes[i];
                    } else {
                        tte[b] = targets[i].clone();
                    }
                    b++;
                } else {
                    xtr[a] = x[i].clone();
                    if (classes != null) {
                        ttr[a][classes[i]] = 1;
                    } else {
                        ttr[a] = targets[i].clone();
                    }
                    a++;
                }
            }
            for (int j = 0; j < d; j++) {
                double mean = 0;
                for (double[] r : xtr) {
                    mean += r[j];
                }
                mean /= ntr;
                double ss = 0;
                for (double[] r : xtr) {
                    ss += (r[j] - mean) * (r[j] - mean);
                }
                double std = Math.sqrt(ss / ntr);
                double inv = std == 0 || std <= Standardiser.CONSTANT_COLUMN_RELATIVE * Math.abs(mean) ? 0 : 1 / std;
                for (double[] r : xtr) {
                    r[j] = (r[j] - mean) * inv;
                }
                for (double[] r : xte) {
                    r[j] = (r[j] - mean) * inv;
                }
            }
            double[] tMean = new double[c];
            for (double[] r : ttr) {
                for (int j = 0; j < c; j++) {
                    tMean[j] += r[j] / ntr;
                }
            }
            double[][] g = new double[d][d];
            double[][] rhs = new double[d][c];
            for (double[] r : xtr) {
                for (int p = 0; p < d; p++) {
                    for (int q = 0; q < d; q++) {
                        g[p][q] += r[p] * r[q];
                    }
                }
            }
            for (int i = 0; i < ntr; i++) {
                for (int p = 0; p < d; p++) {
                    for (int j = 0; j < c; j++) {
                        rhs[p][j] += xtr[i][p] * ttr[i][j];
                    }
                }
            }
            for (int p = 0; p < d; p++) {
                g[p][p] += lambda;
            }
            double[][] w = choleskySolve(g, rhs);
            double[][] pred = new double[nte][c];
            for (int i = 0; i < nte; i++) {
                for (int j = 0; j < c; j++) {
                    double s = tMean[j];
                    for (int p = 0; p < d; p++) {
                        s += xte[i][p] * w[p][j];
                    }
                    pred[i][j] = s;
                }
            }
            if (classes != null) {
                int[] predicted = new int[nte];
                int ok = 0;
                for (int i = 0; i < nte; i++) {
                    int arg = 0;
                    for (int j = 1; j < c; j++) {
                        if (pred[i][j] > pred[i][arg]) {
                            arg = j;
                        }
                    }
                    predicted[i] = arg;
                    ok += arg == truth[i] ? 1 : 0;
                }
                out[0][f] = (double) ok / nte;
                out[1][f] = macroF1(predicted, truth, c);
            } else {
                double r2 = 0;
                for (int j = 0; j < c; j++) {
                    double mean = 0;
                    for (double[] r : tte) {
                        mean += r[j] / nte;
                    }
                    double sse = 0;
                    double sst = 0;
                    for (int i = 0; i < nte; i++) {
                        sse += (tte[i][j] - pred[i][j]) * (tte[i][j] - pred[i][j]);
                        sst += (tte[i][j] - mean) * (tte[i][j] - mean);
                    }
                    r2 += sst > 0 ? 1 - sse / sst : sse == 0 ? 1 : 0;
                }
                out[0][f] = r2 / c;
            }
        }
        return out;
    }

    /** Mean over the classes with any true or predicted row of 2 TP / (2 TP + FP + FN). */
    static double macroF1(int[] predicted, int[] truth, int classes) {
        double sum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (int i = 0; i < truth.length; i++) {
                boolean p = predicted[i] == c;
                boolean t = truth[i] == c;
                tp += p && t ? 1 : 0;
                fp += p && !t ? 1 : 0;
                fn += !p && t ? 1 : 0;
            }
            if (tp + fp + fn > 0) {
                sum += 2.0 * tp / (2.0 * tp + fp + fn);
                present++;
            }
        }
        return sum / present;
    }

    /** Solves the symmetric positive definite {@code a x = b} by a plain Cholesky factorisation. */
    static double[][] choleskySolve(double[][] a, double[][] b) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalStateException("not positive definite at " + i);
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        int m = b[0].length;
        double[][] x = new double[n][m];
        for (int col = 0; col < m; col++) {
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                double s = b[i][col];
                for (int k = 0; k < i; k++) {
                    s -= l[i][k] * y[k];
                }
                y[i] = s / l[i][i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double s = y[i];
                for (int k = i + 1; k < n; k++) {
                    s -= l[k][i] * x[k][col];
                }
                x[i][col] = s / l[i][i];
            }
        }
        return x;
    }
}
