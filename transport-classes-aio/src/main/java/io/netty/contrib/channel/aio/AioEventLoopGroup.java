/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;

import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * A group of {@link AioEventLoop}s — Netty's {@link MultiThreadIoEventLoopGroup} with {@link AioIoHandler}s.
 * Constructors mirror Netty's; {@code nThreads == 0} means Netty's default (twice the processors). Construction
 * fails with an {@link UnsatisfiedLinkError} naming the cause when AIO is unavailable ({@link Aio}).
 * Thread-safe.
 */
public final class AioEventLoopGroup extends MultiThreadIoEventLoopGroup {

    public AioEventLoopGroup() {
        this(0);
    }

    public AioEventLoopGroup(int nThreads) {
        this(nThreads, (ThreadFactory) null);
    }

    public AioEventLoopGroup(int nThreads, ThreadFactory threadFactory) {
        this(nThreads, threadFactory, new AioIoHandlerConfig());
    }

    public AioEventLoopGroup(int nThreads, Executor executor) {
        this(nThreads, executor, new AioIoHandlerConfig());
    }

    public AioEventLoopGroup(int nThreads, ThreadFactory threadFactory, AioIoHandlerConfig config) {
        super(nThreads, threadFactory, AioIoHandler.newFactory(config));
    }

    public AioEventLoopGroup(int nThreads, Executor executor, AioIoHandlerConfig config) {
        super(nThreads, executor, AioIoHandler.newFactory(config));
    }

    @Override
    protected IoEventLoop newChild(Executor executor, IoHandlerFactory ioHandlerFactory, Object... args) {
        return new AioEventLoop(this, executor, ioHandlerFactory);
    }

    @Override
    public AioEventLoop next() {
        return (AioEventLoop) super.next();
    }
}
