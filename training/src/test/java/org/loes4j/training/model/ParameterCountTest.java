package org.loes4j.training.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.loes4j.training.nn.Parameter;

/** {@link ProbeNetwork#parameterCount} against its definition: the sizes of the parameters {@code create} makes. */
class ParameterCountTest {
    @Test
    void countsWhatCreateAllocatesForEveryArchitecture() {
        int[][] widths = {{1}, {7}, {16, 16, 16}, {3, 17, 64}};
        for (Architecture a : Architecture.values()) {
            for (int[] w : widths) {
                for (int p : new int[] {1, 5}) {
                    for (int c : new int[] {1, 3}) {
                        ModelShape shape = new ModelShape(a, w, p, c, 0.2);
                        long allocated = 0;
                        for (Parameter q : ProbeNetwork.create(shape, new SplittableRandom(1)).parameters()) {
                            allocated += q.value().data().length;
                        }
                        assertEquals(allocated, ProbeNetwork.parameterCount(shape), shape.toString());
                    }
                }
            }
        }
    }

    @Test
    void anOverflowingShapeCountsAsLongMaxValue() {
        int[] w = new int[4];
        java.util.Arrays.fill(w, Integer.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, ProbeNetwork.parameterCount(new ModelShape(Architecture.ADAPTERS, w,
                Integer.MAX_VALUE, Integer.MAX_VALUE, 0)));
    }
}
