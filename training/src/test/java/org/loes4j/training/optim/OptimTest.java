package org.loes4j.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.loes4j.linalg.DMatrix;
import org.loes4j.training.nn.Parameter;

class OptimTest {
    private static final double FLOAT64_TOLERANCE = 1e-15;

    /**
     * Four AdamW steps (lr 1e-2, wd 0.1, betas 0.9/0.999, eps 1e-8) on three weights. Expected values
     * were computed by hand-coding PyTorch's update in a separate float64 script
     * (p *= 1 - lr wd; m, v updates; p -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps)); step 1 of the first
     * weight checked on paper: 0.5 * 0.999 - 0.1 * 0.01 / (0.1 + 1e-8) = 0.4895000010.
     */
    @Test
    void adamWFollowsPyTorchStepByStep() {
        Parameter p = new Parameter("w", DMatrix.of(new double[][] {{0.5, -1.0, 2.0}}));
        double[][] grads = {{0.1, -0.2, 0.3}, {0.05, 0.4, -0.1}, {-0.3, 0.0, 0.2}, {0.2, -0.1, -0.5}};
        double[][] expected = {
                {0.4895000009999999, -0.9890000004999999, 1.9880000003333334},
                {0.4796887057901871, -0.9916720356541037, 1.9820098147924747},
                {0.4826812519662487, -0.9935103543836423, 1.9739969403424882},
                {0.4815301577568258, -0.9935095584276983, 1.973720053763148},
        };
        AdamW opt = new AdamW();
        for (int t = 0; t < grads.length; t++) {
            System.arraycopy(grads[t], 0, p.grad().data(), 0, 3);
            opt.step(List.of(p), 1e-2, 0.1);
            for (int i = 0; i < 3; i++) {
                assertEquals(expected[t][i], p.value().data()[i], FLOAT64_TOLERANCE, "step " + (t + 1) + ", weight " + i);
            }
        }
        assertEquals(4, opt.steps(p));
    }

    /** Without decay the first Adam step moves every weight by lr * sign(g) (bias correction makes m/sqrt(v) = g/|g|). */
    @Test
    void firstStepIsLearningRateTimesSign() {
        Parameter p = new Parameter("w", DMatrix.of(new double[][] {{1.0, 1.0}}));
        p.grad().data()[0] = 3.0;
        p.grad().data()[1] = -1e-3;
        new AdamW().step(List.of(p), 0.05, 0.0);
        assertEquals(1.0 - 0.05, p.value().data()[0], 1e-9);
        assertEquals(1.0 + 0.05, p.value().data()[1], 1e-6);
    }

    @Test
    void cosineWithWarmupIsHuggingFaceSchedule() {
        CosineSchedule s = new CosineSchedule(10, 100, 0.0);
        assertEquals(0.0, s.learningRate(1e-4, 0), 0.0);
        assertEquals(0.5e-4, s.learningRate(1e-4, 5), 1e-20);
        assertEquals(1e-4, s.learningRate(1e-4, 10), 1e-20);
        assertEquals(0.5e-4, s.learningRate(1e-4, 55), 1e-19);
        assertEquals(0.5 * (1 + Math.cos(Math.PI * 20 / 90.0)) * 1e-4, s.learningRate(1e-4, 30), 1e-20);
        assertEquals(0.0, s.learningRate(1e-4, 100), 0.0);
        assertEquals(0.0, s.learningRate(1e-4, 120), 0.0);
        for (int t = 10; t < 100; t++) {
            assertTrue(s.factor(t + 1) <= s.factor(t), "non-increasing after warmup at " + t);
        }
    }

    @Test
    void cosineWithoutWarmupDecaysToTheFloor() {
        CosineSchedule s = new CosineSchedule(0, 100, 1e-6);
        assertEquals(1e-4, s.learningRate(1e-4, 0), 1e-20);
        assertEquals(1e-6 + (1e-4 - 1e-6) * 0.5, s.learningRate(1e-4, 50), 1e-19);
        assertEquals(1e-6, s.learningRate(1e-4, 100), 0.0);
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(101, 100, 0));
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(0, 0, 0));
    }

    @Test
    void clippingScalesToTheMaximumNorm() {
        Parameter a = new Parameter("a", DMatrix.zeros(1, 1));
        Parameter b = new Parameter("b", DMatrix.zeros(1, 1));
        a.grad().data()[0] = 3;
        b.grad().data()[0] = 4;
        assertEquals(5.0, GradientClipping.clip(List.of(a, b), 1.0), 0.0);
        assertEquals(3 / (5 + 1e-6), a.grad().data()[0], 1e-15);
        assertEquals(4 / (5 + 1e-6), b.grad().data()[0], 1e-15);
        double before = GradientClipping.totalNorm(List.of(a, b));
        GradientClipping.clip(List.of(a, b), 10.0);
        assertEquals(before, GradientClipping.totalNorm(List.of(a, b)), 0.0, "below the maximum: unchanged");
    }
}
