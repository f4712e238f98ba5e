package org.loes4j.data;

import org.loes4j.linalg.DMatrix;

/** Layer positions {@code positions} of a source, in that order, keeping their hidden-state indices. */
final class LayerView implements LayeredEmbeddings {
    private final LayeredEmbeddings source;
    private final int[] positions;

    LayerView(LayeredEmbeddings source, int[] positions) {
        if (positions == null || positions.length == 0) {
            throw new IllegalArgumentException("positions: at least one layer is needed");
        }
        for (int i = 0; i < positions.length; i++) {
            if (positions[i] < 0 || positions[i] >= source.layerCount()) {
                throw new IllegalArgumentException("positions: " + positions[i] + " outside [0, " + source.layerCount() + ")");
            }
            for (int j = 0; j < i; j++) {
                if (positions[j] == positions[i]) {
                    throw new IllegalArgumentException("positions: layer " + source.layerIndex(positions[i]) + " appears twice");
                }
            }
        }
        this.source = source;
        this.positions = positions.clone();
    }

    @Override
    public int rows() {
        return source.rows();
    }

    @Override
    public int layerCount() {
        return positions.length;
    }

    @Override
    public int width(int position) {
        return source.width(positions[position]);
    }

    @Override
    public int layerIndex(int position) {
        return source.layerIndex(positions[position]);
    }

    @Override
    public void gather(int position, int[] rowIds, int from, int count, DMatrix dst) {
        if (position < 0 || position >= positions.length) {
            throw new IllegalArgumentException("position: " + position + " is outside [0, " + positions.length + ")");
        }
        source.gather(positions[position], rowIds, from, count, dst);
    }

    @Override
    public void checkFinite() {
        if (positions.length == source.layerCount()) {
            boolean identity = true;
            for (int i = 0; i < positions.length; i++) {
                identity &= positions[i] == i;
            }
            if (identity) {
                source.checkFinite();
                return;
            }
        }
        LayeredEmbeddings.super.checkFinite();
    }
}
