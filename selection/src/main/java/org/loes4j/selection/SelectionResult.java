package org.loes4j.selection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.loes4j.data.Provenance;
import org.loes4j.selection.metrics.SpectrumSummary;

/**
 * The outcome of a layer selector (LOES or a baseline): the selected encoder layers IN SELECTION ORDER (the
 * adapter/concatenation order downstream), each step's winning score, per-layer initial terms, the full
 * candidate table of every greedy step, optional layer diagnostics, and the provenance of the run.
 * Quantities a selector does not compute are {@code NaN} (written as JSON {@code null}).
 *
 * @param method     {@code "loes"} or the baseline name
 * @param selected   encoder layer numbers in selection order
 * @param stepScores the winning score of each step (LOES: score0 of the first pick, then the step scores;
 *                   metric baselines: the metric of each pick; exhaustive: the cross-validated score)
 * @param layers     per candidate layer: fitLoss, isotropy, score0 and further named metrics
 * @param steps      the greedy steps after the first pick, each with every candidate's terms
 * @param diagnostics layer diagnostics, or null when not requested
 * @param provenance how the result was made: environment (with the backend actually used), seed, input
 *                   digests, hyper-parameters, timings, and the selector's details (sizes, routes)
 */
public record SelectionResult(String method, int[] selected, double[] stepScores, List<LayerScore> layers,
                              List<Step> steps, Diagnostics diagnostics, Provenance provenance) {

    /**
     * Initial terms of one layer.
     *
     * @param fitLoss  mean squared error of the ridge of the raw layer on the targets (NaN label-free)
     * @param isotropy isotropy of the layer
     * @param score0   {@code fitLoss + alpha (1 - iso)} (label-free: {@code alpha (1 - iso)})
     * @param metrics  further named per-layer values (baseline metrics), may be empty
     */
    public record LayerScore(int layer, double fitLoss, double isotropy, double score0, Map<String, Double> metrics) {
    }

    /**
     * One greedy step after the first pick.
     *
     * @param step       1-based step number (step 0 is the initial pick by score0)
     * @param selected   the layer picked
     * @param score      its score
     * @param residual   the mean square of the residual r = T - Yhat the candidates were fitted to (NaN
     *                   label-free)
     * @param candidates every unselected layer's terms, in layer order
     */
    public record Step(int step, int selected, double score, double residual, List<Candidate> candidates) {
    }

    /**
     * Terms of one candidate in one step: {@code score = residualLoss + alpha (1 - isotropy)
     * + gamma redundancy - eta triangle}.
     */
    public record Candidate(int layer, double residualLoss, double isotropy, double redundancy, double triangle,
                            double score) {
    }

    /** Per-layer diagnostics and the pairwise raw-feature redundancy matrix (rows/columns in layer order). */
    public record Diagnostics(List<LayerDiagnostics> layers, double[][] redundancy) {
    }

    /** Diagnostics of one layer (spec section 6). */
    public record LayerDiagnostics(int layer, double isotropy, double effectiveRank, double datasetEntropy,
                                   SpectrumSummary spectrum) {
    }

    /** This result with {@code p} as its provenance (a caller adding input digests or end-to-end timings). */
    public SelectionResult withProvenance(Provenance p) {
        return new SelectionResult(method, selected, stepScores, layers, steps, diagnostics, p);
    }

    /** The result as JSON-ready maps and lists ({@code {"selected", "stepScores", "layers", "steps", ...}}). */
    public Map<String, Object> toJsonMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("selected", selected.clone());
        m.put("stepScores", numbers(stepScores));
        List<Object> ls = new ArrayList<>();
        for (LayerScore l : layers) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("layer", l.layer());
            e.put("fitLoss", num(l.fitLoss()));
            e.put("isotropy", num(l.isotropy()));
            e.put("score0", num(l.score0()));
            e.put("selected", indexOf(l.layer()) >= 0);
            for (Map.Entry<String, Double> x : l.metrics().entrySet()) {
                e.put(x.getKey(), num(x.getValue()));
            }
            ls.add(e);
        }
        m.put("layers", ls);
        List<Object> ss = new ArrayList<>();
        for (Step s : steps) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("step", s.step());
            e.put("selected", s.selected());
            e.put("score", num(s.score()));
            e.put("residualMeanSquare", num(s.residual()));
            List<Object> cs = new ArrayList<>();
            for (Candidate c : s.candidates()) {
                Map<String, Object> ce = new LinkedHashMap<>();
                ce.put("layer", c.layer());
                ce.put("residualLoss", num(c.residualLoss()));
                ce.put("isotropy", num(c.isotropy()));
                ce.put("redundancy", num(c.redundancy()));
                ce.put("triangle", num(c.triangle()));
                ce.put("score", num(c.score()));
                cs.add(ce);
            }
            e.put("candidates", cs);
            ss.add(e);
        }
        m.put("steps", ss);
        if (diagnostics != null) {
            Map<String, Object> d = new LinkedHashMap<>();
            List<Object> dl = new ArrayList<>();
            for (LayerDiagnostics x : diagnostics.layers()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("layer", x.layer());
                e.put("isotropy", num(x.isotropy()));
                e.put("effectiveRank", num(x.effectiveRank()));
                e.put("datasetEntropy", num(x.datasetEntropy()));
                Map<String, Object> sp = new LinkedHashMap<>();
                sp.put("top", numbers(x.spectrum().top()));
                sp.put("total", num(x.spectrum().total()));
                sp.put("topFraction", num(x.spectrum().topFraction()));
                sp.put("numericalRank", x.spectrum().numericalRank());
                sp.put("dimension", x.spectrum().dimension());
                e.put("spectrum", sp);
                dl.add(e);
            }
            d.put("layers", dl);
            List<Object> red = new ArrayList<>();
            for (double[] row : diagnostics.redundancy()) {
                red.add(numbers(row));
            }
            d.put("redundancy", red);
            m.put("diagnostics", d);
        }
        m.put("provenance", provenance == null ? null : provenance.toMap());
        return m;
    }

    private int indexOf(int layer) {
        for (int i = 0; i < selected.length; i++) {
            if (selected[i] == layer) {
                return i;
            }
        }
        return -1;
    }

    private static Object num(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static List<Object> numbers(double[] v) {
        List<Object> out = new ArrayList<>(v.length);
        for (double x : v) {
            out.add(num(x));
        }
        return out;
    }
}
