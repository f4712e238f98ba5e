/**
 * LOES layer selection (spec sections 1 and 2). One interface, {@link org.loes4j.selection.LayerSelector}, is
 * implemented by {@link org.loes4j.selection.Loes} (made with {@link org.loes4j.selection.Loes#builder()}, its
 * hyper-parameters a {@link org.loes4j.selection.LoesOptions}) and by the baselines of
 * {@code selection.baselines}; every selector returns a {@link org.loes4j.selection.SelectionResult} with a typed
 * {@link org.loes4j.data.Provenance}. Inputs are the shared {@link org.loes4j.data.LayeredEmbeddings} (layers of
 * any widths) and {@link org.loes4j.data.Labels}.
 *
 * <p>Inside, {@code Loes} is the greedy loop of section 2; {@code LoesScore} the score formula;
 * {@code LayerGeometry} the per-layer means, Grams, isotropy and redundancy; {@code Orthogonaliser} the ridge
 * orthogonalisation of a step (projector, cross-block, dual and implicit dual routes); {@code LoesDiagnostics}
 * the layer diagnostics; {@code StatisticsLoes} the same loop on merged centred moments
 * ({@link org.loes4j.selection.stats.LoesStatistics}), without the rows.
 */
package org.loes4j.selection;
