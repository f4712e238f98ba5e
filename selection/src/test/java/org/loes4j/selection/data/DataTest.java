package org.loes4j.selection.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Task;
import org.loes4j.linalg.DMatrix;

/** The calibration split, the calibration labels and the synthetic embeddings. */
class DataTest {
    @Test
    void calibrationSplitIsUniformSeededSortedAndComplete() {
        int[] a = CalibrationSplit.rows(1000, 0.2, 42);
        assertEquals(200, a.length);
        assertArrayEquals(a, CalibrationSplit.rows(1000, 0.2, 42));
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(CalibrationSplit.rows(1000, 0.2, 43)));
        for (int i = 1; i < a.length; i++) {
            assertTrue(a[i] > a[i - 1], "ascending and distinct");
        }
        int[] all = CalibrationSplit.rows(7, 1.0, 1);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, all);
        assertEquals(2, CalibrationSplit.rows(5, 0.01, 1).length, "at least 2 rows");
        // Uniform, not stratified: over many seeds every row is drawn about fraction of the time.
        int[] hits = new int[50];
        for (long seed = 0; seed < 2000; seed++) {
            for (int r : CalibrationSplit.rows(50, 0.2, seed)) {
                hits[r]++;
            }
        }
        for (int h : hits) {
            assertTrue(Math.abs(h - 400) < 90, "row drawn " + h + " times of an expected 400");
        }
        assertThrows(IllegalArgumentException.class, () -> CalibrationSplit.rows(10, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> CalibrationSplit.rows(1, 1.0, 1));
    }

    /** The size a route decision reads before drawing is the size drawn. */
    @Test
    void calibrationSplitSizeIsTheNumberOfRowsDrawn() {
        for (int n : new int[] {2, 3, 7, 50, 1000, 200_000}) {
            for (double f : new double[] {1e-6, 0.01, 0.2, 0.5, 0.999, 1.0}) {
                assertEquals(CalibrationSplit.rows(n, f, 3).length, CalibrationSplit.size(n, f), n + " rows, " + f);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> CalibrationSplit.size(1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> CalibrationSplit.size(10, 1.5));
    }

    @Test
    void calibrationLabelsAreOneHotOverTheClassesPresent() {
        Labels t = Labels.ofIntegers(new long[] {40, -2, 40, 7, -2});
        assertEquals(3, t.classCount());
        assertEquals(List.of("-2", "7", "40"), t.names());
        assertArrayEquals(new int[] {2, 0, 2, 1, 0}, t.codes());
        assertEquals(1.0, t.oneHot().get(3, 1));
        Labels sub = CalibrationSplit.labels(t, new int[] {0, 3});
        assertEquals(2, sub.classCount(), "recoded over the classes present in the rows");
        assertEquals(List.of("7", "40"), sub.names());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CalibrationSplit.labels(Labels.ofIntegers(new long[] {3, 3, 5}), new int[] {0, 1}));
        assertEquals("calibration split: only class '3' among its 2 rows; raise --calibration-fraction or check the "
                + "labels", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Labels.regression(new double[] {1, Double.NaN}));
        DMatrix v = DMatrix.of(new double[][] {{1, 2}, {3, 4}, {5, 6}});
        assertArrayEquals(new double[] {5, 6, 1, 2},
                CalibrationSplit.labels(Labels.regression(v), new int[] {2, 0}).targetMatrix().data());
    }

    /**
     * The calibration one-hot is, bit for bit, the one the selection module built before the shared labels
     * type: columns = the distinct labels present in the calibration rows, ascending.
     */
    @Test
    void calibrationOneHotEqualsTheClassesPresentInAscendingOrder() {
        SplittableRandom rng = new SplittableRandom(11);
        long[] values = {-7, 0, 3, 12, 900, 901};
        for (int trial = 0; trial < 20; trial++) {
            long[] labels = new long[200];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = values[rng.nextInt(values.length)];
            }
            int[] rows = CalibrationSplit.rows(labels.length, 0.03 + 0.02 * trial, trial);
            long[] sub = new long[rows.length];
            for (int i = 0; i < rows.length; i++) {
                sub[i] = labels[rows[i]];
            }
            long[] present = Arrays.stream(sub).distinct().sorted().toArray();
            if (present.length < 2) {
                continue;
            }
            double[] expected = new double[rows.length * present.length];
            for (int i = 0; i < rows.length; i++) {
                expected[i * present.length + Arrays.binarySearch(present, sub[i])] = 1.0;
            }
            Labels cal = CalibrationSplit.labels(Labels.ofIntegers(labels), rows);
            assertEquals(present.length, cal.classCount());
            DMatrix oneHot = cal.targetMatrix();
            assertEquals(present.length, oneHot.cols());
            assertArrayEquals(expected, flat(oneHot));
        }
    }

    private static double[] flat(DMatrix m) {
        double[] out = new double[m.rows() * m.cols()];
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                out[i * m.cols() + j] = m.get(i, j);
            }
        }
        return out;
    }

    @Test
    void syntheticEmbeddingsPeakInTheMiddle() {
        SyntheticEmbeddings s = new SyntheticEmbeddings(100, 12, 8, 3, 7);
        assertEquals(5, argmax(12, s));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticEmbeddings(10, 3, 4, 1, 7));
    }

    /** The files {@link SyntheticEmbeddings#write} stores read back as the in-memory embeddings and labels. */
    @Test
    void syntheticEmbeddingsInMemoryEqualTheWrittenFiles(@TempDir Path dir) throws IOException {
        SyntheticEmbeddings s = new SyntheticEmbeddings(37, 4, 6, 3, 5);
        Path e = dir.resolve("e.npy");
        Path y = dir.resolve("y.npy");
        s.write(e, y);
        LayeredEmbeddings heap = s.embeddings();
        try (LayeredEmbeddings file = LayeredEmbeddings.open(e)) {
            assertEquals(heap.rows(), file.rows());
            assertArrayEquals(heap.widths(), file.widths());
            assertArrayEquals(new int[] {6, 6, 6, 6}, heap.widths());
            for (int p = 0; p < 4; p++) {
                assertArrayEquals(flat(heap.load(p)), flat(file.load(p)), "layer " + p);
            }
        }
        assertEquals(s.labels(), Labels.read(y, Task.CLASSIFICATION));
    }

    private static int argmax(int layers, SyntheticEmbeddings s) {
        int best = 0;
        for (int l = 1; l < layers; l++) {
            if (s.signal(l) > s.signal(best)) {
                best = l;
            }
        }
        return best;
    }
}
