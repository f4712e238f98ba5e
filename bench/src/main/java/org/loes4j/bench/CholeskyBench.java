package org.loes4j.bench;

import java.util.concurrent.TimeUnit;

import org.loes4j.bench.peer.CholeskyPeer;
import org.loes4j.bench.peer.CrossCheck;
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
 * Cholesky factorisation {@code A = L LT} of an n x n symmetric positive definite float64 matrix
 * ({@link Inputs#spd}: diagonally dominant, seed {@link Inputs#SEED}). In-place factorisations destroy
 * their input, so it is restored before every call, outside the timing ({@code Level.Invocation}; one call
 * takes milliseconds to seconds, far above JMH's per-invocation overhead). Fewer iterations than the other
 * benchmarks: at n = 4608 one call of a single-threaded Java peer takes several seconds. Score: operations
 * per second; GFLOP/s = score * n^3 / 3 / 1e9.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchSetup.ADD_VECTOR, BenchSetup.NATIVE_ACCESS, BenchSetup.HEAP})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class CholeskyBench {
    @Param({"loes4j-vector", "loes4j-vector@2", "ejml", "ojalgo", "netlib-java", "openblas", "openblas@2"})
    public String impl;

    @Param({"1024", "4608"})
    public int n;

    private Prepared op;

    @Setup(Level.Trial)
    public void setup() {
        CholeskyPeer peer = BenchSetup.create(impl, CholeskyPeer.class);
        CrossCheck.cholesky(peer);
        op = peer.cholesky(n, Inputs.spd(n, Inputs.SEED));
    }

    @Setup(Level.Invocation)
    public void restoreInput() {
        op.reset();
    }

    @Benchmark
    public Object cholesky() {
        return op.run();
    }
}
