package org.loes4j.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYShapeAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The charts of every loes4j report (the demo's and {@code loes report}'s), drawn with JFreeChart into PNG
 * bytes (headless: no display is needed). Layer axes are hidden-state indices; the callers say so in the
 * axis label.
 */
public final class Charts {
    /** The colour of selected layers. */
    public static final Color PICK = new Color(0xd6, 0x27, 0x28);
    private static final Color[] PALETTE = {new Color(0x1f, 0x77, 0xb4), new Color(0x2c, 0xa0, 0x2c),
            new Color(0x94, 0x67, 0xbd), new Color(0xff, 0x7f, 0x0e), new Color(0x8c, 0x56, 0x4b),
            new Color(0xe3, 0x77, 0xc2), new Color(0x7f, 0x7f, 0x7f), new Color(0xbc, 0xbd, 0x22),
            new Color(0x17, 0xbe, 0xcf)};
    private static final Color GRID = new Color(0xdd, 0xdd, 0xdd);
    private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
            new float[] {5f, 4f}, 0f);
    private static final BasicStroke DOTTED = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
            new float[] {4f, 4f}, 0f);
    /** Steps of the heatmap's colour scale: enough that neighbouring cells differing by 1/64 still differ. */
    private static final int HEAT_STEPS = 64;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** Colour {@code i} of the palette (cycled), for series that should be told apart (one per input file). */
    public static Color colour(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    /**
     * A curve over layers: {@code values[i]} at hidden-state index {@code layers[i]}; with {@code spread}
     * (may be null) a band of {@code values[i] +- spread[i]} is drawn around it (e.g. the standard deviation of
     * a cross-validated score over folds). Non-finite values are left out.
     */
    public record LayerSeries(String name, int[] layers, double[] values, double[] spread, Color colour) {
        public LayerSeries {
            if (name == null || layers == null || values == null || colour == null) {
                throw new IllegalArgumentException("LayerSeries: null component");
            }
            if (values.length != layers.length || (spread != null && spread.length != layers.length)) {
                throw new IllegalArgumentException("LayerSeries " + name + ": " + layers.length + " layers, "
                        + values.length + " values" + (spread == null ? "" : ", " + spread.length + " spreads"));
            }
            layers = layers.clone();
            values = values.clone();
            spread = spread == null ? null : spread.clone();
        }
    }

    /**
     * One panel of a layer chart, sharing the layer axis with the others.
     *
     * @param axisLabel      what the values are
     * @param series         the curves (one per input file, say)
     * @param reference      a horizontal dotted line (e.g. chance accuracy), NaN for none
     * @param referenceLabel its label
     * @param labelPicks     whether the selection markers of this panel carry their order ({@code #1}, ...); a
     *                       dashed marker (a best layer) is labelled with its name on the first panel
     */
    public record Panel(String axisLabel, List<LayerSeries> series, double reference, String referenceLabel,
                        boolean labelPicks) {
        public Panel {
            if (axisLabel == null || series == null) {
                throw new IllegalArgumentException("Panel: null component");
            }
            series = List.copyOf(series);
        }

        /** A panel without a reference line. */
        public Panel(String axisLabel, List<LayerSeries> series, boolean labelPicks) {
            this(axisLabel, series, Double.NaN, null, labelPicks);
        }
    }

    /**
     * Layers to mark on every panel with a vertical line, in pick order; solid lines for a selection, dashed
     * for a single best layer (e.g. the probe's).
     */
    public record Picks(String name, int[] layers, Color colour, boolean dashed) {
        public Picks {
            if (name == null || layers == null || colour == null) {
                throw new IllegalArgumentException("Picks: null component");
            }
            layers = layers.clone();
        }
    }

    /**
     * Panels of per-layer values stacked on one shared layer axis, with {@code picks} marked on each.
     * A legend is shown when some panel holds more than one curve.
     */
    public static JFreeChart layerChart(String title, String layerAxisLabel, List<Panel> panels, List<Picks> picks) {
        if (panels == null || panels.isEmpty() || picks == null) {
            throw new IllegalArgumentException("layerChart: no panels");
        }
        NumberAxis layerAxis = new NumberAxis(layerAxisLabel);
        layerAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        layerAxis.setAutoRangeIncludesZero(false);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(layerAxis);
        plot.setGap(12);
        boolean legend = false;
        for (int i = 0; i < panels.size(); i++) {
            Panel p = panels.get(i);
            plot.add(panel(p, picks, i == 0), 1);
            legend |= p.series().size() > 1;
        }
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, legend);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static XYPlot panel(Panel p, List<Picks> picks, boolean first) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        DeviationRenderer renderer = new DeviationRenderer(true, true);
        renderer.setAlpha(0.18f);
        for (int s = 0; s < p.series().size(); s++) {
            LayerSeries ls = p.series().get(s);
            YIntervalSeries y = new YIntervalSeries(ls.name());
            for (int i = 0; i < ls.layers().length; i++) {
                double v = ls.values()[i];
                if (!Double.isFinite(v)) {
                    continue;
                }
                double d = ls.spread() == null || !Double.isFinite(ls.spread()[i]) ? 0 : Math.abs(ls.spread()[i]);
                y.add(ls.layers()[i], v, v - d, v + d);
            }
            data.addSeries(y);
            renderer.setSeriesPaint(s, ls.colour());
            renderer.setSeriesFillPaint(s, ls.colour());
            renderer.setSeriesStroke(s, new BasicStroke(2f));
        }
        NumberAxis range = new NumberAxis(p.axisLabel());
        range.setAutoRangeIncludesZero(false);
        range.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        XYPlot plot = new XYPlot(data, null, range, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        if (Double.isFinite(p.reference())) {
            ValueMarker ref = new ValueMarker(p.reference(), Color.GRAY, DOTTED);
            if (p.referenceLabel() != null) {
                ref.setLabel(p.referenceLabel());
                ref.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
                ref.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
            }
            plot.addRangeMarker(ref);
        }
        for (Picks pk : picks) {
            for (int k = 0; k < pk.layers().length; k++) {
                ValueMarker m = new ValueMarker(pk.layers()[k], pk.colour(), pk.dashed() ? DASHED : new BasicStroke(2f));
                m.setAlpha(0.6f);
                if (pk.dashed() ? first : p.labelPicks()) {
                    m.setLabel(pk.dashed() ? pk.name() : "#" + (k + 1));
                    m.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
                    m.setLabelPaint(pk.colour());
                    m.setLabelAnchor(pk.dashed() ? RectangleAnchor.BOTTOM_RIGHT : RectangleAnchor.TOP_RIGHT);
                    m.setLabelTextAnchor(pk.dashed() ? TextAnchor.BOTTOM_LEFT : TextAnchor.TOP_LEFT);
                }
                plot.addDomainMarker(m);
            }
        }
        return plot;
    }

    /**
     * A group of bars: {@code values[i]} for category {@code i}, with {@code errors[i]} (may be null) drawn as a
     * symmetric error bar.
     */
    public record BarSeries(String name, double[] values, double[] errors, Color colour) {
        public BarSeries {
            if (name == null || values == null || colour == null) {
                throw new IllegalArgumentException("BarSeries: null component");
            }
            if (errors != null && errors.length != values.length) {
                throw new IllegalArgumentException("BarSeries " + name + ": " + values.length + " values, "
                        + errors.length + " errors");
            }
            values = values.clone();
            errors = errors == null ? null : errors.clone();
        }
    }

    /**
     * Grouped vertical bars with their values printed; error bars where a series has them.
     *
     * @param lower     lower end of the value axis, NaN for automatic (then the range includes 0)
     * @param upper     upper end, NaN for automatic
     * @param reference a horizontal dotted line (chance level), NaN for none
     */
    public static JFreeChart barChart(String title, String valueLabel, List<String> categories, List<BarSeries> series,
                                      double lower, double upper, double reference) {
        if (categories == null || series == null || series.isEmpty()) {
            throw new IllegalArgumentException("barChart: no series");
        }
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        boolean errors = false;
        for (BarSeries s : series) {
            if (s.values().length != categories.size()) {
                throw new IllegalArgumentException("barChart: " + categories.size() + " categories, series " + s.name()
                        + " has " + s.values().length + " values");
            }
            for (int i = 0; i < categories.size(); i++) {
                double e = s.errors() == null || !Double.isFinite(s.errors()[i]) ? 0.0 : s.errors()[i];
                errors |= e != 0;
                data.add(Double.isFinite(s.values()[i]) ? Double.valueOf(s.values()[i]) : null, Double.valueOf(e), s.name(),
                        categories.get(i));
            }
        }
        CategoryAxis x = new CategoryAxis(null);
        if (categories.size() > 5) {
            x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        NumberAxis y = new NumberAxis(valueLabel);
        if (Double.isFinite(lower) && Double.isFinite(upper)) {
            y.setRange(lower, upper);
        }
        BarRenderer br;
        if (errors) {
            StatisticalBarRenderer sbr = new StatisticalBarRenderer();
            sbr.setErrorIndicatorPaint(Color.DARK_GRAY);
            br = sbr;
        } else {
            br = new BarRenderer();
        }
        br.setDrawBarOutline(false);
        br.setBarPainter(new StandardBarPainter());
        br.setShadowVisible(false);
        for (int i = 0; i < series.size(); i++) {
            br.setSeriesPaint(i, series.get(i).colour());
        }
        br.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}",
                new DecimalFormat("0.000", DecimalFormatSymbols.getInstance(Locale.ROOT))));
        br.setDefaultItemLabelsVisible(true);
        CategoryPlot plot = new CategoryPlot(data, x, y, br);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(GRID);
        if (Double.isFinite(reference)) {
            plot.addRangeMarker(new ValueMarker(reference, Color.GRAY, DOTTED));
        }
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, series.size() > 1);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** A curve of {@code y} against {@code x}; points with a non-finite value are left out. */
    public record Curve(String name, double[] x, double[] y, Color colour) {
        public Curve {
            if (name == null || x == null || y == null || colour == null || x.length != y.length) {
                throw new IllegalArgumentException("Curve: null component or x and y of different lengths");
            }
            x = x.clone();
            y = y.clone();
        }
    }

    /** Curves on shared axes, the value axis logarithmic when {@code logY} (points <= 0 are then left out). */
    public static JFreeChart lineChart(String title, String xLabel, String yLabel, List<Curve> curves, boolean logY) {
        if (curves == null || curves.isEmpty()) {
            throw new IllegalArgumentException("lineChart: no curves");
        }
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int c = 0; c < curves.size(); c++) {
            Curve cv = curves.get(c);
            XYSeries s = new XYSeries(cv.name(), false, true);
            for (int i = 0; i < cv.x().length; i++) {
                double y = cv.y()[i];
                if (Double.isFinite(cv.x()[i]) && Double.isFinite(y) && (!logY || y > 0)) {
                    s.add(cv.x()[i], y);
                }
            }
            data.addSeries(s);
            renderer.setSeriesPaint(c, cv.colour());
            renderer.setSeriesStroke(c, new BasicStroke(2f));
        }
        NumberAxis x = new NumberAxis(xLabel);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setAutoRangeIncludesZero(false);
        ValueAxis y;
        if (logY) {
            LogAxis la = new LogAxis(yLabel);
            la.setBase(10);
            la.setSmallestValue(1e-12);
            // Plain numbers (0.25, 0.0398) rather than the default 10^-0.6: the ticks fall between powers of ten
            // when the values span less than a decade.
            la.setNumberFormatOverride(new DecimalFormat("0.####", DecimalFormatSymbols.getInstance(Locale.ROOT)));
            y = la;
        } else {
            NumberAxis na = new NumberAxis(yLabel);
            na.setAutoRangeIncludesZero(false);
            y = na;
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /**
     * A square matrix over layers as coloured cells (white = the lowest value, dark blue = the highest), row
     * {@code i} and column {@code j} being {@code layers[i]} and {@code layers[j]}, rows top to bottom; the
     * diagonal cells of {@code picks} are outlined in red with their pick order. Non-finite cells stay blank.
     */
    public static JFreeChart heatmap(String title, int[] layers, double[][] values, int[] picks, String valueLabel) {
        int n = layers == null ? 0 : layers.length;
        if (n == 0 || values == null || values.length != n) {
            throw new IllegalArgumentException("heatmap: " + n + " layers, " + (values == null ? 0 : values.length)
                    + " rows");
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        int finite = 0;
        for (double[] row : values) {
            if (row == null || row.length != n) {
                throw new IllegalArgumentException("heatmap: a row of " + (row == null ? 0 : row.length)
                        + " values, expected " + n);
            }
            for (double v : row) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                    finite++;
                }
            }
        }
        if (finite == 0) {
            lo = 0;
            hi = 1;
        }
        if (hi <= lo) {
            hi = lo + 1;
        }
        double[] xs = new double[finite];
        double[] ys = new double[finite];
        double[] zs = new double[finite];
        int c = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (Double.isFinite(values[i][j])) {
                    xs[c] = j;
                    ys[c] = i;
                    zs[c] = values[i][j];
                    c++;
                }
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries(valueLabel, new double[][] {xs, ys, zs});
        LookupPaintScale scale = new LookupPaintScale(lo, hi + (hi - lo) * 1e-9, Color.WHITE);
        for (int s = 0; s < HEAT_STEPS; s++) {
            double t = s / (double) (HEAT_STEPS - 1);
            scale.add(lo + (hi - lo) * s / HEAT_STEPS, new Color(blend(255, 0x08, t), blend(255, 0x30, t),
                    blend(255, 0x6b, t)));
        }
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(scale);
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = Integer.toString(layers[i]);
        }
        SymbolAxis x = new SymbolAxis("hidden-state index", names);
        SymbolAxis y = new SymbolAxis("hidden-state index", names);
        y.setInverted(true);
        for (SymbolAxis a : new SymbolAxis[] {x, y}) {
            a.setGridBandsVisible(false);
            a.setLowerMargin(0);
            a.setUpperMargin(0);
            a.setRange(-0.5, n - 0.5);
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        if (picks != null) {
            for (int k = 0; k < picks.length; k++) {
                int i = indexOf(layers, picks[k]);
                if (i < 0) {
                    continue;
                }
                plot.addAnnotation(new XYShapeAnnotation(new Rectangle2D.Double(i - 0.5, i - 0.5, 1, 1),
                        new BasicStroke(2.5f), PICK));
                XYTextAnnotation t = new XYTextAnnotation("#" + (k + 1), i, i);
                t.setFont(new Font(Font.SANS_SERIF, Font.BOLD, n > 20 ? 9 : 12));
                t.setPaint(PICK);
                plot.addAnnotation(t);
            }
        }
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, false);
        NumberAxis legendAxis = new NumberAxis(valueLabel);
        legendAxis.setRange(lo, hi);
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 40, 4);
        legend.setStripWidth(14);
        chart.addSubtitle(legend);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static int blend(int from, int to, double t) {
        return (int) Math.round(from + (to - from) * t);
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
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
