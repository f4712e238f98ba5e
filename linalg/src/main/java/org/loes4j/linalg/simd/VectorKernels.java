package org.loes4j.linalg.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import org.loes4j.linalg.spi.GemmKernel;
import org.loes4j.linalg.spi.GramKernel;
import org.loes4j.linalg.spi.Kernel;
import org.loes4j.linalg.spi.VectorKernel;

/**
 * Vector API kernels. Loaded only once {@link VectorBackend} has found the incubator module.
 */
final class VectorKernels implements VectorKernel {
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Floats with as many lanes as {@link #D}: widened to double lanes without a shape change. */
    static final VectorSpecies<Float> F_HALF =
            VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final VectorKernels LEVEL1 = new VectorKernels();

    private VectorKernels() {
    }

    /**
     * Sum of the lanes in lane order. {@code reduceLanes(ADD)} leaves the order unspecified, and it does
     * differ between interpreted and compiled code, which would break bitwise reproducibility. Called once
     * per output, after the vector loop.
     */
    static double sumLanes(DoubleVector v) {
        double s = 0;
        for (int i = 0; i < D.length(); i++) {
            s += v.lane(i);
        }
        return s;
    }

    /** Float32 twin of {@link #sumLanes(DoubleVector)}, summed in float32. */
    static float sumLanes(FloatVector v) {
        float s = 0;
        for (int i = 0; i < F.length(); i++) {
            s += v.lane(i);
        }
        return s;
    }

    static int vectorBits() {
        return D.vectorBitSize();
    }

    static int doubleLanes() {
        return D.length();
    }

    static int floatLanes() {
        return F.length();
    }

    static <K extends Kernel> K kernel(Class<K> type) {
        if (type == VectorKernel.class) {
            return type.cast(LEVEL1);
        }
        if (type == GemmKernel.class) {
            return type.cast(VectorGemm.INSTANCE);
        }
        if (type == GramKernel.class) {
            return type.cast(VectorGram.INSTANCE);
        }
        return null;
    }

    @Override
    public double ddot(int n, double[] x, int xo, double[] y, int yo) {
        DoubleVector acc0 = DoubleVector.zero(D);
        DoubleVector acc1 = DoubleVector.zero(D);
        int step = 2 * D.length();
        int bound = n - n % step;
        int k = 0;
        for (; k < bound; k += step) {
            acc0 = DoubleVector.fromArray(D, x, xo + k).fma(DoubleVector.fromArray(D, y, yo + k), acc0);
            acc1 = DoubleVector.fromArray(D, x, xo + k + D.length())
                    .fma(DoubleVector.fromArray(D, y, yo + k + D.length()), acc1);
        }
        double s = sumLanes(acc0.add(acc1));
        for (; k < n; k++) {
            s += x[xo + k] * y[yo + k];
        }
        return s;
    }

    @Override
    public double sdot(int n, float[] x, int xo, float[] y, int yo) {
        // Float lanes widened to double lanes: the float32 dot accumulates in float64 by contract.
        DoubleVector acc = DoubleVector.zero(D);
        int lanes = F_HALF.length();
        int bound = n - n % lanes;
        int k = 0;
        for (; k < bound; k += lanes) {
            DoubleVector vx = (DoubleVector) FloatVector.fromArray(F_HALF, x, xo + k)
                    .convertShape(VectorOperators.F2D, D, 0);
            DoubleVector vy = (DoubleVector) FloatVector.fromArray(F_HALF, y, yo + k)
                    .convertShape(VectorOperators.F2D, D, 0);
            acc = vx.fma(vy, acc);
        }
        double s = sumLanes(acc);
        for (; k < n; k++) {
            s += (double) x[xo + k] * y[yo + k];
        }
        return s;
    }

    @Override
    public void daxpy(int n, double alpha, double[] x, int xo, double[] y, int yo) {
        int bound = D.loopBound(n);
        int k = 0;
        DoubleVector va = DoubleVector.broadcast(D, alpha);
        for (; k < bound; k += D.length()) {
            DoubleVector.fromArray(D, x, xo + k).fma(va, DoubleVector.fromArray(D, y, yo + k)).intoArray(y, yo + k);
        }
        for (; k < n; k++) {
            y[yo + k] += alpha * x[xo + k];
        }
    }

    @Override
    public void saxpy(int n, float alpha, float[] x, int xo, float[] y, int yo) {
        int bound = F.loopBound(n);
        int k = 0;
        FloatVector va = FloatVector.broadcast(F, alpha);
        for (; k < bound; k += F.length()) {
            FloatVector.fromArray(F, x, xo + k).fma(va, FloatVector.fromArray(F, y, yo + k)).intoArray(y, yo + k);
        }
        for (; k < n; k++) {
            y[yo + k] += alpha * x[xo + k];
        }
    }

    @Override
    public void dscal(int n, double alpha, double[] x, int xo) {
        int bound = D.loopBound(n);
        int k = 0;
        for (; k < bound; k += D.length()) {
            DoubleVector.fromArray(D, x, xo + k).mul(alpha).intoArray(x, xo + k);
        }
        for (; k < n; k++) {
            x[xo + k] *= alpha;
        }
    }

    @Override
    public void sscal(int n, float alpha, float[] x, int xo) {
        int bound = F.loopBound(n);
        int k = 0;
        for (; k < bound; k += F.length()) {
            FloatVector.fromArray(F, x, xo + k).mul(alpha).intoArray(x, xo + k);
        }
        for (; k < n; k++) {
            x[xo + k] *= alpha;
        }
    }
}
