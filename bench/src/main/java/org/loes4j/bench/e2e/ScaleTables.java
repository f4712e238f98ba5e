package org.loes4j.bench.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables of {@link ScaleE2E} and its cost model.
 *
 * <p>Model, fitted to the runs of the report (m = D + c columns of the moments, D = L d, N' = calibration rows
 * accumulated, M executors each as fast as this machine's 2 threads):
 * <ul>
 *   <li>pass: {@code a * N' * m^2 / M}, a = seconds per row per column squared on 2 threads (the rank-b update
 *       of the m x m moment per block dominates; a is the median of pass / (N' m^2) over the 2-thread runs);</li>
 *   <li>merge: {@code ceil(log2 M) * (8 m^2 / B + merge(m) + 2 serialise(m))}, B = network bandwidth (assumed
 *       {@link #NETWORK_BYTES_PER_S}), merge and serialise timed here;</li>
 *   <li>driver: {@code alpha * L d^3 + beta * L d^3 * k (k - 1) / 2} ({@code layersMs}: a factorisation per
 *       layer; step s orthogonalises L candidates against s selected layers), alpha and beta by least squares
 *       through the origin over the runs.</li>
 * </ul>
 */
final class ScaleTables {
    /** Assumed network bandwidth between executors and driver: 10 Gbit/s. */
    static final double NETWORK_BYTES_PER_S = 1.25e9;

    private ScaleTables() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> t(Map<String, Object> row) {
        return (Map<String, Object>) row.get("timingsMs");
    }

    static double ms(Map<String, Object> row, String key) {
        Object v = t(row).get(key);
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    /** The pass in seconds: accumulateMs, or on Spark the accumulation job (labels pass included). */
    static double pass(Map<String, Object> row) {
        if ((Boolean) row.get("spark")) {
            double l = ms(row, "sparkLabelsPassMs");
            return (ms(row, "sparkAccumulateMs") + (Double.isNaN(l) ? 0 : l)) / 1000;
        }
        return ms(row, "accumulateMs") / 1000;
    }

    /** The driver's selection in seconds (totalMs of the statistics route; driverSelectMs on Spark). */
    static double driver(Map<String, Object> row) {
        return ((Boolean) row.get("spark") ? ms(row, "driverSelectMs") : ms(row, "totalMs")) / 1000;
    }

    static double stepsMs(Map<String, Object> row) {
        double s = 0;
        for (Map.Entry<String, Object> e : t(row).entrySet()) {
            if (e.getKey().matches("step\\d+Ms")) {
                s += ((Number) e.getValue()).doubleValue();
            }
        }
        return s;
    }

    static long m(Map<String, Object> row, int classes) {
        return (long) (Integer) row.get("layers") * (Integer) row.get("dim") + classes;
    }

    static double acc(Map<String, Object> row) {
        return ((Number) row.get("accumulatedRows")).doubleValue();
    }

    static double ld3(Map<String, Object> row) {
        double d = (Integer) row.get("dim");
        return (Integer) row.get("layers") * d * d * d;
    }

    static double kk(Map<String, Object> row) {
        int k = (Integer) row.get("k");
        return k * (k - 1) / 2.0;
    }

    static void write(Report report, List<Map<String, Object>> rate, List<Map<String, Object>> grid,
                      List<Map<String, Object>> merge, List<Map<String, Object>> big, double fraction, int classes,
                      int k) {
        report.paragraph("Inputs: (N, L, d) float32 .npy written row by row by the harness (layer l = s_l x class "
                + "prototype + uniform noise, seeded), int64 labels i mod " + classes + ". Each run: `loes select "
                + "--streaming --threads T --calibration-fraction " + fraction + " --k K --json OUT` in a fresh JVM "
                + "(default heap), or `./loes spark select --master local[2]` (1 loes4j thread per task, default "
                + "partitions). The pass reads and accumulates only the calibration rows: rows scanned = N, rows "
                + "accumulated = " + fraction + " N; rows/s is given for both. pass = `accumulateMs` (Spark: "
                + "`sparkAccumulateMs` + `sparkLabelsPassMs`, merge included); driver = `totalMs` (Spark: "
                + "`driverSelectMs`): the selection on the statistics alone; wall = process start to exit; peak RSS "
                + "= GNU time %M. Load average per run in the last column: the machine was shared with other "
                + "builds, so absolute times are inflated by an unknown factor; ratios between rows of one table "
                + "are more reliable than the times.");
        List<String> h = List.of("config", "N x L x d", "k", "rows scanned", "rows accumulated", "pass s",
                "accumulated rows/s", "scanned rows/s", "driver s", "wall s", "peak RSS MiB", "selected",
                "load start -> end");
        if (!rate.isEmpty()) {
            report.table(h, rows(rate));
            double one = Double.NaN;
            for (Map<String, Object> r : rate) {
                if ("1 thread".equals(r.get("config"))) {
                    one = pass(r);
                }
            }
            StringBuilder sp = new StringBuilder("Pass speed-up over 1 thread: ");
            for (Map<String, Object> r : rate) {
                sp.append(r.get("config")).append(' ').append(Report.f("%.2fx", one / pass(r))).append("; ");
            }
            report.paragraph(sp.toString());
        }
        if (!big.isEmpty()) {
            report.paragraph("N = " + big.getFirst().get("rows") + " (" + Report.f("%.1f GB", 4.0
                    * ((Integer) big.getFirst().get("rows")) * (Integer) big.getFirst().get("layers")
                    * (Integer) big.getFirst().get("dim") / 1e9) + " file, larger than the page cache of this "
                    + "machine), one run:");
            report.table(h, rows(big));
        }
        if (!grid.isEmpty()) {
            List<List<String>> g = new ArrayList<>();
            for (Map<String, Object> r : grid) {
                long m = m(r, classes);
                g.add(List.of(String.valueOf(r.get("shape")), String.valueOf(r.get("k")),
                        Report.f("%.0f", acc(r)), String.valueOf(m), Report.f("%.2f", pass(r)),
                        Report.f("%.3f", pass(r) / (acc(r) * m * m) * 1e9 * 2),
                        Report.f("%.2f", ms(r, "layersMs") / 1000), Report.f("%.2f", stepsMs(r) / 1000),
                        Report.f("%.2f", driver(r)), Report.f("%.1f", (Double) r.get("wallSeconds")),
                        Report.f("%.0f", (Double) r.get("peakRssMiB")),
                        r.get("loadStart") + " -> " + r.get("loadEnd")));
            }
            report.paragraph("Growth with N, L, d and k: one-factor sweeps, 2 threads, `loes select --streaming`. "
                    + "m = D + c (the moment is m x m); ns / (row m^2) per core = 2 x pass / (rows accumulated x m^2) in "
                    + "ns: constant when the pass is the symmetric rank-b update of the moment (syrk, m^2 flops a row: "
                    + "the value is then 1 / (GFLOP/s per core)). layers = "
                    + "`layersMs`, steps = sum of `stepNMs`, driver = `totalMs` (layers + steps + bookkeeping).");
            report.table(List.of("N x L x d", "k", "rows accumulated", "m", "pass s", "ns / (row m^2) per core",
                    "layers s", "steps s", "driver s", "wall s", "peak RSS MiB", "load start -> end"), g);
        }
        if (!merge.isEmpty()) {
            List<List<String>> mt = new ArrayList<>();
            for (Map<String, Object> r : merge) {
                mt.add(List.of(String.valueOf(r.get("columns")), Report.f("%.1f", ((Number) r.get("bytes")).doubleValue()
                        / 1e6), Report.f("%.1f", (Double) r.get("mergeMsMedian")),
                        Report.f("%.1f", (Double) r.get("serialiseMsMedian")),
                        Report.f("%.1f", ((Number) r.get("bytes")).doubleValue() / NETWORK_BYTES_PER_S * 1000)));
            }
            report.paragraph("The merge (what `treeReduce` does at each level): `Moments.merge` of two moments and "
                    + "the Java serialisation of one, timed in the harness JVM (median of 5 and 3); transfer = bytes "
                    + "/ 10 Gbit/s (assumed, not measured).");
            report.table(List.of("m = D + c", "serialised MB", "merge ms", "serialise ms", "transfer ms @10 Gbit/s"),
                    mt);
        }
        model(report, rate, grid, merge, fraction, classes, k);
    }

    private static List<List<String>> rows(List<Map<String, Object>> rs) {
        List<List<String>> out = new ArrayList<>();
        for (Map<String, Object> r : rs) {
            double p = pass(r);
            out.add(List.of(String.valueOf(r.get("config")), String.valueOf(r.get("shape")), String.valueOf(r.get("k")),
                    String.valueOf(r.get("rows")), Report.f("%.0f", acc(r)), Report.f("%.1f", p),
                    Report.f("%.0f", acc(r) / p), Report.f("%.0f", (Integer) r.get("rows") / p),
                    Report.f("%.2f", driver(r)), Report.f("%.1f", (Double) r.get("wallSeconds")),
                    Report.f("%.0f", (Double) r.get("peakRssMiB")), String.valueOf(r.get("selected")),
                    r.get("loadStart") + " -> " + r.get("loadEnd")));
        }
        return out;
    }

    private static void model(Report report, List<Map<String, Object>> rate, List<Map<String, Object>> grid,
                              List<Map<String, Object>> merge, double fraction, int classes, int k) {
        List<Map<String, Object>> two = new ArrayList<>();
        for (Map<String, Object> r : grid) {
            two.add(r);
        }
        for (Map<String, Object> r : rate) {
            if ("2 threads".equals(r.get("config"))) {
                two.add(r);
            }
        }
        if (two.isEmpty()) {
            return;
        }
        double[] ratio = new double[two.size()];
        for (int i = 0; i < ratio.length; i++) {
            Map<String, Object> r = two.get(i);
            double m = m(r, classes);
            ratio[i] = pass(r) / (acc(r) * m * m);
        }
        double a = Report.median(ratio);
        // alpha: layersMs / (L d^3); beta: steps / (L d^3 k(k-1)/2), least squares through the origin.
        double sxy = 0;
        double sxx = 0;
        double tyy = 0;
        double txx = 0;
        for (Map<String, Object> r : two) {
            double x = ld3(r);
            sxy += x * ms(r, "layersMs") / 1000;
            sxx += x * x;
            double xs = x * kk(r);
            tyy += xs * stepsMs(r) / 1000;
            txx += xs * xs;
        }
        double alpha = sxy / sxx;
        double beta = tyy / txx;
        List<List<String>> check = new ArrayList<>();
        for (Map<String, Object> r : two) {
            double m = m(r, classes);
            double pp = a * acc(r) * m * m;
            double pd = alpha * ld3(r) + beta * ld3(r) * kk(r);
            check.add(List.of(String.valueOf(r.get("shape")), String.valueOf(r.get("k")), Report.f("%.2f", pass(r)),
                    Report.f("%.2f", pp), Report.f("%.2f", pp / pass(r)), Report.f("%.2f", driver(r)),
                    Report.f("%.2f", pd), Report.f("%.2f", pd / driver(r))));
        }
        Map<String, Object> fit = new LinkedHashMap<>();
        fit.put("passSecondsPerRowColumn2TwoThreads", a);
        fit.put("alphaSecondsPerLd3", alpha);
        fit.put("betaSecondsPerLd3kk", beta);
        report.put("costModel", fit);
        report.paragraph(Report.f("Cost model fitted to the 2-thread runs above: pass = a N' m^2 / M with a = %.3g s "
                + "(= %.1f GFLOP/s per 2-thread executor counting m^2 flops a row: the symmetric rank-b update, syrk); driver = alpha L d^3 + beta L d^3 "
                + "k(k-1)/2 with alpha = %.3g s, beta = %.3g s; merge = ceil(log2 M) (8 m^2 / B + merge(m) + 2 "
                + "serialise(m)), B = 10 Gbit/s assumed. Check against the runs it was fitted to (ratio = "
                + "predicted / measured):", a, 1e-9 / a, alpha, beta));
        report.table(List.of("N x L x d", "k", "pass s", "model pass s", "ratio", "driver s", "model driver s",
                "ratio"), check);

        // Prediction at N = 100M, 13 x 384, k, for M = 10 and 100.
        int layers = 13;
        int dim = 384;
        double m = layers * dim + classes;
        double mergeMs = Double.NaN;
        double serMs = Double.NaN;
        for (Map<String, Object> r : merge) {
            if (((Number) r.get("columns")).intValue() == (int) m) {
                mergeMs = (Double) r.get("mergeMsMedian");
                serMs = (Double) r.get("serialiseMsMedian");
            }
        }
        double ld3 = layers * Math.pow(dim, 3);
        double drv = alpha * ld3 + beta * ld3 * k * (k - 1) / 2.0;
        List<List<String>> pred = new ArrayList<>();
        for (double f : new double[] {1.0, fraction}) {
            for (int execs : new int[] {10, 100}) {
                double rows = 1e8 * f;
                double pass = a * rows * m * m / execs;
                int levels = (int) Math.ceil(Math.log(execs) / Math.log(2));
                double mg = levels * (8 * m * m / NETWORK_BYTES_PER_S + (mergeMs + 2 * serMs) / 1000);
                double total = pass + mg + drv;
                String dom = pass >= mg && pass >= drv ? "pass" : mg >= drv ? "merge" : "driver";
                pred.add(List.of(Report.f("%.1f", f), String.valueOf(execs), Report.f("%.0f", pass),
                        Report.f("%.1f", mg), Report.f("%.1f", drv), Report.f("%.0f", total),
                        Report.f("%s (%.0f%%)", dom, 100 * Math.max(pass, Math.max(mg, drv)) / total)));
            }
        }
        report.paragraph("Predicted selection time at N = 100,000,000 rows, 13 x 384, k = " + k + ", M executors "
                + "each as fast as this machine on 2 threads (the pass divides by M; the driver does not):");
        report.table(List.of("calibration fraction", "M", "pass s", "merge s", "driver s", "total s", "dominates"),
                pred);
    }
}
