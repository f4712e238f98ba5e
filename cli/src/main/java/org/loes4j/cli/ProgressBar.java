package org.loes4j.cli;

import java.io.PrintWriter;
import java.util.Locale;

import org.loes4j.training.EpochReport;
import org.loes4j.training.ProgressListener;

/**
 * The training progress line on stderr: {@code epoch 3/15 [######----] step 40/79 loss 0.8123 val
 * accuracy 0.9120 ETA 1m23s}, redrawn in place at most every 200 ms, plus one line per finished epoch.
 */
final class ProgressBar implements ProgressListener {
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int WIDTH = 20;

    private final PrintWriter err;
    private long lastDraw;
    private String lastMetric = "";
    private int drawnLength;

    ProgressBar(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void onStep(StepProgress p) {
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS && p.step() != p.stepsPerEpoch()) {
            return;
        }
        lastDraw = now;
        int filled = (int) ((long) WIDTH * p.step() / p.stepsPerEpoch());
        double eta = p.elapsedSeconds() / p.globalStep() * (p.totalSteps() - p.globalStep());
        String line = String.format(Locale.ROOT, "epoch %d/%d [%s%s] step %d/%d loss %.4f%s ETA %s", p.epoch(),
                p.epochs(), "#".repeat(filled), "-".repeat(WIDTH - filled), p.step(), p.stepsPerEpoch(), p.loss(),
                lastMetric, ProgressText.duration(eta));
        draw(line);
    }

    @Override
    public void onEpoch(EpochReport r) {
        lastMetric = Double.isNaN(r.validationMetric()) ? ""
                : String.format(Locale.ROOT, " val %s %.4f", r.metricName(), r.validationMetric());
        draw(String.format(Locale.ROOT, "epoch %d: loss %.4f%s%s (%.1f s)", r.epoch(), r.trainLoss(), lastMetric,
                r.best() ? " best" : "", r.seconds()));
        err.println();
        drawnLength = 0;
        err.flush();
    }

    private void draw(String line) {
        String pad = line.length() < drawnLength ? " ".repeat(drawnLength - line.length()) : "";
        err.print("\r" + line + pad);
        err.flush();
        drawnLength = line.length();
    }
}
