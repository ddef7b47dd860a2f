/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.contrib.channel.aio.core.AioContext;
import io.netty.contrib.channel.aio.core.AioSystemProperties;
import io.netty.channel.IoEventLoop;
import io.netty.contrib.channel.aio.AioEventLoop;
import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.contrib.channel.aio.AioIoHandle;
import io.netty.contrib.channel.aio.AioIoHandlerConfig;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.internal.ObjectUtil;

import java.io.IOException;

/**
 * Where an {@link AioFile}'s kernel operations are submitted and reaped: the host of its AIO context. Each kind
 * of host has one implementation, all reusing the same pieces (the AIO loop's registration API, or core's
 * {@code AioContext}) rather than a submit/reap loop of their own:
 * <ul>
 *   <li>an {@link AioEventLoop}: the file registers an {@code AioIoHandle} on the loop; its iocbs ride the loop's
 *   own {@code io_submit} batches and are reaped with everything else;</li>
 *   <li>an epoll loop: one AIO context per loop whose eventfd is registered as an {@code EpollIoHandle}; completions
 *   are reaped on the epoll thread when the eventfd turns readable (needs
 *   {@code netty-transport-classes-epoll}, an optional dependency);</li>
 *   <li>anything else (NIO, io_uring, a plain executor): a small dedicated completion thread — a one-thread AIO
 *   loop — runs the file; futures still complete on the caller's executor.</li>
 * </ul>
 * {@link #of(EventExecutor)} picks one. Hosts are thread-safe; a file's work runs on {@link #executor()}.
 */
public abstract class AioFileHost {
    /** Depth of the AIO contexts of epoll hosts and dedicated completion threads. */
    private static final Object DEFAULT_DEPTH = AioSystemProperties.attempt(() -> AioSystemProperties.intValue(
            "io.netty.aio.file.contextDepth", 1024, 1, AioContext.MAX_DEPTH));

    /** {@code io.netty.aio.file.contextDepth}, 1024 when unset; a bad value fails here, naming it. */
    static int defaultDepth() {
        return AioSystemProperties.result(DEFAULT_DEPTH, Integer.class);
    }

    AioFileHost() {
    }

    /** The thread that submits and reaps for the files of this host; their internal state lives there. */
    public abstract EventExecutor executor();

    /** Connects a file; may wait for the host loop to register it. */
    abstract HostLink link(HostLink.Client client) throws IOException;

    /**
     * The host for files used from {@code executor}: the AIO loop itself, the epoll loop's host (created on
     * first use, one per loop, closed when the loop shuts down), or the shared completion thread.
     */
    public static AioFileHost of(EventExecutor executor) {
        ObjectUtil.checkNotNull(executor, "executor");
        if (executor instanceof IoEventLoop) {
            IoEventLoop loop = (IoEventLoop) executor;
            if (loop.isCompatible(AioIoHandle.class)) {
                return new AioLoopHost(loop, null);
            }
            if (EpollSupport.isEpollLoop(loop)) {
                return EpollSupport.host(loop);
            }
        }
        return SharedHolder.SHARED;
    }

    /** The host of an AIO event loop. */
    public static AioFileHost forAioLoop(IoEventLoop loop) {
        if (!loop.isCompatible(AioIoHandle.class)) {
            throw new IllegalArgumentException(loop + " is not an AIO event loop");
        }
        return new AioLoopHost(loop, null);
    }

    /**
     * The host of an epoll event loop: one AIO context per loop, its eventfd registered with the loop's epoll.
     *
     * @throws IllegalArgumentException if {@code loop} is not an epoll loop, or epoll classes are missing
     */
    public static AioFileHost forEpollLoop(IoEventLoop loop) {
        if (!EpollSupport.isEpollLoop(loop)) {
            throw new IllegalArgumentException(loop + " is not an epoll event loop (or netty-transport-classes-epoll "
                    + "is not on the class path)");
        }
        return EpollSupport.host(loop);
    }

    /**
     * The process-wide completion thread, started on first use (a daemon named {@code aio-file-completion}, AIO
     * depth {@code io.netty.aio.file.contextDepth}, default 1024). Never shut down.
     */
    public static AioFileHost sharedCompletionThread() {
        return SharedHolder.SHARED;
    }

    /**
     * A new dedicated completion thread with an AIO context of {@code depth} slots, for callers that want their
     * own. {@link #shutdownGracefully()} stops it, closing its files first.
     */
    public static AioFileHost newCompletionThread(String name, int depth) {
        AioEventLoopGroup group = new AioEventLoopGroup(1, new DefaultThreadFactory(name, true),
                new AioIoHandlerConfig().depth(depth).minDepth(Math.min(depth, 64)));
        return new AioLoopHost(group.next(), group);
    }

    /**
     * Stops a thread this host owns ({@link #newCompletionThread}); its files are closed by the loop's shutdown.
     * Hosts of loops the caller owns are stopped with those loops: for them this does nothing.
     */
    public Future<?> shutdownGracefully() {
        return ImmediateEventExecutor.INSTANCE.newSucceededFuture(null);
    }

    private static final class SharedHolder {
        static final AioFileHost SHARED = newCompletionThread("aio-file-completion", defaultDepth());
    }
}
