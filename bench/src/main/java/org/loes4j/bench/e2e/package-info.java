/**
 * End-to-end harnesses: whole commands and whole workloads, timed with the peer measured in the same run.
 *
 * <ul>
 *   <li>{@link org.loes4j.bench.e2e.SelectionE2E}: {@code loes select} cold (a fresh JVM per run: wall time and
 *       peak RSS) and warm (repeated in-process {@code Loes.select}) on synthetic structured embeddings.</li>
 *   <li>{@link org.loes4j.bench.e2e.TrainingE2E}: adapter training with and without GeoReg, and GeoReg's closed
 *       form against the eigenvalue route on the same batches.</li>
 *   <li>{@link org.loes4j.bench.e2e.EncoderE2E}: every hidden state of bge-small, loes4j's Java encoder against
 *       ONNX Runtime on the same token batches, one fresh JVM per implementation and thread count.</li>
 * </ul>
 *
 * Each harness is a {@code main} that writes a markdown fragment and a JSON file (see {@link
 * org.loes4j.bench.e2e.Report}); {@code bench/run-e2e.sh} builds the module and runs them. Timings are wall
 * clock ({@link java.lang.System#nanoTime()}); there is no JMH here, so warm-up is explicit in each harness.
 */
package org.loes4j.bench.e2e;
