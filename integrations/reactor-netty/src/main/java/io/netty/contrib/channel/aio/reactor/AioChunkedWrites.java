/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.reactor;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.contrib.channel.aio.handler.AioChunkedWriteHandler;
import reactor.netty.ChannelPipelineConfigurer;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;

import java.net.SocketAddress;

/**
 * Makes Reactor Netty's chunked file sends ({@code sendFile} under TLS or compression, {@code sendFileChunked})
 * read their files with AIO on AIO loops:
 * {@code HttpServer.create().runOn(AioLoopResources.create("app")).doOnChannelInit(AioChunkedWrites.configurer())}.
 *
 * <p>Reactor writes such a file as a {@code ChunkedNioFile} and adds a {@code ChunkedWriteHandler} under
 * {@link NettyPipeline#ChunkedWriter} only when the pipeline has none. The configurer puts an
 * {@link AioChunkedWriteHandler} there when the channel is initialised — after Reactor's own handlers (TLS, HTTP
 * codec), before its reactive bridge, where Reactor would have put its own — so Reactor finds it and uses it for
 * every request of the connection (HTTP/1.1 keep-alive included); it stays for the channel's life. On loops that
 * are not AIO the handler writes as Reactor's would.
 *
 * <p>Threading and ownership: the configurer is stateless and may be shared by any number of servers and
 * clients; Reactor calls it on each channel's loop at initialisation, and each channel gets its own handler, owned
 * by its pipeline. HTTP/2 streams (child channels of an h2 connection) are not covered: Reactor initialises them
 * without this configurer and adds its own {@code ChunkedWriteHandler} there.
 */
public final class AioChunkedWrites {
    private static final ChannelPipelineConfigurer CONFIGURER = AioChunkedWrites::install;

    private AioChunkedWrites() {
    }

    /** For {@code doOnChannelInit} of an {@code HttpServer}, {@code TcpServer}, {@code HttpClient} or {@code TcpClient}. */
    public static ChannelPipelineConfigurer configurer() {
        return CONFIGURER;
    }

    /**
     * Adds an {@link AioChunkedWriteHandler} under {@link NettyPipeline#ChunkedWriter} unless the pipeline has a
     * handler of that name already. Call on the channel's loop, or before it is registered.
     */
    public static void install(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(NettyPipeline.ChunkedWriter) != null) {
            return;
        }
        if (pipeline.get(NettyPipeline.ReactiveBridge) != null) {
            pipeline.addBefore(NettyPipeline.ReactiveBridge, NettyPipeline.ChunkedWriter,
                    new AioChunkedWriteHandler());
        } else {
            pipeline.addLast(NettyPipeline.ChunkedWriter, new AioChunkedWriteHandler());
        }
    }

    private static void install(ConnectionObserver observer, Channel channel, SocketAddress remoteAddress) {
        install(channel);
    }
}
