package org.loes4j.cli.demo;

import java.util.Arrays;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.regression.Ridge;
import org.loes4j.linalg.regression.RidgeFit;

/**
 * The cheap per-layer diagnostic of the demo: a ridge classifier on one layer. The ridge of the one-hot
 * training targets on the layer's pooled vectors ({@link Ridge}, intercept included) predicts a score per
 * class; the argmax is the predicted class. Lambda is chosen per layer from {@link #LAMBDAS} by validation
 * accuracy (first best wins), and the test accuracy of that fit is reported.
 */
public final class LayerProbes {
    /** The ridge strengths tried, unscaled by N (pooled vectors of LayerNorm'd encoders have entries of order 1). */
    public static final double[] LAMBDAS = {1e-3, 1e-1, 1e1, 1e3};

    private LayerProbes() {
    }

    /**
     * Result for one layer.
     *
     * @param lambda             the chosen ridge strength
     * @param validationAccuracy accuracy on the validation rows with that lambda
     * @param testAccuracy       accuracy on the test rows with that lambda
     */
    public record Result(double lambda, double validationAccuracy, double testAccuracy) {
    }

    /**
     * Fits and scores one layer.
     *
     * @param train      N x d training vectors
     * @param trainClass class index of each training row, in [0, classes)
     * @param validation M x d validation vectors and {@code validationClass} their classes
     * @param test       T x d test vectors and {@code testClass} their classes
     */
    public static Result probe(Linalg linalg, DMatrix train, int[] trainClass, DMatrix validation, int[] validationClass,
                               DMatrix test, int[] testClass, int classes) {
        if (linalg == null || train == null || validation == null || test == null) {
            throw new IllegalArgumentException("linalg, train, validation, test: null");
        }
        check("trainClass", trainClass, train.rows(), classes);
        check("validationClass", validationClass, validation.rows(), classes);
        check("testClass", testClass, test.rows(), classes);
        if (validation.cols() != train.cols() || test.cols() != train.cols()) {
            throw new IllegalArgumentException("validation, test: widths " + validation.cols() + ", " + test.cols()
                    + " differ from train's " + train.cols());
        }
        DMatrix oneHot = oneHot(trainClass, classes);
        RidgeFit best = null;
        double bestAcc = -1;
        for (double lambda : LAMBDAS) {
            RidgeFit fit = Ridge.fit(linalg, train, oneHot, lambda, Ridge.Form.AUTO);
            double acc = accuracy(argmax(fit.predict(linalg, validation)), validationClass);
            if (acc > bestAcc) {
                bestAcc = acc;
                best = fit;
            }
        }
        double testAcc = accuracy(argmax(best.predict(linalg, test)), testClass);
        return new Result(best.lambda(), bestAcc, testAcc);
    }

    /** The N x C one-hot matrix of {@code classes}. */
    static DMatrix oneHot(int[] cls, int classes) {
        DMatrix t = DMatrix.zeros(cls.length, classes);
        for (int i = 0; i < cls.length; i++) {
            t.set(i, cls[i], 1.0);
        }
        return t;
    }

    /** Index of the largest entry of each row (first on ties). */
    static int[] argmax(DMatrix scores) {
        int[] out = new int[scores.rows()];
        for (int i = 0; i < scores.rows(); i++) {
            int best = 0;
            for (int c = 1; c < scores.cols(); c++) {
                if (scores.get(i, c) > scores.get(i, best)) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    static double accuracy(int[] predicted, int[] truth) {
        int ok = 0;
        for (int i = 0; i < truth.length; i++) {
            if (predicted[i] == truth[i]) {
                ok++;
            }
        }
        return truth.length == 0 ? Double.NaN : (double) ok / truth.length;
    }

    private static void check(String name, int[] cls, int rows, int classes) {
        if (cls == null || cls.length != rows) {
            throw new IllegalArgumentException(name + ": " + (cls == null ? "null" : cls.length + " entries")
                    + " for " + rows + " rows");
        }
        for (int i = 0; i < cls.length; i++) {
            if (cls[i] < 0 || cls[i] >= classes) {
                throw new IllegalArgumentException(name + ": entry " + i + " is " + cls[i] + ", outside [0, " + classes
                        + ") (" + Arrays.toString(Arrays.copyOf(cls, Math.min(cls.length, 5))) + "...)");
            }
        }
    }
}
