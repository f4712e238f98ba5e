package org.loes4j.bench;

import java.util.concurrent.TimeUnit;

import org.loes4j.bench.peer.CrossCheck;
import org.loes4j.bench.peer.GemmPeer;
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
 * Square GEMM {@code C = A B} (n x n, A and B uniform in [-1, 1), seed {@link Inputs#SEED}), float64 and
 * float32. Score: operations per second; GFLOP/s = score * 2 n^3 / 1e9. loes4j's scalar reference runs
 * in {@link GemmReferenceBench} at the small size only. {@code netlib-native} is the same OpenBLAS as
 * {@code openblas}, reached through netlib's JNI shim instead of FFM (heap arrays, no copies).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchSetup.ADD_VECTOR, BenchSetup.NATIVE_ACCESS, BenchSetup.HEAP})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmBench {
    @Param({"loes4j-vector", "loes4j-vector@2", "loes4j-torch", "loes4j-torch@2", "ejml", "ejml@2", "ojalgo",
            "ojalgo@2", "netlib-java", "netlib-native", "openblas", "openblas@2"})
    public String impl;

    @Param({"256", "1024"})
    public int n;

    private Prepared d;
    private Prepared s;

    @Setup(Level.Trial)
    public void setup() {
        GemmPeer peer = BenchSetup.create(impl, GemmPeer.class);
        CrossCheck.gemm(peer);
        d = peer.dgemm(n, n, n, Inputs.uniform(n, n, Inputs.SEED), Inputs.uniform(n, n, Inputs.SEED + 1));
        s = peer.sgemm(n, n, n, Inputs.uniformFloat(n, n, Inputs.SEED), Inputs.uniformFloat(n, n, Inputs.SEED + 1));
    }

    @Benchmark
    public Object dgemm() {
        return d.run();
    }

    @Benchmark
    public Object sgemm() {
        return s.run();
    }
}
