package org.loes4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.io.Npy;

class LabelsTest {
    @TempDir
    Path dir;

    @Test
    void integerLabelsCodeInAscendingOrderWhateverTheirSpelling() {
        Labels a = Labels.ofIntegers(new long[] {40, -2, 40, 7, -2});
        assertEquals(List.of("-2", "7", "40"), a.names());
        assertArrayEquals(new int[] {2, 0, 2, 1, 0}, a.codes());
        Labels b = Labels.classification(List.of("40", "-2", "40", "7", "-2"));
        assertEquals(a, b, "numeric strings order numerically, as integers do");
        DMatrix y = a.oneHot();
        assertEquals(5, y.rows());
        assertEquals(3, y.cols());
        assertEquals(1.0, y.get(3, 1));
        assertEquals(0.0, y.get(3, 2));
    }

    @Test
    void namesOrderLexicographicallyAndFixedCodingRejectsUnknownLabels() {
        Labels l = Labels.classification(List.of("pos", "neg", "pos", "mixed"));
        assertEquals(List.of("mixed", "neg", "pos"), l.names());
        assertEquals(List.of("pos", "neg", "pos", "mixed"), l.labels());
        assertArrayEquals(new int[] {1, 1, 2}, l.classCounts());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Labels.classification(List.of("pos", "other"), l.names()));
        assertTrue(e.getMessage().contains("'other' at row 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Labels.ofCodes(new int[] {0, 3}, l.names()));
    }

    @Test
    void subsetsKeepTheCodingAndPresentClassesOnlyRecodes() {
        Labels l = Labels.ofIntegers(new long[] {1, 5, 9, 5, 1});
        Labels sub = l.rows(new int[] {0, 2, 4});
        assertEquals(3, sub.classCount(), "rows() keeps the coding");
        Labels present = sub.presentClassesOnly();
        assertEquals(List.of("1", "9"), present.names());
        assertArrayEquals(new int[] {0, 1, 0}, present.codes());
        assertSame(l, l.presentClassesOnly(), "nothing to drop");
        assertThrows(IllegalArgumentException.class, () -> l.rows(new int[] {5}));
    }

    @Test
    void regressionTargetsAreCheckedAndCopied() {
        double[] v = {0.5, 1.5, -2};
        Labels r = Labels.regression(v);
        v[0] = 99;
        assertArrayEquals(new double[] {0.5, 1.5, -2}, r.targetValues());
        assertEquals(Task.REGRESSION, r.task());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Labels.regression(new double[] {1, Double.NaN}));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
        assertThrows(IllegalStateException.class, r::codes);
        Labels two = Labels.regression(DMatrix.of(new double[][] {{1, 2}, {3, 4}}));
        assertEquals(2, two.columns());
        assertThrows(IllegalStateException.class, two::targetValues);
    }

    @Test
    void textFilesStripTheByteOrderMarkAndRefuseFloatsAsClasses() throws IOException {
        Path f = dir.resolve("labels.txt");
        Files.writeString(f, "\uFEFFcat\ndog\ncat\n\n", StandardCharsets.UTF_8);
        Labels l = Labels.read(f, Task.CLASSIFICATION);
        assertEquals(List.of("cat", "dog"), l.names(), "the BOM is not part of the first class name");

        Path floats = dir.resolve("floats.txt");
        Files.writeString(floats, "0.5\n1.25\n3\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Labels.read(floats, Task.CLASSIFICATION));
        assertTrue(e.getMessage().contains("regression"), e.getMessage());
        assertArrayEquals(new double[] {0.5, 1.25, 3}, Labels.read(floats, Task.REGRESSION).targetValues());

        Path gap = dir.resolve("gap.txt");
        Files.writeString(gap, "a\n\nb\n");
        e = assertThrows(IllegalArgumentException.class, () -> Labels.read(gap, Task.CLASSIFICATION));
        assertTrue(e.getMessage().contains("line 2 is empty"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Labels.read(dir.resolve("missing.txt"), Task.CLASSIFICATION));
        assertThrows(IllegalArgumentException.class, () -> Labels.read(f, Task.LABEL_FREE));
    }

    @Test
    void npyLabelsFollowTheSameRule() throws IOException {
        Path ints = dir.resolve("ints.npy");
        Npy.write(ints, new long[] {3, 1, 3});
        assertEquals(List.of("1", "3"), Labels.read(ints, Task.CLASSIFICATION).names());
        Path integral = dir.resolve("integral.npy");
        Npy.write(integral, new double[] {2.0, 0.0, 2.0});
        assertEquals(Labels.ofIntegers(new long[] {2, 0, 2}), Labels.read(integral, Task.CLASSIFICATION));
        Path frac = dir.resolve("frac.npy");
        Npy.write(frac, new double[] {0.1, 0.2});
        assertThrows(IllegalArgumentException.class, () -> Labels.read(frac, Task.CLASSIFICATION));
        Path nan = dir.resolve("nan.npy");
        Npy.write(nan, new double[] {1, Double.NaN});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Labels.read(nan, Task.REGRESSION));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
    }

    @Test
    void taskParsesCliSpellings() {
        assertEquals(Task.LABEL_FREE, Task.parse("label-free"));
        assertEquals("label-free", Task.LABEL_FREE.cliName());
        assertEquals(Task.REGRESSION, Task.parse(" Regression "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Task.parse("clustering"));
        assertTrue(e.getMessage().contains("clustering"), e.getMessage());
    }
}
