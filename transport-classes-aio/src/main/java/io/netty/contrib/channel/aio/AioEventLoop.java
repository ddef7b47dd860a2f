/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SingleThreadIoEventLoop;

import java.util.concurrent.Executor;

/**
 * An event loop driven by an {@link AioIoHandler}: one thread, one AIO context, one eventfd. The type to name in
 * code that wants this loop's {@linkplain #stats() statistics} or its {@link #ioHandler() handler}; otherwise the
 * same loop as a {@code MultiThreadIoEventLoopGroup} built with {@link AioIoHandler#newFactory()} runs (the
 * handler closes everything at shutdown either way). Thread-safe as every Netty event loop: tasks may be submitted
 * from anywhere; I/O runs on the loop thread.
 */
public final class AioEventLoop extends SingleThreadIoEventLoop {

    AioEventLoop(IoEventLoopGroup parent, Executor executor, IoHandlerFactory factory) {
        super(parent, executor, factory);
    }

    /** The handler: its public API registers handles and reports the loop's depth. */
    public AioIoHandler aioHandler() {
        return (AioIoHandler) ioHandler();
    }

    /** A snapshot of the loop's AIO counters (exact on the loop thread, recent values elsewhere). */
    public AioIoStats stats() {
        return aioHandler().stats();
    }
}
