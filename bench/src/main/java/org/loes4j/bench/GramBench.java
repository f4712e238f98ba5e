package org.loes4j.bench;

import java.util.concurrent.TimeUnit;

import org.loes4j.bench.peer.CrossCheck;
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
 * The Gram matrix {@code G = XT X} of X (rows x cols, default 3000 x 768, the shape of one encoder layer's
 * features in LOES), float64. BLAS peers (netlib-java, OpenBLAS) compute one triangle (dsyrk); loes4j
 * computes one and mirrors it; EJML and ojAlgo compute the full product. Score: operations per second;
 * GFLOP/s = score * rows * cols * (cols + 1) / 1e9 (the syrk count).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchSetup.ADD_VECTOR, BenchSetup.NATIVE_ACCESS, BenchSetup.HEAP})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GramBench {
    @Param({"loes4j-vector", "loes4j-vector@2", "loes4j-torch", "loes4j-torch@2", "ejml", "ejml@2", "ojalgo",
            "ojalgo@2", "netlib-java", "openblas", "openblas@2"})
    public String impl;

    @Param("3000")
    public int rows;

    @Param("768")
    public int cols;

    private Prepared op;

    @Setup(Level.Trial)
    public void setup() {
        GramPeer peer = BenchSetup.create(impl, GramPeer.class);
        CrossCheck.gram(peer);
        op = peer.gram(rows, cols, Inputs.uniform(rows, cols, Inputs.SEED));
    }

    @Benchmark
    public Object gram() {
        return op.run();
    }
}
