package org.loes4j.linalg;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.loes4j.linalg.scalar.ScalarBackend;
import org.loes4j.linalg.simd.VectorBackend;
import org.loes4j.linalg.spi.Availability;
import org.loes4j.linalg.spi.Backend;
import org.loes4j.linalg.spi.CholeskyKernel;
import org.loes4j.linalg.spi.GemmKernel;
import org.loes4j.linalg.spi.Kernel;

/**
 * A test-only backend that declares itself native and computes GEMM and Cholesky with the Vector API kernels
 * (another summation order than the scalar reference, as a real native library has), optionally with one
 * fault of the kind a broken native build produces. Not a registered service: tests hand it to
 * {@link Backends#of(String, java.util.List)}.
 */
final class FakeNativeBackend implements Backend {

    /** What goes wrong. */
    enum Fault {
        /** Nothing: agrees with the reference up to rounding. */
        NONE,
        /** Float64 GEMM is off in one entry by 1% of the largest. */
        WRONG_DGEMM,
        /** Float32 GEMM with transposed operands ignores the transposition of B (a layout mix-up). */
        WRONG_TRANSPOSED_SGEMM,
        /** GEMM reads C when beta is 0, so NaN in C propagates (the BLAS contract says it must not). */
        READS_C_WHEN_BETA_IS_ZERO,
        /** GEMM throws, as a lost device or an unresolved symbol does. */
        THROWING_GEMM,
        /** Cholesky leaves the strict upper triangle as it was (LAPACK potrf does; the contract zeroes it). */
        CHOLESKY_KEEPS_UPPER_TRIANGLE
    }

    private final String name;
    private final int priority;
    private final Fault fault;
    /** Calls of {@link #kernel}: zero means the backend was never asked to compute (nor checked). */
    final AtomicInteger kernelCalls = new AtomicInteger();

    FakeNativeBackend(String name, int priority, Fault fault) {
        this.name = name;
        this.priority = priority;
        this.fault = fault;
    }

    private static Backend cpu() {
        Backend v = new VectorBackend();
        return v.availability().available() ? v : new ScalarBackend();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "test backend pretending to be native, fault " + fault;
    }

    @Override
    public Availability availability() {
        return Availability.yes("fake device");
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public boolean runsNativeCode() {
        return true;
    }

    @Override
    public <K extends Kernel> K kernel(Class<K> type) {
        kernelCalls.incrementAndGet();
        if (type == GemmKernel.class) {
            return type.cast(new FaultyGemm(cpu().kernel(GemmKernel.class), fault));
        }
        if (type == CholeskyKernel.class) {
            return type.cast(new FaultyCholesky(cpu().kernel(CholeskyKernel.class), fault));
        }
        return null;
    }

    @Override
    public Map<String, String> details() {
        return Map.of("device", "fake");
    }

    private record FaultyGemm(GemmKernel cpu, Fault fault) implements GemmKernel {
        @Override
        public void dgemm(Transpose ta, Transpose tb, double alpha, DMatrix a, DMatrix b, double beta, DMatrix c) {
            switch (fault) {
                case THROWING_GEMM -> throw new IllegalStateException("fake device lost");
                case READS_C_WHEN_BETA_IS_ZERO -> {
                    DMatrix product = DMatrix.zeros(c.rows(), c.cols());
                    cpu.dgemm(ta, tb, alpha, a, b, 0.0, product);
                    for (int i = 0; i < c.rows(); i++) {
                        for (int j = 0; j < c.cols(); j++) {
                            c.set(i, j, product.get(i, j) + beta * c.get(i, j));
                        }
                    }
                }
                case WRONG_DGEMM -> {
                    cpu.dgemm(ta, tb, alpha, a, b, beta, c);
                    double max = 0;
                    for (int i = 0; i < c.rows(); i++) {
                        for (int j = 0; j < c.cols(); j++) {
                            max = Math.max(max, Math.abs(c.get(i, j)));
                        }
                    }
                    c.set(c.rows() / 2, c.cols() / 3, c.get(c.rows() / 2, c.cols() / 3) + 0.01 * max);
                }
                default -> cpu.dgemm(ta, tb, alpha, a, b, beta, c);
            }
        }

        @Override
        public void sgemm(Transpose ta, Transpose tb, float alpha, FMatrix a, FMatrix b, float beta, FMatrix c) {
            if (fault == Fault.WRONG_TRANSPOSED_SGEMM && tb == Transpose.YES) {
                // B's storage read as if it were op(B): right shape, wrong entries.
                FMatrix misread = FMatrix.wrap(b.copy().data(), b.cols(), b.rows());
                cpu.sgemm(ta, Transpose.NO, alpha, a, misread, beta, c);
            } else {
                cpu.sgemm(ta, tb, alpha, a, b, beta, c);
            }
        }
    }

    private record FaultyCholesky(CholeskyKernel cpu, Fault fault) implements CholeskyKernel {
        @Override
        public void dpotrf(DMatrix a) {
            if (fault != Fault.CHOLESKY_KEEPS_UPPER_TRIANGLE) {
                cpu.dpotrf(a);
                return;
            }
            DMatrix upper = a.copy();
            cpu.dpotrf(a);
            for (int i = 0; i < a.rows(); i++) {
                for (int j = i + 1; j < a.cols(); j++) {
                    a.set(i, j, upper.get(i, j));
                }
            }
        }

        @Override
        public void spotrf(FMatrix a) {
            cpu.spotrf(a);
        }

        @Override
        public void dtrsm(Transpose trans, DMatrix l, DMatrix b) {
            cpu.dtrsm(trans, l, b);
        }

        @Override
        public void strsm(Transpose trans, FMatrix l, FMatrix b) {
            cpu.strsm(trans, l, b);
        }
    }
}
