package org.loes4j.linalg.concurrent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The one thread pool loes4j computes on (never the common ForkJoinPool). Its size is read once from
 * {@code -Dloes4j.threads=N} (the CLI's {@code --threads}), default {@code availableProcessors()}.
 *
 * <p>{@link #parallelFor} splits work into tasks; the calling thread takes part, so a pool of T threads
 * keeps T - 1 workers. Callers decide by a size threshold whether work is worth splitting at all:
 * below it they simply loop on the calling thread.
 */
public final class LinalgExecutor {
    /** System property that sets the thread count. */
    public static final String THREADS_PROPERTY = "loes4j.threads";

    private static final int THREADS = readThreads();
    private static volatile ExecutorService pool;
    /**
     * True while a thread runs tasks of a {@link #parallelFor}: a nested call then loops inline. Without
     * it the calling thread of the outer loop would queue the inner tasks behind the outer ones.
     */
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private LinalgExecutor() {
    }

    private static int readThreads() {
        String v = System.getProperty(THREADS_PROPERTY);
        int cores = Runtime.getRuntime().availableProcessors();
        if (v == null || v.isBlank()) {
            return cores;
        }
        try {
            int t = Integer.parseInt(v.trim());
            if (t < 1) {
                throw new IllegalArgumentException(THREADS_PROPERTY + ": " + v + " must be >= 1");
            }
            return t;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(THREADS_PROPERTY + ": '" + v + "' is not an integer", e);
        }
    }

    /** Number of threads work is spread over (including the calling thread). */
    public static int threads() {
        return THREADS;
    }

    private static ExecutorService pool() {
        ExecutorService p = pool;
        if (p == null) {
            synchronized (LinalgExecutor.class) {
                p = pool;
                if (p == null) {
                    AtomicInteger n = new AtomicInteger();
                    ThreadFactory f = r -> {
                        Thread t = new Thread(r, "loes4j-linalg-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    };
                    p = Executors.newFixedThreadPool(Math.max(1, THREADS - 1), f);
                    pool = p;
                }
            }
        }
        return p;
    }

    /**
     * Runs {@code task.accept(t)} for every t in [0, tasks), spread over the pool and the calling thread,
     * and returns when all are done. Tasks are claimed dynamically, so uneven tasks balance. Exceptions
     * from tasks are rethrown (the first one; the others are suppressed into it).
     */
    public static void parallelFor(int tasks, IntConsumer task) {
        if (tasks <= 0) {
            return;
        }
        if (tasks == 1 || THREADS == 1 || INSIDE.get()) {
            for (int t = 0; t < tasks; t++) {
                task.accept(t);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            INSIDE.set(Boolean.TRUE);
            try {
                for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                    task.accept(t);
                }
            } finally {
                INSIDE.set(Boolean.FALSE);
            }
        };
        int helpers = Math.min(THREADS - 1, tasks - 1);
        Future<?>[] futures = new Future<?>[helpers];
        ExecutorService p = pool();
        for (int h = 0; h < helpers; h++) {
            futures[h] = p.submit(worker);
        }
        RuntimeException failure = null;
        try {
            worker.run();
        } catch (RuntimeException | Error e) {
            failure = e instanceof RuntimeException re ? re : new RuntimeException(e);
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for linalg tasks", e);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable c = e.getCause();
                RuntimeException r = c instanceof RuntimeException re ? re : new RuntimeException(c);
                if (failure == null) {
                    failure = r;
                } else {
                    failure.addSuppressed(r);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
