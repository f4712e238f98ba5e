package org.loes4j.cli.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The demo's charts, drawn with JFreeChart into PNG bytes (headless: no display is needed).
 */
public final class DemoCharts {
    private static final Color SELECTED = new Color(0xd6, 0x27, 0x28);
    private static final Color[] SERIES = {new Color(0x1f, 0x77, 0xb4), new Color(0x2c, 0xa0, 0x2c),
            new Color(0x94, 0x67, 0xbd)};
    private static final Color[] BARS = {new Color(0x1f, 0x77, 0xb4), new Color(0xff, 0x7f, 0x0e)};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private DemoCharts() {
    }

    /**
     * Score0, isotropy and single-layer probe accuracy against depth, one panel each on a shared layer axis;
     * a vertical red line marks each selected layer, labelled with its pick order.
     */
    public static JFreeChart layerChart(DemoReport r) {
        NumberAxis layerAxis = new NumberAxis("hidden-state index (1 = first transformer block = the paper's layer 0)");
        layerAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        layerAxis.setAutoRangeIncludesZero(false);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(layerAxis);
        plot.setGap(12);
        plot.add(panel(r, "score0 (lower is picked first)", r.score0(), 0, true), 1);
        plot.add(panel(r, "isotropy", r.isotropy(), 1, false), 1);
        XYPlot probe = panel(r, "single-layer probe accuracy", r.probeAccuracy(), 2, false);
        if (!r.classes().isEmpty()) {
            ValueMarker chance = new ValueMarker(1.0 / r.classes().size(), Color.GRAY,
                    new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
            chance.setLabel("chance");
            chance.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
            chance.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
            probe.addRangeMarker(chance);
        }
        plot.add(probe, 1);
        JFreeChart chart = new JFreeChart("Layers across depth (red: selected by LOES, with pick order)",
                new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static XYPlot panel(DemoReport r, String name, double[] values, int colour, boolean labelPicks) {
        XYSeries s = new XYSeries(name);
        for (int i = 0; i < r.layers().length; i++) {
            if (Double.isFinite(values[i])) {
                s.add(r.layers()[i], values[i]);
            }
        }
        NumberAxis range = new NumberAxis(name);
        range.setAutoRangeIncludesZero(false);
        range.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, SERIES[colour % SERIES.length]);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        XYPlot p = new XYPlot(new XYSeriesCollection(s), null, range, renderer);
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        p.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        int[] sel = r.selected();
        for (int k = 0; k < sel.length; k++) {
            ValueMarker m = new ValueMarker(sel[k], SELECTED, new BasicStroke(2f));
            m.setAlpha(0.6f);
            if (labelPicks) {
                m.setLabel("#" + (k + 1));
                m.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
                m.setLabelPaint(SELECTED);
                m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
                m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            }
            p.addDomainMarker(m);
        }
        return p;
    }

    /**
     * Test accuracy and macro-F1 of every method as grouped bars with their values printed; with several
     * seeds the bars are means with +- one standard deviation error bars.
     */
    public static JFreeChart methodChart(DemoReport r) {
        boolean multi = r.multiSeed();
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        for (DemoReport.MethodResult m : r.methods()) {
            String label = m.name() + " " + m.layerList();
            data.add(m.accuracy(), Double.isFinite(m.accuracyStd()) ? m.accuracyStd() : 0.0, "accuracy", label);
            data.add(m.macroF1(), Double.isFinite(m.macroF1Std()) ? m.macroF1Std() : 0.0, "macro-F1", label);
        }
        String title = "Test accuracy and macro-F1 by method"
                + (multi ? " (mean +- std over " + r.methods().getFirst().runs() + " seeds)" : "");
        JFreeChart chart = ChartFactory.createBarChart(title, null, "score", data, PlotOrientation.VERTICAL, true,
                false, false);
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        NumberAxis y = (NumberAxis) plot.getRangeAxis();
        y.setRange(0, 1.05);
        BarRenderer br;
        if (multi) {
            StatisticalBarRenderer sbr = new StatisticalBarRenderer();
            sbr.setErrorIndicatorPaint(Color.DARK_GRAY);
            br = sbr;
        } else {
            br = new BarRenderer();
        }
        br.setDrawBarOutline(false);
        plot.setRenderer(br);
        br.setBarPainter(new StandardBarPainter());
        br.setShadowVisible(false);
        for (int i = 0; i < BARS.length; i++) {
            br.setSeriesPaint(i, BARS[i]);
        }
        br.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}",
                new DecimalFormat("0.000", DecimalFormatSymbols.getInstance(Locale.ROOT))));
        br.setDefaultItemLabelsVisible(true);
        if (!r.classes().isEmpty()) {
            plot.addRangeMarker(new ValueMarker(1.0 / r.classes().size(), Color.GRAY, new BasicStroke(1f,
                    BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f)));
        }
        return chart;
    }

    /** The chart as PNG bytes of {@code width x height} pixels. */
    public static byte[] png(JFreeChart chart, int width, int height) throws IOException {
        if (chart == null || width < 1 || height < 1) {
            throw new IllegalArgumentException("chart " + chart + ", size " + width + " x " + height);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(out, chart, width, height);
        return out.toByteArray();
    }
}
