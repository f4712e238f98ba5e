package org.loes4j.bench;

import java.util.concurrent.TimeUnit;

import org.loes4j.bench.peer.CrossCheck;
import org.loes4j.bench.peer.EigenPeer;
import org.loes4j.bench.peer.Prepared;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * All eigenvalues (no vectors) of an n x n symmetric float64 matrix (default 768: a covariance of one
 * encoder layer in LOES; entries uniform in [-1, 1), seed {@link Inputs#SEED}). LAPACK's dsyevd is the
 * reference, through OpenBLAS and through netlib-java's F2J LAPACK. Inputs are restored before every call
 * outside the timing. Score: operations per second (reported as milliseconds per call; eigenvalue
 * algorithms have no single flop count).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchSetup.ADD_VECTOR, BenchSetup.NATIVE_ACCESS, BenchSetup.HEAP})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EigenBench {
    @Param({"loes4j-vector", "loes4j-vector@2", "ejml", "ojalgo", "netlib-java", "openblas", "openblas@2"})
    public String impl;

    @Param("768")
    public int n;

    private Prepared op;

    @Setup(Level.Trial)
    public void setup() {
        EigenPeer peer = BenchSetup.create(impl, EigenPeer.class);
        CrossCheck.eigenvalues(peer);
        op = peer.eigenvalues(n, Inputs.symmetric(n, Inputs.SEED));
    }

    @Setup(Level.Invocation)
    public void restoreInput() {
        op.reset();
    }

    @Benchmark
    public Object eigenvalues() {
        return op.run();
    }
}
