package org.loes4j.bench;

import java.util.concurrent.TimeUnit;

import org.loes4j.bench.peer.CrossCheck;
import org.loes4j.bench.peer.GemmPeer;
import org.loes4j.bench.peer.GramPeer;
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
 * Where a native call stops paying off: square GEMM {@code C = A B} (n x n) and the Gram matrix
 * {@code XT X} of a 2n x n X, float64, at small n, for the Vector API backend against LibTorch CPU and
 * OpenBLAS (both through FFM). A LibTorch call includes copying the operands into a native arena, creating
 * tensor handles over it, the downcall into ATen, and copying the result back; the difference at n = 8 is
 * that fixed cost. The crossover n is the threshold an {@code auto} choice by operation size would use.
 * Score: operations per second; GFLOP/s = score * 2 n^3 / 1e9 (GEMM), score * 2n * n * (n + 1) / 1e9 (Gram).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchSetup.ADD_VECTOR, BenchSetup.NATIVE_ACCESS, BenchSetup.HEAP})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SmallProductBench {
    @Param({"loes4j-vector", "loes4j-torch", "openblas"})
    public String impl;

    @Param({"8", "32", "128"})
    public int n;

    private Prepared gemm;
    private Prepared gram;

    @Setup(Level.Trial)
    public void setup() {
        GemmPeer g = BenchSetup.create(impl, GemmPeer.class);
        CrossCheck.gemm(g);
        gemm = g.dgemm(n, n, n, Inputs.uniform(n, n, Inputs.SEED), Inputs.uniform(n, n, Inputs.SEED + 1));
        GramPeer x = (GramPeer) g;
        CrossCheck.gram(x);
        gram = x.gram(2 * n, n, Inputs.uniform(2 * n, n, Inputs.SEED + 2));
    }

    @Benchmark
    public Object dgemm() {
        return gemm.run();
    }

    @Benchmark
    public Object gram() {
        return gram.run();
    }
}
