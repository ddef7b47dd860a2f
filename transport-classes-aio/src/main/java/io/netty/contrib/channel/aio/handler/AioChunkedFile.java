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
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.FutureListener;
import io.netty.util.concurrent.Promise;
import io.netty.util.internal.ObjectUtil;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * A region of an {@link AioFile} as a {@link ChunkedInput} for {@link ChunkedWriteHandler}, read with AIO ahead of
 * the socket: up to {@code readAhead} reads of {@code chunkSize} bytes are in flight or waiting to be written at any
 * time. {@link #readChunk} hands over the next chunk in file order when its read has completed and returns
 * {@code null} while it has not; when it completes, the input calls {@link ChunkedWriteHandler#resumeTransfer()} so
 * the transfer goes on without a flush from the application. The socket's writability paces the reads:
 * {@code ChunkedWriteHandler} stops asking for chunks while the channel is not writable, and no new read is
 * issued until a chunk has been taken. Wrap it in netty-codec-http's {@code HttpChunkedInput} for a chunked HTTP body, or write it as is
 * after a response with a {@code Content-Length}.
 *
 * <p><b>Reads.</b> Each chunk is one {@link AioFile#read(long, int)}: the file's aligned pooled allocator supplies
 * the buffer, and the file's read policy decides the path (by default {@code HYBRID}: a page-cache hit completes
 * inside {@code io_submit}, a miss is read with {@code O_DIRECT} so the loop never waits for the disk). Chunk
 * boundaries after the first fall on multiples of {@code chunkSize}, so with a chunk size that is a multiple of the
 * file's alignment every read but the first and last is aligned. A read that comes back short means the file
 * shrank after the response was promised: {@link #readChunk} then throws an {@link EOFException} naming the
 * position, and {@code ChunkedWriteHandler} fails the write.
 *
 * <p><b>Threading.</b> Open the {@link AioFile} with the channel's event loop as its executor: read completions
 * then run on the loop that also calls {@link #readChunk} and {@link #close()}. Everything but
 * {@link #closeFuture()} must be called on that loop; {@link #readChunk} checks.
 *
 * <p><b>Ownership.</b> A chunk returned by {@link #readChunk} belongs to the caller (the pipeline releases it once
 * written). {@link #close()} — which {@code ChunkedWriteHandler} calls at the end of the input, when a write fails or
 * when the channel closes — issues no more reads, releases the chunks read but not taken, and releases each read
 * still in the kernel's hands when it completes (disk reads cannot be cancelled). {@link #closeFuture()} completes
 * once that has happened for all of them. The {@link AioFile} is not closed: it is the caller's, and may serve several
 * inputs (the parts of a multipart response); close it after the inputs' close futures, for example
 * {@code input.closeFuture().addListener(f -> file.close())}.
 */
public final class AioChunkedFile implements ChunkedInput<ByteBuf> {
    /** Default bytes per read: 64 KiB, a multiple of every O_DIRECT alignment in use. */
    public static final int DEFAULT_CHUNK_SIZE = 64 * 1024;
    /** Default reads in flight or waiting ahead of the socket. */
    public static final int DEFAULT_READ_AHEAD = 4;

    private final AioFile file;
    private final long start;
    private final long end;
    private final int chunkSize;
    private final int readAhead;
    private final ChunkedWriteHandler writer;
    private final Promise<Void> closePromise;
    /** Reads in file order: in flight, or completed and waiting to be taken. */
    private final ArrayDeque<Chunk> chunks;
    private long nextRead;
    private long delivered;
    /** Whether {@link #readChunk} last returned null for want of data: a completion then resumes the writer. */
    private boolean waiting;
    private boolean closed;
    private int inFlight;
    /** Completed when the first chunk can be taken; made by {@link #prefetch()}. */
    private Promise<Void> firstChunk;

    /** {@code AioChunkedFile(file, offset, length, DEFAULT_CHUNK_SIZE, DEFAULT_READ_AHEAD, writer)}. */
    public AioChunkedFile(AioFile file, long offset, long length, ChunkedWriteHandler writer) {
        this(file, offset, length, DEFAULT_CHUNK_SIZE, DEFAULT_READ_AHEAD, writer);
    }

    /**
     * @param file      open for reading, with the channel's event loop as executor
     * @param offset    first byte of the region
     * @param length    bytes in the region; the file must hold them all
     * @param chunkSize bytes per read, 1..{@link AioFile#MAX_READ_LENGTH}; a multiple of the file's alignment
     *                  keeps the reads aligned
     * @param readAhead reads kept in flight or waiting ahead of the socket, at least 1
     * @param writer    the pipeline's {@link ChunkedWriteHandler}, resumed when a read completes
     * @throws IllegalArgumentException for a negative offset or length, a region whose end overflows, or a chunk
     *         size or read-ahead out of range
     * @throws IllegalStateException if the file is closed or not open for reading
     */
    public AioChunkedFile(AioFile file, long offset, long length, int chunkSize, int readAhead,
                          ChunkedWriteHandler writer) {
        this.file = ObjectUtil.checkNotNull(file, "file");
        this.writer = ObjectUtil.checkNotNull(writer, "writer");
        if (offset < 0 || length < 0 || offset > Long.MAX_VALUE - length) {
            throw new IllegalArgumentException("region [" + offset + ", +" + length + ") of " + file.name()
                    + ": offset and length must be non-negative and their sum a valid file offset");
        }
        if (chunkSize < 1 || chunkSize > AioFile.MAX_READ_LENGTH) {
            throw new IllegalArgumentException("chunkSize must be in 1.." + AioFile.MAX_READ_LENGTH + ", got "
                    + chunkSize);
        }
        if (readAhead < 1) {
            throw new IllegalArgumentException("readAhead must be at least 1, got " + readAhead);
        }
        if (!file.isOpen() || !file.isReadable()) {
            throw new IllegalStateException(file.name() + " is " + (file.isOpen() ? "not open for reading" : "closed"));
        }
        this.start = offset;
        this.end = offset + length;
        this.chunkSize = chunkSize;
        this.readAhead = readAhead;
        this.nextRead = offset;
        this.chunks = new ArrayDeque<>(readAhead);
        this.closePromise = file.executor().newPromise();
    }

    /** One read: its place in the file and, once completed, its outcome. */
    private final class Chunk implements FutureListener<ByteBuf> {
        final long position;
        final int length;
        boolean done;
        ByteBuf data;
        Throwable cause;

        Chunk(long position, int length) {
            this.position = position;
            this.length = length;
        }

        @Override
        public void operationComplete(Future<ByteBuf> f) {
            done = true;
            inFlight--;
            if (f.isSuccess()) {
                data = f.getNow();
            } else {
                cause = f.cause();
            }
            if (firstChunk != null && position == start) {
                firstChunk.trySuccess(null);
            }
            if (closed) {
                release(this);
                completeCloseIfIdle();
            } else if (waiting && chunks.peekFirst() == this) {
                waiting = false;
                writer.resumeTransfer();
            }
        }
    }

    @Deprecated
    @Override
    public ByteBuf readChunk(ChannelHandlerContext ctx) throws Exception {
        return readChunk(ctx.alloc());
    }

    /**
     * The next chunk in file order if its read has completed, else {@code null} (the writer is resumed when it
     * completes). Issues reads to keep {@code readAhead} of them ahead.
     *
     * @throws EOFException if the file ended before the region did
     * @throws IOException if a read failed (the file's exception, with the position)
     * @throws ClosedChannelException after {@link #close()}
     * @throws IllegalStateException when not called on the file's executor
     */
    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws Exception {
        if (!file.executor().inEventLoop()) {
            throw new IllegalStateException("AioChunkedFile of " + file.name() + " read outside the event loop its "
                    + "file completes on (" + file.executor() + "): open the AioFile with the channel's event loop");
        }
        if (closed) {
            throw new ClosedChannelException();
        }
        issueReads();
        Chunk head = chunks.peekFirst();
        if (head == null) {
            return null; // end of input
        }
        if (!head.done) {
            waiting = true;
            return null;
        }
        chunks.pollFirst();
        if (head.cause != null) {
            throw new IOException("reading " + head.length + " bytes at " + head.position + " of " + file.name()
                    + " failed: " + head.cause.getMessage(), head.cause);
        }
        ByteBuf data = head.data;
        head.data = null;
        if (data.readableBytes() != head.length) {
            int got = data.readableBytes();
            data.release();
            throw new EOFException(file.name() + " ended at " + (head.position + got) + ", before the region ["
                    + start + ", " + end + ") did: the file shrank while it was being sent");
        }
        delivered += head.length;
        issueReads();
        return data;
    }

    private void issueReads() {
        while (chunks.size() < readAhead && nextRead < end) {
            // After the first, chunks start at multiples of chunkSize: aligned reads when chunkSize is.
            long boundary = (nextRead / chunkSize + 1) * chunkSize;
            int length = (int) (Math.min(end, boundary) - nextRead);
            Chunk chunk = new Chunk(nextRead, length);
            chunks.addLast(chunk);
            nextRead += length;
            inFlight++;
            Future<ByteBuf> f;
            try {
                f = file.read(chunk.position, length);
            } catch (RuntimeException e) {
                // The file was closed under us: reported when this chunk's turn comes.
                f = file.executor().newFailedFuture(e);
            }
            f.addListener(chunk);
        }
    }

    /**
     * Issues the first reads now rather than at the first {@link #readChunk}, and returns a future that completes
     * (successfully, whatever the read's outcome, which {@link #readChunk} reports) once the first chunk can be
     * taken — at once for an empty region or a closed input. Write a response's head and this input when it
     * completes, and one flush sends the head with the first bytes: with {@code ChunkedWriteHandler} flushing
     * whatever is written before a chunk that is not ready, the head would otherwise leave alone, one more
     * syscall and one more TCP segment per response. Call it on the file's executor, before the first
     * {@link #readChunk}.
     */
    public Future<Void> prefetch() {
        if (!file.executor().inEventLoop()) {
            throw new IllegalStateException("AioChunkedFile of " + file.name() + " prefetched outside its event loop "
                    + file.executor());
        }
        if (firstChunk == null) {
            firstChunk = file.executor().newPromise();
            if (closed || start == end || delivered > 0) {
                firstChunk.trySuccess(null);
            } else {
                issueReads();
                Chunk first = chunks.peekFirst();
                if (first == null || first.done) {
                    firstChunk.trySuccess(null);
                }
            }
        }
        return firstChunk;
    }

    @Override
    public boolean isEndOfInput() {
        return delivered == end - start;
    }

    @Override
    public long length() {
        return end - start;
    }

    /** Bytes handed over by {@link #readChunk} so far. */
    @Override
    public long progress() {
        return delivered;
    }

    /** Reads issued and not yet completed. */
    public int inFlight() {
        return inFlight;
    }

    /**
     * Stops: no more reads, chunks read but not taken are released, reads still in flight are released as they
     * complete. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        waiting = false;
        if (firstChunk != null) {
            firstChunk.trySuccess(null);
        }
        for (Chunk c : chunks) {
            if (c.done) {
                release(c);
            }
        }
        completeCloseIfIdle();
    }

    /** Completes once the input is closed and every read it issued has completed and been released. */
    public Future<Void> closeFuture() {
        return closePromise;
    }

    private static void release(Chunk c) {
        ByteBuf data = c.data;
        c.data = null;
        if (data != null) {
            data.release();
        }
    }

    private void completeCloseIfIdle() {
        if (closed && inFlight == 0) {
            chunks.clear();
            closePromise.trySuccess(null);
        }
    }

    @Override
    public String toString() {
        return "AioChunkedFile(" + file.name() + ", [" + start + ", " + end + "), delivered=" + delivered
                + ", inFlight=" + inFlight + ", chunkSize=" + chunkSize + ", readAhead=" + readAhead
                + (closed ? ", closed" : "") + ')';
    }
}
