/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.reactor;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.unix.DomainDatagramChannel;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.channel.unix.ServerDomainSocketChannel;
import io.netty.contrib.channel.aio.AioDatagramChannel;
import io.netty.contrib.channel.aio.AioDomainDatagramChannel;
import io.netty.contrib.channel.aio.AioDomainSocketChannel;
import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.contrib.channel.aio.AioServerDomainSocketChannel;
import io.netty.contrib.channel.aio.AioServerSocketChannel;
import io.netty.contrib.channel.aio.AioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.internal.ObjectUtil;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reactor Netty {@link LoopResources} on {@link AioEventLoopGroup}s: every server, client, UDP endpoint and the
 * DNS resolver of Reactor Netty then runs on AIO loops with AIO channels. Pass it to {@code runOn(...)}:
 * <pre>
 *   LoopResources loops = AioLoopResources.create("http");
 *   HttpServer.create().runOn(loops)...;  HttpClient.create().runOn(loops)...;
 * </pre>
 * Channel types map as epoll's do: {@link SocketChannel} to {@link AioSocketChannel}, {@link ServerSocketChannel}
 * to {@link AioServerSocketChannel}, {@link DatagramChannel} to {@link AioDatagramChannel}, and the Unix domain
 * stream, server and datagram channels to their AIO classes; any other type is refused with an
 * {@link IllegalArgumentException} naming it. The {@code useNative} flags Reactor passes are ignored: these loops
 * are always AIO.
 *
 * <p>Thread-safe. The groups are created at construction and shut down by {@link #dispose()} or
 * {@link #disposeLater()}; client and server share the worker loops, as Reactor's default resources do when
 * colocated.
 */
public final class AioLoopResources implements LoopResources {
    private final EventLoopGroup workers;
    private final EventLoopGroup selects;
    private final boolean daemon;
    private final AtomicBoolean disposed = new AtomicBoolean();

    private AioLoopResources(String prefix, int selectCount, int workerCount, boolean daemon) {
        ObjectUtil.checkNotNull(prefix, "prefix");
        ObjectUtil.checkPositive(workerCount, "workerCount");
        this.daemon = daemon;
        workers = new AioEventLoopGroup(workerCount, new DefaultThreadFactory(prefix + "-aio", daemon));
        selects = selectCount > 0
                ? new AioEventLoopGroup(selectCount, new DefaultThreadFactory(prefix + "-aio-select", daemon))
                : workers;
    }

    /** Reactor's default worker count ({@link #DEFAULT_IO_WORKER_COUNT}), daemon threads, accepting on the workers. */
    public static AioLoopResources create(String prefix) {
        return new AioLoopResources(prefix, -1, DEFAULT_IO_WORKER_COUNT, true);
    }

    /** {@code workerCount} loops that accept and serve; daemon threads or not. */
    public static AioLoopResources create(String prefix, int workerCount, boolean daemon) {
        return new AioLoopResources(prefix, -1, workerCount, daemon);
    }

    /** A separate group of {@code selectCount} loops for accepting ({@code -1}: accept on the workers). */
    public static AioLoopResources create(String prefix, int selectCount, int workerCount, boolean daemon) {
        return new AioLoopResources(prefix, selectCount, workerCount, daemon);
    }

    @Override
    public EventLoopGroup onServer(boolean useNative) {
        return workers;
    }

    @Override
    public EventLoopGroup onServerSelect(boolean useNative) {
        return selects;
    }

    @Override
    public EventLoopGroup onClient(boolean useNative) {
        return workers;
    }

    @Override
    public boolean daemon() {
        return daemon;
    }

    @Override
    public <C extends Channel> C onChannel(Class<C> channelType, EventLoopGroup group) {
        Class<? extends C> type = onChannelClass(channelType, group);
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot create " + type.getName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + type.getName(), e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <C extends Channel> Class<? extends C> onChannelClass(Class<C> channelType, EventLoopGroup group) {
        ObjectUtil.checkNotNull(channelType, "channelType");
        final Class<? extends Channel> type;
        if (channelType == SocketChannel.class) {
            type = AioSocketChannel.class;
        } else if (channelType == ServerSocketChannel.class) {
            type = AioServerSocketChannel.class;
        } else if (channelType == DatagramChannel.class) {
            type = AioDatagramChannel.class;
        } else if (channelType == DomainSocketChannel.class) {
            type = AioDomainSocketChannel.class;
        } else if (channelType == ServerDomainSocketChannel.class) {
            type = AioServerDomainSocketChannel.class;
        } else if (channelType == DomainDatagramChannel.class) {
            type = AioDomainDatagramChannel.class;
        } else if (channelType.isInterface() || channelType == ServerChannel.class) {
            throw new IllegalArgumentException("no AIO channel for " + channelType.getName()
                    + " (AIO has SocketChannel, ServerSocketChannel, DatagramChannel, DomainSocketChannel,"
                    + " ServerDomainSocketChannel, DomainDatagramChannel)");
        } else {
            throw new IllegalArgumentException("not a channel interface: " + channelType.getName());
        }
        return (Class<? extends C>) type;
    }

    @Override
    public boolean isDisposed() {
        return disposed.get();
    }

    @Override
    public void dispose() {
        disposeLater().subscribe();
    }

    @Override
    public Mono<Void> disposeLater() {
        return disposeLater(Duration.ofSeconds(DEFAULT_SHUTDOWN_QUIET_PERIOD),
                Duration.ofSeconds(DEFAULT_SHUTDOWN_TIMEOUT));
    }

    @Override
    public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
        return Mono.defer(() -> {
            if (!disposed.compareAndSet(false, true)) {
                return Mono.when(terminated(workers), terminated(selects));
            }
            long quiet = quietPeriod.toMillis();
            long limit = timeout.toMillis();
            workers.shutdownGracefully(quiet, limit, TimeUnit.MILLISECONDS);
            if (selects != workers) {
                selects.shutdownGracefully(quiet, limit, TimeUnit.MILLISECONDS);
            }
            return Mono.when(terminated(workers), terminated(selects));
        });
    }

    private static Mono<Void> terminated(EventLoopGroup group) {
        return Mono.create(sink -> {
            Future<?> f = group.terminationFuture();
            f.addListener(done -> {
                if (done.isSuccess()) {
                    sink.success();
                } else {
                    sink.error(done.cause());
                }
            });
        });
    }

    @Override
    public String toString() {
        return "AioLoopResources(workers: " + workers + (selects != workers ? ", selects: " + selects : "") + ')';
    }
}
