package org.loes4j.cli;

import org.loes4j.linalg.regression.RidgeCv;

/** The {@code --lambdas} option of {@code probe} and {@code train --probe ridge}: a grid of ridge strengths. */
final class LambdaGrids {
    private LambdaGrids() {
    }

    /**
     * Parses {@code FROM:TO:POINTS} (log-spaced, {@link RidgeCv#logGrid}) or a comma-separated list.
     *
     * @throws BadInputException naming {@code --lambdas}
     */
    static double[] parse(String s) {
        String spec = s == null ? "" : s.strip();
        try {
            if (spec.contains(":")) {
                String[] parts = spec.split(":", -1);
                if (parts.length != 3) {
                    throw new NumberFormatException(spec);
                }
                return RidgeCv.logGrid(Double.parseDouble(parts[0].strip()), Double.parseDouble(parts[1].strip()),
                        Integer.parseInt(parts[2].strip()));
            }
            String[] parts = spec.split(",", -1);
            double[] v = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                v[i] = Double.parseDouble(parts[i].strip());
            }
            return v;
        } catch (NumberFormatException e) {
            throw new BadInputException("--lambdas: '" + s + "' is not FROM:TO:POINTS (e.g. 1e-4:1e4:17) or a list of "
                    + "values a,b,c", e);
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            throw new BadInputException("--lambdas: '" + s + "': " + (m.startsWith("lambdas: ") ? m.substring(9) : m), e);
        }
    }
}
