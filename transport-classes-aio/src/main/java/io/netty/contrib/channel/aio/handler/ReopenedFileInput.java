/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.handler;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.contrib.channel.aio.file.AioFile;
import io.netty.handler.stream.ChunkedInput;

/**
 * A Netty file input served by an {@link AioChunkedFile} over a second descriptor of the same file: the rest of
 * the original's range is read with AIO, and the original stands in for itself everywhere else — its
 * {@link #length()}, its progress so far, its {@link #close()}. Used on the loop of the {@link AioFile} only, as
 * {@link AioChunkedFile} is. Owns the {@link AioFile} (closed once the last read has come back) and closes the
 * original when it is closed.
 */
final class ReopenedFileInput implements ChunkedInput<ByteBuf> {
    private final AioChunkedFile reads;
    private final AioFile file;
    private final ChunkedInput<?> original;
    private final long length;
    private final long progressBefore;
    private final AioChunkedWriteStats.Counters counters;
    private boolean closed;

    ReopenedFileInput(AioChunkedFile reads, AioFile file, ChunkedInput<?> original, long length, long progressBefore,
                      AioChunkedWriteStats.Counters counters) {
        this.reads = reads;
        this.file = file;
        this.original = original;
        this.length = length;
        this.progressBefore = progressBefore;
        this.counters = counters;
    }

    @Deprecated
    @Override
    public ByteBuf readChunk(ChannelHandlerContext ctx) throws Exception {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws Exception {
        return reads.readChunk(allocator);
    }

    @Override
    public boolean isEndOfInput() {
        return reads.isEndOfInput();
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public long progress() {
        return progressBefore + reads.progress();
    }

    /**
     * Stops the reads (those in the kernel's hands are released as they come back, and the file is closed after
     * the last), then closes the original input, whose close the writer would have called: Netty's closes its
     * file, one made by a framework may do what it was written to do.
     */
    @Override
    public void close() throws Exception {
        if (closed) {
            return;
        }
        stopReads();
        original.close();
    }

    /**
     * For a write whose promise completed without the writer closing its input (cancelled while queued:
     * {@code ChunkedWriteHandler} then drops it unread): frees what this input holds, and leaves the original as
     * {@code ChunkedWriteHandler} would. Any thread.
     */
    void closeIfAbandoned() {
        if (!file.executor().inEventLoop()) {
            file.executor().execute(this::closeIfAbandoned);
        } else if (!closed) {
            stopReads();
        }
    }

    private void stopReads() {
        closed = true;
        counters.inputClosed(reads.progress());
        reads.close();
        reads.closeFuture().addListener(f -> file.close().addListener(c -> counters.fileClosed(file.stats())));
    }

    /** Drops the input before its first read, uncounted, leaving the original open: it is written as it is instead. */
    void discard() {
        closed = true;
        reads.close();
        file.close();
    }

    @Override
    public String toString() {
        return "ReopenedFileInput(" + reads + ", of " + original + ')';
    }
}
