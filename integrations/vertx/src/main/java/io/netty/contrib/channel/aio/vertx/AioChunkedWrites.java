/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.vertx;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.contrib.channel.aio.handler.AioChunkedWriteHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.NetSocket;

/**
 * Makes Vert.x's chunked file sends ({@code HttpServerResponse.sendFile} and {@code NetSocket.sendFile} under TLS,
 * or with compression) read their files with AIO on AIO loops:
 * {@code vertx.createHttpServer(options).connectionHandler(AioChunkedWrites.connectionHandler())}.
 *
 * <p>Vert.x writes such a file as a {@code ChunkedNioFile} through a {@code ChunkedWriteHandler} it adds to the
 * connection's pipeline under the name {@value #HANDLER_NAME}. The helpers replace that handler with an
 * {@link AioChunkedWriteHandler} when the connection is set up, before its first request. A connection without
 * one (plain HTTP, where Vert.x sends a {@code DefaultFileRegion}; HTTP/2, which streams files otherwise) is left
 * as it is. The pipeline is reached through Vert.x's internal connection types
 * ({@code io.vertx.core.http.impl.HttpServerConnection}, {@code io.vertx.core.internal.net.NetSocketInternal}),
 * as Vert.x 5.0 has them; on a connection of another type the helpers do nothing.
 *
 * <p>Threading and ownership: call them where Vert.x hands over the connection (its connection handler, on the
 * connection's event loop). Each connection gets its own handler, owned by its pipeline. The handler a
 * {@link #connectionHandler()} returns is stateless and may serve any number of servers.
 */
public final class AioChunkedWrites {
    /** The name Vert.x gives its {@code ChunkedWriteHandler}. */
    public static final String HANDLER_NAME = "chunkedWriter";

    private static final Handler<HttpConnection> CONNECTION_HANDLER = AioChunkedWrites::install;

    private AioChunkedWrites() {
    }

    /** For {@code HttpServer.connectionHandler}: installs the AIO handler on each connection. */
    public static Handler<HttpConnection> connectionHandler() {
        return CONNECTION_HANDLER;
    }

    /** {@link #connectionHandler()}, then {@code next}: for a server that has a connection handler of its own. */
    public static Handler<HttpConnection> connectionHandler(Handler<HttpConnection> next) {
        return connection -> {
            install(connection);
            next.handle(connection);
        };
    }

    /**
     * Replaces the connection's {@code ChunkedWriteHandler} with an {@link AioChunkedWriteHandler}; returns whether
     * it did (false: no such handler, one installed already, or a connection type this does not know).
     */
    public static boolean install(HttpConnection connection) {
        if (connection instanceof io.vertx.core.http.impl.HttpServerConnection) {
            return install(((io.vertx.core.http.impl.HttpServerConnection) connection).channelHandlerContext()
                    .pipeline());
        }
        return false;
    }

    /** As {@link #install(HttpConnection)}, for a {@code NetServer}'s socket (its {@code connectHandler}). */
    public static boolean install(NetSocket socket) {
        if (socket instanceof io.vertx.core.internal.net.NetSocketInternal) {
            return install(((io.vertx.core.internal.net.NetSocketInternal) socket).channelHandlerContext()
                    .pipeline());
        }
        return false;
    }

    private static boolean install(ChannelPipeline pipeline) {
        ChannelHandler current = pipeline.get(HANDLER_NAME);
        if (!(current instanceof ChunkedWriteHandler) || current instanceof AioChunkedWriteHandler) {
            return false;
        }
        pipeline.replace(HANDLER_NAME, HANDLER_NAME, new AioChunkedWriteHandler());
        return true;
    }
}
