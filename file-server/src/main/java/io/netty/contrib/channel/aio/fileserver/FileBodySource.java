/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.channel.ChannelHandlerContext;

import java.io.IOException;

/**
 * Where response bodies come from: the one seam between the HTTP logic and the way a transport moves file bytes to
 * a socket. {@link ServerTransport#fileBodies} picks the implementation per transport, so that every transport
 * serves exactly the same requests with the same headers and only this part differs. Implementations are
 * thread-safe; the {@link FileBody}s they open are confined to the event loop of the channel that serves them.
 */
interface FileBodySource {

    /**
     * Takes over the open descriptor of a regular file for serving on {@code ctx}'s channel: the descriptor the
     * resolver checked ({@code file.fd()}, its attributes as read from it). On success the body owns the
     * descriptor ({@link PathResolver.Resolved#transfer}); on failure it is left to the caller. The pipeline holds
     * a {@code ChunkedWriteHandler} between the HTTP codec and the request handler.
     */
    FileBody open(ChannelHandlerContext ctx, PathResolver.Resolved file) throws IOException;

    /** How bytes move, for the startup line: e.g. {@code sendfile (DefaultFileRegion)}. */
    String describe();

    /**
     * Bytes of buffers one response may hold at once, however slowly its client takes them: the reads kept ahead
     * of the socket plus the chunk written and waiting (on HTTP/2, for flow-control window). What HTTP/2 admits
     * per connection is counted in these ({@code --http2-response-memory}).
     */
    long bufferBytesPerResponse();

    /**
     * An open file whose bytes one response sends. Used on one event loop only.
     */
    interface FileBody extends AutoCloseable {
        /** The file's size when it was looked up. */
        long size();

        /**
         * A message for the pipeline that sends bytes {@code [offset, offset + length)}, with {@code length > 0}.
         * The message owns what it needs (a descriptor, buffers) and is released by the pipeline once written or
         * failed, whatever happens to this body.
         */
        Object slice(long offset, long length) throws IOException;

        /**
         * Runs {@code then} once {@code slice}, from {@link #slice}, has its first bytes at hand, so that a response
         * written and flushed by {@code then} sends its head together with them: at once by default.
         */
        default void whenReady(Object slice, Runnable then) {
            then.run();
        }

        /** Releases what this body still holds; slices already handed out stay valid. Idempotent. */
        @Override
        void close();
    }
}
