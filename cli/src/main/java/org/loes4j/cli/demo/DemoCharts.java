package org.loes4j.cli.demo;

import java.util.ArrayList;
import java.util.List;

import org.jfree.chart.JFreeChart;
import org.loes4j.cli.report.Charts;

/**
 * The demo's two charts: its numbers handed to the shared report charts ({@link Charts}), which
 * {@code loes report} draws too.
 */
public final class DemoCharts {
    private DemoCharts() {
    }

    /**
     * Score0, isotropy and single-layer probe accuracy against depth, one panel each on a shared layer axis;
     * a vertical red line marks each selected layer, labelled with its pick order.
     */
    public static JFreeChart layerChart(DemoReport r) {
        int[] l = r.layers();
        double chance = r.classes().isEmpty() ? Double.NaN : 1.0 / r.classes().size();
        List<Charts.Panel> panels = List.of(
                new Charts.Panel("score0 (lower is picked first)",
                        List.of(new Charts.LayerSeries("score0", l, r.score0(), null, Charts.colour(0))), true),
                new Charts.Panel("isotropy",
                        List.of(new Charts.LayerSeries("isotropy", l, r.isotropy(), null, Charts.colour(1))), false),
                new Charts.Panel("single-layer probe accuracy",
                        List.of(new Charts.LayerSeries("probe accuracy", l, r.probeAccuracy(), null, Charts.colour(2))),
                        chance, "chance", false));
        return Charts.layerChart("Layers across depth (red: selected by LOES, with pick order)",
                r.layerAxis(), panels,
                List.of(new Charts.Picks("LOES", r.selected(), Charts.PICK, false)));
    }

    /**
     * Test accuracy and macro-F1 of every method as grouped bars with their values printed; with several
     * seeds the bars are means with +- one standard deviation error bars.
     */
    public static JFreeChart methodChart(DemoReport r) {
        boolean multi = r.multiSeed();
        int n = r.methods().size();
        List<String> labels = new ArrayList<>(n);
        double[] acc = new double[n];
        double[] accSd = new double[n];
        double[] f1 = new double[n];
        double[] f1Sd = new double[n];
        for (int i = 0; i < n; i++) {
            DemoReport.MethodResult m = r.methods().get(i);
            labels.add(m.name() + " " + m.layerList());
            acc[i] = m.accuracy();
            accSd[i] = m.accuracyStd();
            f1[i] = m.macroF1();
            f1Sd[i] = m.macroF1Std();
        }
        String title = "Test accuracy and macro-F1 by method"
                + (multi ? " (mean +- std over " + r.methods().getFirst().runs() + " seeds)" : "");
        return Charts.barChart(title, "score", labels,
                List.of(new Charts.BarSeries("accuracy", acc, multi ? accSd : null, Charts.colour(0)),
                        new Charts.BarSeries("macro-F1", f1, multi ? f1Sd : null, Charts.colour(3))),
                0, 1.05, r.classes().isEmpty() ? Double.NaN : 1.0 / r.classes().size());
    }
}
