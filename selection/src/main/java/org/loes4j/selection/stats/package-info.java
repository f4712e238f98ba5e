/**
 * The statistics route of LOES: {@link org.loes4j.selection.stats.LoesStatistics}, the merged centred moments of
 * the calibration rows (per-layer means, all cross-layer blocks {@code Xc_aT Xc_b}, the cross moments with the
 * targets, the targets' own moments), accumulated in one pass over an {@link org.loes4j.data.EmbeddingStream}
 * and mergeable across row blocks and partitions. {@link org.loes4j.selection.Loes#select(LoesStatistics)}
 * selects from them alone.
 */
package org.loes4j.selection.stats;
