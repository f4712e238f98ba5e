package org.loes4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyArray;

/**
 * Labels or regression targets, one per sample: a 1-D {@code .npy} array (integers or floats), or a
 * text file with one value per line (blank lines at the end ignored).
 */
final class LabelsFile {
    private LabelsFile() {
    }

    /** Label strings: integers as written, integral floats without ".0", text lines trimmed. */
    static List<String> labels(String option, Path file) {
        if (isNpy(file)) {
            try (NpyArray a = map(option, file)) {
                List<String> out = new ArrayList<>();
                if (a.dtype().isFloatingPoint()) {
                    for (double v : a.toDoubleArray()) {
                        if (!Double.isFinite(v)) {
                            throw new BadInputException(option + ": " + file + " holds a non-finite label " + v);
                        }
                        out.add(v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v));
                    }
                } else {
                    for (long v : a.toLongArray()) {
                        out.add(Long.toString(v));
                    }
                }
                return out;
            }
        }
        List<String> lines = lines(option, file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isEmpty()) {
                throw new BadInputException(option + ": " + file + " line " + (i + 1) + " is empty");
            }
        }
        return lines;
    }

    /** Real values for regression. */
    static double[] values(String option, Path file) {
        if (isNpy(file)) {
            try (NpyArray a = map(option, file)) {
                double[] v = a.toDoubleArray();
                for (int i = 0; i < v.length; i++) {
                    if (!Double.isFinite(v[i])) {
                        throw new BadInputException(option + ": " + file + " entry " + i + " is " + v[i]);
                    }
                }
                return v;
            }
        }
        List<String> lines = lines(option, file);
        double[] v = new double[lines.size()];
        for (int i = 0; i < v.length; i++) {
            try {
                v[i] = Double.parseDouble(lines.get(i));
            } catch (NumberFormatException e) {
                throw new BadInputException(option + ": " + file + " line " + (i + 1) + " '" + lines.get(i)
                        + "' is not a number");
            }
            if (!Double.isFinite(v[i])) {
                throw new BadInputException(option + ": " + file + " line " + (i + 1) + " is " + v[i]);
            }
        }
        return v;
    }

    private static boolean isNpy(Path file) {
        return file.getFileName().toString().endsWith(".npy");
    }

    private static NpyArray map(String option, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(option + ": " + file + " does not exist or is not a file");
        }
        try {
            return Npy.map(file);
        } catch (IOException e) {
            throw new BadInputException(option + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<String> lines(String option, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(option + ": " + file + " does not exist or is not a file");
        }
        List<String> raw;
        try {
            raw = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(option + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        List<String> out = new ArrayList<>();
        for (String s : raw) {
            out.add(s.strip());
        }
        while (!out.isEmpty() && out.getLast().isEmpty()) {
            out.removeLast();
        }
        return out;
    }
}
