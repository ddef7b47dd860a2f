/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.benchmarks.loop;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** One loop of the transport under test, the same for every loop benchmark. */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public abstract class AbstractLoopBenchmark {
    @Param({"aio", "aio_poll", "epoll", "nio", "io_uring"})
    public LoopTransport transport;

    IoEventLoopGroup group;
    IoEventLoop loop;

    @Setup(Level.Trial)
    public void startLoop() throws Exception {
        group = transport.newGroup();
        loop = group.next();
        registerHandles();
    }

    @TearDown(Level.Trial)
    public void stopLoop() throws Exception {
        try {
            disposeHandles();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Registers what the benchmark needs on {@link #loop} (JMH orders inherited setups loosely: one method). */
    void registerHandles() throws Exception {
    }

    /** Disposes of it while the loop still runs. */
    void disposeHandles() throws Exception {
    }
}
