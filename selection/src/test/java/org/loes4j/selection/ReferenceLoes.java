package org.loes4j.selection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deliberately plain re-statement of spec sections 1 and 2 for tests: {@code double[][]} matrices, the
 * formulas applied to the full matrices as written (eigenvalues for isotropy, explicit predictions
 * {@code P = X W + 1 b}, explicit {@code X~ = Xc - Sc B + 1 mean(X)}, centroid differences for the triangle
 * areas), its own Cholesky and Jacobi eigen-solver. It shares no code with the production path. The linear
 * systems use the side the spec allows (primal when p &lt; N, else the dual / Woodbury form), because a p x p
 * system with p &gt; N is singular up to the ridge and no implementation can be accurate on it. Layers may
 * have different widths: every term is per layer, and the orthogonalisation concatenates the selected layers.
 */
final class ReferenceLoes {
    static final double LAMBDA = 1e-3;
    static final double MU = 1e-6;
    static final double EPS = 1e-9;

    /** What the reference computes, for comparison. */
    static final class Result {
        final List<Integer> selected = new ArrayList<>();
        final List<Double> stepScores = new ArrayList<>();
        double[] fitLoss;
        double[] iso;
        double[] score0;
        /** [step-1][layer] terms, NaN for selected layers: {resLoss, red, tri, score}. */
        final List<double[][]> steps = new ArrayList<>();
    }

    private ReferenceLoes() {
    }

    /**
     * @param layers  L matrices N x d_l
     * @param labels  class index per row (classification) or null
     * @param targets N x c targets (one-hot for classification), or null for label-free
     */
    static Result run(double[][][] layers, int[] labels, double[][] targets, int k, double alpha, double gamma,
                      double eta, boolean paper) {
        return run(layers, labels, targets, k, alpha, gamma, eta, paper, MU);
    }

    /** As above with the orthogonalisation ridge {@code mu}. */
    static Result run(double[][][] layers, int[] labels, double[][] targets, int k, double alpha, double gamma,
                      double eta, boolean paper, double mu) {
        return run(layers, labels, targets, k, alpha, gamma, eta, paper, mu, 0, 0);
    }

    /**
     * As above with the triangle estimator: {@code draws == 0} exact; else the {@code sampled:draws} estimator,
     * the triplets of candidate layer l in step s drawn from {@code new SplittableRandom(seed ^ (s << 32 | l))}.
     */
    static Result run(double[][][] layers, int[] labels, double[][] targets, int k, double alpha, double gamma,
                      double eta, boolean paper, double mu, int draws, long seed) {
        int l = layers.length;
        Result res = new Result();
        res.fitLoss = new double[l];
        res.iso = new double[l];
        res.score0 = new double[l];
        double[][][] preds = new double[l][][];
        for (int i = 0; i < l; i++) {
            res.iso[i] = isotropy(layers[i]);
            if (targets != null) {
                preds[i] = ridgePredict(layers[i], targets);
                res.fitLoss[i] = mse(preds[i], targets);
                res.score0[i] = res.fitLoss[i] + alpha * (1 - res.iso[i]);
            } else {
                res.fitLoss[i] = Double.NaN;
                res.score0[i] = alpha * (1 - res.iso[i]);
            }
        }
        int first = argmin(res.score0, new boolean[l]);
        res.selected.add(first);
        res.stepScores.add(res.score0[first]);
        double[][] yhat = targets == null ? null : copy(preds[first]);
        k = Math.min(k, l);
        while (res.selected.size() < k) {
            double[][] r = targets == null ? null : subtract(targets, yhat);
            boolean[] used = new boolean[l];
            for (int s : res.selected) {
                used[s] = true;
            }
            double[][] terms = new double[l][4];
            double[] score = new double[l];
            double[][][] residualPreds = new double[l][][];
            for (int c = 0; c < l; c++) {
                if (used[c]) {
                    Arrays.fill(terms[c], Double.NaN);
                    score[c] = Double.NaN;
                    continue;
                }
                double red = 0;
                for (int s : res.selected) {
                    red = Math.max(red, redundancy(layers[c], layers[s]));
                }
                double resLoss = 0;
                double tri = 0;
                if (targets != null) {
                    double[][] xt = orthogonalise(layers[c], layers, res.selected, mu);
                    residualPreds[c] = ridgePredict(xt, r);
                    resLoss = mse(residualPreds[c], r);
                    if (labels != null) {
                        tri = draws == 0 ? triangle(xt, labels)
                                : sampledTriangle(xt, labels, draws,
                                        new SplittableRandom(seed ^ (((long) res.selected.size() << 32) | c)));
                    }
                }
                score[c] = resLoss + alpha * (1 - res.iso[c]) + gamma * red - eta * tri;
                terms[c] = new double[] {targets == null ? Double.NaN : resLoss, red, tri, score[c]};
            }
            int best = argmin(score, used);
            res.steps.add(terms);
            res.selected.add(best);
            res.stepScores.add(score[best]);
            if (targets != null) {
                yhat = add(yhat, paper ? preds[best] : residualPreds[best]);
            }
        }
        return res;
    }

    static int argmin(double[] v, boolean[] skip) {
        int best = -1;
        for (int i = 0; i < v.length; i++) {
            if (!skip[i] && (best < 0 || v[i] < v[best])) {
                best = i;
            }
        }
        return best;
    }

    // ------------------------------------------------------------ the terms

    static double isotropy(double[][] x) {
        int n = x.length;
        int d = x[0].length;
        double[][] xc = centre(x);
        double[][] s = new double[d][d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                double v = 0;
                for (int i = 0; i < n; i++) {
                    v += xc[i][a] * xc[i][b];
                }
                s[a][b] = v / n;
            }
        }
        double[] e = jacobiEigenvalues(s);
        double mean = 0;
        for (double v : e) {
            mean += Math.max(0, v);
        }
        mean /= d;
        double var = 0;
        for (double v : e) {
            var += (Math.max(0, v) - mean) * (Math.max(0, v) - mean);
        }
        return mean / (Math.sqrt(var / d) + EPS);
    }

    static double redundancy(double[][] xa, double[][] xb) {
        double[][] cross = matmul(transpose(xa), xb);
        double na = frob(xa);
        double nb = frob(xb);
        return na == 0 || nb == 0 ? 0 : frob(cross) / (na * nb);
    }

    /** Exact triangle estimator: mean area over all C^3 ordered triplets, from centroid differences. */
    static double triangle(double[][] x, int[] labels) {
        int classes = Arrays.stream(labels).max().orElse(-1) + 1;
        if (classes < 3) {
            return 0;
        }
        double[][] mu = centroids(x, labels, classes);
        double sum = 0;
        for (int i = 0; i < classes; i++) {
            for (int j = 0; j < classes; j++) {
                for (int k = 0; k < classes; k++) {
                    sum += area(mu[i], mu[j], mu[k]);
                }
            }
        }
        return sum / ((double) classes * classes * classes);
    }

    /** The authors' estimator: the mean area of {@code draws} ordered triplets drawn with replacement. */
    static double sampledTriangle(double[][] x, int[] labels, int draws, SplittableRandom rng) {
        int classes = Arrays.stream(labels).max().orElse(-1) + 1;
        if (classes < 3) {
            return 0;
        }
        double[][] mu = centroids(x, labels, classes);
        double sum = 0;
        for (int t = 0; t < draws; t++) {
            int i = rng.nextInt(classes);
            int j = rng.nextInt(classes);
            int k = rng.nextInt(classes);
            sum += area(mu[i], mu[j], mu[k]);
        }
        return sum / draws;
    }

    static double[][] centroids(double[][] x, int[] labels, int classes) {
        int d = x[0].length;
        double[][] mu = new double[classes][d];
        int[] count = new int[classes];
        for (int i = 0; i < x.length; i++) {
            count[labels[i]]++;
            for (int j = 0; j < d; j++) {
                mu[labels[i]][j] += x[i][j];
            }
        }
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < d; j++) {
                mu[c][j] /= count[c];
            }
        }
        return mu;
    }

    static double area(double[] a, double[] b, double[] c) {
        double ab = 0;
        double ac = 0;
        double dot = 0;
        for (int j = 0; j < a.length; j++) {
            double u = a[j] - b[j];
            double v = a[j] - c[j];
            ab += u * u;
            ac += v * v;
            dot += u * v;
        }
        return 0.5 * Math.sqrt(Math.max(0, ab * ac - dot * dot));
    }

    // ------------------------------------------------------------ ridge and orthogonalisation

    /** P = X W + 1 b of the ridge of t on x (lambda, centred, intercept). */
    static double[][] ridgePredict(double[][] x, double[][] t) {
        int n = x.length;
        int p = x[0].length;
        double[] xm = colMeans(x);
        double[] tm = colMeans(t);
        double[][] xc = centre(x);
        double[][] tc = centre(t);
        double[][] w;
        if (p <= n) {
            double[][] a = matmul(transpose(xc), xc);
            addDiag(a, LAMBDA);
            w = choleskySolve(a, matmul(transpose(xc), tc));
        } else {
            double[][] kk = matmul(xc, transpose(xc));
            addDiag(kk, LAMBDA);
            w = matmul(transpose(xc), choleskySolve(kk, tc));
        }
        double[] b = tm.clone();
        for (int j = 0; j < p; j++) {
            for (int c = 0; c < b.length; c++) {
                b[c] -= xm[j] * w[j][c];
            }
        }
        double[][] pred = matmul(x, w);
        for (double[] row : pred) {
            for (int c = 0; c < b.length; c++) {
                row[c] += b[c];
            }
        }
        return pred;
    }

    /** X~ = Xc - Sc B + 1 mean(X) with B from the ridge (mu) of Xc on the centred concatenation Sc. */
    static double[][] orthogonalise(double[][] x, double[][][] layers, List<Integer> selected, double mu) {
        int n = x.length;
        int d = x[0].length;
        int p = 0;
        for (int j : selected) {
            p += layers[j][0].length;
        }
        double[][] s = new double[n][p];
        int offset = 0;
        for (int j : selected) {
            int dj = layers[j][0].length;
            for (int i = 0; i < n; i++) {
                System.arraycopy(layers[j][i], 0, s[i], offset, dj);
            }
            offset += dj;
        }
        double[][] sc = centre(s);
        double[][] xc = centre(x);
        double[][] bMat;
        if (p < n) {
            double[][] a = matmul(transpose(sc), sc);
            addDiag(a, mu);
            bMat = choleskySolve(a, matmul(transpose(sc), xc));
        } else {
            double[][] kk = matmul(sc, transpose(sc));
            addDiag(kk, mu);
            bMat = matmul(transpose(sc), choleskySolve(kk, xc));
        }
        double[][] proj = matmul(sc, bMat);
        double[] m = colMeans(x);
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                out[i][j] = xc[i][j] - proj[i][j] + m[j];
            }
        }
        return out;
    }

    // ------------------------------------------------------------ plain linear algebra

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
                    if (s <= 0) {
                        throw new IllegalStateException("reference Cholesky: not positive definite at " + i);
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        int m = b[0].length;
        double[][] x = new double[n][m];
        for (int c = 0; c < m; c++) {
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                double s = b[i][c];
                for (int k = 0; k < i; k++) {
                    s -= l[i][k] * y[k];
                }
                y[i] = s / l[i][i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double s = y[i];
                for (int k = i + 1; k < n; k++) {
                    s -= l[k][i] * x[k][c];
                }
                x[i][c] = s / l[i][i];
            }
        }
        return x;
    }

    /** Cyclic Jacobi rotations until the off-diagonal mass is negligible; returns the eigenvalues. */
    static double[] jacobiEigenvalues(double[][] input) {
        int n = input.length;
        double[][] a = copy(input);
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double total = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    total += a[i][j] * a[i][j];
                    if (i != j) {
                        off += a[i][j] * a[i][j];
                    }
                }
            }
            if (off <= 1e-30 * total || off == 0) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                }
            }
        }
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = a[i][i];
        }
        Arrays.sort(e);
        return e;
    }

    static double[][] matmul(double[][] a, double[][] b) {
        int n = a.length;
        int m = b[0].length;
        int k = b.length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += a[i][p] * b[p][j];
                }
                c[i][j] = s;
            }
        }
        return c;
    }

    static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    static double[] colMeans(double[][] a) {
        double[] m = new double[a[0].length];
        for (double[] row : a) {
            for (int j = 0; j < m.length; j++) {
                m[j] += row[j];
            }
        }
        for (int j = 0; j < m.length; j++) {
            m[j] /= a.length;
        }
        return m;
    }

    static double[][] centre(double[][] a) {
        double[] m = colMeans(a);
        double[][] c = new double[a.length][m.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < m.length; j++) {
                c[i][j] = a[i][j] - m[j];
            }
        }
        return c;
    }

    static void addDiag(double[][] a, double v) {
        for (int i = 0; i < a.length; i++) {
            a[i][i] += v;
        }
    }

    static double frob(double[][] a) {
        double s = 0;
        for (double[] row : a) {
            for (double v : row) {
                s += v * v;
            }
        }
        return Math.sqrt(s);
    }

    static double mse(double[][] p, double[][] t) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            for (int j = 0; j < p[0].length; j++) {
                s += (p[i][j] - t[i][j]) * (p[i][j] - t[i][j]);
            }
        }
        return s / ((double) p.length * p[0].length);
    }

    static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    static double[][] subtract(double[][] a, double[][] b) {
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                c[i][j] = a[i][j] - b[i][j];
            }
        }
        return c;
    }

    static double[][] add(double[][] a, double[][] b) {
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                c[i][j] = a[i][j] + b[i][j];
            }
        }
        return c;
    }
}
