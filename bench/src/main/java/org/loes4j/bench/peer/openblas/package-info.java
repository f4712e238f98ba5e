/**
 * FFM bindings to OpenBLAS (an allowlist of the CBLAS/LAPACKE functions the benchmarks call) and the
 * extraction of its shared libraries from the bytedeco jar. Used only by
 * {@link org.loes4j.bench.peer.OpenBlasPeer}.
 */
package org.loes4j.bench.peer.openblas;
