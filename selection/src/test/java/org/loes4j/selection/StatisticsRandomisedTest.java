package org.loes4j.selection;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.loes4j.data.Labels;
import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.selection.data.CalibrationSplit;

/**
 * The statistics route against the in-memory route on seeded random cases: 2 to 6 layers of random (mostly
 * mixed) widths, N from the total width itself to 40 rows more, layers from {@link Fixtures#mixed} or (uniform
 * widths, strongly correlated layers) {@link Fixtures#structured}, every task, both accumulations, exact and
 * sampled triangles, a random calibration fraction, and every numeric option of {@link LoesOptions} drawn at
 * random. Each case runs with blocks of 1, 7 and 4096 rows and with blocks merged in a shuffled tree.
 */
class StatisticsRandomisedTest {
    static final int CASES = 60;

    @AfterAll
    static void report() {
        System.err.println("StatisticsRandomisedTest: " + RouteAgreement.summary());
    }

    static long[] seeds() {
        long[] s = new long[CASES];
        for (int i = 0; i < CASES; i++) {
            s[i] = 9000 + i;
        }
        return s;
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("seeds")
    void agreesWithTheInMemoryRoute(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int layers = 2 + rng.nextInt(5);
        int[] widths = new int[layers];
        boolean uniform = rng.nextInt(4) == 0;
        int w0 = 1 + rng.nextInt(12);
        int total = 0;
        for (int l = 0; l < layers; l++) {
            widths[l] = uniform ? w0 : 1 + rng.nextInt(12);
            total += widths[l];
        }
        Task task = Task.values()[rng.nextInt(3)];
        int classes = 2 + rng.nextInt(5);
        double fraction = rng.nextBoolean() ? 1.0 : 0.3 + 0.6 * rng.nextDouble();
        long splitSeed = rng.nextLong();
        int calibration = Math.max(total, classes + 2) + (rng.nextInt(3) == 0 ? 0 : rng.nextInt(40));
        int rows = fraction == 1.0 ? calibration : (int) Math.ceil(calibration / fraction);
        while (CalibrationSplit.rows(rows, fraction, splitSeed).length < total) {
            rows++;
        }
        LoesOptions o = LoesOptions.builder()
                .k(1 + rng.nextInt(layers + 1))
                .task(task)
                .alpha(rng.nextDouble(0, 2))
                .gamma(rng.nextDouble(0, 1))
                .eta(rng.nextDouble(0, 0.5))
                .lambda(Math.pow(10, rng.nextDouble(-4, -1)))
                .mu(Math.pow(10, rng.nextDouble(-7, -3)))
                .isotropyEps(Math.pow(10, rng.nextDouble(-10, -6)))
                .accumulation(rng.nextBoolean() ? Accumulation.PAPER : Accumulation.STAGEWISE)
                .triangle(rng.nextBoolean() ? TriangleEstimator.exact() : TriangleEstimator.sampled(1 + rng.nextInt(300)))
                .calibrationFraction(fraction)
                .seed(splitSeed)
                .build();
        Fixtures f = uniform && rng.nextBoolean() ? Fixtures.structured(seed, rows, layers, w0, classes)
                : Fixtures.mixed(seed, rows, widths, classes);
        Labels labels;
        double scale;
        switch (task) {
            case CLASSIFICATION -> {
                labels = Labels.ofIntegers(f.longLabels());
                scale = LoesReferenceTest.meanSquare(f.oneHot());
            }
            case REGRESSION -> {
                double[][] t = f.regressionTargets(rng.nextInt(layers), seed);
                if (rng.nextBoolean()) {
                    double[][] one = new double[t.length][1];
                    for (int i = 0; i < t.length; i++) {
                        one[i][0] = t[i][0];
                    }
                    t = one;
                }
                labels = Labels.regression(DMatrix.of(t));
                scale = LoesReferenceTest.meanSquare(t);
            }
            default -> {
                labels = null;
                scale = 1;
            }
        }
        String label = "case " + seed + " widths " + Arrays.toString(widths) + " rows " + rows + " " + o.asMap();
        Loes loes = Loes.builder().options(o).linalg(Linalg.get()).build();
        RouteAgreement.checkAllWays(label, loes, f.stack(), labels, scale, seed);
    }
}
