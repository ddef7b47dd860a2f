/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fd;

import io.netty.contrib.channel.aio.internal.AioRecvByteAllocatorHandle;
import io.netty.contrib.channel.aio.internal.NowaitBackoff;
import io.netty.contrib.channel.aio.AioIoEvent;
import io.netty.contrib.channel.aio.AioIoOps;
import io.netty.contrib.channel.aio.AioIoRegistration;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.contrib.channel.aio.core.AioIoException;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.file.AioBufferAllocator;
import io.netty.contrib.channel.aio.file.AioFile;
import io.netty.contrib.channel.aio.file.AioRwOptions;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * Async mode: reads and writes are {@code IOCB_CMD_PREAD}/{@code IOCB_CMD_PWRITE} iocbs the kernel (or the driver:
 * FunctionFS queues USB requests) completes on its own time.
 *
 * <p><b>Reads.</b> While the pipeline wants data, up to {@link AioFdChannelConfig#getReadsInFlight()} reads are
 * kept submitted, each into a fresh buffer from the aligned pool ({@link AioBufferAllocator}) sized by the
 * {@link io.netty.channel.RecvByteBufAllocator}'s guess rounded up to {@link AioFdChannelConfig#getIoSizeMultiple()},
 * at consecutive positions of a seekable descriptor (offset 0 otherwise). Completions may come in any order; they
 * are delivered in submission order from a loop task, so that the reads one reap completed form one read round (as
 * many messages as the allocator handle allows, then {@code channelReadComplete}), and held — still counting
 * against the limit — while the pipeline wants nothing. Reads of an {@code O_DIRECT} file or block device carry
 * {@code RWF_NOWAIT} (see {@link NowaitBackoff}: without it {@code io_submit} may sleep on the loop for an inode lock
 * or for dirty pages to be written back); one the kernel answers {@code EAGAIN} is submitted again after a pause,
 * keeping its place in the order. A short read from a seekable descriptor discards the reads
 * submitted after it (their data would leave a gap) and reading resumes right after the bytes it got. A read of 0
 * bytes is the end of input, except from a stream file (a non-seekable regular file: a FunctionFS endpoint), where
 * it is a zero-length packet and delivered as an empty buffer.
 *
 * <p><b>Writes.</b> Each flushed message is one iocb, up to {@link AioFdChannelConfig#getWritesInFlight()} of them,
 * at consecutive positions of a seekable descriptor. The channel retains each message it submits; the message is
 * removed from the {@link ChannelOutboundBuffer} (its promise completed) once it and every message before it were
 * written completely. A short write is continued with an iocb for the rest (a non-seekable descriptor refuses this
 * when later writes are already in flight: the stream's order would be lost).
 *
 * <p>The loop retains every buffer of an iocb from submission to completion; this class holds its own references
 * besides and releases them when it is done with the completion, so nothing the kernel may still touch is freed.
 *
 * <p>A read allocates nothing but its buffer on the loop: it submits one description built once per read options
 * ({@link AioIoOps#describe}) with that buffer, its record comes from a free list, and rides the submission as its
 * attachment, so that the completion finds it without a search.
 */
final class AioFdAsyncIo extends AioFdIo {
    /** The largest single read: AioFile's limit (just below the kernel's cap of one transfer). */
    private static final int MAX_READ = AioFile.MAX_READ_LENGTH;

    private final ArrayDeque<PendingRead> reads = new ArrayDeque<>();
    private final ArrayDeque<PendingWrite> writes = new ArrayDeque<>();
    private final FlushedMessages flushed = new FlushedMessages();
    /** Records of reads whose completion came and that left {@link #reads}: reused by the next reads. */
    private PendingRead freeReads;
    /** The descriptions of reads (without and with our RWF_NOWAIT) and writes, for the options they were built with. */
    private AioIoOps readOps;
    private AioIoOps readNowaitOps;
    private AioRwOptions readOpsOptions;
    private AioIoOps writeOps;
    private AioRwOptions writeOpsOptions;
    private final Runnable deliverTask = this::deliveryTask;
    private long readPosition;
    private long writePosition;
    /** The outbound buffer the writes in flight came from; null after a write failed. */
    private ChannelOutboundBuffer out;
    private boolean delivering;
    private boolean deliveryScheduled;
    private boolean inputDone;
    private boolean writeFailed;
    /** Whether O_DIRECT reads carry RWF_NOWAIT: until the descriptor's filesystem or driver says EOPNOTSUPP. */
    private boolean directNowait;
    /** Reads submitted again after EAGAIN, for tests. */
    private long directRetries;

    AioFdAsyncIo(AioFdChannel ch) {
        super(ch);
        this.readPosition = ch.initialPosition();
        this.writePosition = ch.initialPosition();
        this.directNowait = ch.isDirectIo() && ch.isSeekable();
    }

    long directRetries() {
        return directRetries;
    }

    @Override
    AioFdIoMode mode() {
        return AioFdIoMode.ASYNC;
    }

    @Override
    void registered() {
        if (!ch.isActive()) {
            return;
        }
        if (!settleAfterDeregistration()) {
            return;
        }
        PendingRead head = reads.peekFirst();
        if (head != null && head.done) {
            scheduleDelivery();
        }
        if (ch.readPending) {
            fillReads();
        }
        ChannelOutboundBuffer in = ch.unsafe().outboundBuffer();
        if (in != null && !in.isEmpty()) {
            ch.eventLoop().execute(() -> ch.fdUnsafe().flushNow());
        }
    }

    @Override
    void beginRead() {
        PendingRead head = reads.peekFirst();
        if (head != null && head.done) {
            // Completed reads wait: deliver them from a task, not from inside read() (which may run in a handler).
            scheduleDelivery();
        }
        fillReads();
    }

    @Override
    boolean hasDataInFlight() {
        for (PendingRead op : reads) {
            if (op.inFlight) {
                return true;
            }
        }
        for (PendingWrite op : writes) {
            if (op.inFlight) {
                return true;
            }
        }
        return false;
    }

    @Override
    void closing() {
        discardPendingReads();
        // Writes the kernel finished while the channel was deregistered: nobody else releases them now.
        for (Iterator<PendingWrite> it = writes.iterator(); it.hasNext();) {
            PendingWrite op = it.next();
            if (!op.inFlight) {
                it.remove();
                op.release();
            }
        }
    }

    /**
     * Sorts out, for a new registration, what the kernel finished while the channel had none (the channel waited
     * for the last of it; see {@link AioFdChannel}): reads that returned data stay, in order, to be delivered;
     * from the first cancelled one on, a seekable descriptor is read again from that read's position. Writes done
     * completely succeed; from the first one not done on, the messages are written again from its position (they
     * are still in the outbound buffer). Returns false when that failed the writes (a stream written in part, or
     * an error of the kernel's): nothing is flushed then.
     */
    private boolean settleAfterDeregistration() {
        boolean gap = false;
        for (Iterator<PendingRead> it = reads.iterator(); it.hasNext();) {
            PendingRead op = it.next();
            boolean firstCancelled = !gap && op.done && op.res == -Native.ECANCELED;
            if (firstCancelled) {
                gap = ch.isSeekable();
                if (gap) {
                    readPosition = op.offset;
                }
            }
            if (firstCancelled || gap) {
                it.remove();
                drop(op);
            }
        }
        completeWrittenHeads();
        PendingWrite first = writes.peekFirst();
        if (first == null) {
            return true;
        }
        IOException failure = null;
        if (first.error < 0 && first.error != -Native.ECANCELED) {
            failure = AioIoException.ofResult(writeCall(first), first.error);
        } else if (!ch.isSeekable() && first.written > 0) {
            failure = new IOException(writeCall(first) + " wrote " + first.written + " of " + first.length
                    + " bytes before the channel was deregistered: a stream cannot be resumed without repeating "
                    + "them");
        }
        writePosition = first.offset;
        for (PendingWrite op; (op = writes.pollFirst()) != null;) {
            op.release();
        }
        if (failure != null) {
            writeFailed = true;
            out = null;
            IOException cause = failure;
            ch.eventLoop().execute(() -> ch.fdUnsafe().writeFailed(cause));
            return false;
        }
        return true;
    }

    @Override
    void handle(AioFdChannel.FdHandle handle, AioIoEvent event, boolean current) {
        if (event.userData() == AioFdChannel.READ) {
            readCompleted((PendingRead) event.attachment(), event.res(), current);
        } else {
            writeCompleted(event.id(), event.res(), current);
        }
    }

    /**
     * The read description for {@code options}, with our RWF_NOWAIT if {@code nowait}: built again only when the
     * channel's options change.
     */
    private AioIoOps readDescription(AioRwOptions options, boolean nowait) {
        if (readOps == null || readOpsOptions != options) {
            readOps = options.applyTo(AioIoOps.describe(Native.IOCB_CMD_PREAD, fd, AioFdChannel.READ));
            readNowaitOps = readOps.withRwFlags(readOps.rwFlags() | Native.RWF_NOWAIT);
            readOpsOptions = options;
        }
        return nowait ? readNowaitOps : readOps;
    }

    private AioIoOps writeDescription(AioRwOptions options) {
        if (writeOps == null || writeOpsOptions != options) {
            writeOps = options.applyTo(AioIoOps.describe(Native.IOCB_CMD_PWRITE, fd, AioFdChannel.WRITE));
            writeOpsOptions = options;
        }
        return writeOps;
    }

    private PendingRead newRead(ByteBuf buf, long offset, int length) {
        PendingRead op = freeReads;
        if (op == null) {
            op = new PendingRead();
        } else {
            freeReads = op.nextFree;
            op.nextFree = null;
        }
        op.buf = buf;
        op.offset = offset;
        op.length = length;
        op.done = false;
        op.discarded = false;
        op.res = 0;
        op.nowait = false;
        op.retries = 0;
        return op;
    }

    /** {@code op} left {@link #reads} unread: releases its buffer, and its record when nothing refers to it. */
    private void drop(PendingRead op) {
        op.buf.release();
        removed(op);
    }

    /**
     * Notes that {@code op} left {@link #reads}, and reuses its record once nothing refers to it any more: one still
     * in flight is its submission's attachment until its completion, one waiting for a retry is its timer's.
     */
    private void removed(PendingRead op) {
        op.listed = false;
        if (op.inFlight || op.retryPending) {
            return;
        }
        op.buf = null;
        op.nextFree = freeReads;
        freeReads = op;
    }

    // ---------------------------------------------------------------- reading

    /** Submits reads until the limit, while the pipeline wants data. */
    private void fillReads() {
        AioFdChannel.FdHandle h = ch.handle;
        if (h == null || inputDone || !ch.isInputOpen() || !ch.wantsRead() || !ch.isReadableFd()) {
            return;
        }
        AioFdChannelConfig config = ch.config();
        int max = config.getReadsInFlight();
        if (reads.size() >= max) {
            return;
        }
        AioRecvByteAllocatorHandle allocHandle = ch.fdUnsafe().recvBufAllocHandle();
        ByteBufAllocator alloc = AioBufferAllocator.forAlignment(config.getBufferAlignment());
        int multiple = config.getIoSizeMultiple();
        while (reads.size() < max) {
            int length = readLength(allocHandle.guess(), multiple);
            ByteBuf buf = alloc.directBuffer(length, length);
            long offset = ch.isSeekable() ? readPosition : 0;
            PendingRead op = newRead(buf, offset, length);
            if (!submitRead(h, op)) {
                drop(op);
                return;
            }
            op.listed = true;
            reads.addLast(op);
            readPosition += length;
        }
    }

    /** Submits {@code op} (again), with RWF_NOWAIT while that is on; false if the registration is cancelled. */
    private boolean submitRead(AioFdChannel.FdHandle h, PendingRead op) {
        AioRwOptions options = ch.config().getReadOptions();
        // The caller's own RWF_NOWAIT means "fail rather than wait": its EAGAIN is theirs, not retried here.
        op.nowait = directNowait && (options.rwFlags() & Native.RWF_NOWAIT) == 0 && NowaitBackoff.mayWait(op.retries);
        long id = h.aio().submit(readDescription(options, op.nowait), op.buf, op.offset, op);
        if (id == AioIoRegistration.INVALID_ID) {
            return false;
        }
        op.id = id;
        op.inFlight = true;
        return true;
    }

    /**
     * Handles an EAGAIN (or EOPNOTSUPP) our RWF_NOWAIT caused; returns false if {@code res} is not one, or the read
     * is not to be tried again (discarded, closing).
     */
    private boolean retryIfNowaitRefused(PendingRead op, long res, boolean current) {
        if (!op.nowait || res != -Native.EAGAIN && res != -Native.EOPNOTSUPP || op.discarded || ch.closing) {
            return false;
        }
        if (!current) {
            // Completed while deregistered: settleAfterDeregistration reads it again, from its position, as it
            // does a read the deregistration cancelled.
            op.res = -Native.ECANCELED;
            op.done = true;
            return true;
        }
        op.retryPending = true;
        if (res == -Native.EOPNOTSUPP) {
            // The filesystem or driver has no RWF_NOWAIT for this descriptor: read as before, and stop trying.
            directNowait = false;
            retryRead(op);
            return true;
        }
        directRetries++;
        long pause = NowaitBackoff.refused(fd, op.offset, op.length, op.retries++);
        ch.eventLoop().schedule(() -> retryRead(op), pause, TimeUnit.NANOSECONDS);
        return true;
    }

    /** Submits a read refused with EAGAIN again, unless it was dropped or the channel has no registration now. */
    private void retryRead(PendingRead op) {
        if (!ch.eventLoop().inEventLoop()) {
            // Scheduled before a deregistration; the channel is on another loop now: go on there.
            ch.eventLoop().execute(() -> retryRead(op));
            return;
        }
        if (!op.retryPending) {
            return;
        }
        op.retryPending = false;
        if (!op.listed) {
            // Dropped while it waited (closing, a short read before it, a re-registration's settling), its buffer
            // released then: this timer was the last to hold the record, which goes back to the free list now.
            removed(op);
            return;
        }
        AioFdChannel.FdHandle h = ch.handle;
        if (h != null && !ch.closing && submitRead(h, op)) {
            return;
        }
        // Neither in the kernel nor going there: done, as a read the deregistration cancelled (re-read from its
        // position by the next registration), or dropped when the channel closes.
        op.done = true;
        op.res = -Native.ECANCELED;
        if (ch.closing) {
            reads.remove(op);
            drop(op);
        }
    }

    /** The allocator's guess rounded up to {@code multiple}, within 1..MAX_READ. */
    static int readLength(int guess, int multiple) {
        long length = Math.max(guess, 1);
        length = (length + multiple - 1) / multiple * multiple;
        if (length > MAX_READ) {
            length = Math.max(MAX_READ / multiple * (long) multiple, multiple);
        }
        return (int) length;
    }

    private void readCompleted(PendingRead op, long res, boolean current) {
        op.inFlight = false;
        if (!op.listed) {
            // It left the reads while in flight (settled at a new registration), its buffer with it.
            removed(op);
            return;
        }
        if (retryIfNowaitRefused(op, res, current)) {
            return;
        }
        op.done = true;
        op.res = res;
        if (op.discarded || ch.closing) {
            reads.remove(op);
            drop(op);
            if (!current || ch.closing) {
                return;
            }
        }
        if (!current) {
            // Deregistered: kept, in order, for the next registration (settleAfterDeregistration).
            return;
        }
        // Deliver from a task, which runs once the loop has handed over every completion of this reap: the reads
        // that completed together make one read round (one channelReadComplete), as a socket's read loop would.
        scheduleDelivery();
    }

    private void scheduleDelivery() {
        if (!deliveryScheduled) {
            deliveryScheduled = true;
            ch.eventLoop().execute(deliverTask);
        }
    }

    private void deliveryTask() {
        if (!ch.eventLoop().inEventLoop()) {
            // Scheduled before a deregistration; the channel is on another loop now: deliver there, where its
            // registered() (which may have found this task pending) settles the reads first.
            ch.eventLoop().execute(deliverTask);
            return;
        }
        deliveryScheduled = false;
        // Deregistered: the reads are kept for the next registration, which delivers them. Delivering now would
        // run the pipeline of a channel with no loop (an end of input would close it unregistered: no
        // channelInactive), or hand over reads the deregistration cancelled before they are settled.
        if (!ch.closing && ch.handle != null) {
            deliverReads();
        }
    }

    /** Delivers the completed reads at the head, in order, while the pipeline wants them; then refills. */
    private void deliverReads() {
        if (delivering) {
            return;
        }
        PendingRead head = reads.peekFirst();
        if (head != null && head.done && ch.wantsRead() && ch.isInputOpen()) {
            delivering = true;
            try {
                deliverRound();
            } finally {
                delivering = false;
            }
            head = reads.peekFirst();
            if (head != null && head.done && ch.wantsRead() && ch.isInputOpen()) {
                // The allocator handle ended the round with more waiting: go on after other work.
                scheduleDelivery();
            }
        }
        fillReads();
    }

    /** One read round, as a socket's read loop: messages until the handle says stop, then readComplete. */
    private void deliverRound() {
        AioFdChannelConfig config = ch.config();
        AioRecvByteAllocatorHandle allocHandle = ch.fdUnsafe().recvBufAllocHandle();
        ChannelPipeline pipeline = ch.pipeline();
        allocHandle.reset(config);
        IOException error = null;
        boolean endOfInput = false;
        do {
            PendingRead op = reads.peekFirst();
            if (op == null || !op.done) {
                break;
            }
            reads.pollFirst();
            long res = op.res;
            ByteBuf buf = op.buf;
            long opOffset = op.offset;
            int opLength = op.length;
            removed(op);
            if (res > 0 || res == 0 && ch.isStreamFile()) {
                // A stream file (FunctionFS) reads 0 bytes for a zero-length packet: a message too.
                buf.writerIndex(buf.writerIndex() + (int) res);
                allocHandle.attemptedBytesRead(opLength);
                allocHandle.lastBytesRead((int) res);
                allocHandle.incMessagesRead(1);
                ch.readPending = false;
                if (ch.isSeekable() && res < opLength) {
                    // Short: the reads after it started beyond the bytes there are; resume right after these.
                    discardPendingReads();
                    readPosition = opOffset + res;
                }
                pipeline.fireChannelRead(buf);
            } else {
                buf.release();
                discardPendingReads();
                inputDone = true;
                if (res == 0) {
                    endOfInput = true;
                } else {
                    error = readError(opOffset, opLength, res);
                }
                break;
            }
        } while (ch.isInputOpen() && allocHandle.continueReading());
        allocHandle.readComplete();
        pipeline.fireChannelReadComplete();
        if (error != null) {
            pipeline.fireExceptionCaught(error);
            ch.inputEnded();
        } else if (endOfInput) {
            ch.inputEnded();
        }
    }

    private IOException readError(long offset, int length, long res) {
        String call = "IOCB_CMD_PREAD(" + ch.describe() + ", offset=" + offset + ", length=" + length + ')';
        if (res == -Native.EAGAIN) {
            return new IOException(call + " failed: EAGAIN: the descriptor is non-blocking and its driver does not "
                    + "queue asynchronous reads (use AioFdIoMode.POLL for it), or, for a FunctionFS endpoint, the "
                    + "function is not enabled by the host yet");
        }
        return AioIoException.ofResult(call, res);
    }

    /**
     * Reads submitted after the head will not be delivered: release those done or waiting to be submitted again,
     * drop the rest on completion.
     */
    private void discardPendingReads() {
        for (Iterator<PendingRead> it = reads.iterator(); it.hasNext();) {
            PendingRead op = it.next();
            if (op.done || op.retryPending) {
                it.remove();
                drop(op);
            } else {
                op.discarded = true;
            }
        }
    }

    // ---------------------------------------------------------------- writing

    @Override
    ByteBuf filterOutbound(ByteBuf buf) {
        int length = buf.readableBytes();
        int lengthAlignment = ch.requiredSizeMultiple();
        if (length % lengthAlignment != 0) {
            throw new IllegalArgumentException(ch.describe() + " needs every write's length to be a multiple of "
                    + lengthAlignment + " bytes (O_DIRECT), got " + length + ": pad the data or write whole blocks");
        }
        if (buf.isDirect() && buf.nioBufferCount() == 1 && isMemoryAligned(buf)) {
            return buf;
        }
        ByteBuf copy = AioBufferAllocator.forAlignment(ch.config().getBufferAlignment()).directBuffer(length, length);
        copy.writeBytes(buf, buf.readerIndex(), length);
        buf.release();
        return copy;
    }

    private boolean isMemoryAligned(ByteBuf buf) {
        int alignment = ch.requiredMemoryAlignment();
        if (alignment == 1 || buf.readableBytes() == 0) {
            return true;
        }
        return buf.hasMemoryAddress() && (buf.memoryAddress() + buf.readerIndex() & alignment - 1) == 0;
    }

    @Override
    void write(ChannelOutboundBuffer in) throws Exception {
        AioFdChannel.FdHandle h = ch.handle;
        if (h == null || writeFailed || ch.closing) {
            return;
        }
        out = in;
        AioFdChannelConfig config = ch.config();
        int room = config.getWritesInFlight() - writes.size();
        if (room <= 0) {
            return;
        }
        AioRwOptions options = config.getWriteOptions();
        ByteBuf[] next = flushed.collect(in, writes.size(), room);
        for (int i = 0; i < next.length && next[i] != null; i++) {
            ByteBuf msg = next[i];
            next[i] = null;
            PendingWrite op = new PendingWrite(msg.retain(), writePosition, msg.readableBytes());
            writes.addLast(op);
            writePosition += op.length;
            if (op.length == 0 && ch.isSeekable()) {
                // Nothing to write at a position; on a stream file an empty write is a zero-length packet.
                op.done = true;
            } else if (!submitWrite(h, op, msg, op.offset, options)) {
                // The registration is gone (closing): nothing was submitted.
                abandon(op);
                return;
            }
        }
        completeWrittenHeads();
    }

    private boolean submitWrite(AioFdChannel.FdHandle h, PendingWrite op, ByteBuf data, long position,
                                AioRwOptions options) {
        long offset = ch.isSeekable() ? position : 0;
        if (data.readableBytes() == 0) {
            // A zero-length packet of a stream file: no memory to describe, the rare case built per write.
            op.id = h.registration.submit(
                    options.applyTo(AioIoOps.raw(Native.IOCB_CMD_PWRITE, fd, 0, 0, offset, AioFdChannel.WRITE)));
        } else {
            op.id = h.aio().submit(writeDescription(options), data, offset, null);
        }
        op.inFlight = op.id != AioIoRegistration.INVALID_ID;
        return op.inFlight;
    }

    /** The operation of {@code ops} submitted with {@code id}; a handful are in flight, a scan is cheapest. */
    private static <T extends Op> T find(ArrayDeque<T> ops, long id) {
        for (T op : ops) {
            if (op.id == id) {
                return op;
            }
        }
        return null;
    }

    private void writeCompleted(long id, long res, boolean current) {
        PendingWrite op = find(writes, id);
        if (op == null) {
            return;
        }
        op.inFlight = false;
        if (writeFailed) {
            writes.remove(op);
            op.release();
            return;
        }
        if (!current && !ch.closing) {
            // Deregistered: what the kernel wrote counts; settleAfterDeregistration writes the rest again.
            if (res > 0) {
                op.written += (int) res;
            } else if (res < 0) {
                op.error = res;
            }
            op.done = op.written >= op.length && res >= 0;
            return;
        }
        if (res < 0 && ch.closing) {
            // Cancelled by the close: it and every message after it fail with the close, none succeeds.
            abandon(op);
            return;
        }
        if (res < 0) {
            fail(op, res == -Native.EAGAIN
                    ? new IOException(writeCall(op) + " failed: EAGAIN: the descriptor is non-blocking and its "
                            + "driver does not queue asynchronous writes (use AioFdIoMode.POLL for it), or, for a "
                            + "FunctionFS endpoint, the function is not enabled by the host yet")
                    : AioIoException.ofResult(writeCall(op), res));
            return;
        }
        op.written += (int) res;
        if (op.written < op.length) {
            if (res == 0) {
                fail(op, new IOException(writeCall(op) + " wrote 0 of " + (op.length - op.written + res)
                        + " bytes"));
                return;
            }
            if (!ch.isSeekable() && writes.size() > 1) {
                fail(op, new IOException(writeCall(op) + " wrote " + op.written + " of " + op.length + " bytes "
                        + "while later writes were already in flight: the stream order is lost (set "
                        + "WRITES_IN_FLIGHT to 1 for a descriptor that takes partial writes)"));
                return;
            }
            // Short: write the rest where it stopped.
            ByteBuf rest = op.msg.retainedSlice(op.msg.readerIndex() + op.written, op.length - op.written);
            op.setContinuation(rest);
            AioFdChannel.FdHandle h = ch.handle;
            if (h == null || !submitWrite(h, op, rest, op.offset + op.written, ch.config().getWriteOptions())) {
                abandon(op);
            }
            return;
        }
        op.done = true;
        completeWrittenHeads();
        if (!ch.closing && !writeFailed) {
            ch.fdUnsafe().flushNow();
        }
    }

    private String writeCall(PendingWrite op) {
        return "IOCB_CMD_PWRITE(" + ch.describe() + ", offset=" + (ch.isSeekable() ? op.offset : 0) + ", length="
                + op.length + ')';
    }

    /** Removes the messages written completely, in order, completing their promises. */
    private void completeWrittenHeads() {
        ChannelOutboundBuffer in = out;
        PendingWrite op;
        while ((op = writes.peekFirst()) != null && op.done) {
            writes.pollFirst();
            op.release();
            if (in == null) {
                continue;
            }
            // Entries whose promise was cancelled before the flush are skipped by forEachFlushedMessage: drop them.
            Object current;
            while ((current = in.current()) != null && current != op.msg) {
                in.remove();
            }
            if (current != null) {
                in.progress(op.length);
                in.remove();
            }
        }
    }

    /** A write failed: nothing more is written; the error goes where Netty sends write errors. */
    private void fail(PendingWrite op, IOException cause) {
        writeFailed = true;
        abandon(op);
        ch.fdUnsafe().writeFailed(cause);
    }

    /**
     * {@code op} will not complete its message: from now on no message is removed from the outbound buffer here,
     * so none after it succeeds either; the close or the write error fails them all.
     */
    private void abandon(PendingWrite op) {
        out = null;
        writes.remove(op);
        op.release();
    }

    // ---------------------------------------------------------------- bookkeeping

    /** An iocb of the channel's, found again by the id its submission returned. */
    private abstract static class Op {
        long id;
        /** Completed (a write: completely, continuations included). */
        boolean done;
        /** Submitted and not completed yet. */
        boolean inFlight;
    }

    private static final class PendingRead extends Op {
        ByteBuf buf;
        long offset;
        int length;
        boolean discarded;
        long res;
        /** In {@link #reads}. */
        boolean listed;
        /** Submitted with our RWF_NOWAIT. */
        boolean nowait;
        /** Refused with EAGAIN and waiting for its retry timer, in no kernel's hands. */
        boolean retryPending;
        int retries;
        PendingRead nextFree;
    }

    private static final class PendingWrite extends Op {
        /** The message, retained by this op until it is done. */
        final ByteBuf msg;
        final long offset;
        final int length;
        int written;
        /** The kernel's error for a write completed while the channel was deregistered, or 0. */
        long error;
        /** The retained slice a short write continues with. */
        private ByteBuf continuation;

        PendingWrite(ByteBuf msg, long offset, int length) {
            this.msg = msg;
            this.offset = offset;
            this.length = length;
        }

        void setContinuation(ByteBuf rest) {
            if (continuation != null) {
                continuation.release();
            }
            continuation = rest;
        }

        void release() {
            setContinuation(null);
            msg.release();
        }
    }

    /** Finds the flushed messages after the ones in flight, in one pass over the outbound buffer. */
    private static final class FlushedMessages implements ChannelOutboundBuffer.MessageProcessor {
        private ByteBuf[] found = new ByteBuf[AioFdChannelConfig.DEFAULT_WRITES_IN_FLIGHT];
        private int skip;
        private int count;
        private int max;

        /** Up to {@code max} flushed messages after the first {@code skip}, null-terminated unless full. */
        ByteBuf[] collect(ChannelOutboundBuffer in, int skip, int max) throws Exception {
            if (found.length < max) {
                found = new ByteBuf[max];
            }
            this.skip = skip;
            this.count = 0;
            this.max = max;
            in.forEachFlushedMessage(this);
            if (count < found.length) {
                found[count] = null;
            }
            return found;
        }

        @Override
        public boolean processMessage(Object msg) {
            if (skip > 0) {
                skip--;
                return true;
            }
            found[count++] = (ByteBuf) msg;
            return count < max;
        }
    }
}
