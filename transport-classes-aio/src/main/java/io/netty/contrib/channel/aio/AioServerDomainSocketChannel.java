/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.channel.Channel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.ServerDomainSocketChannel;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.File;
import java.net.SocketAddress;

/**
 * A Unix domain stream listener on an {@link AioEventLoop}; accepted connections are
 * {@link AioDomainSocketChannel}s. Closing it deletes its socket file (not for abstract addresses, which have
 * none). Threading and ownership as every Netty channel.
 */
public final class AioServerDomainSocketChannel extends AbstractAioServerChannel<DomainSocketAddress>
        implements ServerDomainSocketChannel {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(AioServerDomainSocketChannel.class);

    private final AioServerChannelConfig config = new AioServerChannelConfig(this);

    public AioServerDomainSocketChannel() {
        super(AioSocket.newDomain(), false);
    }

    /** Wraps an existing Unix stream socket descriptor; it must be non-blocking. */
    public AioServerDomainSocketChannel(int fd) {
        super(new AioSocket(fd), false);
    }

    @Override
    Channel newChildChannel(int fd, byte[] address, int offset, int len) throws Exception {
        return new AioDomainSocketChannel(this, new AioSocket(fd));
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        socket.bind(localAddress);
        local = (DomainSocketAddress) localAddress;
        listen(config.getBacklog());
    }

    @Override
    protected void doClose() throws Exception {
        try {
            super.doClose();
        } finally {
            DomainSocketAddress address = (DomainSocketAddress) local;
            if (address != null && !address.path().isEmpty() && address.path().charAt(0) != '\0') {
                File socketFile = new File(address.path());
                if (!socketFile.delete() && logger.isDebugEnabled()) {
                    logger.debug("Failed to delete a domain socket file: {}", address.path());
                }
            }
        }
    }

    @Override
    public AioServerChannelConfig config() {
        return config;
    }
}
