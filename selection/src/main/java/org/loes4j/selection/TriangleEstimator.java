package org.loes4j.selection;

/**
 * How the class-centroid triangle term is estimated (spec section 1): {@code exact} (default) is the exact
 * expectation over all C^3 ordered triplets with replacement; {@code sampled:T} averages T triplets drawn
 * from a seeded generator, as the authors' code does with T = 200.
 *
 * @param draws 0 for exact, else the number of sampled triplets
 */
public record TriangleEstimator(int draws) {
    /** The authors' number of draws. */
    public static final int PAPER_DRAWS = 200;

    public TriangleEstimator {
        if (draws < 0) {
            throw new IllegalArgumentException("draws: " + draws + " must be >= 0 (0 = exact)");
        }
    }

    public static TriangleEstimator exact() {
        return new TriangleEstimator(0);
    }

    public static TriangleEstimator sampled(int draws) {
        if (draws < 1) {
            throw new IllegalArgumentException("draws: " + draws + " must be >= 1");
        }
        return new TriangleEstimator(draws);
    }

    public boolean isExact() {
        return draws == 0;
    }

    /** Parses {@code exact}, {@code sampled} (200 draws) or {@code sampled:T}. */
    public static TriangleEstimator parse(String s) {
        if (s == null) {
            throw new IllegalArgumentException("triangle: null");
        }
        String t = s.trim();
        if (t.equals("exact")) {
            return exact();
        }
        if (t.equals("sampled")) {
            return sampled(PAPER_DRAWS);
        }
        if (t.startsWith("sampled:")) {
            try {
                return sampled(Integer.parseInt(t.substring("sampled:".length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("triangle: '" + s + "', expected exact or sampled:T with an integer T");
            }
        }
        throw new IllegalArgumentException("triangle: '" + s + "', expected exact or sampled:T");
    }

    @Override
    public String toString() {
        return isExact() ? "exact" : "sampled:" + draws;
    }
}
