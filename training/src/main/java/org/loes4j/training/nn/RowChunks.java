package org.loes4j.training.nn;

import java.util.function.IntConsumer;

import org.loes4j.linalg.concurrent.LinalgExecutor;

/**
 * Splits the rows of a batch into fixed chunks of {@link #ROWS} rows and runs them on the library
 * executor when the batch is large enough. The chunking does not depend on the thread count, and
 * per-chunk partial sums are combined in chunk order by the callers, so results are bitwise identical
 * for any number of threads.
 */
final class RowChunks {
    /** Rows per task. */
    static final int ROWS = 16;
    /**
     * Below this many elements a batch runs on the calling thread: a task hand-off costs a few
     * microseconds, about what 16k elementwise GELU or LayerNorm operations take.
     */
    static final int PARALLEL_ELEMENTS = 16_384;

    private RowChunks() {
    }

    static int count(int rows) {
        return (rows + ROWS - 1) / ROWS;
    }

    /** Runs {@code chunk.accept(c)} for every chunk c of a rows x cols batch. */
    static void run(int rows, int cols, IntConsumer chunk) {
        int chunks = count(rows);
        if ((long) rows * cols < PARALLEL_ELEMENTS || chunks < 2) {
            for (int c = 0; c < chunks; c++) {
                chunk.accept(c);
            }
        } else {
            LinalgExecutor.parallelFor(chunks, chunk);
        }
    }
}
