package org.loes4j.data;

import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

import org.loes4j.linalg.DMatrix;

/**
 * Layered embeddings read once, front to back, in row blocks: the form a source that does not fit in memory
 * or comes from elsewhere (a partition of a data-lake table, a socket) takes. Every layer has its own width.
 * {@link LayeredEmbeddings} is also a stream (its rows in order), so code written against a stream runs on
 * both.
 */
public interface EmbeddingStream {

    /** L. */
    int layerCount();

    /** Width d_l of layer position {@code position}. */
    int width(int position);

    /** The hidden-state index of layer position {@code position} (0 = the embedding output). */
    int layerIndex(int position);

    /**
     * Hands every row, in order, to {@code consumer} in blocks of at most {@code blockRows} rows. The block's
     * matrices are float64 copies that the consumer may keep or modify.
     *
     * @throws IllegalArgumentException if {@code blockRows < 1}
     */
    void forEachBlock(int blockRows, BlockConsumer consumer);

    /** Receives one {@link RowBlock}. */
    @FunctionalInterface
    interface BlockConsumer {
        void accept(RowBlock block);
    }

    /**
     * Rows {@code [firstRow, firstRow + rows())} of every layer: {@code layers.get(l)} is rows() x d_l.
     *
     * @param firstRow index of the block's first row in the whole stream
     * @param layers   one matrix per layer position, all with the same row count
     */
    record RowBlock(long firstRow, List<DMatrix> layers) {
        public RowBlock {
            if (layers == null || layers.isEmpty()) {
                throw new IllegalArgumentException("layers: a block needs at least one layer");
            }
            int n = layers.getFirst().rows();
            for (int l = 1; l < layers.size(); l++) {
                if (layers.get(l).rows() != n) {
                    throw new IllegalArgumentException("layers: layer position " + l + " has " + layers.get(l).rows()
                            + " rows, position 0 has " + n);
                }
            }
            layers = List.copyOf(layers);
        }

        /** Rows in this block. */
        public int rows() {
            return layers.getFirst().rows();
        }
    }

    /**
     * A stream over blocks that {@code blocks} produces afresh for every pass (the block size is the
     * source's; {@code blockRows} of {@link #forEachBlock} then only bounds it from above by splitting).
     * Every block is checked against the declared widths.
     */
    static EmbeddingStream of(int[] widths, int[] layerIndices, Supplier<Iterator<RowBlock>> blocks) {
        if (widths == null || layerIndices == null || blocks == null) {
            throw new IllegalArgumentException("widths, layerIndices, blocks: null");
        }
        if (widths.length == 0 || widths.length != layerIndices.length) {
            throw new IllegalArgumentException("widths, layerIndices: " + widths.length + " and " + layerIndices.length
                    + " entries; need the same positive number");
        }
        for (int l = 0; l < widths.length; l++) {
            if (widths[l] < 1) {
                throw new IllegalArgumentException("widths: layer position " + l + " has width " + widths[l]);
            }
        }
        int[] w = widths.clone();
        int[] idx = layerIndices.clone();
        return new EmbeddingStream() {
            @Override
            public int layerCount() {
                return w.length;
            }

            @Override
            public int width(int position) {
                return w[position];
            }

            @Override
            public int layerIndex(int position) {
                return idx[position];
            }

            @Override
            public void forEachBlock(int blockRows, BlockConsumer consumer) {
                if (blockRows < 1) {
                    throw new IllegalArgumentException("blockRows: " + blockRows + " must be >= 1");
                }
                long next = 0;
                Iterator<RowBlock> it = blocks.get();
                while (it.hasNext()) {
                    RowBlock b = it.next();
                    if (b.layers().size() != w.length) {
                        throw new IllegalArgumentException("block at row " + b.firstRow() + ": " + b.layers().size()
                                + " layers, expected " + w.length);
                    }
                    for (int l = 0; l < w.length; l++) {
                        if (b.layers().get(l).cols() != w[l]) {
                            throw new IllegalArgumentException("block at row " + b.firstRow() + ": layer " + idx[l]
                                    + " has width " + b.layers().get(l).cols() + ", expected " + w[l]);
                        }
                    }
                    if (b.firstRow() != next) {
                        throw new IllegalArgumentException("block at row " + b.firstRow() + ": expected row " + next
                                + " (blocks must come in order without gaps)");
                    }
                    for (int r0 = 0; r0 < b.rows(); r0 += blockRows) {
                        int nr = Math.min(blockRows, b.rows() - r0);
                        if (r0 == 0 && nr == b.rows()) {
                            consumer.accept(b);
                        } else {
                            List<DMatrix> part = new java.util.ArrayList<>(w.length);
                            for (DMatrix m : b.layers()) {
                                part.add(m.view(r0, 0, nr, m.cols()).copy());
                            }
                            consumer.accept(new RowBlock(b.firstRow() + r0, part));
                        }
                    }
                    next += b.rows();
                }
            }
        };
    }
}
