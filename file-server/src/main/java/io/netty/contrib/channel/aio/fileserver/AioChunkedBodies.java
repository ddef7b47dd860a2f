/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.contrib.channel.aio.core.NativeFiles;
import io.netty.contrib.channel.aio.file.AioFile;
import io.netty.contrib.channel.aio.file.AioFileConfig;
import io.netty.contrib.channel.aio.file.AioReadPolicy;
import io.netty.contrib.channel.aio.handler.AioChunkedFile;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.concurrent.Future;

import java.io.IOException;
import java.nio.file.FileSystemException;

/**
 * Bodies as {@link AioChunkedFile}s over an {@link AioFile} bound to the connection's event loop: reads go out in
 * the loop's own {@code io_submit} batches, {@code readAhead} chunks ahead of the socket, through the file's hybrid
 * page-cache path (a cached chunk completes at once, a missing one is read with {@code O_DIRECT}, never blocking
 * the loop); files of at least {@code directIoThreshold} bytes are always read with {@code O_DIRECT}, keeping
 * huge files from evicting the page cache. Files of at least {@code sendfileThreshold} bytes whose pages are
 * all in the page cache ({@code cachestat}) go out as {@code DefaultFileRegion}s instead, with {@code sendfile}
 * as on epoll: nothing to wait for, and one copy less than reading them into buffers and writing those; those
 * with no page cached are read with {@code O_DIRECT} from the start. Thread-safe.
 *
 * <p>The {@link AioFile} of a response is shared by its slices (one per range) and closed when the last of them,
 * and the response's own reference, are done: a slice is done when its input's close future completes, that is
 * once no read of it is left in the kernel.
 */
final class AioChunkedBodies implements FileBodySource {
    private final int chunkSize;
    private final int readAhead;
    private final long directIoThreshold;
    private final long sendfileThreshold;
    private final boolean sendfile;
    private final FileRegionBodies regions = new FileRegionBodies();

    /**
     * @param directIoThreshold files at least this large are read with O_DIRECT only; negative: never
     * @param sendfileThreshold files at least this large, if wholly cached, are sent with sendfile, and if not
     *                          cached at all, read with O_DIRECT from the start; negative: never either
     * @param sendfile          whether bodies may be sent with sendfile: not when they must pass through buffers
     *                          (TLS, HTTP/2), where the threshold still picks O_DIRECT for files with no page cached
     */
    AioChunkedBodies(int chunkSize, int readAhead, long directIoThreshold, long sendfileThreshold, boolean sendfile) {
        this.chunkSize = chunkSize;
        this.readAhead = readAhead;
        this.directIoThreshold = directIoThreshold;
        this.sendfileThreshold = sendfileThreshold;
        this.sendfile = sendfile;
    }

    @Override
    public FileBody open(ChannelHandlerContext ctx, PathResolver.Resolved file) throws IOException {
        ChunkedWriteHandler writer = ctx.pipeline().get(ChunkedWriteHandler.class);
        if (writer == null) {
            throw new IllegalStateException("no ChunkedWriteHandler in " + ctx.pipeline().names());
        }
        // The descriptor the resolver checked (O_NONBLOCK, which has no effect on a regular file's reads), and
        // the size read from it, as the ETag was: no fstat more per response. A file that shrinks after the
        // lookup fails its response (AioChunkedFile's EOFException closes the connection).
        int fd = file.fd();
        long size = file.attributes().size();
        OpenFileCache.Entry entry = file.cacheEntry();
        if (entry != null && entry.content() != null) {
            // A small file the cache keeps: answered from memory, nothing to read.
            FileBody body = new ContentBody(entry.content(), entry);
            file.transfer();
            return body;
        }
        AioReadPolicy policy = AioReadPolicy.HYBRID;
        if (directIoThreshold >= 0 && size >= directIoThreshold || file.uncached()) {
            // Large enough to bypass the cache, or found with no page cached by the lookup thread that opened it.
            policy = AioReadPolicy.DIRECT;
        } else if (sendfileThreshold >= 0 && size >= sendfileThreshold) {
            // All of it cached: sendfile, nothing to wait for. None of it: O_DIRECT from the first read, as a
            // RWF_NOWAIT miss would also start the kernel's readahead into the cache, reading the same blocks
            // twice. Some, or no cachestat (before Linux 6.5): page cache first, chunk by chunk.
            long cached = NativeFiles.cachestat(fd, 0, 0);
            if (sendfile && cached == (size + NativeFiles.PAGE_SIZE - 1) / NativeFiles.PAGE_SIZE) {
                FileBody body = regions.open(entry, fd, size);
                file.transfer();
                return body;
            }
            if (cached == 0) {
                policy = AioReadPolicy.DIRECT;
            }
        }
        AioFile aioFile;
        try {
            aioFile = entry != null ? entry.aioFile(ctx.channel().eventLoop(), policy)
                    : AioFile.adopt(ctx.channel().eventLoop(), fd, new AioFileConfig().readPolicy(policy));
        } catch (IllegalArgumentException e) {
            throw new FileSystemException(file.name(), null, e.getMessage());
        }
        file.transfer();
        if (entry != null && policy == AioReadPolicy.HYBRID) {
            // The next responses may be answered from memory (the cache decides whether it has room).
            entry.keepContentFrom(aioFile);
        }
        return new Body(aioFile, writer, size, entry);
    }

    /** {@code readAhead} chunks read or being read, and the one written and waiting for the socket. */
    @Override
    public long bufferBytesPerResponse() {
        return (long) (readAhead + 1) * chunkSize;
    }

    @Override
    public String describe() {
        return "AioChunkedFile(read-ahead " + readAhead + " x " + chunkSize + " bytes, "
                + (directIoThreshold < 0 ? "page cache when hot" : "O_DIRECT from " + directIoThreshold + " bytes")
                + (sendfileThreshold < 0 || !sendfile ? ""
                        : "; sendfile from " + sendfileThreshold + " bytes when all cached")
                + ')';
    }

    /** A body from the bytes the open-file cache keeps: each slice is a retained slice of them. */
    private static final class ContentBody extends SharedFileBody {
        private final ByteBuf content;

        ContentBody(ByteBuf content, OpenFileCache.Entry entry) {
            super(content.readableBytes(), entry);
            this.content = content;
        }

        @Override
        public Object slice(long offset, long length) {
            return content.retainedSlice(content.readerIndex() + (int) offset, (int) length);
        }

        @Override
        void closeFile() {
            // Never reached: the entry's reference is released instead, and the entry owns the bytes.
        }
    }

    /** A slice is done once its input's close future completes: no read of it is left in the kernel. */
    private final class Body extends SharedFileBody {
        private final AioFile file;
        private final ChunkedWriteHandler writer;

        /** {@code entry}: the cached file whose AioFile this is, or {@code null} when the body owns the AioFile. */
        Body(AioFile file, ChunkedWriteHandler writer, long size, OpenFileCache.Entry entry) {
            super(size, entry);
            this.file = file;
            this.writer = writer;
        }

        @Override
        public Object slice(long offset, long length) {
            AioChunkedFile input = new AioChunkedFile(file, offset, length, chunkSize, readAhead, writer);
            retain();
            input.closeFuture().addListener(f -> release());
            return input;
        }

        @Override
        public void whenReady(Object slice, Runnable then) {
            Future<Void> first = ((AioChunkedFile) slice).prefetch();
            if (first.isDone()) {
                then.run();
            } else {
                first.addListener(f -> then.run());
            }
        }

        @Override
        void closeFile() {
            file.close();
        }
    }
}
