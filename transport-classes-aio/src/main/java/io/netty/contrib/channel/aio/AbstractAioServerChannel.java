/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.contrib.channel.aio.internal.AioRecvByteAllocatorHandle;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ServerChannel;
import io.netty.contrib.channel.aio.core.Native;

import java.net.SocketAddress;

/**
 * A listening socket on the AIO loop, watched for EPOLLIN in the loop's epoll set: an event accepts connections
 * (accept4, non-blocking and close-on-exec) until EAGAIN or the allocator's limit (then accepting goes on from a
 * task) and hands each to the pipeline as a child channel. Threading as every Netty channel.
 */
abstract class AbstractAioServerChannel<A extends SocketAddress> extends AbstractAioChannel<A>
        implements ServerChannel {

    AbstractAioServerChannel(AioSocket socket, boolean active) {
        super(null, socket, active, Native.EPOLLIN);
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return null;
    }

    @Override
    protected AbstractAioUnsafe newUnsafe() {
        return new AioServerUnsafe();
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        throw new UnsupportedOperationException();
    }

    @Override
    protected Object filterOutboundMessage(Object msg) throws Exception {
        throw new UnsupportedOperationException();
    }

    @Override
    protected boolean doConnect(SocketAddress remoteAddress, SocketAddress localAddress) throws Exception {
        throw new UnsupportedOperationException();
    }

    /** Listens after the bind and marks the channel active. */
    final void listen(int backlog) throws Exception {
        socket.listen(backlog);
        active = true;
        channelBecameActive();
    }

    /** The channel of an accepted connection; {@code address[offset..offset+len)} holds its peer address. */
    abstract Channel newChildChannel(int fd, byte[] address, int offset, int len) throws Exception;

    final class AioServerUnsafe extends AbstractAioUnsafe {
        // accept()'s peer address as unix-common fills it: a length byte, then the address (16 bytes for IPv6),
        // the scope id and the port.
        private final byte[] acceptedAddress = new byte[25];

        @Override
        public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
            promise.setFailure(new UnsupportedOperationException());
        }

        @Override
        void readReady() {
            final ChannelConfig config = config();
            if (isInputDone(config)) {
                return;
            }
            final AioRecvByteAllocatorHandle allocHandle = recvBufAllocHandle();
            final ChannelPipeline pipeline = pipeline();
            allocHandle.reset(config);
            allocHandle.attemptedBytesRead(1);
            Throwable exception = null;
            // Still set when the loop stops before EAGAIN: the backlog may hold more, which no edge reports again.
            maybeMoreData = true;
            try {
                do {
                    int fd = socket.accept(acceptedAddress);
                    allocHandle.lastBytesRead(fd);
                    if (fd == -1) {
                        // EAGAIN: the backlog is empty.
                        maybeMoreData = false;
                        break;
                    }
                    allocHandle.incMessagesRead(1);
                    readPending = false;
                    pipeline.fireChannelRead(newChildChannel(fd, acceptedAddress, 1, acceptedAddress[0]));
                } while (allocHandle.continueReading());
            } catch (Throwable t) {
                // EMFILE and the like: the connection stays in the backlog; the next event or read() retries.
                exception = t;
            }
            allocHandle.readComplete();
            pipeline.fireChannelReadComplete();
            if (exception != null) {
                pipeline.fireExceptionCaught(exception);
            }
        }
    }
}
