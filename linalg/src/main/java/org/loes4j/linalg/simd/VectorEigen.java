package org.loes4j.linalg.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.concurrent.LinalgExecutor;
import org.loes4j.linalg.decomp.RowOps;
import org.loes4j.linalg.decomp.SymmetricEigenSolver;
import org.loes4j.linalg.spi.EigenKernel;

/**
 * Symmetric eigen-decomposition on the Vector API: the same algorithm as the scalar reference
 * ({@link SymmetricEigenSolver}: Householder tridiagonalisation, implicit QL with Wilkinson shifts,
 * eigenvalues ascending) with its O(n^3) row primitives vectorised: the fused rank-2 update and
 * symmetric matrix-vector pass of the reduction, the accumulation of {@code QT}, and the QL rotations,
 * which are applied to the rows of {@code ZT} one strip of columns at a time for a whole batch of
 * sweeps. Large
 * passes are split over the library executor. Eigenvalues alone skip all eigenvector work.
 * {@link #ssyev} computes in float64 internally and rounds the results to float32.
 */
final class VectorEigen implements EigenKernel {
    static final VectorEigen INSTANCE = new VectorEigen();

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final RowOps OPS = new SimdRowOps();

    /**
     * A QL sweep touching fewer elements of ZT than this runs on the calling thread: it is then a few
     * tens of microseconds, comparable to handing tasks to the executor.
     */
    private static final int PARALLEL_SWEEP_ELEMENTS = 1 << 16;

    private VectorEigen() {
    }

    @Override
    public void dsyev(DMatrix a, double[] w, DMatrix vectors) {
        SymmetricEigenSolver.solve(OPS, a, w, vectors);
    }

    /** Float32 twin: the work is done in float64 and the eigenvalues and vectors rounded to float32. */
    @Override
    public void ssyev(FMatrix a, float[] w, FMatrix vectors) {
        SymmetricEigenSolver.solve(OPS, a, w, vectors);
    }


    /** Row primitives: vector body to {@code loopBound}, scalar tail, lanes summed once per call. */
    static final class SimdRowOps implements RowOps {

        @Override
        public double dot(int n, double[] x, int xo, double[] y, int yo) {
            int lanes = D.length();
            DoubleVector acc0 = DoubleVector.zero(D);
            DoubleVector acc1 = DoubleVector.zero(D);
            int k = 0;
            int bound2 = n - n % (2 * lanes);
            for (; k < bound2; k += 2 * lanes) {
                acc0 = DoubleVector.fromArray(D, x, xo + k).fma(DoubleVector.fromArray(D, y, yo + k), acc0);
                acc1 = DoubleVector.fromArray(D, x, xo + k + lanes)
                        .fma(DoubleVector.fromArray(D, y, yo + k + lanes), acc1);
            }
            int bound = D.loopBound(n);
            for (; k < bound; k += lanes) {
                acc0 = DoubleVector.fromArray(D, x, xo + k).fma(DoubleVector.fromArray(D, y, yo + k), acc0);
            }
            double s = VectorKernels.sumLanes(acc0.add(acc1));
            for (; k < n; k++) {
                s += x[xo + k] * y[yo + k];
            }
            return s;
        }

        @Override
        public void axpy(int n, double alpha, double[] x, int xo, double[] y, int yo) {
            DoubleVector va = DoubleVector.broadcast(D, alpha);
            int k = 0;
            int bound = D.loopBound(n);
            for (; k < bound; k += D.length()) {
                DoubleVector.fromArray(D, x, xo + k).fma(va, DoubleVector.fromArray(D, y, yo + k)).intoArray(y, yo + k);
            }
            for (; k < n; k++) {
                y[yo + k] += alpha * x[xo + k];
            }
        }

        @Override
        public double dotAndAxpy(int n, double[] row, int ro, double[] v, int vo, double alpha, double[] y, int yo) {
            DoubleVector va = DoubleVector.broadcast(D, alpha);
            DoubleVector acc = DoubleVector.zero(D);
            int k = 0;
            int bound = D.loopBound(n);
            for (; k < bound; k += D.length()) {
                DoubleVector r = DoubleVector.fromArray(D, row, ro + k);
                acc = r.fma(DoubleVector.fromArray(D, v, vo + k), acc);
                r.fma(va, DoubleVector.fromArray(D, y, yo + k)).intoArray(y, yo + k);
            }
            double s = VectorKernels.sumLanes(acc);
            for (; k < n; k++) {
                double r = row[ro + k];
                s += r * v[vo + k];
                y[yo + k] += alpha * r;
            }
            return s;
        }

        @Override
        public void axpy2(int n, double a1, double[] x1, int x1o, double a2, double[] x2, int x2o, double[] y, int yo) {
            DoubleVector va1 = DoubleVector.broadcast(D, a1);
            DoubleVector va2 = DoubleVector.broadcast(D, a2);
            int k = 0;
            int bound = D.loopBound(n);
            for (; k < bound; k += D.length()) {
                DoubleVector acc = DoubleVector.fromArray(D, x1, x1o + k).fma(va1, DoubleVector.fromArray(D, y, yo + k));
                DoubleVector.fromArray(D, x2, x2o + k).fma(va2, acc).intoArray(y, yo + k);
            }
            for (; k < n; k++) {
                y[yo + k] += a1 * x1[x1o + k] + a2 * x2[x2o + k];
            }
        }

        @Override
        public double updateDotAndAxpy(int n, double[] row, int ro, double a1, double[] x1, int x1o, double a2,
                double[] x2, int x2o, double[] v, int vo, double alpha, double[] y, int yo) {
            DoubleVector va1 = DoubleVector.broadcast(D, a1);
            DoubleVector va2 = DoubleVector.broadcast(D, a2);
            DoubleVector va = DoubleVector.broadcast(D, alpha);
            DoubleVector acc = DoubleVector.zero(D);
            int k = 0;
            int bound = D.loopBound(n);
            for (; k < bound; k += D.length()) {
                DoubleVector r = DoubleVector.fromArray(D, x1, x1o + k).fma(va1, DoubleVector.fromArray(D, row, ro + k));
                r = DoubleVector.fromArray(D, x2, x2o + k).fma(va2, r);
                r.intoArray(row, ro + k);
                acc = r.fma(DoubleVector.fromArray(D, v, vo + k), acc);
                r.fma(va, DoubleVector.fromArray(D, y, yo + k)).intoArray(y, yo + k);
            }
            double s = VectorKernels.sumLanes(acc);
            for (; k < n; k++) {
                double r = row[ro + k] + a1 * x1[x1o + k] + a2 * x2[x2o + k];
                row[ro + k] = r;
                s += r * v[vo + k];
                y[yo + k] += alpha * r;
            }
            return s;
        }

        @Override
        public void updateDotAndAxpy2(int n, double[] a, int r0, int r1, double b0, double c0, double b1,
                double c1, double[] x1, int x1o, double[] x2, int x2o, double[] v, int vo, double alpha0,
                double alpha1, double[] y, int yo, double[] dots) {
            DoubleVector vb0 = DoubleVector.broadcast(D, b0);
            DoubleVector vc0 = DoubleVector.broadcast(D, c0);
            DoubleVector vb1 = DoubleVector.broadcast(D, b1);
            DoubleVector vc1 = DoubleVector.broadcast(D, c1);
            DoubleVector va0 = DoubleVector.broadcast(D, alpha0);
            DoubleVector va1 = DoubleVector.broadcast(D, alpha1);
            DoubleVector acc0 = DoubleVector.zero(D);
            DoubleVector acc1 = DoubleVector.zero(D);
            int k = 0;
            int bound = D.loopBound(n);
            for (; k < bound; k += D.length()) {
                DoubleVector u = DoubleVector.fromArray(D, x1, x1o + k);
                DoubleVector w = DoubleVector.fromArray(D, x2, x2o + k);
                DoubleVector vv = DoubleVector.fromArray(D, v, vo + k);
                DoubleVector p = w.fma(vc0, u.fma(vb0, DoubleVector.fromArray(D, a, r0 + k)));
                DoubleVector q = w.fma(vc1, u.fma(vb1, DoubleVector.fromArray(D, a, r1 + k)));
                p.intoArray(a, r0 + k);
                q.intoArray(a, r1 + k);
                acc0 = p.fma(vv, acc0);
                acc1 = q.fma(vv, acc1);
                q.fma(va1, p.fma(va0, DoubleVector.fromArray(D, y, yo + k))).intoArray(y, yo + k);
            }
            double s0 = VectorKernels.sumLanes(acc0);
            double s1 = VectorKernels.sumLanes(acc1);
            for (; k < n; k++) {
                double u = x1[x1o + k];
                double w = x2[x2o + k];
                double p = a[r0 + k] + b0 * u + c0 * w;
                double q = a[r1 + k] + b1 * u + c1 * w;
                a[r0 + k] = p;
                a[r1 + k] = q;
                s0 += p * v[vo + k];
                s1 += q * v[vo + k];
                y[yo + k] += alpha0 * p + alpha1 * q;
            }
            dots[0] = s0;
            dots[1] = s1;
        }

        @Override
        public void rotateSweeps(int n, int count, int[] lo, int[] hi, double[][] c, double[][] s, double[] zt) {
            int strip = 2 * D.length();
            int strips = (n + strip - 1) / strip;
            long work = 0;
            for (int b = 0; b < count; b++) {
                work += (long) (hi[b] - lo[b]) * n;
            }
            int tasks = LinalgExecutor.threads();
            if (tasks > 1 && work >= PARALLEL_SWEEP_ELEMENTS && strips >= tasks) {
                int perTask = (strips + tasks - 1) / tasks;
                LinalgExecutor.parallelFor(tasks, t ->
                        rotateColumns(n, count, lo, hi, c, s, zt, Math.min(n, t * perTask * strip),
                                Math.min(n, (t + 1) * perTask * strip)));
            } else {
                rotateColumns(n, count, lo, hi, c, s, zt, 0, n);
            }
        }

        @Override
        public int parallelTasks() {
            return LinalgExecutor.threads();
        }

        /**
         * All sweeps on columns {@code [j0, j1)}, one strip of two vectors at a time, so the strip stays in
         * cache across the sweeps. Within a sweep the row about to be rotated against the next one up
         * stays in registers ("carry"), so each row is loaded and stored once per sweep.
         */
        private static void rotateColumns(int n, int count, int[] lo, int[] hi, double[][] cs, double[][] ss,
                double[] zt, int j0, int j1) {
            int lanes = D.length();
            int j = j0;
            for (; j + 2 * lanes <= j1; j += 2 * lanes) {
                for (int b = 0; b < count; b++) {
                    double[] c = cs[b];
                    double[] s = ss[b];
                    int top = lo[b];
                    DoubleVector carry0 = DoubleVector.fromArray(D, zt, hi[b] * n + j);
                    DoubleVector carry1 = DoubleVector.fromArray(D, zt, hi[b] * n + j + lanes);
                    for (int i = hi[b] - 1; i >= top; i--) {
                        int io = i * n + j;
                        double ci = c[i];
                        double si = s[i];
                        DoubleVector z0 = DoubleVector.fromArray(D, zt, io);
                        DoubleVector z1 = DoubleVector.fromArray(D, zt, io + lanes);
                        z0.mul(si).add(carry0.mul(ci)).intoArray(zt, io + n);
                        z1.mul(si).add(carry1.mul(ci)).intoArray(zt, io + n + lanes);
                        carry0 = z0.mul(ci).sub(carry0.mul(si));
                        carry1 = z1.mul(ci).sub(carry1.mul(si));
                    }
                    carry0.intoArray(zt, top * n + j);
                    carry1.intoArray(zt, top * n + j + lanes);
                }
            }
            for (; j < j1; j++) {
                for (int b = 0; b < count; b++) {
                    double[] c = cs[b];
                    double[] s = ss[b];
                    double carry = zt[hi[b] * n + j];
                    for (int i = hi[b] - 1; i >= lo[b]; i--) {
                        int io = i * n + j;
                        double zi = zt[io];
                        zt[io + n] = s[i] * zi + c[i] * carry;
                        carry = c[i] * zi - s[i] * carry;
                    }
                    zt[lo[b] * n + j] = carry;
                }
            }
        }
    }
}
