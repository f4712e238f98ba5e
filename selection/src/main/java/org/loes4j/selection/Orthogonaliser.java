package org.loes4j.selection;

import java.util.List;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.Transpose;
import org.loes4j.linalg.regression.Ridge;
import org.loes4j.selection.metrics.TriangleArea;

/**
 * The ridge orthogonalisation of one greedy step (spec section 1) against the selected set S, with
 * {@code Sc = [Xc_s1 | Xc_s2 | ...]} (N x p, p = sum of the selected widths, in selection order):
 * {@code X~_l = Xc_l - Sc (ScT Sc + mu I)^-1 ScT Xc_l}. X~ is formed explicitly (no Schur-complement identity,
 * so no cancellation), on the side where the system is well posed:
 * <ul>
 * <li>p &lt; N, projector: the N x N {@code M = I - Sc (ScT Sc + mu I)^-1 ScT} is formed once per step
 *     ({@code A = ScT Sc + mu I = L LT}, {@code Y = L^-1 ScT}, {@code M = I - YT Y}); {@code X~ = M Xc_l}.</li>
 * <li>p &lt; N, cross blocks (large N, no kernels, while {@code 2 p^2 + N p < N^2}): A is assembled from the
 *     d_i x d_j blocks {@code Xc_iT Xc_j} cached since each j was selected, and
 *     {@code X~ = Xc_l - Sc A^-1 [Xc_jT Xc_l]_j}.</li>
 * <li>p &gt;= N, dual: {@code X~ = Q Xc_l}, {@code Q = mu (K_S + mu I)^-1}, {@code K_S = sum_j K_j}.</li>
 * </ul>
 * The mean of X_l that the spec adds back to X~ changes neither the ridge (which centres) nor the centroid
 * differences, so it is left out.
 *
 * <p>Implicit dual route: with p &gt;= N the orthogonalised candidate is usually tiny ({@code ~ mu / sigma^2}),
 * and then the residual ridge {@code lambda (K~ + lambda I)^-1 rc}, {@code K~ = Q K_l Q}, is summed as the
 * series {@code sum_m (-K~ / lambda)^m rc}, whose ratio is bounded by {@code tr K~ / lambda = <Q^2, K_l> /
 * lambda}; it is taken only when that bound is at most the implicit limit. The class centroids' Gram is then
 * {@code (E Q) K_l (E Q)T} (E: C x N class averaging). Each candidate costs a few N x N by N x c products
 * instead of the N^2 d_l of forming X~.
 */
final class Orthogonaliser {
    /** The implicit series stops when a term is this small relative to the sum. */
    static final double IMPLICIT_TOLERANCE = 1e-17;
    /** Safety cap on the number of series terms (the explicit route is used if it is reached). */
    static final int IMPLICIT_MAX_TERMS = 60;

    /** Maps a centred candidate layer to its orthogonalised X~ (a new matrix). */
    private interface Projection {
        DMatrix apply(DMatrix centredCandidate, int position);
    }

    private final Linalg linalg;
    private final LayerGeometry geometry;
    private final Projection projection;
    private final double lambda;
    private final double implicitLimit;
    /** Dual steps: {@code Q = mu (K_S + mu I)^-1}; else null. */
    private final DMatrix q;
    /** Dual steps with kernels: {@code Q^2}; else null (no implicit route). */
    private final DMatrix qSquared;
    /** Dual steps with kernels and 3 or more classes: {@code E Q}; else null. */
    private final DMatrix classMeansOfQ;

    private Orthogonaliser(Linalg linalg, LayerGeometry geometry, Projection projection, double lambda,
                           double implicitLimit, DMatrix q, DMatrix qSquared, DMatrix classMeansOfQ) {
        this.linalg = linalg;
        this.geometry = geometry;
        this.projection = projection;
        this.lambda = lambda;
        this.implicitLimit = implicitLimit;
        this.q = q;
        this.qSquared = qSquared;
        this.classMeansOfQ = classMeansOfQ;
    }

    /**
     * The orthogonalisation against {@code selected} (positions, in selection order).
     *
     * @param classOf class code of each calibration row (classification), or null
     * @param classes number of classes (0 without class labels)
     */
    static Orthogonaliser against(List<Integer> selected, LayerGeometry geometry, Linalg linalg,
                                  ShiftedInverse.Counting factors, double mu, double lambda, double implicitLimit,
                                  int[] classOf, int classes) {
        int n = geometry.n;
        int[] offset = new int[selected.size() + 1];
        for (int bi = 0; bi < selected.size(); bi++) {
            offset[bi + 1] = offset[bi] + geometry.width(selected.get(bi));
        }
        int p = offset[selected.size()];
        if (p < n) {
            DMatrix sc = DMatrix.zeros(n, p);
            for (int bi = 0; bi < selected.size(); bi++) {
                sc.view(0, offset[bi], n, offset[bi + 1] - offset[bi]).copyFrom(geometry.centredSelected(selected.get(bi)));
            }
            // Per candidate of width d the projector costs N^2 d multiply-adds, the cross-block solve
            // 2 p^2 d + N p d (d is a common factor); without kernels (large N) the projector is still used once
            // p has grown enough to lose.
            boolean projector = !geometry.useCross || (double) n * n < 2.0 * p * p + (double) n * p;
            if (projector) {
                DMatrix y = factors.of(linalg.gramT(sc), mu).apply(sc.transposeCopy());
                DMatrix m = linalg.gramT(y);
                scaleInPlace(m, -1.0);
                Ridge.addDiagonal(m, 1.0);
                return new Orthogonaliser(linalg, geometry, (xc, l) -> linalg.multiply(m, xc), lambda, implicitLimit,
                        null, null, null);
            }
            DMatrix a = DMatrix.zeros(p, p);
            for (int bi = 0; bi < selected.size(); bi++) {
                int i = selected.get(bi);
                int di = offset[bi + 1] - offset[bi];
                a.view(offset[bi], offset[bi], di, di).copyFrom(geometry.gram(i));
                for (int bj = bi + 1; bj < selected.size(); bj++) {
                    int dj = offset[bj + 1] - offset[bj];
                    DMatrix block = geometry.cross(i, selected.get(bj));
                    a.view(offset[bi], offset[bj], di, dj).copyFrom(block);
                    a.view(offset[bj], offset[bi], dj, di).copyFrom(block.transposeCopy());
                }
            }
            ShiftedInverse f = factors.of(a, mu);
            return new Orthogonaliser(linalg, geometry, (xc, l) -> {
                DMatrix rhs = DMatrix.zeros(p, xc.cols());
                for (int bi = 0; bi < selected.size(); bi++) {
                    rhs.view(offset[bi], 0, offset[bi + 1] - offset[bi], xc.cols())
                            .copyFrom(geometry.cross(selected.get(bi), l));
                }
                DMatrix b = f.solve(rhs);
                DMatrix xt = xc.copy();
                linalg.gemm(Transpose.NO, Transpose.NO, -1.0, sc, b, 1.0, xt);
                return xt;
            }, lambda, implicitLimit, null, null, null);
        }
        DMatrix ks = DMatrix.zeros(n, n);
        for (int j : selected) {
            addInPlace(ks, geometry.kernelOfSelected(j));
        }
        DMatrix muI = DMatrix.identity(n);
        scaleInPlace(muI, mu);
        DMatrix q = factors.of(ks, mu).solve(muI);
        DMatrix q2 = null;
        DMatrix eq = null;
        if (geometry.kernels) {
            q2 = linalg.multiply(q, q);
            if (classes >= 3) {
                DMatrix e = DMatrix.zeros(classes, n);
                int[] count = new int[classes];
                for (int c : classOf) {
                    count[c]++;
                }
                for (int i = 0; i < n; i++) {
                    e.set(classOf[i], i, 1.0 / count[classOf[i]]);
                }
                eq = linalg.multiply(e, q);
            }
        }
        return new Orthogonaliser(linalg, geometry, (xc, l) -> linalg.multiply(q, xc), lambda, implicitLimit, q, q2, eq);
    }

    /** X~ of candidate position {@code position} from its centred rows (a new matrix; not re-centred). */
    DMatrix apply(DMatrix centredCandidate, int position) {
        return projection.apply(centredCandidate, position);
    }

    /**
     * The implicit dual route: with {@code K~ = Q K_l Q} and {@code ||K~||_2 <= tr K~ = <Q^2, K_l>}, when
     * {@code b = tr K~ / lambda <= implicitLimit} the residual
     * {@code lambda (K~ + lambda I)^-1 rc = sum_m (-K~ / lambda)^m rc} converges geometrically (each term at
     * most b times the previous) and costs three N x N by N x c products per term instead of forming X~.
     *
     * @return the residual, or null when the route does not apply (primal step, no kernels, b too large)
     */
    DMatrix implicitResidual(int position, DMatrix rc) {
        if (q == null || qSquared == null) {
            return null;
        }
        DMatrix kl = geometry.kernel(position);
        double b = linalg.dot(qSquared, kl) / lambda;
        if (!(b <= implicitLimit)) {
            return null;
        }
        DMatrix sum = rc.copy();
        DMatrix term = rc;
        double sumNorm;
        for (int m = 0; m < IMPLICIT_MAX_TERMS; m++) {
            DMatrix next = linalg.multiply(q, linalg.multiply(kl, linalg.multiply(q, term)));
            scaleInPlace(next, -1.0 / lambda);
            addInPlace(sum, next);
            term = next;
            double tn = linalg.frobeniusNorm(term);
            sumNorm = linalg.frobeniusNorm(sum);
            if (tn <= IMPLICIT_TOLERANCE * sumNorm) {
                return sum;
            }
        }
        return null;
    }

    /**
     * The centred class-centroid Gram of X~ on the implicit route, {@code (E Q) K_l (E Q)T}; null with fewer
     * than 3 classes.
     */
    DMatrix implicitCentroidGram(int position) {
        if (classMeansOfQ == null) {
            return null;
        }
        DMatrix w = linalg.multiply(classMeansOfQ, geometry.kernel(position));
        return TriangleArea.centreGram(linalg.multiply(Transpose.NO, w, Transpose.YES, classMeansOfQ));
    }

    static void addInPlace(DMatrix a, DMatrix b) {
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                a.set(i, j, a.get(i, j) + b.get(i, j));
            }
        }
    }

    static void scaleInPlace(DMatrix a, double s) {
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                a.set(i, j, a.get(i, j) * s);
            }
        }
    }
}
