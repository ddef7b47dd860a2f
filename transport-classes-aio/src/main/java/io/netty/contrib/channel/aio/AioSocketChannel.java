/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.core.NativeSockets;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.Executor;

/**
 * A TCP connection on an {@link AioEventLoop}: Netty's {@link SocketChannel} whose readiness comes from
 * the loop's epoll set (see {@link AbstractAioChannel}). IPv6 dual-stack by default when the
 * host supports IPv6, or the family given. With {@link io.netty.channel.ChannelOption#TCP_FASTOPEN_CONNECT} the
 * bytes flushed before the connect go out in the SYN. Threading and ownership as every Netty channel: written
 * messages are released once sent or failed; read buffers belong to the pipeline.
 */
public final class AioSocketChannel extends AbstractAioStreamChannel<InetSocketAddress> implements SocketChannel {
    private static final int IN_EVENTS = Native.EPOLLIN | Native.EPOLLRDHUP;

    private final AioSocketChannelConfig config;

    public AioSocketChannel() {
        this((SocketProtocolFamily) null);
    }

    public AioSocketChannel(SocketProtocolFamily family) {
        super(null, AioSocket.newStream(family), false, IN_EVENTS);
        config = new AioSocketChannelConfig(this);
    }

    /** Wraps an existing TCP socket descriptor (connected or not); it must be non-blocking. */
    public AioSocketChannel(int fd) {
        this(new AioSocket(fd));
    }

    private AioSocketChannel(AioSocket socket) {
        super(null, socket, isSoErrorZero(socket) && socket.remoteAddress() != null, IN_EVENTS);
        config = new AioSocketChannelConfig(this);
    }

    AioSocketChannel(Channel parent, AioSocket socket, InetSocketAddress remoteAddress) {
        super(parent, socket, remoteAddress, IN_EVENTS);
        config = new AioSocketChannelConfig(this);
    }

    @Override
    public AioSocketChannelConfig config() {
        return config;
    }

    @Override
    public ServerSocketChannel parent() {
        return (ServerSocketChannel) super.parent();
    }

    @Override
    protected AbstractAioUnsafe newUnsafe() {
        return new AioSocketChannelUnsafe();
    }

    @Override
    boolean doConnect0(SocketAddress remote) throws Exception {
        if (NativeSockets.IS_SUPPORTING_TCP_FASTOPEN_CLIENT && config.isTcpFastOpenConnect()) {
            ChannelOutboundBuffer outbound = unsafe().outboundBuffer();
            outbound.addFlush();
            Object curr = outbound.current();
            if (curr instanceof ByteBuf) {
                // sendto(MSG_FASTOPEN) connects and queues the data in one call; it is sent in the SYN when the
                // client holds a cookie for the server, after the handshake otherwise.
                long localFlushedAmount = doWriteOrSendBytes((ByteBuf) curr, (InetSocketAddress) remote, true);
                if (localFlushedAmount > 0) {
                    outbound.removeBytes(localFlushedAmount);
                    return true;
                }
            }
        }
        return super.doConnect0(remote);
    }

    private final class AioSocketChannelUnsafe extends AioStreamUnsafe {
        @Override
        Executor closeExecutor() {
            try {
                // close(2) blocks while SO_LINGER holds unsent data: do it off the loop, out of the epoll set first.
                if (isOpen() && config().getSoLinger() > 0) {
                    doDeregister();
                    return GlobalEventExecutor.INSTANCE;
                }
            } catch (Throwable ignore) {
                // The channel is closed already; close() copes with that.
            }
            return null;
        }
    }
}
