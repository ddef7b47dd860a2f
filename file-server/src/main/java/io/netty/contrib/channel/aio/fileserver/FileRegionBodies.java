/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.contrib.channel.aio.core.NativeFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Bodies as {@link DefaultFileRegion}s: the kernel copies file to socket ({@code sendfile} on epoll and NIO,
 * {@code splice} on io_uring) and no file byte passes through a Java buffer. Thread-safe.
 *
 * <p>The regions read the descriptor the resolver checked, wrapped in a {@link FileChannel} without a second
 * open ({@link NativeFiles#newFileDescriptor}). All slices of one response (the parts of a multipart/byteranges)
 * share that one channel: a {@code DefaultFileRegion} would close its channel when released, so the regions
 * here count their references instead, and the channel closes when the body and the last region are done.
 */
final class FileRegionBodies implements FileBodySource {

    @Override
    public FileBody open(ChannelHandlerContext ctx, PathResolver.Resolved file) throws IOException {
        FileBody body = open(file.cacheEntry(), file.fd(), file.attributes().size());
        file.transfer();
        return body;
    }

    /**
     * A body reading {@code fd}, which it owns on success (on failure {@code fd} is left open); or, when
     * {@code entry} is not {@code null}, the cached file's channel, whose reference it owns.
     */
    FileBody open(OpenFileCache.Entry entry, int fd, long size) throws IOException {
        return new SharedFileBody.OfChannel(entry, fd, size, SharedRegion::new);
    }

    /** None: the kernel moves the bytes from the page cache to the socket. */
    @Override
    public long bufferBytesPerResponse() {
        return 0;
    }

    @Override
    public String describe() {
        return "sendfile/splice (DefaultFileRegion)";
    }

    /** A region of the shared channel: releasing it drops its reference instead of closing the channel. */
    private static final class SharedRegion extends DefaultFileRegion {
        private final SharedFileBody.OfChannel body;

        SharedRegion(SharedFileBody.OfChannel body, long offset, long length) {
            super(body.channel, offset, length);
            this.body = body;
        }

        @Override
        protected void deallocate() {
            body.release();
        }
    }
}
