package org.loes4j.selection;

import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;

/**
 * Chooses encoder layers: LOES ({@link Loes#builder()}) and every baseline
 * ({@link org.loes4j.selection.baselines.Baselines#selector}). A selector is configured when it is made
 * (budget k, task, seed, calibration fraction, ...) and can be applied to any embeddings.
 */
@FunctionalInterface
public interface LayerSelector {
    /**
     * Selects layers.
     *
     * @param layers the candidate layers, all rows (the selector draws its calibration rows itself); layers may
     *               have different widths
     * @param labels labels of every row, of the selector's task; null (or ignored) for a label-free selector
     * @return the selected layers in selection order, with the terms they were chosen by and the provenance
     * @throws IllegalArgumentException naming the argument when the inputs do not fit the selector
     */
    SelectionResult select(LayeredEmbeddings layers, Labels labels);
}
