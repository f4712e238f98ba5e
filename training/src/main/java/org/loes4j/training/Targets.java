package org.loes4j.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Training or evaluation targets: class indices with their label names, or real values.
 * Label names are the strings of the input file; {@link #classification(List)} orders the distinct
 * names numerically when they all parse as numbers, else lexicographically, and that order is the
 * class index (it is saved with the model).
 */
public final class Targets {
    private final Task task;
    private final int[] classes;
    private final List<String> names;
    private final double[] values;

    private Targets(Task task, int[] classes, List<String> names, double[] values) {
        this.task = task;
        this.classes = classes;
        this.names = names;
        this.values = values;
    }

    /** Class targets from raw label strings; the mapping is built from the distinct labels. */
    public static Targets classification(List<String> labels) {
        TreeSet<String> distinct = new TreeSet<>(labelOrder(labels));
        distinct.addAll(labels);
        return classification(labels, List.copyOf(distinct));
    }

    /**
     * Class targets from raw label strings under a fixed mapping (the model's).
     *
     * @throws IllegalArgumentException naming the first label not in {@code names}, and its row
     */
    public static Targets classification(List<String> labels, List<String> names) {
        Map<String, Integer> index = new HashMap<>();
        for (int c = 0; c < names.size(); c++) {
            index.put(names.get(c), c);
        }
        int[] cls = new int[labels.size()];
        for (int i = 0; i < cls.length; i++) {
            Integer c = index.get(labels.get(i));
            if (c == null) {
                throw new IllegalArgumentException("labels: value '" + labels.get(i) + "' at row " + i
                        + " was not seen in training (known: " + abbreviate(names) + ")");
            }
            cls[i] = c;
        }
        return new Targets(Task.CLASSIFICATION, cls, List.copyOf(names), null);
    }

    /** Class targets from indices in [0, names.size()). */
    public static Targets classes(int[] classes, List<String> names) {
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] < 0 || classes[i] >= names.size()) {
                throw new IllegalArgumentException("classes: entry " + i + " is " + classes[i] + ", outside [0, "
                        + names.size() + ")");
            }
        }
        return new Targets(Task.CLASSIFICATION, classes.clone(), List.copyOf(names), null);
    }

    /** Regression targets; every value must be finite. */
    public static Targets regression(double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("values: entry " + i + " is " + values[i]);
            }
        }
        return new Targets(Task.REGRESSION, null, List.of(), values.clone());
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

    public Task task() {
        return task;
    }

    public int size() {
        return task == Task.CLASSIFICATION ? classes.length : values.length;
    }

    /** Class indices (classification only). */
    public int[] classes() {
        requireTask(Task.CLASSIFICATION);
        return classes.clone();
    }

    /** Label names by class index (classification only). */
    public List<String> names() {
        requireTask(Task.CLASSIFICATION);
        return names;
    }

    /** C (classification only). */
    public int classCount() {
        requireTask(Task.CLASSIFICATION);
        return names.size();
    }

    /** Values (regression only). */
    public double[] values() {
        requireTask(Task.REGRESSION);
        return values.clone();
    }

    /** The targets of {@code rows}, in that order. */
    public Targets rows(int[] rows) {
        if (task == Task.CLASSIFICATION) {
            int[] c = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                c[i] = classes[rows[i]];
            }
            return new Targets(task, c, names, null);
        }
        double[] v = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            v[i] = values[rows[i]];
        }
        return new Targets(task, null, names, v);
    }

    private void requireTask(Task t) {
        if (task != t) {
            throw new IllegalStateException("targets are for " + task + ", not " + t);
        }
    }

    @Override
    public String toString() {
        return "Targets[" + task + ", " + size() + (task == Task.CLASSIFICATION ? ", classes " + names : "") + "]";
    }

    /** Per-class counts (classification only), for messages and checks. */
    public int[] classCounts() {
        int[] counts = new int[classCount()];
        for (int c : classes) {
            counts[c]++;
        }
        return counts;
    }

    /** Raw label strings of the class targets, for round trips. */
    public List<String> labels() {
        requireTask(Task.CLASSIFICATION);
        List<String> out = new ArrayList<>(classes.length);
        for (int c : classes) {
            out.add(names.get(c));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Targets t && t.task == task && Arrays.equals(t.classes, classes)
                && t.names.equals(names) && Arrays.equals(t.values, values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(classes) * 31 + Arrays.hashCode(values);
    }
}
