/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.IovArray;
import io.netty.channel.unix.UnixChannelUtil;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.core.NativeFds;

import java.io.IOException;
import java.nio.ByteBuffer;

import static io.netty.channel.internal.ChannelUtils.WRITE_STATUS_SNDBUF_FULL;

/**
 * Poll mode: readiness from one-shot {@code IOCB_CMD_POLL} iocbs (pre-built, so arming allocates nothing), then
 * non-blocking {@code read(2)} and {@code writev(2)} ({@code pwritev2(2)} when write flags are set). At most one
 * POLLIN and one POLLOUT iocb per registration. A readable descriptor's POLLIN is armed while the pipeline wants
 * data; a write-only one's "POLLIN" iocb asks only for {@code POLLERR}/{@code POLLHUP} and stays armed, so the
 * channel closes when the other end goes away even while it has nothing to write. A write is tried at once;
 * POLLOUT is armed only on {@code EAGAIN}. No buffer outlives a syscall: nothing of ours is in the kernel's hands
 * between completions.
 */
final class AioFdPollIo extends AioFdIo {
    private final FileDescriptor descriptor;
    private final AioIoOps pollInOps;
    private final AioIoOps pollOutOps;
    private final Runnable flushTask;

    AioFdPollIo(AioFdChannel ch) {
        super(ch);
        this.descriptor = ch.fd();
        int inEvents = ch.isReadableFd() ? Native.POLLIN : Native.POLLERR | Native.POLLHUP;
        this.pollInOps = AioIoOps.poll(fd, inEvents, AioFdChannel.POLL_IN);
        this.pollOutOps = AioIoOps.poll(fd, Native.POLLOUT, AioFdChannel.POLL_OUT);
        this.flushTask = () -> ch.fdUnsafe().flush0();
    }

    @Override
    AioFdIoMode mode() {
        return AioFdIoMode.POLL;
    }

    @Override
    void registered() {
        if (!ch.isActive()) {
            return;
        }
        if (!ch.isReadableFd() || ch.readPending) {
            armPollIn();
        }
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        if (out != null && !out.isEmpty()) {
            // Moved here while waiting for POLLOUT on the old loop.
            ch.eventLoop().execute(flushTask);
        }
    }

    @Override
    void beginRead() {
        armPollIn();
    }

    private void armPollIn() {
        AioFdChannel.FdHandle h = ch.handle;
        if (h != null && !h.inArmed && h.registration.isValid()) {
            h.inArmed = true;
            h.registration.submit(pollInOps);
        }
    }

    private void armPollOut() {
        AioFdChannel.FdHandle h = ch.handle;
        if (h != null && !h.outArmed && h.registration.isValid()) {
            h.outArmed = true;
            h.registration.submit(pollOutOps);
        }
    }

    @Override
    boolean isFlushBlocked() {
        AioFdChannel.FdHandle h = ch.handle;
        return h != null && h.outArmed;
    }

    @Override
    void handle(AioFdChannel.FdHandle h, AioIoEvent event, boolean current) {
        boolean in = event.userData() == AioFdChannel.POLL_IN;
        if (in) {
            h.inArmed = false;
        } else {
            h.outArmed = false;
        }
        if (!current || event.res() == -Native.ECANCELED || ch.closing) {
            return;
        }
        // Another negative result (the kernel refused the POLL) is left to the read or write below to report.
        if (!in) {
            ch.fdUnsafe().flushNow();
        } else if (ch.isReadableFd()) {
            readReady();
        } else if (event.res() > 0) {
            // POLLERR/POLLHUP on a write-only descriptor: nobody reads from the other end any more.
            ch.unsafe().close(ch.unsafe().voidPromise());
        }
        // A negative result for the watch: the descriptor cannot be polled for errors (a driver without a poll
        // method, /dev/null: io_submit answers EINVAL when nothing could ever be reported). Writes still report.
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
            if (ch.wantsRead() && ch.isInputOpen()) {
                armPollIn();
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
            if (ch.isTerminal() && e.expectedErr() == -NativeFds.EIO) {
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
                return;
            }
            writeSpinCount -= writeOnce(in);
            // WRITE_STATUS_SNDBUF_FULL turns writeSpinCount negative: the descriptor is full.
        } while (writeSpinCount > 0);
        if (writeSpinCount == 0) {
            // Spun out with more to write: let other channels run, then go on.
            ch.eventLoop().execute(flushTask);
        } else {
            armPollOut();
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
