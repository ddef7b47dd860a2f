/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.benchmarks.loop;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code execute()} throughput from another thread: each invocation hands {@value #BATCH} tasks to the loop and
 * waits for the last one to run. The loop sleeps between batches and may sleep within one when it drains the
 * queue faster than it fills, so the figure includes the wakeups ({@code wakeup()} writing the eventfd only while
 * the loop sleeps).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LoopExecuteBenchmark {
    static final int BATCH = 10_000;

    @Param({"aio", "epoll", "nio", "io_uring"})
    public LoopTransport transport;

    private IoEventLoopGroup group;
    private IoEventLoop loop;
    private Thread benchmarkThread;
    private volatile boolean done;
    private int ran; // loop thread
    private final Runnable task = this::ran;

    @Setup(Level.Trial)
    public void setUp() {
        group = transport.newGroup();
        loop = group.next();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

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
