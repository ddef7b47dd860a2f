/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fd;

import io.netty.contrib.channel.aio.internal.IovArrays;
import io.netty.contrib.channel.aio.internal.AioRecvByteAllocatorHandle;
import io.netty.contrib.channel.aio.AioIoEvent;
import io.netty.contrib.channel.aio.AioIoRegistration;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.IovArray;
import io.netty.channel.unix.UnixChannelUtil;
import io.netty.contrib.channel.aio.core.AioIoException;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.core.NativeFds;

import java.io.IOException;
import java.nio.ByteBuffer;

import static io.netty.channel.internal.ChannelUtils.WRITE_STATUS_SNDBUF_FULL;

/**
 * Poll mode: readiness from the loop's epoll set ({@link AioIoRegistration#watch}, edge-triggered, watched once at
 * registration), then non-blocking {@code read(2)} and {@code writev(2)} ({@code pwritev2(2)} when write flags are
 * set). A readable descriptor is watched for {@code EPOLLIN}; a write-only one only for what is always reported,
 * {@code EPOLLERR}/{@code EPOLLHUP}, so the channel closes when the other end goes away even while it has nothing
 * to write. A write is tried at once; {@code EPOLLOUT} is asked for only on {@code EAGAIN}. A character device
 * whose driver has no poll method ({@code /dev/null}, {@code /dev/zero}: epoll answers {@code EPERM}) is what
 * {@code poll(2)} calls it, always ready: it is read from tasks while the pipeline wants data, never watched. Any
 * other descriptor epoll refuses (a regular file: {@code EPERM}) fails the registration with an exception naming
 * it. No buffer outlives a syscall, and no AIO slot is held.
 */
final class AioFdPollIo extends AioFdIo {
    private final FileDescriptor descriptor;
    private final int inEvents;
    private final Runnable flushTask;
    private final Runnable readTask;
    private boolean readTaskScheduled;
    // Data may be waiting that no edge will report again (an unwanted event, a read loop stopped before EAGAIN).
    private boolean maybeMoreData;
    // A device without a poll method: never in the set, always ready.
    private boolean alwaysReady;
    // EPOLLHUP/EPOLLRDHUP/EPOLLERR was reported: no later edge will announce the end of input.
    private boolean hangupSeen;

    AioFdPollIo(AioFdChannel ch) {
        super(ch);
        this.descriptor = ch.fd();
        this.inEvents = ch.isReadableFd() ? Native.EPOLLIN | Native.EPOLLRDHUP : 0;
        this.flushTask = () -> ch.fdUnsafe().flush0();
        this.readTask = () -> {
            readTaskScheduled = false;
            if (maybeMoreData && ch.handle != null && ch.wantsRead() && ch.isInputOpen()) {
                readReady();
            }
        };
    }

    @Override
    AioFdIoMode mode() {
        return AioFdIoMode.POLL;
    }

    @Override
    void registered() throws IOException {
        if (!ch.isActive()) {
            return;
        }
        watch();
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        if (out != null && !out.isEmpty()) {
            // Moved here while waiting for EPOLLOUT on the old loop.
            ch.eventLoop().execute(flushTask);
        }
    }

    private void watch() throws IOException {
        AioFdChannel.FdHandle h = ch.handle;
        if (alwaysReady || h == null || !h.registration.isValid()) {
            return;
        }
        try {
            h.aio().watch(fd, inEvents | (h.outWanted ? Native.EPOLLOUT : 0));
        } catch (IOException e) {
            if (ch.isCharDevice() && e.getCause() instanceof AioIoException
                    && ((AioIoException) e.getCause()).expectedErr() == -Native.EPERM) {
                alwaysReady = true;
                maybeMoreData = ch.isReadableFd();
                if (maybeMoreData && ch.wantsRead()) {
                    scheduleRead();
                }
                return;
            }
            throw new IOException(ch.describe() + " cannot be used in poll mode: " + e.getMessage(), e);
        }
    }

    private void setOutWanted(boolean wanted) throws IOException {
        AioFdChannel.FdHandle h = ch.handle;
        if (h != null && h.outWanted != wanted) {
            h.outWanted = wanted;
            watch();
        }
    }

    @Override
    void beginRead() {
        if (maybeMoreData) {
            scheduleRead();
        }
    }

    private void scheduleRead() {
        if (!readTaskScheduled) {
            readTaskScheduled = true;
            ch.eventLoop().execute(readTask);
        }
    }

    @Override
    boolean isFlushBlocked() {
        AioFdChannel.FdHandle h = ch.handle;
        return h != null && h.outWanted;
    }

    @Override
    void handle(AioFdChannel.FdHandle h, AioIoEvent event, boolean current) {
        if (!current || event.opcode() != AioIoEvent.READINESS || ch.closing) {
            return;
        }
        int events = (int) event.res();
        if ((events & (Native.EPOLLOUT | Native.EPOLLERR)) != 0 && h.outWanted) {
            ch.fdUnsafe().flushNow();
        }
        if (ch.handle != h || ch.closing) {
            return;
        }
        if (ch.isReadableFd()) {
            if ((events & (Native.EPOLLIN | Native.EPOLLRDHUP | Native.EPOLLHUP | Native.EPOLLERR)) != 0) {
                if ((events & (Native.EPOLLRDHUP | Native.EPOLLHUP | Native.EPOLLERR)) != 0) {
                    // The writer is gone (or an error waits): this edge is the last, so rounds go on from tasks
                    // until the end of input or the error is read.
                    hangupSeen = true;
                }
                maybeMoreData = true;
                if (ch.wantsRead()) {
                    readReady();
                }
            }
        } else if ((events & (Native.EPOLLERR | Native.EPOLLHUP)) != 0) {
            // EPOLLERR/EPOLLHUP on a write-only descriptor: nobody reads from the other end any more.
            ch.unsafe().close(ch.unsafe().voidPromise());
        }
    }

    // ---------------------------------------------------------------- reading

    private void readReady() {
        if (!ch.isInputOpen()) {
            ch.readPending = false;
            return;
        }
        final ChannelConfig config = ch.config();
        final AioRecvByteAllocatorHandle allocHandle = ch.fdUnsafe().recvBufAllocHandle();
        final ChannelPipeline pipeline = ch.pipeline();
        final ByteBufAllocator allocator = config.getAllocator();
        allocHandle.reset(config);
        ByteBuf byteBuf = null;
        boolean endOfInput = false;
        maybeMoreData = false;
        try {
            do {
                byteBuf = allocHandle.allocate(allocator);
                allocHandle.attemptedBytesRead(byteBuf.writableBytes());
                allocHandle.lastBytesRead(readInto(byteBuf));
                if (allocHandle.lastBytesRead() <= 0) {
                    byteBuf.release();
                    byteBuf = null;
                    endOfInput = allocHandle.lastBytesRead() < 0;
                    break;
                }
                allocHandle.incMessagesRead(1);
                ch.readPending = false;
                pipeline.fireChannelRead(byteBuf);
                byteBuf = null;
                if (!ch.isInputOpen()) {
                    // Closed or shut down from the pipeline: do not touch the descriptor again.
                    break;
                }
            } while (allocHandle.continueReading());
            // EAGAIN (0) and the end (-1) are final; after a hang-up, or on a device that is always ready, any
            // other stop may leave bytes (or the end of input) that no edge will announce.
            maybeMoreData = allocHandle.lastBytesRead() > 0
                    && (alwaysReady || hangupSeen || allocHandle.maybeMoreDataAfterRead());
            allocHandle.readComplete();
            pipeline.fireChannelReadComplete();
            if (endOfInput) {
                ch.inputEnded();
            }
        } catch (Throwable t) {
            if (byteBuf != null) {
                byteBuf.release();
            }
            allocHandle.readComplete();
            pipeline.fireChannelReadComplete();
            pipeline.fireExceptionCaught(t);
            if (t instanceof IOException) {
                ch.inputEnded();
            }
        } finally {
            if (maybeMoreData && ch.wantsRead() && ch.isInputOpen()) {
                scheduleRead();
            }
        }
    }

    /** read(2) into {@code buf}'s writable bytes: bytes read, 0 on EAGAIN, -1 at end of input. */
    private int readInto(ByteBuf buf) throws IOException {
        int writerIndex = buf.writerIndex();
        int n;
        try {
            if (buf.hasMemoryAddress()) {
                n = descriptor.readAddress(buf.memoryAddress(), writerIndex, buf.capacity());
            } else {
                ByteBuffer nio = buf.internalNioBuffer(writerIndex, buf.writableBytes());
                n = descriptor.read(nio, nio.position(), nio.limit());
            }
        } catch (Errors.NativeIoException e) {
            if (ch.isTerminal() && e.expectedErr() == -Native.EIO) {
                // A pseudo-terminal master reads EIO once every descriptor of its slave is closed: its end of input.
                return -1;
            }
            throw Native.ioException("read(" + ch.describe() + ')', e.expectedErr());
        }
        if (n > 0) {
            buf.writerIndex(writerIndex + n);
        }
        return n;
    }

    // ---------------------------------------------------------------- writing

    @Override
    ByteBuf filterOutbound(ByteBuf buf) {
        if (!UnixChannelUtil.isBufferCopyNeededForWrite(buf)) {
            return buf;
        }
        int length = buf.readableBytes();
        ByteBuf copy = ch.alloc().directBuffer(length);
        copy.writeBytes(buf, buf.readerIndex(), length);
        buf.release();
        return copy;
    }

    @Override
    void write(ChannelOutboundBuffer in) throws Exception {
        int writeSpinCount = ch.config().getWriteSpinCount();
        do {
            if (in.isEmpty()) {
                setOutWanted(false);
                return;
            }
            writeSpinCount -= writeOnce(in);
            // WRITE_STATUS_SNDBUF_FULL turns writeSpinCount negative: the descriptor is full.
        } while (writeSpinCount > 0);
        if (writeSpinCount == 0 || alwaysReady) {
            // Spun out with more to write: let other channels run, then go on (not waiting for EPOLLOUT).
            setOutWanted(false);
            ch.eventLoop().execute(flushTask);
        } else {
            setOutWanted(true);
        }
    }

    private int writeOnce(ChannelOutboundBuffer in) throws Exception {
        IovArray array = IovArrays.clean();
        in.forEachFlushedMessage(array);
        if (array.count() == 0) {
            // Only empty buffers: done with them.
            in.removeBytes(0);
            return 0;
        }
        int flags = ch.config().getWriteOptions().rwFlags();
        long written;
        if (flags == 0) {
            try {
                written = descriptor.writevAddresses(array.memoryAddress(0), array.count());
            } catch (Errors.NativeIoException e) {
                throw Native.ioException("writev(" + ch.describe() + ')', e.expectedErr());
            }
        } else {
            written = NativeFds.pwritev2(fd, array.memoryAddress(0), array.count(), flags);
            if (written == -Native.EAGAIN) {
                written = 0;
            } else if (written < 0) {
                throw Native.ioException("pwritev2(" + ch.describe() + ", flags=0x" + Integer.toHexString(flags)
                        + ')', (int) written);
            }
        }
        if (written > 0) {
            in.removeBytes(written);
            return 1;
        }
        return WRITE_STATUS_SNDBUF_FULL;
    }
}
