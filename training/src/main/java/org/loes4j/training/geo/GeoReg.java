package org.loes4j.training.geo;

import java.util.SplittableRandom;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.Transpose;

/**
 * GeoReg on the fused batch F (B x D_f) with its labels (spec section 4):
 * <pre>
 *   Sigma   = Fc^T Fc / (B - 1) + 1e-4 I                  (Fc = F - 1 mean(F))
 *   isoLoss = var_unbiased(eig(Sigma)) = (||Sigma||_F^2 - tr(Sigma)^2 / D) / (D - 1)
 *   area    = 1/2 sqrt(max(1e-6, |a|^2 |b|^2 - (a.b)^2)),  a = mu_i - mu_j, b = mu_i - mu_k
 *   GeoReg  = w (isoLoss - ln(area + 1e-6))
 * </pre>
 * for ONE triplet (i, j, k) of distinct classes present in the batch, drawn from the caller's seeded
 * generator; 0 (and a zero gradient) when the batch has fewer than three classes or w = 0.
 *
 * <p>No eigen-decomposition: the jitter keeps every eigenvalue at or above 1e-4, so the spec's clamp at
 * 1e-6 never binds, and the eigenvalue sums are {@code tr(Sigma)} and {@code ||Sigma||_F^2}. Both follow
 * from the smaller Gram matrix: with {@code K = Fc Fc^T} (B x B) when {@code B <= D}, {@code tr(Fc^T Fc) = tr K} and
 * {@code ||Fc^T Fc||_F = ||K||_F}. The gradient is
 * {@code d isoLoss / dF = 4 / ((D-1)(B-1)) (Fc Sigma - tr(Sigma)/D Fc)}, with
 * {@code Fc Sigma = K Fc / (B-1) + 1e-4 Fc} (no D x D matrix is formed); the centring needs no
 * correction because the columns of Fc Sigma already sum to zero. The triangle gradient flows to each
 * row of the three classes as {@code d/dmu_c / n_c}.
 */
public final class GeoReg {
    /** The paper's weight when GeoReg is enabled. */
    public static final double DEFAULT_WEIGHT = 0.1;
    /** Jitter added to the covariance diagonal. */
    public static final double COVARIANCE_JITTER = 1e-4;
    /** Floor inside the square root of the triangle area. */
    public static final double AREA_FLOOR = 1e-6;
    /** Added to the area inside the logarithm. */
    public static final double LOG_EPS = 1e-6;

    private final double weight;
    private final Linalg linalg;

    /** @param weight w >= 0; 0 disables the term */
    public GeoReg(double weight) {
        if (!(weight >= 0.0) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException("weight: " + weight + " must be finite and >= 0");
        }
        this.weight = weight;
        this.linalg = Linalg.get();
    }

    public double weight() {
        return weight;
    }

    /**
     * Value and gradient on one batch. Draws the triplet from {@code rng} only when the term is active.
     *
     * @param fused  B x D_f fused features (not modified)
     * @param labels B class indices (>= 0)
     * @param rng    the seeded generator of the training run
     */
    public GeoRegResult evaluate(DMatrix fused, int[] labels, SplittableRandom rng) {
        int b = fused.rows();
        int d = fused.cols();
        if (labels.length != b) {
            throw new IllegalArgumentException("labels: " + labels.length + " entries for " + b + " rows of fused");
        }
        int[] counts = classCounts(labels);
        int present = 0;
        for (int c : counts) {
            if (c > 0) {
                present++;
            }
        }
        if (weight == 0.0 || present < 3) {
            return new GeoRegResult(0.0, Double.NaN, Double.NaN, new int[0], DMatrix.zeros(b, d));
        }
        if (d < 2) {
            throw new IllegalArgumentException("fused: " + d + " columns, the eigenvalue variance needs D_f >= 2");
        }
        int[] triplet = drawTriplet(counts, present, rng);

        DMatrix grad = DMatrix.zeros(b, d);
        double iso = isotropyLoss(fused, grad);
        double area = triangle(fused, labels, counts, triplet, grad);
        double value = weight * (iso - Math.log(area + LOG_EPS));
        double[] g = grad.data();
        for (int i = 0; i < g.length; i++) {
            g[i] *= weight;
        }
        return new GeoRegResult(value, iso, area, triplet, grad);
    }

    private static int[] classCounts(int[] labels) {
        int max = -1;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("labels: entry " + i + " is " + labels[i] + ", must be >= 0");
            }
            max = Math.max(max, labels[i]);
        }
        int[] counts = new int[max + 1];
        for (int y : labels) {
            counts[y]++;
        }
        return counts;
    }

    /** Three distinct present classes: a partial Fisher-Yates shuffle of the present classes, ascending. */
    private static int[] drawTriplet(int[] counts, int present, SplittableRandom rng) {
        int[] classes = new int[present];
        int n = 0;
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0) {
                classes[n++] = c;
            }
        }
        for (int t = 0; t < 3; t++) {
            int r = t + rng.nextInt(present - t);
            int tmp = classes[t];
            classes[t] = classes[r];
            classes[r] = tmp;
        }
        return new int[] {classes[0], classes[1], classes[2]};
    }

    /** Returns isoLoss and writes its gradient into {@code grad} (unweighted). */
    private double isotropyLoss(DMatrix fused, DMatrix grad) {
        int b = fused.rows();
        int d = fused.cols();
        double n1 = b - 1;
        DMatrix fc = linalg.center(fused);
        // ||Fc^T Fc||_F^2 and tr(Fc^T Fc) from the smaller of the two Gram matrices (same non-zero spectrum).
        boolean rowGram = b <= d;
        DMatrix k = rowGram ? linalg.gramN(fc) : linalg.gramT(fc);
        double trK = 0;
        for (int i = 0; i < k.rows(); i++) {
            trK += k.get(i, i);
        }
        double kk = linalg.dot(k, k);
        double eps = COVARIANCE_JITTER;
        double trSigma = trK / n1 + eps * d;
        double frob2 = kk / (n1 * n1) + 2.0 * eps * trK / n1 + eps * eps * d;
        double iso = (frob2 - trSigma * trSigma / d) / (d - 1);

        double scale = 4.0 / ((d - 1) * n1);
        // grad = scale * (Fc (Fc^T Fc) / n1 + (eps - tr/D) Fc); Fc (Fc^T Fc) = K Fc (row side) or Fc K.
        if (rowGram) {
            linalg.gemm(Transpose.NO, Transpose.NO, scale / n1, k, fc, 0.0, grad);
        } else {
            linalg.gemm(Transpose.NO, Transpose.NO, scale / n1, fc, k, 0.0, grad);
        }
        double c = scale * (eps - trSigma / d);
        double[] g = grad.data();
        double[] f = fc.data();
        for (int i = 0; i < g.length; i++) {
            g[i] += c * f[i];
        }
        return iso;
    }

    /** Returns the floored area and adds d(-ln(area + 1e-6))/dF into {@code grad} (unweighted). */
    private static double triangle(DMatrix fused, int[] labels, int[] counts, int[] triplet, DMatrix grad) {
        int d = fused.cols();
        double[][] mu = new double[3][d];
        for (int r = 0; r < labels.length; r++) {
            for (int t = 0; t < 3; t++) {
                if (labels[r] == triplet[t]) {
                    double[] m = mu[t];
                    for (int j = 0; j < d; j++) {
                        m[j] += fused.get(r, j);
                    }
                }
            }
        }
        for (int t = 0; t < 3; t++) {
            double inv = 1.0 / counts[triplet[t]];
            for (int j = 0; j < d; j++) {
                mu[t][j] *= inv;
            }
        }
        double[] a = new double[d];
        double[] bv = new double[d];
        double aa = 0;
        double bb = 0;
        double ab = 0;
        for (int j = 0; j < d; j++) {
            a[j] = mu[0][j] - mu[1][j];
            bv[j] = mu[0][j] - mu[2][j];
            aa += a[j] * a[j];
            bb += bv[j] * bv[j];
            ab += a[j] * bv[j];
        }
        double q = aa * bb - ab * ab;
        double area = 0.5 * Math.sqrt(Math.max(AREA_FLOOR, q));
        if (q > AREA_FLOOR) {
            // d(-ln(area + eps))/dq = -1/(area + eps) * 1/(4 sqrt(q)); dq/da = 2(bb a - ab b), dq/db = 2(aa b - ab a)
            double dq = -1.0 / (area + LOG_EPS) * 0.25 / Math.sqrt(q);
            double[][] dmu = new double[3][d];
            for (int j = 0; j < d; j++) {
                double da = dq * 2.0 * (bb * a[j] - ab * bv[j]);
                double db = dq * 2.0 * (aa * bv[j] - ab * a[j]);
                dmu[0][j] = da + db;
                dmu[1][j] = -da;
                dmu[2][j] = -db;
            }
            for (int r = 0; r < labels.length; r++) {
                for (int t = 0; t < 3; t++) {
                    if (labels[r] == triplet[t]) {
                        double inv = 1.0 / counts[triplet[t]];
                        for (int j = 0; j < d; j++) {
                            grad.set(r, j, grad.get(r, j) + dmu[t][j] * inv);
                        }
                    }
                }
            }
        }
        return area;
    }
}
