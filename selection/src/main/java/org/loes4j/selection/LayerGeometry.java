package org.loes4j.selection;

import java.util.List;

import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.Transpose;
import org.loes4j.selection.metrics.Isotropy;
import org.loes4j.selection.metrics.Redundancy;

/**
 * The geometry of every candidate layer over the calibration rows, what LOES reuses across its steps: per
 * layer (each with its own width d_l) the mean {@code m_l}, the Gram of the centred features on the chosen
 * side, the isotropy, the squared norm of the raw features; and the raw-feature redundancy of two layers.
 *
 * <p>The side is chosen once, from the widest layer: {@code G_l = Xc_lT Xc_l} (d_l x d_l, "feature side",
 * when max d_l &lt;= N) or {@code K_l = Xc_l Xc_lT} (N x N, "kernel side"). On the feature side K_l is kept
 * too while all L of them fit in the kernel budget; without them ("cross blocks", large N) the blocks
 * {@code Xc_jT Xc_l} (d_j x d_l) of selected layers j are computed when first needed and cached.
 *
 * <p>Redundancy on RAW features from centred quantities ({@code 1T Xc = 0}):
 * {@code ||X_aT X_b||_F^2 = <K_a, K_b> + 2N u_a.u_b + N^2 |m_a|^2 |m_b|^2} with {@code u = Xc mT}, or
 * {@code ||Xc_aT Xc_b + N m_aT m_b||_F^2} from a cross block; both hold for any two widths.
 *
 * <p>Isotropy counts d_l eigenvalues (spec section 1). On the kernel side a layer narrower than N takes it
 * from its own d_l x d_l Gram ({@link Isotropy#fromGram} needs at least as many eigenvalues as the Gram has).
 */
final class LayerGeometry {
    private final Linalg linalg;
    private final LayeredEmbeddings layers;
    private final int[] rows;
    private final double isotropyEps;
    /** Calibration rows N. */
    final int n;
    /** Candidate layers L. */
    final int count;
    /** d_l by position. */
    private final int[] width;
    /** max d_l &lt;= N: d_l x d_l Grams; else N x N. */
    final boolean featureSide;
    /** Whether the centred N x N kernel of every layer is kept (always on the kernel side). */
    final boolean kernels;
    /** Feature side without kernels: cross blocks instead (large N). */
    final boolean useCross;

    private final double[][] mean;
    private final double[] meanSq;
    private final DMatrix[] gram;
    private final double[] normSq;
    private final double[][] u;
    private final double[] iso;
    /** {@code K_l = Xc_l Xc_lT} when {@link #kernels}. */
    private final DMatrix[] kernel;
    /** With {@link #useCross}: {@code cross[j][l] = Xc_jT Xc_l} for every selected j, filled when needed. */
    private final DMatrix[][] cross;
    /** Without {@link #kernels}: {@code K_j} of selected layers, formed for dual steps. */
    private final DMatrix[] kernelOfSelected;
    /** Centred calibration rows of selected layers that a primal step may need. */
    private final DMatrix[] centredOfSelected;

    /**
     * @param kernelBudget largest total size in bytes of the L kernels kept on the feature side
     */
    LayerGeometry(Linalg linalg, LayeredEmbeddings layers, int[] rows, double isotropyEps, long kernelBudget) {
        this.linalg = linalg;
        this.layers = layers;
        this.rows = rows;
        this.isotropyEps = isotropyEps;
        this.n = rows.length;
        this.count = layers.layerCount();
        this.width = layers.widths();
        int maxWidth = 0;
        for (int w : width) {
            maxWidth = Math.max(maxWidth, w);
        }
        this.featureSide = maxWidth <= n;
        this.kernels = !featureSide || (long) count * n * n * 8 <= kernelBudget;
        this.useCross = !kernels;
        mean = new double[count][];
        meanSq = new double[count];
        gram = new DMatrix[count];
        normSq = new double[count];
        u = new double[count][];
        iso = new double[count];
        kernel = new DMatrix[count];
        cross = new DMatrix[count][];
        kernelOfSelected = new DMatrix[count];
        centredOfSelected = new DMatrix[count];
    }

    /**
     * Measures layer position {@code p}: mean, Gram, squared raw norm, isotropy, and on the kernel path K_l and
     * {@code u_l = Xc_l m_lT}.
     *
     * @return the centred calibration rows Xc_l (N x d_l, a new matrix the caller may keep)
     */
    DMatrix measure(int p) {
        DMatrix x = layers.load(p, rows);
        mean[p] = linalg.columnMeans(x);
        double a = 0;
        for (double v : mean[p]) {
            a += v * v;
        }
        meanSq[p] = a;
        linalg.subtractRow(x, mean[p]);
        gram[p] = featureSide ? linalg.gramT(x) : linalg.gramN(x);
        normSq[p] = trace(gram[p]) + n * meanSq[p];
        DMatrix isoGram = gram[p].rows() <= width[p] ? gram[p] : linalg.gramT(x);
        iso[p] = Isotropy.fromGram(isoGram, n, width[p], isotropyEps);
        if (kernels) {
            kernel[p] = featureSide ? linalg.gramN(x) : gram[p];
            DMatrix m = DMatrix.wrap(mean[p].clone(), width[p], 1);
            u[p] = linalg.multiply(x, m).data();
        }
        return x;
    }

    /** Rows {@code rows} of layer position {@code p}, centred by its calibration mean (a new matrix). */
    DMatrix loadCentred(int p) {
        DMatrix x = layers.load(p, rows);
        linalg.subtractRow(x, mean[p]);
        return x;
    }

    /** Records that position {@code p} joined the selected set: keeps what later orthogonalisations read. */
    void markSelected(int p) {
        if (featureSide || width[p] < n) {
            centredOfSelected[p] = loadCentred(p);
        }
        if (useCross) {
            cross[p] = new DMatrix[count];
        }
    }

    /**
     * Readies candidate {@code p} of a step: with cross blocks, loads Xc_p and fills {@code Xc_jT Xc_p} for
     * every selected j.
     *
     * @return Xc_p when it was loaded (cross blocks), else null
     */
    DMatrix prepareCandidate(int p, List<Integer> selected) {
        if (!useCross) {
            return null;
        }
        DMatrix xc = loadCentred(p);
        for (int j : selected) {
            if (cross[j][p] == null) {
                cross[j][p] = linalg.multiply(Transpose.YES, centredOfSelected[j], Transpose.NO, xc);
            }
        }
        return xc;
    }

    int width(int p) {
        return width[p];
    }

    int layerIndex(int p) {
        return layers.layerIndex(p);
    }

    double isotropy(int p) {
        return iso[p];
    }

    /** The centred Gram on the chosen side (shared; do not modify). */
    DMatrix gram(int p) {
        return gram[p];
    }

    /** K_p (kernel path only; shared). */
    DMatrix kernel(int p) {
        return kernel[p];
    }

    /** Xc of a selected layer kept by {@link #markSelected} (shared). */
    DMatrix centredSelected(int p) {
        return centredOfSelected[p];
    }

    /** {@code Xc_jT Xc_l} of selected j (cross-block path only; shared). */
    DMatrix cross(int j, int l) {
        return cross[j][l];
    }

    /** {@code Xc_aT Xc_b} when it is cached (a selected), else null. */
    DMatrix crossIfCached(int a, int b) {
        return cross[a] != null ? cross[a][b] : null;
    }

    /** K_j of a selected layer: the kept kernel, or formed once from its centred rows. */
    DMatrix kernelOfSelected(int j) {
        if (kernels) {
            return kernel[j];
        }
        if (kernelOfSelected[j] == null) {
            kernelOfSelected[j] = linalg.gramN(centredOfSelected[j]);
        }
        return kernelOfSelected[j];
    }

    /**
     * Raw-feature redundancy {@code ||X_jT X_l||_F / (||X_j||_F ||X_l||_F)} of positions j and l, from the
     * kernels or from a cached cross block (one of j, l selected).
     */
    double redundancy(int j, int l) {
        if (!kernels) {
            DMatrix g = cross[j][l];
            return g != null ? rawRatio(g, j, l) : rawRatio(cross[l][j], l, j);
        }
        double uu = 0;
        for (int i = 0; i < n; i++) {
            uu += u[j][i] * u[l][i];
        }
        double sq = linalg.dot(kernel[j], kernel[l]) + 2.0 * n * uu + (double) n * n * meanSq[j] * meanSq[l];
        return Redundancy.ratio(Math.sqrt(Math.max(0, sq)), Math.sqrt(normSq[j]), Math.sqrt(normSq[l]));
    }

    /** Redundancy of a layer with itself ({@code 0} for an all-zero layer). */
    double selfRedundancy(int a) {
        if (!(normSq[a] > 0)) {
            return 0;
        }
        return kernels ? redundancy(a, a) : rawRatio(gram[a], a, a);
    }

    /**
     * Redundancy of positions a and b from {@code g = Xc_aT Xc_b} (d_a x d_b):
     * {@code ||g + N m_aT m_b||_F / (||X_a|| ||X_b||)}.
     */
    double rawRatio(DMatrix g, int a, int b) {
        double[] ma = mean[a];
        double[] mb = mean[b];
        double[] gd = g.data();
        double sq = 0;
        for (int i = 0; i < g.rows(); i++) {
            double s = n * ma[i];
            int off = g.index(i, 0);
            for (int j = 0; j < g.cols(); j++) {
                double v = gd[off + j] + s * mb[j];
                sq += v * v;
            }
        }
        return Redundancy.ratio(Math.sqrt(Math.max(0, sq)), Math.sqrt(normSq[a]), Math.sqrt(normSq[b]));
    }

    /** The calibration rows of layer position {@code p}, raw (a new matrix). */
    DMatrix loadRaw(int p) {
        return layers.load(p, rows);
    }

    private static double trace(DMatrix a) {
        double s = 0;
        for (int i = 0; i < a.rows(); i++) {
            s += a.get(i, i);
        }
        return s;
    }
}
