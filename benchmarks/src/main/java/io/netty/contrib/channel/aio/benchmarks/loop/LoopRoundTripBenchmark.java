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
 * Readiness round trips made entirely on the loop: signal a descriptor, get its readiness event, drain it, signal
 * again ({@link LoopTransport} says how each transport does it). One invocation is a chain of {@value #BATCH} round
 * trips started by one task, so the figure is the loop's own cycle (a wakeup per batch is amortised). For AIO, as for
 * epoll, each round trip is the eventfd write, an {@code epoll_wait} that reports it and the eventfd read.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LoopRoundTripBenchmark extends AbstractLoopBenchmark {
    static final int BATCH = 1000;

    private LoopTransport.PingPong pingPong;
    private Thread benchmarkThread;
    private volatile boolean done;
    private final Runnable onDone = this::finished;
    private final Runnable startChain = () -> pingPong.start(BATCH, onDone);

    @Override
    void registerHandles() throws Exception {
        pingPong = transport.pingPong(loop);
    }

    @Override
    void disposeHandles() throws Exception {
        pingPong.dispose();
    }

    private void finished() {
        done = true;
        LockSupport.unpark(benchmarkThread);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void roundTrip() {
        benchmarkThread = Thread.currentThread();
        done = false;
        loop.execute(startChain);
        while (!done) {
            LockSupport.park(this);
        }
    }
}
