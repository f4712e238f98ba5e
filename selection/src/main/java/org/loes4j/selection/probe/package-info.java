/**
 * Cross-validated ridge probes of every layer: {@link org.loes4j.selection.probe.LayerProbe} (made with its
 * builder) sweeps the layers of a {@link org.loes4j.data.LayeredEmbeddings}, and optionally subsets of layers
 * concatenated, and returns a {@link org.loes4j.selection.probe.ProbeSweep} of
 * {@link org.loes4j.selection.probe.ProbeResult}s: the lambda chosen by k-fold CV, the held-out score with its
 * spread over folds, and the best layer. The seeded (stratified) folds are {@link org.loes4j.data.Folds}'s
 * ({@link org.loes4j.selection.probe.Folds} is the same under this package's name); the per-fold core (one
 * eigen-decomposition per fold for the whole lambda path, the score definitions, the choice of lambda) is
 * {@link org.loes4j.linalg.regression.RidgeCv}'s, shared with the closed-form ridge probe of {@code training}.
 */
package org.loes4j.selection.probe;
