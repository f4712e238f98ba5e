package org.loes4j.bench.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.SegmentMatrix;
import org.loes4j.linalg.concurrent.LinalgExecutor;
import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyArray;
import org.loes4j.selection.data.SyntheticEmbeddings;
import org.loes4j.training.EpochReport;
import org.loes4j.training.ProgressListener;
import org.loes4j.training.Trainer;
import org.loes4j.training.TrainingConfig;
import org.loes4j.training.TrainingResult;
import org.loes4j.training.geo.GeoReg;
import org.loes4j.training.geo.GeoRegResult;
import org.loes4j.training.model.ModelShape;
import org.loes4j.training.model.ProbeNetwork;

/**
 * Adapter training end to end (issue 4's targets): the paper's text preset ({@link TrainingConfig#text()}:
 * adapters p = 256, AdamW, cosine schedule, dropout 0.2) for {@code --epochs} epochs on N = {@code --rows}
 * training samples of k = {@code --layers} layers of width d, C classes, batch {@code --batch}, with a
 * validation pass of {@code --val-rows} samples after every epoch; run once without and once with GeoReg
 * (w = {@link GeoReg#DEFAULT_WEIGHT}) after one untimed warm-up epoch on a subset. The thread count is
 * loes4j's ({@code -Dloes4j.threads}).
 *
 * <p>GeoReg alone: on real fused batches (the adapters' output F, B x k p, of a freshly initialised network on
 * the same data) the closed form ({@link GeoReg#evaluate}: value, triangle and gradient, no
 * eigen-decomposition) is timed against the eigenvalue route of spec section 4 taken literally (jittered
 * unbiased covariance, D x D, its eigenvalues through {@link Linalg#eigenvalues}, clamp, unbiased variance:
 * the isotropy value only, no gradient), and the two isotropy values are compared.
 *
 * <p>Inputs are {@link SyntheticEmbeddings} (rows + val-rows samples, L = k) written to {@code --work} (default
 * a temporary directory that is deleted) and memory-mapped, as the CLI reads them.
 */
public final class TrainingE2E {
    private TrainingE2E() {
    }

    public static void main(String[] args) throws Exception {
        Args a = new Args(args, SelectionE2E.withCommon("rows", "val-rows", "layers", "dim", "classes", "epochs",
                "batch", "repeats", "geo-batches", "eigen-batches", "seed", "work"));
        Report report = new Report("training", "End-to-end: probe training with and without GeoReg", a,
                TrainingE2E.class.getName(), args);
        int rows = a.getInt("rows", 10_000);
        int valRows = a.getInt("val-rows", 2_000);
        int layers = a.getInt("layers", 4);
        int dim = a.getInt("dim", 384);
        int classes = a.getInt("classes", 10);
        int epochs = a.getInt("epochs", 15);
        int batch = a.getInt("batch", 128);
        int repeats = a.getInt("repeats", 2);
        int geoBatches = a.getInt("geo-batches", 20);
        int eigenBatches = a.getInt("eigen-batches", 3);
        long seed = a.getInt("seed", 42);
        if (repeats < 1) {
            throw new IllegalArgumentException("--repeats: " + repeats + " must be >= 1");
        }
        if (geoBatches < 1 || eigenBatches < 1 || eigenBatches > geoBatches) {
            throw new IllegalArgumentException("--geo-batches " + geoBatches + ", --eigen-batches " + eigenBatches
                    + ": need 1 <= eigen-batches <= geo-batches");
        }
        boolean tempWork = !a.has("work");
        Path work = tempWork ? Files.createTempDirectory("loes4j-e2e-training") : Path.of(a.get("work", null));
        Files.createDirectories(work);
        try {
            Path emb = work.resolve("train-emb.npy");
            Path lab = work.resolve("train-labels.npy");
            new SyntheticEmbeddings(rows + valRows, layers, dim, classes, seed).write(emb, lab);
            try (NpyArray array = Npy.map(emb); NpyArray labels = Npy.map(lab)) {
                run(report, array, labels, rows, valRows, layers, dim, classes, epochs, batch, repeats, geoBatches,
                        eigenBatches, seed);
            }
        } finally {
            if (tempWork) {
                SelectionE2E.deleteTree(work);
            }
        }
        Path[] files = report.write();
        System.out.print(report.markdown());
        System.out.println("training: wrote " + files[0] + " and " + files[1]);
    }

    private static void run(Report report, NpyArray array, NpyArray labels, int rows, int valRows, int layers, int dim,
                            int classes, int epochs, int batch, int repeats, int geoBatches, int eigenBatches,
                            long seed) {
        List<SegmentMatrix> views = new ArrayList<>();
        for (int l = 0; l < array.layers(); l++) {
            views.add(array.layer(l));
        }
        LayeredEmbeddings all = LayeredEmbeddings.ofMatrices(views);
        long[] y = labels.toLongArray();
        int[] trainIds = range(0, rows);
        int[] valIds = range(rows, rows + valRows);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("class" + c);
        }
        LayeredEmbeddings train = all.rows(trainIds);
        LayeredEmbeddings val = valRows > 0 ? all.rows(valIds) : null;
        Labels trainY = Labels.ofCodes(pick(y, trainIds), names);
        Labels valY = valRows > 0 ? Labels.ofCodes(pick(y, valIds), names) : null;
        int[] chosen = range(0, layers);
        TrainingConfig base = TrainingConfig.text().withEpochs(epochs).withBatchSize(batch).withSeed(seed);

        // JIT warm-up, untimed: one epoch on a subset with and without GeoReg, validation included.
        int warmRows = Math.min(rows, 4 * batch);
        int warmVal = Math.min(valRows, batch);
        for (double w : new double[] {0.0, GeoReg.DEFAULT_WEIGHT}) {
            new Trainer(base.withEpochs(1).withGeoRegWeight(w)).train(train.rows(range(0, warmRows)),
                    trainY.rows(range(0, warmRows)), warmVal > 0 ? val.rows(range(0, warmVal)) : null,
                    warmVal > 0 ? valY.rows(range(0, warmVal)) : null, chosen, "mean", ProgressListener.NONE);
        }

        // Alternating order (without, with, with, without, ...): a drift over the run (JIT, page cache, other
        // load) then shows in both variants instead of favouring the one that runs second.
        List<Map<String, Object>> withoutRuns = new ArrayList<>();
        List<Map<String, Object>> withRuns = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            for (int v = 0; v < 2; v++) {
                boolean geoOn = (v == 1) == (r % 2 == 0);
                if (geoOn) {
                    withRuns.add(train(base.withGeoRegWeight(GeoReg.DEFAULT_WEIGHT), train, trainY, val, valY, chosen,
                            "with GeoReg"));
                } else {
                    withoutRuns.add(train(base, train, trainY, val, valY, chosen, "without GeoReg"));
                }
            }
        }
        Map<String, Object> without = summarize("without GeoReg", withoutRuns);
        Map<String, Object> with = summarize("with GeoReg", withRuns);
        Map<String, Object> geo = geoRegAlone(train, trainY, layers, dim, classes, batch, base.adapterDim(), geoBatches,
                eigenBatches, seed);

        report.put("rows", rows);
        report.put("validationRows", valRows);
        report.put("layers", layers);
        report.put("dim", dim);
        report.put("classes", classes);
        report.put("epochs", epochs);
        report.put("batch", batch);
        report.put("repeats", repeats);
        report.put("seed", seed);
        report.put("threads", LinalgExecutor.threads());
        report.put("config", base.toMap());
        report.put("withoutGeoReg", without);
        report.put("withGeoReg", with);
        report.put("geoRegAlone", geo);

        report.paragraph(Report.f("Workload: `TrainingConfig.text()` (adapters p = %d, AdamW, cosine schedule, dropout "
                        + "%.1f), %d epochs, N = %d training samples of k = %d layers, d = %d, C = %d, batch %d, "
                        + "%d validation samples scored after every epoch; `SyntheticEmbeddings` seed %d, memory-mapped "
                        + "float32; loes4j threads %d. An untimed warm-up epoch on %d samples (with and without GeoReg) precedes the runs; "
                        + "each variant then trains %d times in alternating order (without, with, with, without, ...) "
                        + "and every column is the median over its runs. Total = `Trainer.train` wall time; epoch = "
                        + "`EpochReport.seconds` (training steps + validation); step time = the trainer's own sum over "
                        + "optimiser steps (forward, backward, update).",
                base.adapterDim(), base.dropout(), epochs, rows, layers, dim, classes, batch, valRows, seed,
                LinalgExecutor.threads(), warmRows, repeats));
        List<List<String>> t = new ArrayList<>();
        for (Map<String, Object> r : List.of(without, with)) {
            double steps = ((Number) r.get("steps")).doubleValue();
            t.add(List.of((String) r.get("name"), Report.f("%.2f", (Double) r.get("totalSeconds")),
                    Report.f("%.3f", (Double) r.get("epochMedianSeconds")),
                    Report.f("%.2f", 1e3 * (Double) r.get("stepSeconds") / steps),
                    Report.f("%.3f", 1e3 * (Double) r.get("geoRegSeconds") / steps),
                    Report.f("%.1f%%", 100 * (Double) r.get("geoRegSeconds") / (Double) r.get("stepSeconds")),
                    Report.f("%.4f", (Double) r.get("finalValidationAccuracy"))));
        }
        report.table(List.of("run", "total s", "epoch s (median)", "ms per step", "GeoReg ms per step",
                "GeoReg share of step time", "validation accuracy (last epoch)"), t);
        double stepWithout = (Double) without.get("stepSeconds") / ((Number) without.get("steps")).doubleValue();
        double stepWith = (Double) with.get("stepSeconds") / ((Number) with.get("steps")).doubleValue();
        report.paragraph(Report.f("Step time with GeoReg / without: %.3f (%.2f ms vs %.2f ms per step).",
                stepWith / stepWithout, 1e3 * stepWith, 1e3 * stepWithout));

        report.paragraph(Report.f("GeoReg alone on %d fused batches F (%d x %d, the adapters' output of a freshly "
                        + "initialised network on the training data): closed form = `GeoReg.evaluate` (isotropy + "
                        + "triangle, value and gradient); eigenvalue route = spec section 4 literally (jittered unbiased "
                        + "%d x %d covariance, `Linalg.eigenvalues`, clamp at 1e-6, unbiased variance; isotropy value "
                        + "only, no gradient) on the first %d of those batches. Agreement = max over batches of "
                        + "|iso_closed - iso_eig| / |iso_eig|.", geoBatches, batch, layers * base.adapterDim(),
                layers * base.adapterDim(), layers * base.adapterDim(), eigenBatches));
        report.table(List.of("route", "ms per batch (median)", "batches", "vs closed form"), List.of(
                List.of("closed form (value + gradient)", Report.f("%.3f", (Double) geo.get("closedFormMedianMs")),
                        String.valueOf(geoBatches), "1"),
                List.of("eigenvalue route (value only)", Report.f("%.1f", (Double) geo.get("eigenRouteMedianMs")),
                        String.valueOf(eigenBatches),
                        Report.f("%.0fx slower", (Double) geo.get("eigenRouteMedianMs") / (Double) geo.get("closedFormMedianMs")))));
        report.paragraph(Report.f("Isotropy-loss agreement (max relative difference): %.2e; isotropy loss on the "
                + "first batch: closed form %.10e, eigenvalue route %.10e.", (Double) geo.get("maxRelativeDifference"),
                (Double) geo.get("firstClosedForm"), (Double) geo.get("firstEigenRoute")));
    }

    private static Map<String, Object> train(TrainingConfig config, LayeredEmbeddings train, Labels trainY,
                                             LayeredEmbeddings val, Labels valY, int[] chosen, String name) {
        long t0 = System.nanoTime();
        TrainingResult r = new Trainer(config).train(train, trainY, val, valY, chosen, "mean", ProgressListener.NONE);
        double total = (System.nanoTime() - t0) / 1e9;
        if (r.nonFinite().isPresent()) {
            throw new IllegalStateException(name + ": training stopped on a non-finite loss: " + r.nonFinite().get());
        }
        double[] epochSeconds = new double[r.epochs().size()];
        double lastMetric = Double.NaN;
        for (int i = 0; i < epochSeconds.length; i++) {
            EpochReport e = r.epochs().get(i);
            epochSeconds[i] = e.seconds();
            lastMetric = e.validationMetric();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("geoRegWeight", config.geoRegWeight());
        m.put("totalSeconds", total);
        m.put("epochSeconds", Report.list(epochSeconds));
        m.put("epochMedianSeconds", Report.median(epochSeconds));
        m.put("stepSeconds", r.stepSeconds());
        m.put("geoRegSeconds", r.geoRegSeconds());
        m.put("steps", r.steps());
        m.put("finalValidationAccuracy", lastMetric);
        System.out.println(Report.f("training: %s: %.2f s total, %d steps, %.2f s in steps, %.3f s in GeoReg", name, total,
                r.steps(), r.stepSeconds(), r.geoRegSeconds()));
        return m;
    }

    /** Medians over the runs of one variant (all runs kept under {@code runs}). */
    private static Map<String, Object> summarize(String name, List<Map<String, Object>> runs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        for (String key : List.of("totalSeconds", "epochMedianSeconds", "stepSeconds", "geoRegSeconds")) {
            double[] v = new double[runs.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (Double) runs.get(i).get(key);
            }
            m.put(key, Report.median(v));
        }
        m.put("steps", runs.getFirst().get("steps"));
        m.put("finalValidationAccuracy", runs.getLast().get("finalValidationAccuracy"));
        m.put("runs", runs);
        return m;
    }

    private static Map<String, Object> geoRegAlone(LayeredEmbeddings train, Labels trainY, int layers, int dim, int classes,
                                                   int batch, int adapterDim, int geoBatches, int eigenBatches, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        ProbeNetwork net = ProbeNetwork.create(new ModelShape(TrainingConfig.text().architecture(), layers, dim,
                adapterDim, classes, 0.2), rng.split());
        int n = train.rows();
        int b = Math.min(batch, n);
        GeoReg geo = new GeoReg(GeoReg.DEFAULT_WEIGHT);
        double[] closed = new double[geoBatches];
        double[] eigen = new double[eigenBatches];
        double maxRel = 0;
        double firstClosed = Double.NaN;
        double firstEigen = Double.NaN;
        int[] all = range(0, n);
        int[] classOf = trainY.codes();
        for (int i = 0; i < geoBatches; i++) {
            int from = (int) ((long) i * b % Math.max(1, n - b + 1));
            List<DMatrix> inputs = new ArrayList<>();
            for (int l = 0; l < layers; l++) {
                DMatrix x = DMatrix.zeros(b, dim);
                train.gather(l, all, from, b, x);
                inputs.add(x);
            }
            net.forward(inputs, null);
            DMatrix fused = net.fused().copy();
            int[] yb = new int[b];
            System.arraycopy(classOf, from, yb, 0, b);
            if (i == 0) { // untimed warm-up of both routes
                geo.evaluate(fused, yb, new SplittableRandom(seed));
                isoLossByEigenvalues(fused);
            }
            long t0 = System.nanoTime();
            GeoRegResult r = geo.evaluate(fused, yb, new SplittableRandom(seed + i));
            closed[i] = (System.nanoTime() - t0) / 1e6;
            if (i < eigenBatches) {
                long t1 = System.nanoTime();
                double iso = isoLossByEigenvalues(fused);
                eigen[i] = (System.nanoTime() - t1) / 1e6;
                maxRel = Math.max(maxRel, Math.abs(r.isotropyLoss() - iso) / Math.abs(iso));
                if (i == 0) {
                    firstClosed = r.isotropyLoss();
                    firstEigen = iso;
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch", b);
        m.put("fusedDim", layers * adapterDim);
        m.put("closedFormMs", Report.list(closed));
        m.put("closedFormMedianMs", Report.median(closed));
        m.put("eigenRouteMs", Report.list(eigen));
        m.put("eigenRouteMedianMs", Report.median(eigen));
        m.put("maxRelativeDifference", maxRel);
        m.put("firstClosedForm", firstClosed);
        m.put("firstEigenRoute", firstEigen);
        System.out.println(Report.f("training: GeoReg alone: closed form %.3f ms, eigenvalue route %.1f ms, max rel diff %.2e",
                Report.median(closed), Report.median(eigen), maxRel));
        return m;
    }

    /**
     * Spec section 4's isotropy loss taken literally: the eigenvalues of the jittered unbiased covariance
     * {@code Fc^T Fc / (B - 1) + 1e-4 I} (D x D), clamped at 1e-6, and their unbiased variance.
     */
    static double isoLossByEigenvalues(DMatrix fused) {
        Linalg linalg = Linalg.get();
        DMatrix sigma = linalg.covariance(fused, true);
        for (int i = 0; i < sigma.rows(); i++) {
            sigma.set(i, i, sigma.get(i, i) + GeoReg.COVARIANCE_JITTER);
        }
        double[] e = linalg.eigenvalues(sigma);
        double mean = 0;
        for (int i = 0; i < e.length; i++) {
            e[i] = Math.max(e[i], 1e-6);
            mean += e[i];
        }
        mean /= e.length;
        double var = 0;
        for (double v : e) {
            var += (v - mean) * (v - mean);
        }
        return var / (e.length - 1);
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    private static int[] pick(long[] y, int[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(y[ids[i]]);
        }
        return out;
    }
}
