package org.loes4j.training.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.loes4j.training.GradientCheck.MAX_RELATIVE_ERROR;

import java.util.SplittableRandom;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.training.GradientCheck;

/**
 * Every layer's backward pass against central finite differences of the scalar objective
 * {@code L = <layer(x), R>_F} for a fixed random R (so dL/dy = R).
 */
class LayerGradientTest {
    private static final int BATCH = 5;

    private static double objective(DMatrix y, DMatrix r) {
        return Linalg.get().dot(y, r);
    }

    private static void assertClose(double[] analytic, double[] numeric, String what) {
        double err = GradientCheck.relativeError(analytic, numeric);
        assertTrue(err < MAX_RELATIVE_ERROR, what + ": relative error " + err);
    }

    private static void checkInputGradient(DMatrix x, DMatrix r, Function<DMatrix, DMatrix> forward,
                                           DMatrix analytic, String what) {
        double[] numeric = GradientCheck.numerical(x.data(), () -> objective(forward.apply(x), r));
        assertClose(analytic.data(), numeric, what);
    }

    @Test
    void layerNorm() {
        SplittableRandom rng = new SplittableRandom(1);
        int d = 7;
        LayerNorm ln = new LayerNorm("ln", d);
        // Non-trivial affine parameters, so the gamma path of dx is exercised.
        ln.gamma().value().copyFrom(DMatrix.random(1, d, rng));
        ln.beta().value().copyFrom(DMatrix.random(1, d, rng));
        DMatrix x = DMatrix.random(BATCH, d, rng);
        DMatrix r = DMatrix.random(BATCH, d, rng);
        ln.forward(x);
        DMatrix dx = ln.backward(r, true);
        checkInputGradient(x, r, ln::forward, dx, "LayerNorm dx");
        for (Parameter p : ln.parameters()) {
            double[] numeric = GradientCheck.numerical(p.value().data(), () -> objective(ln.forward(x), r));
            assertClose(p.grad().data(), numeric, "LayerNorm " + p.name());
        }
    }

    @Test
    void layerNormNormalisesEachRow() {
        LayerNorm ln = new LayerNorm("ln", 6);
        DMatrix y = ln.forward(DMatrix.random(4, 6, new SplittableRandom(2)));
        for (int i = 0; i < 4; i++) {
            double mean = 0;
            double sq = 0;
            for (int j = 0; j < 6; j++) {
                mean += y.get(i, j) / 6;
                sq += y.get(i, j) * y.get(i, j) / 6;
            }
            assertEquals(0.0, mean, 1e-15);
            // variance is var / (var + eps), slightly below one
            assertTrue(sq < 1.0 && sq > 0.999, "row variance " + sq);
        }
    }

    /**
     * Batches above the parallel threshold run in row chunks on the executor: every row must come out
     * exactly as when it is computed alone (sequentially), and the parameter gradients must equal the sum
     * of the per-row ones.
     */
    @Test
    void chunkedParallelRowsMatchRowByRow() {
        SplittableRandom rng = new SplittableRandom(12);
        int b = 100;
        int d = 512;
        DMatrix x = DMatrix.random(b, d, rng);
        DMatrix dy = DMatrix.random(b, d, rng);
        LayerNorm ln = new LayerNorm("ln", d);
        ln.gamma().value().copyFrom(DMatrix.random(1, d, rng));
        Gelu gelu = new Gelu();
        DMatrix y = ln.forward(x);
        DMatrix dx = ln.backward(dy, true);
        DMatrix gy = gelu.forward(x);
        DMatrix gdx = gelu.backward(dy);
        double[] dgamma = ln.gamma().grad().data().clone();

        LayerNorm single = new LayerNorm("ln", d);
        single.gamma().value().copyFrom(ln.gamma().value());
        Gelu g1 = new Gelu();
        for (int i = 0; i < b; i++) {
            assertArrayEquals(y.row(i).copy().data(), single.forward(x.row(i)).data(), "LayerNorm row " + i);
            assertArrayEquals(dx.row(i).copy().data(), single.backward(dy.row(i), true).data(), "LayerNorm dx row " + i);
            assertArrayEquals(gy.row(i).copy().data(), g1.forward(x.row(i)).data(), "GELU row " + i);
            assertArrayEquals(gdx.row(i).copy().data(), g1.backward(dy.row(i)).data(), "GELU dx row " + i);
        }
        double[] summed = single.gamma().grad().data();
        for (int j = 0; j < d; j++) {
            assertEquals(summed[j], dgamma[j], 1e-12 * (1 + Math.abs(summed[j])), "dgamma " + j);
        }
    }

    @Test
    void linear() {
        SplittableRandom rng = new SplittableRandom(3);
        Linear lin = new Linear("lin", 6, 4, rng);
        DMatrix x = DMatrix.random(BATCH, 6, rng);
        DMatrix r = DMatrix.random(BATCH, 4, rng);
        lin.forward(x);
        DMatrix dx = lin.backward(r, true);
        checkInputGradient(x, r, lin::forward, dx, "Linear dx");
        for (Parameter p : lin.parameters()) {
            double[] numeric = GradientCheck.numerical(p.value().data(), () -> objective(lin.forward(x), r));
            assertClose(p.grad().data(), numeric, "Linear " + p.name());
        }
        double bound = 1 / Math.sqrt(6);
        for (double w : lin.weight().value().data()) {
            assertTrue(Math.abs(w) <= bound, "PyTorch init bound");
        }
    }

    @Test
    void gelu() {
        SplittableRandom rng = new SplittableRandom(4);
        Gelu g = new Gelu();
        DMatrix x = DMatrix.random(BATCH, 9, rng);
        for (int i = 0; i < x.data().length; i++) {
            x.data()[i] *= 4;
        }
        DMatrix r = DMatrix.random(BATCH, 9, rng);
        g.forward(x);
        checkInputGradient(x, r, g::forward, g.backward(r), "GELU dx");
    }

    /**
     * Reference values from mpmath 1.3.0: x/2 erfc(-x/sqrt 2) at 40 digits. Tolerance: relative 1e-14 or
     * absolute 1e-15 (erfc is only absolutely accurate, to 4e-16, on its middle range).
     */
    @Test
    void geluValues() {
        double[][] ref = {{-8, -4.9767684594174272988e-15}, {-3, -0.00404969409489028358},
                {-0.5, -0.15426876936299344818}, {0.3, 0.18537342665668579119}, {2.7, 2.6906391707317901951}};
        for (double[] v : ref) {
            assertEquals(v[1], Gelu.gelu(v[0]), Math.max(Math.abs(v[1]) * 1e-14, 1e-15), "gelu(" + v[0] + ")");
        }
    }

    @Test
    void dropoutUsesOneMaskForwardAndBackward() {
        SplittableRandom data = new SplittableRandom(5);
        Dropout drop = new Dropout(0.2);
        DMatrix x = DMatrix.random(BATCH, 8, data);
        DMatrix r = DMatrix.random(BATCH, 8, data);
        drop.forward(x, new SplittableRandom(99));
        DMatrix dx = drop.backward(r);
        checkInputGradient(x, r, in -> drop.forward(in, new SplittableRandom(99)), dx, "Dropout dx");
        assertSame(x, drop.forward(x, null), "evaluation mode is the identity");
    }

    @Test
    void dropoutKeepsTheExpectation() {
        Dropout drop = new Dropout(0.2);
        DMatrix ones = DMatrix.zeros(200, 500);
        ones.fill(1.0);
        DMatrix y = drop.forward(ones, new SplittableRandom(6));
        double sum = 0;
        int zeros = 0;
        for (double v : y.data()) {
            sum += v;
            if (v == 0) {
                zeros++;
            } else {
                assertEquals(1.25, v, 1e-15, "kept entries scaled by 1/(1-p)");
            }
        }
        double n = ones.data().length;
        // 100000 Bernoulli(0.2) draws: standard deviation of the drop fraction is 0.00126.
        assertEquals(0.2, zeros / n, 0.006);
        assertEquals(1.0, sum / n, 0.008);
    }

    @Test
    void softmaxCrossEntropy() {
        SplittableRandom rng = new SplittableRandom(7);
        DMatrix logits = DMatrix.random(BATCH, 4, rng);
        int[] labels = {0, 3, 1, 1, 2};
        Loss loss = SoftmaxCrossEntropy.of(logits, labels);
        double[] numeric = GradientCheck.numerical(logits.data(), () -> SoftmaxCrossEntropy.of(logits, labels).value());
        assertClose(loss.gradient().data(), numeric, "cross-entropy dlogits");
        // Definition on one row: -ln softmax(z)[y].
        DMatrix one = DMatrix.of(new double[][] {{1.0, 2.0, 3.0}});
        double expected = -Math.log(Math.exp(2.0) / (Math.exp(1) + Math.exp(2) + Math.exp(3)));
        assertEquals(expected, SoftmaxCrossEntropy.of(one, new int[] {1}).value(), 1e-15);
        // Shift invariance and no overflow with huge logits.
        DMatrix huge = DMatrix.of(new double[][] {{1001.0, 1002.0, 1003.0}});
        assertEquals(expected, SoftmaxCrossEntropy.of(huge, new int[] {1}).value(), 1e-12);
    }

    @Test
    void meanSquaredError() {
        SplittableRandom rng = new SplittableRandom(8);
        DMatrix p = DMatrix.random(BATCH, 2, rng);
        DMatrix t = DMatrix.random(BATCH, 2, rng);
        Loss loss = MeanSquaredError.of(p, t);
        double[] numeric = GradientCheck.numerical(p.data(), () -> MeanSquaredError.of(p, t).value());
        assertClose(loss.gradient().data(), numeric, "MSE dp");
        double s = 0;
        for (int i = 0; i < p.data().length; i++) {
            double d = p.data()[i] - t.data()[i];
            s += d * d;
        }
        assertEquals(s / p.data().length, loss.value(), 1e-15);
    }
}
