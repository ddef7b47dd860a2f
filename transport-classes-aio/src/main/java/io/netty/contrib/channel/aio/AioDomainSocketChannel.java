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
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.PeerCredentials;
import io.netty.contrib.channel.aio.core.Native;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * A Unix domain stream socket on an {@link AioEventLoop}: Netty's {@link DomainSocketChannel} with readiness from
 * the loop's epoll set (see {@link AbstractAioChannel}). Addresses are {@link DomainSocketAddress}es; a path
 * starting with a NUL character names the abstract namespace. In {@link io.netty.channel.unix.DomainSocketReadMode#FILE_DESCRIPTORS}
 * mode it reads descriptors passed with SCM_RIGHTS (as {@link FileDescriptor}s, which the reader must close);
 * writing a {@link FileDescriptor} passes it to the peer. Threading and ownership as every Netty channel.
 */
public final class AioDomainSocketChannel extends AbstractAioStreamChannel<DomainSocketAddress>
        implements DomainSocketChannel {
    private static final int IN_EVENTS = Native.EPOLLIN | Native.EPOLLRDHUP;

    private final AioDomainSocketChannelConfig config = new AioDomainSocketChannelConfig(this);

    public AioDomainSocketChannel() {
        super(null, AioSocket.newDomain(), false, IN_EVENTS);
    }

    /** Wraps an existing Unix stream socket descriptor (connected or not); it must be non-blocking. */
    public AioDomainSocketChannel(int fd) {
        this(null, new AioSocket(fd));
    }

    AioDomainSocketChannel(Channel parent, AioSocket socket) {
        super(parent, socket, isSoErrorZero(socket) && socket.remoteDomainSocketAddress() != null,
                IN_EVENTS);
        local = socket.localDomainSocketAddress();
        remote = socket.remoteDomainSocketAddress();
    }

    @Override
    protected AbstractAioUnsafe newUnsafe() {
        return new AioDomainUnsafe();
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        socket.bind(localAddress);
        local = (DomainSocketAddress) localAddress;
    }

    @Override
    public AioDomainSocketChannelConfig config() {
        return config;
    }

    @Override
    protected boolean doConnect(SocketAddress remoteAddress, SocketAddress localAddress) throws Exception {
        boolean connected = super.doConnect(remoteAddress, localAddress);
        local = localAddress != null ? (DomainSocketAddress) localAddress : socket.localDomainSocketAddress();
        remote = (DomainSocketAddress) remoteAddress;
        return connected;
    }

    @Override
    protected int doWriteSingle(ChannelOutboundBuffer in) throws Exception {
        Object msg = in.current();
        if (msg instanceof FileDescriptor && socket.sendFd(((FileDescriptor) msg).intValue()) > 0) {
            in.remove();
            return 1;
        }
        return super.doWriteSingle(in);
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof FileDescriptor) {
            return msg;
        }
        return super.filterOutboundMessage(msg);
    }

    /** The peer's process id, user id and group id as the kernel recorded them at connect (SO_PEERCRED). */
    public PeerCredentials peerCredentials() throws IOException {
        return socket.getPeerCredentials();
    }

    private final class AioDomainUnsafe extends AioStreamUnsafe {
        @Override
        void readReady() {
            switch (config().getReadMode()) {
                case BYTES:
                    super.readReady();
                    break;
                case FILE_DESCRIPTORS:
                    readFileDescriptors();
                    break;
                default:
                    throw new Error("Unexpected read mode: " + config().getReadMode());
            }
        }

        private void readFileDescriptors() {
            final ChannelConfig config = config();
            if (socket.isInputShutdown()) {
                readPending = false;
                return;
            }
            final AioRecvByteAllocatorHandle allocHandle = recvBufAllocHandle();
            final ChannelPipeline pipeline = pipeline();
            allocHandle.reset(config);
            // Cleared when recvmsg answers EAGAIN; set, the loop stopped with more possibly queued.
            maybeMoreData = true;
            try {
                readLoop:
                do {
                    // lastBytesRead carries the descriptor, so the handle knows whether to go on.
                    allocHandle.lastBytesRead(socket.recvFd());
                    switch (allocHandle.lastBytesRead()) {
                        case 0:
                            maybeMoreData = false;
                            break readLoop;
                        case -1:
                            close(voidPromise());
                            return;
                        default:
                            allocHandle.incMessagesRead(1);
                            readPending = false;
                            pipeline.fireChannelRead(new FileDescriptor(allocHandle.lastBytesRead()));
                            break;
                    }
                } while (allocHandle.continueReading());
                allocHandle.readComplete();
                pipeline.fireChannelReadComplete();
            } catch (Throwable t) {
                maybeMoreData = false;
                allocHandle.readComplete();
                pipeline.fireChannelReadComplete();
                pipeline.fireExceptionCaught(t);
            }
        }
    }
}
