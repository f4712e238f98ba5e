package org.loes4j.examples;

import java.util.SplittableRandom;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.regression.Ridge;
import org.loes4j.linalg.regression.RidgeFit;

/**
 * The linear algebra every loes4j module computes with, used directly: a Gram matrix, its eigenvalues and a
 * ridge fit, on the backend chosen once per process. Exits with 1 if a definition does not hold.
 */
public final class LinalgBasics {
    private LinalgBasics() {
    }

    public static void main(String[] args) {
        // snippet:start linalg
        Linalg la = Linalg.get();                                        // vector backend when the Vector API is on
        DMatrix x = DMatrix.random(3000, 384, new SplittableRandom(42));
        DMatrix targets = DMatrix.random(3000, 2, new SplittableRandom(7));
        DMatrix gram = la.gramT(x);                                      // X^T X, half the work
        double[] eigenvalues = la.eigenvalues(gram);                     // ascending
        RidgeFit fit = Ridge.fit(la, x, targets, 1e-3, Ridge.Form.AUTO); // primal or dual by shape
        System.out.println(la.backends().chosen().name() + ": largest eigenvalue " + eigenvalues[eigenvalues.length - 1]);
        // snippet:end linalg

        double trace = 0;
        double sum = 0;
        for (int i = 0; i < gram.rows(); i++) {
            trace += gram.get(i, i);
            sum += eigenvalues[i];
        }
        if (Math.abs(trace - sum) > 1e-9 * trace || fit == null) {
            System.err.println("trace " + trace + " != sum of eigenvalues " + sum);
            System.exit(1);
        }
    }
}
