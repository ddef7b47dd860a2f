/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.contrib.channel.aio.internal.IovArrays;
import io.netty.contrib.channel.aio.internal.AioRecvByteAllocatorHandle;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoop;
import io.netty.channel.FileRegion;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.IovArray;
import io.netty.channel.unix.SocketWritableByteChannel;
import io.netty.channel.unix.UnixChannelUtil;
import io.netty.util.internal.StringUtil;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.Executor;

import static io.netty.channel.internal.ChannelUtils.MAX_BYTES_PER_GATHERING_WRITE_ATTEMPTED_LOW_THRESHOLD;
import static io.netty.channel.internal.ChannelUtils.WRITE_STATUS_SNDBUF_FULL;

/**
 * A connected stream socket (TCP or Unix domain) on the AIO loop. Reads: on an EPOLLIN event, recv until
 * EAGAIN, EOF or the allocator's limit (then the read goes on from a task). Writes: tried at once (writev of up to
 * IOV_MAX buffers, {@link FileRegion#transferTo} for regions other than {@link DefaultFileRegion}); only a
 * full socket buffer asks for EPOLLOUT, whose event resumes the flush. A {@link DefaultFileRegion} goes out through
 * {@link RegionTransfer}: {@code sendfile} for spans in the page cache, AIO reads for the others, during which the
 * region waits at the head of the outbound buffer and the read's completion resumes the flush. Half-closure as
 * Netty's other transports.
 *
 * <p>Ownership: written buffers are released by the {@link ChannelOutboundBuffer} once sent; read buffers go to
 * the pipeline, which releases them. Socket writes hand no buffer to the kernel beyond a syscall; the AIO reads of a
 * region's spans hold theirs until their completions, and the channel's close waits for those.
 */
abstract class AbstractAioStreamChannel<A extends SocketAddress> extends AbstractAioChannel<A>
        implements DuplexChannel {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(AbstractAioStreamChannel.class);
    private static final String EXPECTED_TYPES = " (expected: " + StringUtil.simpleClassName(ByteBuf.class) + ", "
            + StringUtil.simpleClassName(DefaultFileRegion.class) + ')';

    private final Runnable flushTask = () -> aioUnsafe().flush0();
    private WritableByteChannel byteChannel;
    /** Made at the first DefaultFileRegion, kept for the next ones. Loop thread. */
    private RegionTransfer regions;

    AbstractAioStreamChannel(Channel parent, AioSocket socket, boolean active, int pollInEvents) {
        super(parent, socket, active, pollInEvents);
    }

    AbstractAioStreamChannel(Channel parent, AioSocket socket, SocketAddress remote, int pollInEvents) {
        super(parent, socket, remote, pollInEvents);
    }

    @Override
    protected AbstractAioUnsafe newUnsafe() {
        return new AioStreamUnsafe();
    }

    // ---------------------------------------------------------------- writing

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        int writeSpinCount = config().getWriteSpinCount();
        do {
            final int msgCount = in.size();
            if (msgCount > 1 && in.current() instanceof ByteBuf) {
                writeSpinCount -= doWriteMultiple(in);
            } else if (msgCount == 0) {
                setOutWanted(false);
                return;
            } else {
                int status = doWriteSingle(in);
                if (status == RegionTransfer.WAITING) {
                    // A region's read (or open) is in flight: its completion resumes the flush, not EPOLLOUT.
                    setOutWanted(false);
                    return;
                }
                writeSpinCount -= status;
            }
            // WRITE_STATUS_SNDBUF_FULL makes writeSpinCount negative: the socket buffer is full.
        } while (writeSpinCount > 0);

        if (writeSpinCount == 0) {
            // Spun out with more to write: let other channels run, then go on (no EPOLLOUT wait: flush0 would skip).
            setOutWanted(false);
            eventLoop().execute(flushTask);
        } else {
            setOutWanted(true);
        }
    }

    protected int doWriteSingle(ChannelOutboundBuffer in) throws Exception {
        Object msg = in.current();
        if (msg instanceof ByteBuf) {
            return writeBytes(in, (ByteBuf) msg);
        } else if (msg instanceof DefaultFileRegion) {
            return writeDefaultFileRegion(in, (DefaultFileRegion) msg);
        } else if (msg instanceof FileRegion) {
            return writeFileRegion(in, (FileRegion) msg);
        }
        throw new Error("Unexpected message type: " + StringUtil.className(msg));
    }

    private int doWriteMultiple(ChannelOutboundBuffer in) throws Exception {
        final long maxBytesPerGatheringWrite = config().getMaxBytesPerGatheringWrite();
        IovArray array = IovArrays.clean();
        array.maxBytes(maxBytesPerGatheringWrite);
        in.forEachFlushedMessage(array);
        if (array.count() >= 1) {
            return writeBytesMultiple(in, array);
        }
        // Only empty buffers: drop them.
        in.removeBytes(0);
        return 0;
    }

    private int writeBytes(ChannelOutboundBuffer in, ByteBuf buf) throws Exception {
        int readableBytes = buf.readableBytes();
        if (readableBytes == 0) {
            in.remove();
            return 0;
        }
        if (buf.hasMemoryAddress() || buf.nioBufferCount() == 1) {
            long written = doWriteOrSendBytes(buf, null, false);
            if (written > 0) {
                in.removeBytes(written);
                return 1;
            }
            return WRITE_STATUS_SNDBUF_FULL;
        }
        IovArray array = IovArrays.clean();
        array.maxBytes(config().getMaxBytesPerGatheringWrite());
        array.add(buf, buf.readerIndex(), readableBytes);
        return writeBytesMultiple(in, array);
    }

    private int writeBytesMultiple(ChannelOutboundBuffer in, IovArray array) throws IOException {
        final long expectedWrittenBytes = array.size();
        final int cnt = array.count();
        final long localWrittenBytes = socket.writevAddresses(array.memoryAddress(0), cnt);
        if (localWrittenBytes > 0) {
            adjustMaxBytesPerGatheringWrite(expectedWrittenBytes, localWrittenBytes, array.maxBytes());
            in.removeBytes(localWrittenBytes);
            return 1;
        }
        return WRITE_STATUS_SNDBUF_FULL;
    }

    /** Grows the gathering limit while the socket takes everything, shrinks it when it takes far less. */
    private void adjustMaxBytesPerGatheringWrite(long attempted, long written, long oldMaxBytesPerGatheringWrite) {
        if (attempted == written) {
            if (attempted << 1 > oldMaxBytesPerGatheringWrite) {
                config().setMaxBytesPerGatheringWrite(attempted << 1);
            }
        } else if (attempted > MAX_BYTES_PER_GATHERING_WRITE_ATTEMPTED_LOW_THRESHOLD && written < attempted >>> 1) {
            config().setMaxBytesPerGatheringWrite(attempted >>> 1);
        }
    }

    private int writeDefaultFileRegion(ChannelOutboundBuffer in, DefaultFileRegion region) throws Exception {
        RegionTransfer r = regions;
        if (r == null) {
            regions = r = new RegionTransfer(this);
        }
        return r.write(in, region);
    }

    private int writeFileRegion(ChannelOutboundBuffer in, FileRegion region) throws Exception {
        if (region.transferred() >= region.count()) {
            in.remove();
            return 0;
        }
        if (byteChannel == null) {
            byteChannel = new WritableByteChannel();
        }
        final long flushedAmount = region.transferTo(byteChannel, region.transferred());
        if (flushedAmount > 0) {
            in.progress(flushedAmount);
            if (region.transferred() >= region.count()) {
                in.remove();
            }
            return 1;
        }
        return WRITE_STATUS_SNDBUF_FULL;
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof ByteBuf) {
            ByteBuf buf = (ByteBuf) msg;
            return UnixChannelUtil.isBufferCopyNeededForWrite(buf) ? newDirectBuffer(buf) : buf;
        }
        if (msg instanceof FileRegion) {
            return msg;
        }
        throw new UnsupportedOperationException(
                "unsupported message type: " + StringUtil.simpleClassName(msg) + EXPECTED_TYPES);
    }

    // ---------------------------------------------------------------- half-closure

    @Override
    protected final void doShutdownOutput() throws Exception {
        RegionTransfer r = regions;
        if (r != null) {
            r.outputShutdown();
        }
        socket.shutdown(false, true);
    }

    private void shutdownInput0(final ChannelPromise promise) {
        try {
            socket.shutdown(true, false);
            promise.setSuccess();
        } catch (Throwable cause) {
            promise.setFailure(cause);
        }
    }

    @Override
    public boolean isOutputShutdown() {
        return socket.isOutputShutdown();
    }

    @Override
    public boolean isInputShutdown() {
        return socket.isInputShutdown();
    }

    @Override
    public boolean isShutdown() {
        return socket.isShutdown();
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return shutdownOutput(newPromise());
    }

    @Override
    public ChannelFuture shutdownOutput(final ChannelPromise promise) {
        EventLoop loop = eventLoop();
        if (loop.inEventLoop()) {
            ((AbstractUnsafe) unsafe()).shutdownOutput(promise);
        } else {
            loop.execute(() -> ((AbstractUnsafe) unsafe()).shutdownOutput(promise));
        }
        return promise;
    }

    @Override
    public ChannelFuture shutdownInput() {
        return shutdownInput(newPromise());
    }

    @Override
    public ChannelFuture shutdownInput(final ChannelPromise promise) {
        @SuppressWarnings("unchecked")
        Executor closeExecutor = ((AioStreamUnsafe) unsafe()).closeExecutor();
        if (closeExecutor != null) {
            closeExecutor.execute(() -> shutdownInput0(promise));
        } else {
            EventLoop loop = eventLoop();
            if (loop.inEventLoop()) {
                shutdownInput0(promise);
            } else {
                loop.execute(() -> shutdownInput0(promise));
            }
        }
        return promise;
    }

    @Override
    public ChannelFuture shutdown() {
        return shutdown(newPromise());
    }

    @Override
    public ChannelFuture shutdown(final ChannelPromise promise) {
        ChannelFuture shutdownOutputFuture = shutdownOutput();
        if (shutdownOutputFuture.isDone()) {
            shutdownOutputDone(shutdownOutputFuture, promise);
        } else {
            shutdownOutputFuture.addListener((ChannelFutureListener) f -> shutdownOutputDone(f, promise));
        }
        return promise;
    }

    private void shutdownOutputDone(final ChannelFuture shutdownOutputFuture, final ChannelPromise promise) {
        ChannelFuture shutdownInputFuture = shutdownInput();
        if (shutdownInputFuture.isDone()) {
            shutdownDone(shutdownOutputFuture, shutdownInputFuture, promise);
        } else {
            shutdownInputFuture.addListener(
                    (ChannelFutureListener) f -> shutdownDone(shutdownOutputFuture, f, promise));
        }
    }

    private static void shutdownDone(ChannelFuture shutdownOutputFuture, ChannelFuture shutdownInputFuture,
                                     ChannelPromise promise) {
        Throwable shutdownOutputCause = shutdownOutputFuture.cause();
        Throwable shutdownInputCause = shutdownInputFuture.cause();
        if (shutdownOutputCause != null) {
            if (shutdownInputCause != null) {
                logger.debug("Exception suppressed because a previous exception occurred.", shutdownInputCause);
            }
            promise.setFailure(shutdownOutputCause);
        } else if (shutdownInputCause != null) {
            promise.setFailure(shutdownInputCause);
        } else {
            promise.setSuccess();
        }
    }

    // ---------------------------------------------------------------- reading

    class AioStreamUnsafe extends AbstractAioUnsafe {
        /**
         * Where close(2) runs, null for the loop (AioSocketChannel with SO_LINGER: off it); shutdownInput runs
         * there too.
         */
        Executor closeExecutor() {
            return null;
        }

        /**
         * The close waits for the reads a DefaultFileRegion has in flight: their buffers are the kernel's until
         * their completions. Meanwhile the channel is inactive (nothing more is read or written), then the close
         * runs where {@link #closeExecutor()} says.
         */
        @Override
        protected final Executor prepareToClose() {
            Executor executor = closeExecutor();
            RegionTransfer r = regions;
            if (r == null) {
                return executor;
            }
            Executor waiting = r.closing(executor);
            if (waiting != executor) {
                active = false;
            }
            return waiting;
        }

        @Override
        void readReady() {
            final ChannelConfig config = config();
            if (isInputDone(config)) {
                return;
            }
            final AioRecvByteAllocatorHandle allocHandle = recvBufAllocHandle();
            final ChannelPipeline pipeline = pipeline();
            final ByteBufAllocator allocator = config.getAllocator();
            allocHandle.reset(config);

            ByteBuf byteBuf = null;
            boolean allDataRead = false;
            // Set again below if the loop stops with the socket possibly holding more.
            maybeMoreData = false;
            try {
                do {
                    byteBuf = allocHandle.allocate(allocator);
                    allocHandle.lastBytesRead(doReadBytes(byteBuf));
                    if (allocHandle.lastBytesRead() <= 0) {
                        byteBuf.release();
                        byteBuf = null;
                        allDataRead = allocHandle.lastBytesRead() < 0;
                        if (allDataRead) {
                            // EOF: nothing more will come.
                            readPending = false;
                        }
                        break;
                    }
                    allocHandle.incMessagesRead(1);
                    readPending = false;
                    pipeline.fireChannelRead(byteBuf);
                    byteBuf = null;
                    if (shouldBreakReadReady(config)) {
                        // Input shut down or channel closed from the handler: the descriptor may already be
                        // reused by another socket; do not read from it again.
                        break;
                    }
                } while (allocHandle.continueReading());
                maybeMoreData = allocHandle.maybeMoreDataAfterRead();

                allocHandle.readComplete();
                pipeline.fireChannelReadComplete();

                if (allDataRead) {
                    shutdownInput(true);
                }
            } catch (Throwable t) {
                handleReadException(pipeline, byteBuf, t, allDataRead, allocHandle);
            }
        }

        private void handleReadException(ChannelPipeline pipeline, ByteBuf byteBuf, Throwable cause,
                                         boolean allDataRead, AioRecvByteAllocatorHandle allocHandle) {
            if (byteBuf != null) {
                if (byteBuf.isReadable()) {
                    readPending = false;
                    pipeline.fireChannelRead(byteBuf);
                } else {
                    byteBuf.release();
                }
            }
            allocHandle.readComplete();
            pipeline.fireChannelReadComplete();
            pipeline.fireExceptionCaught(cause);
            if (allDataRead || cause instanceof OutOfMemoryError || cause instanceof IOException) {
                shutdownInput(true);
            }
        }
    }

    /** What {@link FileRegion#transferTo} writes into: send(2) on this socket. */
    private final class WritableByteChannel extends SocketWritableByteChannel {
        WritableByteChannel() {
            super(socket);
        }

        @Override
        protected ByteBufAllocator alloc() {
            return AbstractAioStreamChannel.this.alloc();
        }
    }
}
