package org.loes4j.data;

import org.loes4j.linalg.DMatrix;

/** Samples {@code map} of a source, in that order; nothing is copied. */
final class RowView implements LayeredEmbeddings {
    private final LayeredEmbeddings source;
    private final int[] map;

    RowView(LayeredEmbeddings source, int[] rows) {
        if (rows == null) {
            throw new IllegalArgumentException("rows: null");
        }
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= source.rows()) {
                throw new IllegalArgumentException("rows: entry " + i + " is " + rows[i] + ", outside [0, "
                        + source.rows() + ")");
            }
        }
        this.source = source;
        this.map = rows.clone();
    }

    @Override
    public int rows() {
        return map.length;
    }

    @Override
    public int layerCount() {
        return source.layerCount();
    }

    @Override
    public int width(int position) {
        return source.width(position);
    }

    @Override
    public int layerIndex(int position) {
        return source.layerIndex(position);
    }

    @Override
    public void gather(int position, int[] rowIds, int from, int count, DMatrix dst) {
        int[] mapped = new int[count];
        for (int i = 0; i < count; i++) {
            mapped[i] = map[rowIds[from + i]];
        }
        source.gather(position, mapped, 0, count, dst);
    }

    @Override
    public LayeredEmbeddings rows(int[] rowIds) {
        int[] composed = new int[rowIds.length];
        for (int i = 0; i < rowIds.length; i++) {
            if (rowIds[i] < 0 || rowIds[i] >= map.length) {
                throw new IllegalArgumentException("rows: entry " + i + " is " + rowIds[i] + ", outside [0, "
                        + map.length + ")");
            }
            composed[i] = map[rowIds[i]];
        }
        return new RowView(source, composed);
    }
}
