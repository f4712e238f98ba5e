package org.loes4j.selection;

import java.util.ArrayList;
import java.util.List;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.Transpose;
import org.loes4j.selection.metrics.EffectiveRank;
import org.loes4j.selection.metrics.MatrixEntropy;
import org.loes4j.selection.metrics.SpectrumSummary;

/**
 * The layer diagnostics of a LOES run (spec section 6), from the Grams the run already holds: per layer the
 * isotropy, the effective rank and spectrum of {@code S = XcT Xc / N} (d_l dimensions), the dataset entropy,
 * and the pairwise raw-feature redundancy matrix (layers in position order; layers of any widths).
 */
final class LoesDiagnostics {
    private LoesDiagnostics() {
    }

    static SelectionResult.Diagnostics of(Linalg linalg, LayerGeometry geometry) {
        int n = geometry.n;
        int count = geometry.count;
        List<SelectionResult.LayerDiagnostics> out = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            double[] e = linalg.eigenvalues(geometry.gram(p));
            double[] s = new double[e.length];
            for (int i = 0; i < e.length; i++) {
                s[i] = e[i] / n;
            }
            int d = geometry.width(p);
            double entropy = n >= 2 && d >= 2 ? MatrixEntropy.dataset(linalg, geometry.loadRaw(p), true) : Double.NaN;
            out.add(new SelectionResult.LayerDiagnostics(geometry.layerIndex(p), geometry.isotropy(p),
                    EffectiveRank.ofGramEigenvalues(e), entropy, SpectrumSummary.of(s, d)));
        }
        double[][] red = new double[count][count];
        for (int a = 0; a < count; a++) {
            red[a][a] = geometry.selfRedundancy(a);
            DMatrix xa = geometry.kernels ? null : geometry.loadCentred(a);
            for (int b = a + 1; b < count; b++) {
                double v;
                if (!geometry.kernels) {
                    DMatrix g = geometry.crossIfCached(a, b);
                    if (g == null) {
                        g = linalg.multiply(Transpose.YES, xa, Transpose.NO, geometry.loadCentred(b));
                    }
                    v = geometry.rawRatio(g, a, b);
                } else {
                    v = geometry.redundancy(a, b);
                }
                red[a][b] = v;
                red[b][a] = v;
            }
        }
        return new SelectionResult.Diagnostics(out, red);
    }
}
