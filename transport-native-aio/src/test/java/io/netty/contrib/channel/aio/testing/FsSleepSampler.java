/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.testing;

import io.netty.util.concurrent.EventExecutor;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches one thread (an event loop's) from another and records where it slept in the filesystem: each sample
 * reads the thread's state from {@code /proc/self/task/<tid>/stat} and, when it is D (uninterruptible sleep),
 * the kernel function it waits in from {@code wchan}. Only file-path functions count (ext4, rwsem, iomap, filemap,
 * folio): a scheduler or epoll name there is the thread having moved on between the two reads. Asserting that the
 * set is empty asserts, without timing, that no sample found the loop blocked on a file — the samples are many
 * (tens of thousands per second), the waits they look for last milliseconds.
 */
public final class FsSleepSampler implements AutoCloseable {
    private final Set<String> sleptOn = ConcurrentHashMap.newKeySet();
    private final AtomicLong samples = new AtomicLong();
    private final Thread thread;
    private volatile boolean stop;

    private FsSleepSampler(LoopThread loopThread) {
        thread = new Thread(() -> {
            while (!stop) {
                try {
                    if (loopThread.state() == 'D') {
                        String where = loopThread.waitsIn();
                        if (where.contains("ext4") || where.contains("rwsem") || where.contains("iomap")
                                || where.contains("filemap") || where.contains("folio")) {
                            sleptOn.add(where);
                        }
                    }
                    samples.incrementAndGet();
                } catch (IOException e) {
                    return; // the thread is gone
                }
            }
        }, "loop-state-sampler");
        thread.start();
    }

    /** Starts sampling the thread of {@code loop}. */
    public static FsSleepSampler start(EventExecutor loop) throws Exception {
        return new FsSleepSampler(LoopThread.of(loop));
    }

    /** The kernel functions the thread was found asleep in; stop first. */
    public Set<String> sleptOn() {
        return sleptOn;
    }

    public long samples() {
        return samples.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join();
    }
}
