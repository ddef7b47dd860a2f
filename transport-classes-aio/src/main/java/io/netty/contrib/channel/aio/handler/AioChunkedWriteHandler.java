/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.handler;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.IoEventLoop;
import io.netty.contrib.channel.aio.AioIoHandle;
import io.netty.contrib.channel.aio.core.NativeFiles;
import io.netty.contrib.channel.aio.file.AioFile;
import io.netty.contrib.channel.aio.file.AioFileConfig;
import io.netty.handler.stream.ChunkedFile;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ObjectUtil;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@link ChunkedWriteHandler} that reads files with AIO instead of blocking the event loop: put it where the
 * pipeline had {@code new ChunkedWriteHandler()}. On a handler whose executor is an AIO loop, a written
 * {@link ChunkedNioFile} or {@link ChunkedFile} (or a subclass that reads as they do, such as Vert.x's), bare or
 * inside netty-codec-http's {@code HttpChunkedInput} or netty-codec-http2's {@code Http2DataChunkedInput}, has the
 * rest of its range, {@code [currentOffset, endOffset)}, served by an {@link AioChunkedFile} over a second
 * descriptor of the same file ({@link AioFile#reopen}: no path lookup, no disk read). Its reads keep
 * {@code readAhead} chunks of {@code chunkSize} bytes ahead of the socket, a page-cache hit completing inside
 * {@code io_submit} and a miss going to the disk with {@code O_DIRECT}, so the loop never waits for the disk.
 * Everything else, and everything on another transport, is written exactly as {@link ChunkedWriteHandler} writes
 * it, as is a file input that cannot be served that way (a later Netty whose private fields moved, a closed
 * channel, a descriptor that cannot be reopened): the reason is logged at debug level and counted in
 * {@link AioChunkedWriteStats#fallbacks()}.
 *
 * <p>Promises, {@code ChannelProgressivePromise} progress ({@code progress()} and {@code length()} of the original
 * input), end of input, failures and channel closure behave as with {@link ChunkedWriteHandler}; a file shorter
 * than the input's range fails the write with an {@link java.io.EOFException} naming the file and the position,
 * where Netty's inputs would send short or spin.
 *
 * <p><b>Threading.</b> As {@link ChunkedWriteHandler}: the pipeline calls it on its executor, and
 * {@link #resumeTransfer()} may be called from any thread. {@link #stats()} and {@link #totalStats()} may be read
 * from any thread.
 *
 * <p><b>Ownership.</b> A written input stays the writer's as with {@link ChunkedWriteHandler}: the handler calls
 * its {@code close()} when the input ends, fails or the channel closes — for an input served with AIO, once the
 * AIO input has stopped its reads (Vert.x's input does nothing there: Vert.x closes its file itself). The second
 * descriptor is the handler's and is closed after the last read the kernel held has come back; a chunk read and
 * not yet written is released then too. Chunks handed to the pipeline are the pipeline's, as any written buffer.
 */
public class AioChunkedWriteHandler extends ChunkedWriteHandler {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(AioChunkedWriteHandler.class);

    private final int chunkSize;
    private final int readAhead;
    private final AioFileConfig config;
    private final AioChunkedWriteStats.Counters counters =
            new AioChunkedWriteStats.Counters(AioChunkedWriteStats.Counters.TOTAL);

    /**
     * Reads of {@link AioChunkedFile#DEFAULT_CHUNK_SIZE} bytes, {@link AioChunkedFile#DEFAULT_READ_AHEAD} ahead,
     * with the default {@link AioFileConfig} (read policy {@code HYBRID}).
     */
    public AioChunkedWriteHandler() {
        this(AioChunkedFile.DEFAULT_CHUNK_SIZE, AioChunkedFile.DEFAULT_READ_AHEAD, new AioFileConfig());
    }

    /**
     * @param chunkSize bytes per read, whatever the chunk size of the written input (a framework's 1 KiB or
     *                  8 KiB chunks would cost one AIO read each); a multiple of the file's alignment keeps the
     *                  reads aligned. 1..{@link AioFile#MAX_READ_LENGTH}
     * @param readAhead reads kept in flight or waiting ahead of the socket, per input; at least 1
     * @param config    the configuration of the files opened for the inputs (read policy, alignment); each file
     *                  takes a copy when it is opened
     * @throws IllegalArgumentException for a chunk size or read-ahead out of range
     */
    public AioChunkedWriteHandler(int chunkSize, int readAhead, AioFileConfig config) {
        if (chunkSize < 1 || chunkSize > AioFile.MAX_READ_LENGTH) {
            throw new IllegalArgumentException("chunkSize must be in 1.." + AioFile.MAX_READ_LENGTH + ", got "
                    + chunkSize);
        }
        if (readAhead < 1) {
            throw new IllegalArgumentException("readAhead must be at least 1, got " + readAhead);
        }
        this.chunkSize = chunkSize;
        this.readAhead = readAhead;
        this.config = ObjectUtil.checkNotNull(config, "config");
    }

    /** What this handler did with the file inputs written to it on AIO loops. */
    public AioChunkedWriteStats stats() {
        return counters.snapshot();
    }

    /** The same for every {@code AioChunkedWriteHandler} in the process: for frameworks that make one per channel. */
    public static AioChunkedWriteStats totalStats() {
        return AioChunkedWriteStats.Counters.TOTAL.snapshot();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        super.write(ctx, msg instanceof ChunkedInput && isAioLoop(ctx.executor()) ? serve(ctx, msg, promise) : msg,
                promise);
    }

    private static boolean isAioLoop(EventExecutor executor) {
        return executor instanceof IoEventLoop && ((IoEventLoop) executor).isCompatible(AioIoHandle.class);
    }

    /** {@code msg} or, when it is a file input this can read with AIO, the input that does. */
    private Object serve(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        try {
            FileInputs kind = FileInputs.of(msg);
            if (kind == FileInputs.NONE) {
                if (msg instanceof ChunkedNioFile || msg instanceof ChunkedFile) {
                    counters.fallback(); // why was logged once, when its class was first seen
                }
                return msg;
            }
            if (kind.range(msg) != null) {
                ReopenedFileInput aio = reopen(ctx, (ChunkedInput<?>) msg, kind, promise);
                if (aio == null) {
                    return msg;
                }
                counters.aioInput();
                return aio;
            }
            ChunkedInput<?> inner = kind.inner(msg);
            if (inner == null || inner.isEndOfInput()) {
                return msg;
            }
            FileInputs innerKind = FileInputs.of(inner);
            if (innerKind.range(inner) == null) {
                return msg;
            }
            ReopenedFileInput aio = reopen(ctx, inner, innerKind, promise);
            if (aio == null) {
                return msg;
            }
            try {
                Object rewrapped = kind.rewrap(msg, aio);
                counters.aioInput();
                return rewrapped;
            } catch (Exception | LinkageError e) {
                // The AIO input has issued no read yet: dropping it frees all, and the original keeps its file.
                aio.discard();
                fallback(msg, "rebuilding it around the AIO input failed", e);
                return msg;
            }
        } catch (Exception | LinkageError e) {
            fallback(msg, "reading its fields failed", e);
            return msg;
        }
    }

    /** The AIO input for the rest of {@code input}'s range, or null (logged, counted) when there is none. */
    private ReopenedFileInput reopen(ChannelHandlerContext ctx, ChunkedInput<?> input, FileInputs kind,
                                     ChannelPromise promise) throws Exception {
        FileInputs.FileRange range = kind.range(input);
        if (range.current() >= range.end()) {
            return null; // nothing left to read: Netty's input ends at once
        }
        int fd = NativeFiles.fileChannelFd(range.channel());
        if (fd < 0) {
            fallback(input, "its FileChannel gives no descriptor (errno " + -fd + ')', null);
            return null;
        }
        String name = describe(fd);
        AioFile file;
        try {
            file = AioFile.reopen(ctx.executor(), fd, name, false, config);
        } catch (Exception e) {
            fallback(input, "reopening " + name + " failed", e);
            return null;
        }
        // Closed between the read of its number and the reopen, the number may have named another file.
        if (!range.channel().isOpen()) {
            file.close();
            fallback(input, "its FileChannel was closed", null);
            return null;
        }
        AioChunkedFile reads;
        try {
            reads = new AioChunkedFile(file, range.current(), range.end() - range.current(), chunkSize, readAhead,
                    this);
        } catch (RuntimeException e) {
            file.close();
            fallback(input, "its AIO input could not be made", e);
            return null;
        }
        ReopenedFileInput in = new ReopenedFileInput(reads, file, input, range.end() - range.start(),
                range.current() - range.start(), counters);
        if (!promise.isVoid()) {
            promise.addListener(f -> in.closeIfAbandoned());
        }
        return in;
    }

    /** The path the descriptor names now, for messages; procfs answers without the disk. */
    private static String describe(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (Exception e) {
            return "fd " + fd;
        }
    }

    private void fallback(Object msg, String why, Throwable cause) {
        counters.fallback();
        if (logger.isDebugEnabled()) {
            logger.debug("{} written as ChunkedWriteHandler would, with reads on the event loop: {}", msg, why,
                    cause);
        }
    }

    @Override
    public String toString() {
        return "AioChunkedWriteHandler(chunkSize=" + chunkSize + ", readAhead=" + readAhead + ", " + stats() + ')';
    }
}
