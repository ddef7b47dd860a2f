/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;

import java.io.EOFException;
import java.io.IOException;

/**
 * Bodies as {@link ChunkedInput}s reading the file with positional reads on the event loop, for epoll, io_uring
 * and NIO where a body must pass through buffers (TLS encrypts it, HTTP/2 frames it) and {@code sendfile} cannot
 * be used: what Netty's {@code ChunkedNioFile} does, and as it, a read of a page not in the page cache blocks the
 * loop until the disk answers. The aio transport uses {@link AioChunkedBodies} instead. Thread-safe.
 *
 * <p>All slices of one response share the descriptor the resolver checked; it is closed when the body and the
 * last slice are done.
 */
final class ChunkedFileBodies implements FileBodySource {
    private final int chunkSize;

    ChunkedFileBodies(int chunkSize) {
        this.chunkSize = chunkSize;
    }

    @Override
    public FileBody open(ChannelHandlerContext ctx, PathResolver.Resolved file) throws IOException {
        FileBody body = new SharedFileBody.OfChannel(file.cacheEntry(), file.fd(), file.attributes().size(),
                Slice::new);
        file.transfer();
        return body;
    }

    /** The chunk written and waiting for the socket, and the next one read (each read is a blocking one). */
    @Override
    public long bufferBytesPerResponse() {
        return 2L * chunkSize;
    }

    @Override
    public String describe() {
        return "blocking positional reads (" + chunkSize + "-byte chunks)";
    }

    private final class Slice implements ChunkedInput<ByteBuf> {
        private final SharedFileBody.OfChannel body;
        private final long end;
        private final long length;
        private long position;
        private boolean closed;

        Slice(SharedFileBody.OfChannel body, long offset, long length) {
            this.body = body;
            this.position = offset;
            this.end = offset + length;
            this.length = length;
        }

        @Override
        public boolean isEndOfInput() {
            return position >= end;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                body.release();
            }
        }

        @Deprecated
        @Override
        public ByteBuf readChunk(ChannelHandlerContext ctx) throws Exception {
            return readChunk(ctx.alloc());
        }

        @Override
        public ByteBuf readChunk(ByteBufAllocator allocator) throws Exception {
            if (position >= end) {
                return null;
            }
            int n = (int) Math.min(chunkSize, end - position);
            ByteBuf buf = allocator.directBuffer(n);
            boolean ok = false;
            try {
                while (buf.writableBytes() > 0) {
                    int r = buf.writeBytes(body.channel, position + buf.readableBytes(), buf.writableBytes());
                    if (r < 0) {
                        throw new EOFException("file shrank while being sent: end at "
                                + (position + buf.readableBytes()) + ", expected " + end);
                    }
                }
                position += n;
                ok = true;
                return buf;
            } finally {
                if (!ok) {
                    buf.release();
                }
            }
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public long progress() {
            return length - (end - position);
        }
    }
}
