package org.loes4j.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.loes4j.selection.Loes;
import org.loes4j.selection.stats.LoesStatistics;

/**
 * The route {@code loes select} runs LOES on, decided from the shapes before any row is read.
 *
 * <p>The rule. With N the calibration rows, D the total width of the candidate layers, c the target columns
 * and B the memory budget ({@code --memory-budget}, by default half the maximum heap):
 * <ol>
 * <li>{@code --streaming} forces the statistics route; N &lt; D, or statistics over B, is an error naming the
 *     condition.</li>
 * <li>Otherwise the in-memory route is taken while its estimated peak ({@link Loes#inMemoryBytes}) is within
 *     B: it serves any N (also N &lt; D), its diagnostics include the dataset entropy, and it is the reference
 *     the statistics route is checked against. Not because it is faster: on 200,000 x 13 x 384 float32 rows the
 *     statistics route took less CPU time (40 s against 52 to 59 s, README), its pass costing N D^2 / 2
 *     multiply-adds against the in-memory route's per-step orthogonalisations.</li>
 * <li>Over B, the statistics route is taken when N &gt;= D and its memory
 *     ({@link LoesStatistics#accumulationBytes}: {@code 8 (D + c)(D + c + 1)} bytes plus one block of rows)
 *     fits B; when it does not fit either, the run stops with an error naming the heap and {@code --layers};
 *     when N &lt; D (the statistics route cannot serve), the in-memory route is tried with a warning.</li>
 * </ol>
 * The block of rows shrinks, down to {@link #MIN_BLOCK_ROWS}, to keep the statistics route within B.
 */
record SelectRoute(boolean statistics, boolean forced, String reason, long budgetBytes, long inMemoryBytes,
                   long statisticsBytes, int blockRows, String warning) {

    /**
     * Fewest rows per block the statistics route is run with: below it the rank-b updates of the moments lose
     * most of their arithmetic intensity, and the moments themselves dominate the memory anyway.
     */
    static final int MIN_BLOCK_ROWS = 64;

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)b?", Pattern.CASE_INSENSITIVE);

    /** "statistics" or "in-memory", as the provenance's {@code route}. */
    String name() {
        return statistics ? "statistics" : "in-memory";
    }

    /**
     * Chooses the route (see the class comment).
     *
     * @param forced          {@code --streaming} was given
     * @param calibrationRows N
     * @param widths          d_l of every candidate layer
     * @param targetColumns   c (classes present, regression columns, 0 label-free)
     * @param k               layers to select
     * @param budgetBytes     B
     * @throws BadInputException when the forced route cannot run, or no route fits the budget
     */
    static SelectRoute choose(boolean forced, int calibrationRows, int[] widths, int targetColumns, int k,
                              long budgetBytes) {
        long d = 0;
        for (int w : widths) {
            d += w;
        }
        int n = calibrationRows;
        long columns = d + targetColumns;
        long moments = LoesStatistics.bytesFor(d, targetColumns);
        long room = (budgetBytes - moments) / (8 * columns);
        int blockRows = (int) Math.max(0, Math.min(Math.min(Loes.STREAMING_BLOCK_ROWS, n), room));
        boolean statsFit = blockRows >= Math.min(MIN_BLOCK_ROWS, n);
        long statsBytes = LoesStatistics.accumulationBytes(d, targetColumns, n,
                statsFit ? blockRows : Math.min(MIN_BLOCK_ROWS, n));
        long inMemory = Loes.inMemoryBytes(n, widths, targetColumns, k);
        String shapes = String.format(Locale.ROOT, "N = %d calibration rows, %d layers of total width D = %d, "
                + "c = %d target columns", n, widths.length, d, targetColumns);
        if (forced) {
            if (n < d) {
                throw new BadInputException("--streaming: the statistics route needs at least as many calibration rows "
                        + "as the layers' total width (N >= sum of d_l); N = " + n + " < D = " + d + "; drop --streaming "
                        + "(the in-memory route handles N < D), raise --calibration-fraction, or select from fewer "
                        + "--layers");
            }
            if (!statsFit) {
                throw new BadInputException("--streaming: " + overBudget(d, targetColumns, moments, statsBytes,
                        budgetBytes));
            }
            return new SelectRoute(true, true, "--streaming given; " + shapes + "; statistics "
                    + size(statsBytes) + " within the budget " + size(budgetBytes), budgetBytes, inMemory,
                    statsBytes, blockRows, null);
        }
        if (inMemory <= budgetBytes) {
            return new SelectRoute(false, false, "in-memory estimate " + size(inMemory) + " within the budget "
                    + size(budgetBytes) + "; " + shapes, budgetBytes, inMemory, statsBytes, blockRows, null);
        }
        if (n >= d && statsFit) {
            return new SelectRoute(true, false, "in-memory estimate " + size(inMemory) + " over the budget "
                    + size(budgetBytes) + ", statistics " + size(statsBytes) + " within it; " + shapes, budgetBytes,
                    inMemory, statsBytes, blockRows, null);
        }
        if (n >= d) {
            throw new BadInputException("--memory-budget: the in-memory route needs about " + size(inMemory)
                    + ", and " + overBudget(d, targetColumns, moments, statsBytes, budgetBytes));
        }
        return new SelectRoute(false, false, "in-memory estimate " + size(inMemory) + " over the budget "
                + size(budgetBytes) + ", but the statistics route needs N >= D; " + shapes, budgetBytes, inMemory,
                statsBytes, blockRows, "the in-memory route needs about " + size(inMemory) + ", over the memory budget "
                + size(budgetBytes) + ", and the statistics route needs N >= D (N = " + n + " < D = " + d + "); trying "
                + "in-memory; if it runs out of memory, raise the heap (-Xmx in LOES_JAVA_OPTS) or select from fewer "
                + "--layers");
    }

    private static String overBudget(long d, int c, long moments, long statsBytes, long budgetBytes) {
        return String.format(Locale.ROOT, "the statistics route's merged moments of total width D = %d with c = %d "
                        + "target columns take 8 (D + c)(D + c + 1) bytes = %s (%s with a block of rows), over the "
                        + "memory budget of %s (--memory-budget; default half the maximum heap, here %s): raise the "
                        + "heap with -Xmx in LOES_JAVA_OPTS (e.g. LOES_JAVA_OPTS=-Xmx%dg) or select from fewer "
                        + "--layers", d, c, size(moments), size(statsBytes), size(budgetBytes),
                size(Runtime.getRuntime().maxMemory()), Math.max(1, (2 * statsBytes + (1L << 30) - 1) >> 30));
    }

    /** The provenance's {@code routeChoice}. */
    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("route", name());
        m.put("forced", forced);
        m.put("reason", reason);
        m.put("memoryBudgetBytes", budgetBytes);
        m.put("inMemoryEstimateBytes", inMemoryBytes);
        m.put("statisticsBytes", statisticsBytes);
        if (statistics) {
            m.put("blockRows", blockRows);
        }
        return m;
    }

    /**
     * Parses a {@code --memory-budget}: bytes, or a number with k, m, g or t (binary units, as {@code -Xmx}).
     *
     * @throws BadInputException naming the option
     */
    static long parseBytes(String option, String value) {
        Matcher m = SIZE.matcher(value == null ? "" : value.strip());
        if (!m.matches()) {
            throw new BadInputException(option + ": '" + value + "' is not a size (bytes, or a number with k, m, g "
                    + "or t, e.g. 512m)");
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        double bytes = Double.parseDouble(m.group(1)) * (1L << shift);
        if (!(bytes >= 1) || bytes > Long.MAX_VALUE / 2.0) {
            throw new BadInputException(option + ": '" + value + "' must be at least 1 byte and below 4 EB");
        }
        return (long) bytes;
    }

    /** "1.26 GiB", "346.8 MiB", "46.2 KiB". */
    static String size(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
}
