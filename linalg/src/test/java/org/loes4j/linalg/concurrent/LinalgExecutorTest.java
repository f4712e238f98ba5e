package org.loes4j.linalg.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

class LinalgExecutorTest {

    @Test
    void everyTaskRunsExactlyOnce() {
        AtomicIntegerArray seen = new AtomicIntegerArray(1000);
        LinalgExecutor.parallelFor(1000, seen::incrementAndGet);
        for (int i = 0; i < 1000; i++) {
            assertEquals(1, seen.get(i), "task " + i);
        }
        LinalgExecutor.parallelFor(0, t -> {
            throw new AssertionError("no task expected");
        });
    }

    @Test
    void workRunsOnTheLibraryPoolNotTheCommonPool() {
        var names = ConcurrentHashMap.<String>newKeySet();
        LinalgExecutor.parallelFor(64, t -> {
            names.add(Thread.currentThread().getName());
            long s = 0;
            for (int i = 0; i < 200_000; i++) {
                s += i ^ t;
            }
            if (s == 42) {
                names.add("impossible");
            }
        });
        for (String n : names) {
            assertTrue(!n.contains("ForkJoinPool"), n);
        }
        if (LinalgExecutor.threads() > 1) {
            assertTrue(names.stream().anyMatch(n -> n.startsWith("loes4j-linalg-")), names.toString());
        }
    }

    @Test
    void aFailingTaskIsRethrown() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LinalgExecutor.parallelFor(8, t -> {
            if (t == 5) {
                throw new IllegalStateException("task 5 failed");
            }
        }));
        assertEquals("task 5 failed", e.getMessage());
    }

    @Test
    void aNestedCallRunsInlineOnWhicheverThreadRunsTheOuterTask() {
        var strays = ConcurrentHashMap.<String>newKeySet();
        java.util.concurrent.atomic.AtomicInteger innerTasks = new java.util.concurrent.atomic.AtomicInteger();
        LinalgExecutor.parallelFor(4, outer -> {
            Thread owner = Thread.currentThread();
            LinalgExecutor.parallelFor(8, inner -> {
                innerTasks.incrementAndGet();
                if (Thread.currentThread() != owner) {
                    strays.add(owner.getName() + " -> " + Thread.currentThread().getName());
                }
            });
        });
        assertEquals(32, innerTasks.get());
        assertTrue(strays.isEmpty(), "inner tasks left their outer task's thread: " + strays);
    }

    @Test
    void nestedParallelForRunsInline() {
        AtomicIntegerArray seen = new AtomicIntegerArray(16);
        LinalgExecutor.parallelFor(4, outer -> LinalgExecutor.parallelFor(4, inner -> seen.incrementAndGet(outer * 4 + inner)));
        for (int i = 0; i < 16; i++) {
            assertEquals(1, seen.get(i));
        }
    }
}
