/**
 * JMH benchmarks of loes4j's linear algebra side by side with its peers (EJML, ojAlgo, netlib-java's
 * pure-JVM BLAS/LAPACK, and OpenBLAS through FFM). One class per operation; the implementation is a
 * {@code @Param} ({@code impl}, e.g. {@code loes4j-vector@2} = loes4j's Vector API backend on 2 threads),
 * so that every peer of an operation runs with the same seeded inputs in the same run.
 *
 * <p>This module has no {@code module-info.java} on purpose: EJML's jars are automatic modules with split
 * packages ({@code org.ejml.dense.row} is in ejml-ddense, ejml-fdense, ejml-cdense and ejml-zdense), which
 * no module graph accepts, so the benchmarks are compiled and run on the class path (as JMH's generated
 * code and forked JVMs expect anyway). The module graph of the library modules is unaffected: bench
 * depends on them and nothing depends on bench.
 */
package org.loes4j.bench;
