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
 * loes4j's scalar reference GEMM (the slow twin every fast kernel is tested against), at the small size
 * only: at n = 1024 one call takes seconds. Same inputs and score as {@link GemmBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchSetup.ADD_VECTOR, BenchSetup.NATIVE_ACCESS, BenchSetup.HEAP})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmReferenceBench {
    @Param("loes4j-scalar")
    public String impl;

    @Param("256")
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
