/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Bodies as {@link DefaultFileRegion}s: the kernel copies file to socket ({@code sendfile} on epoll and NIO,
 * {@code splice} on io_uring) and no file byte passes through a Java buffer. Thread-safe.
 *
 * <p>A {@code DefaultFileRegion} closes its {@link FileChannel} when released, so each region needs a channel of
 * its own: the first slice takes the one opened with the body, further slices (multipart/byteranges) reopen the
 * same real path.
 */
final class FileRegionBodies implements FileBodySource {

    @Override
    public FileBody open(ChannelHandlerContext ctx, Path file, BasicFileAttributes attrs) throws IOException {
        FileChannel channel = openChannel(file);
        try {
            return new Body(file, channel, channel.size());
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public String describe() {
        return "sendfile/splice (DefaultFileRegion)";
    }

    private static FileChannel openChannel(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    private static final class Body implements FileBody {
        private final Path file;
        private final long size;
        private FileChannel channel;

        Body(Path file, FileChannel channel, long size) {
            this.file = file;
            this.channel = channel;
            this.size = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public Object slice(long offset, long length) throws IOException {
            FileChannel ch = channel != null ? channel : openChannel(file);
            channel = null;
            return new DefaultFileRegion(ch, offset, length);
        }

        @Override
        public void close() {
            FileChannel ch = channel;
            channel = null;
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // Closing a read-only descriptor reports nothing worth acting on.
                }
            }
        }
    }
}
