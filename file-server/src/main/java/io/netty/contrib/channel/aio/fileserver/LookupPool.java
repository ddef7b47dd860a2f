/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The threads that make the lookups an event loop cannot answer from memory (AIO has no open or stat operation):
 * a request whose cached-only lookup ({@link RootDirectory}) throws {@link RootDirectory.NotCached} runs all its
 * lookups again here, blocking, and continues on its channel's event loop. Also where directory listings are read
 * ({@code getdents64} has no cached-only mode).
 *
 * <p>Bounded both ways: at most {@code threads} lookups wait for the file system at once (daemon threads, made
 * when needed and gone after a minute idle), at most {@code queue} more wait for a thread; beyond that
 * {@link #execute} refuses and the request is answered 503. The counters say how requests were looked up.
 *
 * <p>Thread-safe. A task owns what it opens until it hands it to the event loop; one refused owns nothing.
 */
final class LookupPool {
    /** How long an idle thread is kept: a burst of cold lookups reuses threads, a quiet server holds none. */
    private static final long KEEP_ALIVE_SECONDS = 60;

    private final ThreadPoolExecutor executor;
    private final int threads;
    private final int queue;
    private final LongAdder cached = new LongAdder();
    private final LongAdder offLoop = new LongAdder();
    private final LongAdder refused = new LongAdder();

    /**
     * @param threads lookups run at once, at least 1
     * @param queue   lookups waiting for a thread, at least 1
     */
    LookupPool(int threads, int queue) {
        this.threads = threads;
        this.queue = queue;
        // Named so that no pool thread's 15-byte comm reads "aio-file-server", the loops' prefix.
        executor = new ThreadPoolExecutor(threads, threads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), new DefaultThreadFactory("file-lookup", true),
                new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
    }

    /** Counts a request whose lookups were all answered on its event loop (dentry cache or open-file cache). */
    void answeredOnLoop() {
        cached.increment();
    }

    /**
     * Runs {@code lookup} on a pool thread, counted as a request looked up off the loop; or refuses it, counted,
     * when {@code threads} lookups run and {@code queue} wait.
     *
     * @return whether it was taken; if not, it will never run
     */
    boolean execute(Runnable lookup) {
        try {
            executor.execute(lookup);
        } catch (RejectedExecutionException e) {
            refused.increment();
            return false;
        }
        offLoop.increment();
        return true;
    }

    /** Requests whose lookups were all answered on the event loop. */
    long answeredOnLoopCount() {
        return cached.sum();
    }

    /** Requests whose lookups ran on this pool. */
    long offLoopCount() {
        return offLoop.sum();
    }

    /** Requests answered 503 because the pool was full. */
    long refusedCount() {
        return refused.sum();
    }

    /** For the startup line. */
    String describe() {
        return threads + " threads, " + queue + " queued";
    }

    /**
     * Stops taking lookups and drops the queued ones; waits up to {@code seconds} for those running (a lookup in
     * the kernel is not interruptible, and its result is closed when the loop it would go back to has stopped):
     * a file system that never answers must not hold the shutdown.
     *
     * @return whether no lookup runs any more
     */
    boolean shutdown(long seconds) throws InterruptedException {
        executor.shutdownNow();
        return executor.awaitTermination(seconds, TimeUnit.SECONDS);
    }
}
