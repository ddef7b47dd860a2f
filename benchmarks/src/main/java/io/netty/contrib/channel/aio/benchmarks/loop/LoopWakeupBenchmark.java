/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.benchmarks.loop;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Latency of waking a sleeping loop: before each invocation the benchmark thread pauses long enough for the idle loop
 * to block in its wait (ppoll, epoll_wait, io_uring_enter, select); the invocation hands it a task and spins until
 * the task has run. Measured: {@code execute()}, the wakeup (eventfd write), the kernel waking the loop thread, the
 * loop's way back to its task queue.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LoopWakeupBenchmark extends AbstractLoopBenchmark {
    /** Long enough for the loop to go back to sleep after the previous task. */
    private static final long PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private volatile boolean ran;
    private final Runnable task = () -> ran = true;

    @Setup(Level.Invocation)
    public void letTheLoopSleep() {
        LockSupport.parkNanos(PAUSE_NANOS);
    }

    @Benchmark
    public void wakeup() {
        ran = false;
        loop.execute(task);
        while (!ran) {
            Thread.onSpinWait();
        }
    }
}
