package org.loes4j.bench;

import java.util.concurrent.TimeUnit;

import org.loes4j.bench.peer.CrossCheck;
import org.loes4j.bench.peer.Prepared;
import org.loes4j.bench.peer.RidgePeer;
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
 * A multi-output ridge fit with intercept through the primal normal equations, float64: X (N x p, default
 * 3000 x 768) uniform in [-1, 1), T = X W* + noise (N x c, c = 11), lambda = 1. loes4j's
 * {@code Ridge.fit(..., Form.AUTO)} against EJML solving the same system (centring, {@code XcT Xc},
 * {@code XcT Tc}, Cholesky solve, intercept), both timed end to end. Score: operations per second
 * (reported as milliseconds per fit).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchSetup.ADD_VECTOR, BenchSetup.NATIVE_ACCESS, BenchSetup.HEAP})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RidgeBench {
    @Param({"loes4j-vector", "loes4j-vector@2", "ejml", "ejml@2"})
    public String impl;

    @Param("3000")
    public int rows;

    @Param("768")
    public int p;

    @Param("11")
    public int c;

    private Prepared op;

    @Setup(Level.Trial)
    public void setup() {
        RidgePeer peer = BenchSetup.create(impl, RidgePeer.class);
        CrossCheck.ridge(peer);
        double[] x = Inputs.uniform(rows, p, Inputs.SEED);
        double[] t = Inputs.ridgeTargets(x, rows, p, c, Inputs.SEED + 1);
        op = peer.ridge(rows, p, c, x, t, 1.0);
    }

    @Benchmark
    public Object ridge() {
        return op.run();
    }
}
