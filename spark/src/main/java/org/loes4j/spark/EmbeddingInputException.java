package org.loes4j.spark;

import java.io.Serial;

/**
 * A bad value in an input table, found by a task: the message names the column and the row (its index
 * within its partition, and the partition). Thrown on an executor, it reaches the driver as the cause of
 * Spark's job failure; the message is written to be read there, unwrapped.
 */
public final class EmbeddingInputException extends IllegalArgumentException {
    @Serial
    private static final long serialVersionUID = 1L;

    public EmbeddingInputException(String message) {
        super(message);
    }
}
