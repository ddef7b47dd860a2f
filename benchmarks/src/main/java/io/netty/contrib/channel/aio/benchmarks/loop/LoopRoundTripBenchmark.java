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
 * Readiness round trips made entirely on the loop: signal a descriptor, get its readiness event, drain it, signal
 * again ({@link LoopTransport} says how each transport does it). One invocation is a chain of {@value #BATCH} round
 * trips started by one task, so the figure is the loop's own cycle (a wakeup per batch is amortised). For AIO each
 * round trip is an {@code io_submit} of the re-armed POLL, the eventfd write, the completion reaped from the ring
 * and the eventfd read.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LoopRoundTripBenchmark {
    static final int BATCH = 1000;

    @Param({"aio", "epoll", "nio", "io_uring"})
    public LoopTransport transport;

    private IoEventLoopGroup group;
    private IoEventLoop loop;
    private LoopTransport.PingPong pingPong;
    private Thread benchmarkThread;
    private volatile boolean done;
    private final Runnable onDone = this::finished;
    private final Runnable startChain = () -> pingPong.start(BATCH, onDone);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        group = transport.newGroup();
        loop = group.next();
        pingPong = transport.pingPong(loop);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        pingPong.dispose();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
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
