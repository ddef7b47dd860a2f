/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Where response bodies come from: the one seam between the HTTP logic and the way a transport moves file bytes to
 * a socket. {@link ServerTransport#fileBodies} picks the implementation per transport, so that every transport
 * serves exactly the same requests with the same headers and only this part differs. Implementations are
 * thread-safe; the {@link FileBody}s they open are confined to the event loop of the channel that serves them.
 */
interface FileBodySource {

    /**
     * Opens a regular file for serving on {@code ctx}'s channel. The caller has checked that {@code file} is a real
     * path (no symlinks) to a regular file inside the root; {@code attrs} are its attributes as just read.
     */
    FileBody open(ChannelHandlerContext ctx, Path file, BasicFileAttributes attrs) throws IOException;

    /**
     * A handler the child pipeline needs between the HTTP codec and the request handler to write this source's
     * messages (a {@code ChunkedWriteHandler} for chunked inputs), or {@code null}. Called once per connection.
     */
    default ChannelHandler newWriteHandler() {
        return null;
    }

    /** How bytes move, for the startup line: e.g. {@code sendfile (DefaultFileRegion)}. */
    String describe();

    /**
     * An open file whose bytes one response sends. Used on one event loop only.
     */
    interface FileBody extends AutoCloseable {
        /** The file's size when it was opened. */
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
