package org.loes4j.training.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code RMSE = sqrt(mean (p - t)^2)}, {@code MAE = mean |p - t|},
 * {@code R^2 = 1 - sum (p - t)^2 / sum (t - mean t)^2} (NaN when the truth is constant).
 */
public record RegressionMetrics(double rmse, double mae, double r2) {

    public static RegressionMetrics of(double[] truth, double[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("predicted: " + predicted.length + " entries, truth has " + truth.length);
        }
        if (truth.length == 0) {
            throw new IllegalArgumentException("truth: empty");
        }
        int n = truth.length;
        double mean = 0;
        for (double t : truth) {
            mean += t / n;
        }
        double sse = 0;
        double sae = 0;
        double sst = 0;
        for (int i = 0; i < n; i++) {
            double r = predicted[i] - truth[i];
            sse += r * r;
            sae += Math.abs(r);
            sst += (truth[i] - mean) * (truth[i] - mean);
        }
        return new RegressionMetrics(Math.sqrt(sse / n), sae / n, sst == 0 ? Double.NaN : 1 - sse / sst);
    }

    /** As a JSON-ready map. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rmse", rmse);
        m.put("mae", mae);
        m.put("r2", r2);
        return m;
    }
}
