package org.loes4j.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyArray;

/**
 * The labels of N samples, the one type selection, training and the CLI share: class labels with their
 * names and coding, or real-valued regression targets (one or more columns).
 *
 * <p>Classification: every sample has a class code in [0, C) and {@link #names()} maps codes to the label
 * strings of the input. {@link #classification(List)} orders the distinct names numerically when they all
 * parse as numbers, else lexicographically; that order is the code (it is saved with a model, and it is
 * the column order of {@link #oneHot()}). Integer labels therefore code in ascending order.
 *
 * <p>Regression: an N x c matrix of finite values ({@link #targetMatrix()}); a probe takes one column
 * ({@link #targetValues()}).
 *
 * <p>Immutable: every accessor returns a copy or an unmodifiable view.
 */
public final class Labels {
    private final Task task;
    private final int[] codes;
    private final List<String> names;
    private final DMatrix values;

    private Labels(Task task, int[] codes, List<String> names, DMatrix values) {
        this.task = task;
        this.codes = codes;
        this.names = names;
        this.values = values;
    }

    /** Class labels from raw label strings; the coding is built from the distinct labels (see the class comment). */
    public static Labels classification(List<String> labels) {
        requireNonNull(labels, "labels");
        TreeSet<String> distinct = new TreeSet<>(labelOrder(labels));
        distinct.addAll(labels);
        return classification(labels, List.copyOf(distinct));
    }

    /**
     * Class labels from raw label strings under a fixed coding (a saved model's).
     *
     * @throws IllegalArgumentException naming the first label not in {@code names}, and its row
     */
    public static Labels classification(List<String> labels, List<String> names) {
        requireNonNull(labels, "labels");
        requireNonNull(names, "names");
        Map<String, Integer> index = new HashMap<>();
        for (int c = 0; c < names.size(); c++) {
            if (index.put(names.get(c), c) != null) {
                throw new IllegalArgumentException("names: '" + names.get(c) + "' appears twice");
            }
        }
        int[] cls = new int[labels.size()];
        for (int i = 0; i < cls.length; i++) {
            Integer c = index.get(labels.get(i));
            if (c == null) {
                throw new IllegalArgumentException("labels: value '" + labels.get(i) + "' at row " + i
                        + " is not a known class (known: " + abbreviate(names) + ")");
            }
            cls[i] = c;
        }
        return new Labels(Task.CLASSIFICATION, cls, List.copyOf(names), null);
    }

    /** Integer class labels (any values); names are the decimal strings, coded in ascending order. */
    public static Labels ofIntegers(long[] labels) {
        requireNonNull(labels, "labels");
        long[] distinct = Arrays.stream(labels).distinct().sorted().toArray();
        List<String> names = new ArrayList<>(distinct.length);
        for (long v : distinct) {
            names.add(Long.toString(v));
        }
        int[] cls = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            cls[i] = Arrays.binarySearch(distinct, labels[i]);
        }
        return new Labels(Task.CLASSIFICATION, cls, List.copyOf(names), null);
    }

    /** Class labels from codes in [0, names.size()). */
    public static Labels ofCodes(int[] codes, List<String> names) {
        requireNonNull(codes, "codes");
        requireNonNull(names, "names");
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < 0 || codes[i] >= names.size()) {
                throw new IllegalArgumentException("codes: entry " + i + " is " + codes[i] + ", outside [0, "
                        + names.size() + ")");
            }
        }
        return new Labels(Task.CLASSIFICATION, codes.clone(), List.copyOf(names), null);
    }

    /** One regression target per sample; every value must be finite. */
    public static Labels regression(double[] values) {
        requireNonNull(values, "values");
        return regression(DMatrix.wrap(values.clone(), values.length, 1));
    }

    /**
     * Regression targets, N x c (copied).
     *
     * @throws IllegalArgumentException with no columns or a non-finite value (naming row and column)
     */
    public static Labels regression(DMatrix values) {
        requireNonNull(values, "values");
        if (values.cols() < 1) {
            throw new IllegalArgumentException("values: no columns");
        }
        for (int i = 0; i < values.rows(); i++) {
            for (int j = 0; j < values.cols(); j++) {
                if (!Double.isFinite(values.get(i, j))) {
                    throw new IllegalArgumentException("values: " + values.get(i, j) + " at row " + i
                            + (values.cols() > 1 ? ", column " + j : ""));
                }
            }
        }
        return new Labels(Task.REGRESSION, null, List.of(), values.copy());
    }

    /**
     * Reads labels from a file: a {@code .npy} array (1-D; an (N, c) float array for multi-column regression)
     * or a text file with one label per line (UTF-8, a byte-order mark ignored, surrounding blanks stripped,
     * blank lines at the end ignored, a blank line elsewhere an error).
     *
     * <p>One rule for every command: for {@link Task#CLASSIFICATION}, text labels are class names; numeric
     * labels must be integers (an integral float counts), and a file of numbers that are not all integers is
     * refused with a hint to use regression. For {@link Task#REGRESSION} every value must parse and be finite.
     *
     * @throws IllegalArgumentException naming the file, the row and what is wrong
     * @throws IOException              if the file cannot be read
     */
    public static Labels read(Path file, Task task) throws IOException {
        requireNonNull(file, "file");
        if (task == null || task == Task.LABEL_FREE) {
            throw new IllegalArgumentException("task: " + task + " has no labels to read");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": labels file does not exist or is not a regular file");
        }
        if (file.getFileName().toString().endsWith(".npy")) {
            return readNpy(file, task);
        }
        List<String> lines = lines(file);
        if (task == Task.CLASSIFICATION) {
            requireIntegralIfNumeric(file, lines);
            return classification(lines);
        }
        double[] v = new double[lines.size()];
        for (int i = 0; i < v.length; i++) {
            try {
                v[i] = Double.parseDouble(lines.get(i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ": line " + (i + 1) + " '" + lines.get(i) + "' is not a number");
            }
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException(file + ": line " + (i + 1) + " is " + v[i]);
            }
        }
        return regression(v);
    }

    private static Labels readNpy(Path file, Task task) throws IOException {
        try (NpyArray a = Npy.map(file)) {
            if (task == Task.REGRESSION && a.rank() == 2 && a.dtype().isFloatingPoint()) {
                DMatrix m = a.matrix().toDMatrix();
                try {
                    return regression(m);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
                }
            }
            if (a.rank() != 1) {
                throw new IllegalArgumentException(file + ": expected a 1-D array of labels, found " + a.describe());
            }
            if (!a.dtype().isFloatingPoint()) {
                long[] v = a.toLongArray();
                if (task == Task.CLASSIFICATION) {
                    return ofIntegers(v);
                }
                double[] d = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    d[i] = v[i];
                }
                return regression(d);
            }
            double[] v = a.toDoubleArray();
            for (int i = 0; i < v.length; i++) {
                if (!Double.isFinite(v[i])) {
                    throw new IllegalArgumentException(file + ": label " + v[i] + " at row " + i);
                }
            }
            if (task == Task.REGRESSION) {
                return regression(v);
            }
            long[] ints = new long[v.length];
            for (int i = 0; i < v.length; i++) {
                if (v[i] != Math.rint(v[i]) || Math.abs(v[i]) > 9.0e15) {
                    throw new IllegalArgumentException(file + ": label " + v[i] + " at row " + i
                            + " is not an integer (for real-valued targets use the regression task)");
                }
                ints[i] = (long) v[i];
            }
            return ofIntegers(ints);
        }
    }

    /** A file of numbers is class labels only if they are all integers: a 60-class "probe" of floats is a mistake. */
    private static void requireIntegralIfNumeric(Path file, List<String> lines) {
        int firstFraction = -1;
        for (int i = 0; i < lines.size(); i++) {
            double v;
            try {
                v = Double.parseDouble(lines.get(i));
            } catch (NumberFormatException e) {
                return;
            }
            if (firstFraction < 0 && (v != Math.rint(v) || !Double.isFinite(v))) {
                firstFraction = i;
            }
        }
        if (firstFraction >= 0) {
            throw new IllegalArgumentException(file + ": line " + (firstFraction + 1) + " '" + lines.get(firstFraction)
                    + "' is not an integer class label (for real-valued targets use the regression task)");
        }
    }

    private static List<String> lines(Path file) throws IOException {
        List<String> raw = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (!raw.isEmpty() && !raw.getFirst().isEmpty() && raw.getFirst().charAt(0) == '\uFEFF') {
            raw.set(0, raw.getFirst().substring(1));
        }
        List<String> out = new ArrayList<>(raw.size());
        for (String s : raw) {
            out.add(s.strip());
        }
        while (!out.isEmpty() && out.getLast().isEmpty()) {
            out.removeLast();
        }
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).isEmpty()) {
                throw new IllegalArgumentException(file + ": line " + (i + 1) + " is empty");
            }
        }
        return out;
    }

    private static Comparator<String> labelOrder(List<String> labels) {
        boolean numeric = true;
        for (String s : labels) {
            try {
                Double.parseDouble(s);
            } catch (NumberFormatException e) {
                numeric = false;
                break;
            }
        }
        return numeric ? Comparator.comparingDouble(Double::parseDouble).thenComparing(Comparator.naturalOrder())
                : Comparator.naturalOrder();
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 10 ? names.toString() : names.subList(0, 10) + " and " + (names.size() - 10) + " more";
    }

    private static void requireNonNull(Object o, String name) {
        if (o == null) {
            throw new IllegalArgumentException(name + ": null");
        }
    }

    /** {@link Task#CLASSIFICATION} or {@link Task#REGRESSION}. */
    public Task task() {
        return task;
    }

    public boolean isClassification() {
        return task == Task.CLASSIFICATION;
    }

    /** N. */
    public int size() {
        return codes != null ? codes.length : values.rows();
    }

    /** C for classification (classes of the coding), target columns for regression. */
    public int columns() {
        return codes != null ? names.size() : values.cols();
    }

    /** Class codes in [0, C) (classification only). */
    public int[] codes() {
        requireTask(Task.CLASSIFICATION);
        return codes.clone();
    }

    /** Class code of sample i (classification only). */
    public int code(int i) {
        requireTask(Task.CLASSIFICATION);
        return codes[i];
    }

    /** Label names by class code (classification only; unmodifiable). */
    public List<String> names() {
        requireTask(Task.CLASSIFICATION);
        return names;
    }

    /** C (classification only). */
    public int classCount() {
        requireTask(Task.CLASSIFICATION);
        return names.size();
    }

    /** Samples per class code (classification only). */
    public int[] classCounts() {
        int[] counts = new int[classCount()];
        for (int c : codes) {
            counts[c]++;
        }
        return counts;
    }

    /** The label string of every sample (classification only). */
    public List<String> labels() {
        requireTask(Task.CLASSIFICATION);
        List<String> out = new ArrayList<>(codes.length);
        for (int c : codes) {
            out.add(names.get(c));
        }
        return out;
    }

    /** The single target column (regression with one column only). */
    public double[] targetValues() {
        requireTask(Task.REGRESSION);
        if (values.cols() != 1) {
            throw new IllegalStateException("targets have " + values.cols() + " columns, not 1");
        }
        double[] out = new double[values.rows()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i, 0);
        }
        return out;
    }

    /** The N x c target matrix: one-hot over the coding's classes for classification, the values for regression. */
    public DMatrix targetMatrix() {
        return codes != null ? oneHot() : values.copy();
    }

    /** N x C one-hot matrix, columns in code order (classification only). */
    public DMatrix oneHot() {
        requireTask(Task.CLASSIFICATION);
        DMatrix y = DMatrix.zeros(codes.length, names.size());
        for (int i = 0; i < codes.length; i++) {
            y.set(i, codes[i], 1.0);
        }
        return y;
    }

    /** The labels of samples {@code rows}, in that order, under the same coding. */
    public Labels rows(int[] rows) {
        requireNonNull(rows, "rows");
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= size()) {
                throw new IllegalArgumentException("rows: entry " + i + " is " + rows[i] + ", outside [0, " + size() + ")");
            }
        }
        if (codes != null) {
            int[] c = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                c[i] = codes[rows[i]];
            }
            return new Labels(task, c, names, null);
        }
        DMatrix sub = DMatrix.zeros(rows.length, values.cols());
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < values.cols(); j++) {
                sub.set(i, j, values.get(rows[i], j));
            }
        }
        return new Labels(task, null, names, sub);
    }

    /**
     * The same labels coded over the classes present only (their relative order kept), so that a subset
     * missing a class has no empty one-hot column. Regression labels are returned as they are.
     */
    public Labels presentClassesOnly() {
        if (codes == null) {
            return this;
        }
        int[] counts = classCounts();
        int[] recode = new int[counts.length];
        List<String> kept = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            recode[c] = counts[c] > 0 ? kept.size() : -1;
            if (counts[c] > 0) {
                kept.add(names.get(c));
            }
        }
        if (kept.size() == names.size()) {
            return this;
        }
        int[] c = new int[codes.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = recode[codes[i]];
        }
        return new Labels(task, c, List.copyOf(kept), null);
    }

    private void requireTask(Task t) {
        if (task != t) {
            throw new IllegalStateException("labels are for " + task + ", not " + t);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels t && t.task == task && Arrays.equals(t.codes, codes) && t.names.equals(names)
                && (values == null ? t.values == null : t.values != null && Arrays.deepEquals(t.values.toArray(), values.toArray()));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codes) * 31 + names.hashCode();
    }

    @Override
    public String toString() {
        return "Labels[" + task + ", " + size() + (codes != null ? ", classes " + abbreviate(names) : ", " + values.cols() + " column(s)") + "]";
    }
}
