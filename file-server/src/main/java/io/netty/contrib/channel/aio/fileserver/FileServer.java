/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/1.1 static file server: binds, serves, and shuts down gracefully — {@link #shutdown()} stops accepting
 * (the listening socket is closed, so new connections are refused), lets every response in progress finish, closes
 * idle connections, then stops the event loops. Thread-safe.
 */
final class FileServer {
    /** Longest request line accepted: longer is a 414. */
    static final int MAX_REQUEST_LINE = 8192;
    /** Largest request head accepted: larger is a 431. */
    static final int MAX_HEADER_SIZE = 16384;

    private final FileServerConfig config;
    private final PathResolver resolver;
    private final FileBodySource bodies;
    private final AccessLog accessLog;
    private final EventLoopGroup group;
    private final ChannelGroup connections = new DefaultChannelGroup("connections", GlobalEventExecutor.INSTANCE);
    private final Channel serverChannel;
    private volatile boolean draining;

    private FileServer(FileServerConfig config) throws InterruptedException {
        this.config = config;
        resolver = new PathResolver(config.root(), config.followSymlinks());
        bodies = config.transport().fileBodies(config);
        accessLog = config.accessLog() ? new AccessLog(System.out) : null;
        group = new MultiThreadIoEventLoopGroup(config.threads(),
                new DefaultThreadFactory("aio-file-server-" + config.transport().cliName()),
                config.transport().newIoHandlerFactory());
        try {
            ServerBootstrap b = new ServerBootstrap()
                    .group(group)
                    .channel(config.transport().serverChannelClass())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            connections.add(ch);
                            ChannelPipeline p = ch.pipeline();
                            long idle = config.idleTimeout().toNanos();
                            // Writer idle with output observed: only a response that stops progressing counts.
                            p.addLast("idle", new IdleStateHandler(true, 0, idle, 0, TimeUnit.NANOSECONDS));
                            p.addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                                    .setMaxInitialLineLength(MAX_REQUEST_LINE)
                                    .setMaxHeaderSize(MAX_HEADER_SIZE)));
                            ChannelHandler writer = bodies.newWriteHandler();
                            if (writer != null) {
                                p.addLast("body-writer", writer);
                            }
                            p.addLast("files", new HttpFileHandler(FileServer.this));
                        }
                    });
            serverChannel = b.bind(config.bind(), config.port()).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            if (accessLog != null) {
                accessLog.close();
            }
            throw e;
        }
    }

    /** Starts a server; returns once it listens. */
    static FileServer start(FileServerConfig config) throws InterruptedException {
        return new FileServer(config);
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    FileServerConfig config() {
        return config;
    }

    PathResolver resolver() {
        return resolver;
    }

    FileBodySource bodies() {
        return bodies;
    }

    /** The access log, or {@code null} when off. */
    AccessLog accessLog() {
        return accessLog;
    }

    boolean isDraining() {
        return draining;
    }

    /** Connections open right now. */
    int connectionCount() {
        return connections.size();
    }

    /** Blocks until the server has been shut down. */
    void awaitTermination() throws InterruptedException {
        group.terminationFuture().sync();
    }

    /**
     * Stops accepting, waits up to the shutdown timeout for responses in progress, then closes what is left and
     * stops the event loops. Blocks until done; idempotent.
     *
     * @return whether every response in progress finished in time
     */
    synchronized boolean shutdown() throws InterruptedException {
        if (draining) {
            group.terminationFuture().sync();
            return true;
        }
        draining = true;
        serverChannel.close().sync();
        ChannelGroupFuture closed = connections.newCloseFuture();
        for (Channel ch : connections) {
            ch.pipeline().fireUserEventTriggered(HttpFileHandler.DRAIN);
        }
        boolean finished = closed.await(config.shutdownTimeout().toMillis());
        if (!finished) {
            connections.close().await(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        if (accessLog != null) {
            accessLog.close();
        }
        return finished;
    }
}
