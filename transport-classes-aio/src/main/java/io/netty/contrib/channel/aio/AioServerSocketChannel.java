/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.channel.Channel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.contrib.channel.aio.core.NativeSockets;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import static io.netty.channel.unix.NativeInetAddress.address;

/**
 * A TCP listener on an {@link AioEventLoop}: Netty's {@link ServerSocketChannel} whose accepts are driven by
 * readiness in the loop's epoll set; accepted connections are {@link AioSocketChannel}s. IPv6 dual-stack by
 * default when the host supports IPv6 (as epoll), or the family given. Threading and ownership as every Netty
 * channel.
 */
public final class AioServerSocketChannel extends AbstractAioServerChannel<InetSocketAddress>
        implements ServerSocketChannel {
    private final AioServerSocketChannelConfig config;

    public AioServerSocketChannel() {
        this((SocketProtocolFamily) null);
    }

    public AioServerSocketChannel(SocketProtocolFamily family) {
        super(AioSocket.newStream(family), false);
        config = new AioServerSocketChannelConfig(this);
    }

    /** Wraps an existing listening (or unbound) TCP socket descriptor; it must be non-blocking. */
    public AioServerSocketChannel(int fd) {
        this(new AioSocket(fd));
    }

    private AioServerSocketChannel(AioSocket socket) {
        super(socket, isSoErrorZero(socket));
        config = new AioServerSocketChannelConfig(this);
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        super.doBind(localAddress);
        int tcpFastopen = config.getTcpFastopen();
        if (NativeSockets.IS_SUPPORTING_TCP_FASTOPEN_SERVER && tcpFastopen > 0) {
            socket.setTcpFastOpen(tcpFastopen);
        }
        listen(config.getBacklog());
    }

    @Override
    public AioServerSocketChannelConfig config() {
        return config;
    }

    @Override
    Channel newChildChannel(int fd, byte[] address, int offset, int len) throws Exception {
        return new AioSocketChannel(this, new AioSocket(fd), address(address, offset, len));
    }
}
