package org.loes4j.spark;

import org.apache.spark.sql.SparkSession;

/** The local Spark session of a test class, and the root cause of a failed job. */
final class LocalSpark {
    private LocalSpark() {
    }

    /**
     * A {@code local[2]} session: two task threads in this JVM, with Spark's real scheduling, serialization
     * of closures and results, and shuffles. No UI; two shuffle partitions instead of 200 (the tables are
     * tiny).
     */
    static SparkSession start(String name) {
        return SparkSession.builder()
                .master("local[2]")
                .appName(name)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }

    /** The innermost cause of {@code t}: the exception a task threw, under Spark's wrappers. */
    static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }
}
