package org.loes4j.selection.probe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.loes4j.data.Provenance;
import org.loes4j.data.Task;

/**
 * The outcome of {@link LayerProbe#sweep}: a cross-validated ridge probe for every layer (in the order of
 * the embeddings' layer positions) and for every subset asked for (in the order given), the best layer, and
 * the provenance of the run.
 *
 * @param task       classification (score: accuracy) or regression (score: R^2)
 * @param rows       N
 * @param targets    C classes present (classification) or target columns (regression)
 * @param folds      k
 * @param seed       seed of the folds
 * @param lambdas    the lambda grid, ascending
 * @param layers     one result per layer
 * @param subsets    one result per subset (may be empty)
 * @param provenance how the result was made
 */
public record ProbeSweep(Task task, int rows, int targets, int folds, long seed, double[] lambdas,
                         List<ProbeResult> layers, List<ProbeResult> subsets, Provenance provenance) {

    public ProbeSweep {
        if (task == null || lambdas == null || layers == null || subsets == null || provenance == null) {
            throw new IllegalArgumentException("task, lambdas, layers, subsets, provenance: null");
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("layers: no layer results");
        }
        lambdas = lambdas.clone();
        layers = List.copyOf(layers);
        subsets = List.copyOf(subsets);
    }

    @Override
    public double[] lambdas() {
        return lambdas.clone();
    }

    /** {@code "accuracy"} or {@code "r2"}. */
    public String scoreName() {
        return task == Task.CLASSIFICATION ? "accuracy" : "r2";
    }

    /**
     * The single layer with the highest mean score; scores within {@link LayerProbe#TIE_TOLERANCE} (relative,
     * at least absolute) of the highest tie, and the lowest hidden-state index among them wins.
     */
    public ProbeResult best() {
        double max = Double.NEGATIVE_INFINITY;
        for (ProbeResult r : layers) {
            max = Math.max(max, r.meanScore());
        }
        double floor = max - LayerProbe.TIE_TOLERANCE * Math.max(1, Math.abs(max));
        ProbeResult best = null;
        for (ProbeResult r : layers) {
            if (r.meanScore() >= floor && (best == null || r.layer() < best.layer())) {
                best = r;
            }
        }
        return best;
    }

    /** This sweep with another provenance (the CLI adds input digests and timings). */
    public ProbeSweep withProvenance(Provenance p) {
        return new ProbeSweep(task, rows, targets, folds, seed, lambdas, layers, subsets, p);
    }

    /**
     * The JSON form: {@code method, task, score, rows, classes|targetColumns, folds, seed, lambdas,
     * best {layer, width, lambda, score, std, macroF1?}, layers [...], subsets [...] (when any), provenance}.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", "probe");
        m.put("task", task.cliName());
        m.put("score", scoreName());
        m.put("rows", rows);
        m.put(task == Task.CLASSIFICATION ? "classes" : "targetColumns", targets);
        m.put("folds", folds);
        m.put("seed", seed);
        m.put("lambdas", lambdas.clone());
        ProbeResult b = best();
        Map<String, Object> best = new LinkedHashMap<>();
        best.put("layer", b.layer());
        best.put("width", b.width());
        best.put("lambda", b.bestLambda());
        best.put("score", b.meanScore());
        best.put("std", b.stdScore());
        if (!Double.isNaN(b.macroF1())) {
            best.put("macroF1", b.macroF1());
        }
        m.put("best", best);
        m.put("layers", maps(layers));
        if (!subsets.isEmpty()) {
            m.put("subsets", maps(subsets));
        }
        m.put("provenance", provenance.toMap());
        return m;
    }

    private static List<Map<String, Object>> maps(List<ProbeResult> rs) {
        List<Map<String, Object>> out = new ArrayList<>(rs.size());
        for (ProbeResult r : rs) {
            out.add(r.toMap());
        }
        return out;
    }
}
