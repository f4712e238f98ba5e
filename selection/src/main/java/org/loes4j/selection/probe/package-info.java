/**
 * Cross-validated ridge probes of every layer: {@link org.loes4j.selection.probe.LayerProbe} (made with its
 * builder) sweeps the layers of a {@link org.loes4j.data.LayeredEmbeddings}, and optionally subsets of layers
 * concatenated, and returns a {@link org.loes4j.selection.probe.ProbeSweep} of
 * {@link org.loes4j.selection.probe.ProbeResult}s: the lambda chosen by k-fold CV, the held-out score with its
 * spread over folds, and the best layer. {@link org.loes4j.selection.probe.Folds} makes the seeded
 * (stratified) folds. Inside, {@code RidgePath} gets the whole lambda path of one fold from one
 * eigen-decomposition, and {@code Scores} holds the score definitions.
 */
package org.loes4j.selection.probe;
