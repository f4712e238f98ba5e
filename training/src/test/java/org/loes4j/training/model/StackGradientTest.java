package org.loes4j.training.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.loes4j.training.GradientCheck.MAX_RELATIVE_ERROR;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.loes4j.linalg.DMatrix;
import org.loes4j.training.GradientCheck;
import org.loes4j.training.geo.GeoReg;
import org.loes4j.training.geo.GeoRegResult;
import org.loes4j.training.nn.Loss;
import org.loes4j.training.nn.Parameter;
import org.loes4j.training.nn.SoftmaxCrossEntropy;

/**
 * The whole model (fusion, LayerNorm, dropout with a fixed mask, Linear) under cross-entropy plus GeoReg,
 * every parameter against central finite differences.
 */
class StackGradientTest {
    private static final int BATCH = 8;
    private static final int[] LABELS = {0, 1, 2, 0, 1, 2, 3, 3};

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void everyParameterMatchesFiniteDifferences(Architecture architecture) {
        SplittableRandom rng = new SplittableRandom(21);
        ModelShape shape = new ModelShape(architecture, 3, 5, 4, 4, 0.2);
        ProbeNetwork net = ProbeNetwork.create(shape, rng);
        // Move every parameter away from its initial value (LayerNorm starts at exactly 1 and 0).
        for (Parameter p : net.parameters()) {
            double[] v = p.value().data();
            for (int i = 0; i < v.length; i++) {
                v[i] += rng.nextDouble(-0.3, 0.3);
            }
        }
        List<DMatrix> layers = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            layers.add(DMatrix.random(BATCH, 5, rng));
        }
        GeoReg geo = new GeoReg(0.1);

        net.zeroGrad();
        DMatrix logits = net.forward(layers, new SplittableRandom(5));
        Loss loss = SoftmaxCrossEntropy.of(logits, LABELS);
        GeoRegResult g = geo.evaluate(net.fused(), LABELS, new SplittableRandom(6));
        assertTrue(g.active());
        net.backward(loss.gradient(), g.gradient());

        for (Parameter p : net.parameters()) {
            double[] numeric = GradientCheck.numerical(p.value().data(), () -> {
                DMatrix z = net.forward(layers, new SplittableRandom(5));
                return SoftmaxCrossEntropy.of(z, LABELS).value()
                        + geo.evaluate(net.fused(), LABELS, new SplittableRandom(6)).value();
            });
            double err = GradientCheck.relativeError(p.grad().data(), numeric);
            assertTrue(err < MAX_RELATIVE_ERROR, architecture + " " + p.name() + ": relative error " + err);
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void fusedWidthAndParameterNames(Architecture architecture) {
        ProbeNetwork net = ProbeNetwork.create(new ModelShape(architecture, 3, 5, 4, 2, 0.2), new SplittableRandom(1));
        int expected = switch (architecture) {
            case ADAPTERS -> 12;
            case NO_ADAPTER -> 15;
            case LEARNABLE_WEIGHTS -> 4;
        };
        assertEquals(expected, net.fusion().outputDim());
        long distinct = net.parameters().stream().map(Parameter::name).distinct().count();
        assertEquals(net.parameters().size(), distinct, "parameter names are unique");
    }
}
