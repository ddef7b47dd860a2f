/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.benchmarks.loop;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code execute()} throughput from another thread: each invocation hands {@value #BATCH} tasks to the loop and
 * waits for the last one to run. The loop sleeps between batches and may sleep within one when it drains the
 * queue faster than it fills, so the figure includes the wakeups ({@code wakeup()} writing the eventfd only while
 * the loop sleeps).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LoopExecuteBenchmark extends AbstractLoopBenchmark {
    static final int BATCH = 10_000;

    private Thread benchmarkThread;
    private volatile boolean done;
    private int ran; // loop thread
    private final Runnable task = this::ran;

    private void ran() {
        if (++ran == BATCH) {
            ran = 0;
            done = true;
            LockSupport.unpark(benchmarkThread);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void execute() {
        benchmarkThread = Thread.currentThread();
        done = false;
        for (int i = 0; i < BATCH; i++) {
            loop.execute(task);
        }
        while (!done) {
            LockSupport.park(this);
        }
    }
}
