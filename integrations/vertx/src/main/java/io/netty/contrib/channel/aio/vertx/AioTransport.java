/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.vertx;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.contrib.channel.aio.Aio;
import io.netty.contrib.channel.aio.AioDatagramChannel;
import io.netty.contrib.channel.aio.AioDomainSocketChannel;
import io.netty.contrib.channel.aio.AioIoHandler;
import io.netty.contrib.channel.aio.AioServerDomainSocketChannel;
import io.netty.contrib.channel.aio.AioServerSocketChannel;
import io.netty.contrib.channel.aio.AioSocketChannel;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.transport.Transport;

/**
 * Vert.x's transport SPI on AIO: event loops from {@link AioIoHandler#newFactory()}, TCP, Unix domain and UDP
 * channels from this project, file regions sent with {@code sendfile}. Users pass {@link AioVertxTransport#AIO}
 * to {@code Vertx.builder().withTransport(...)} rather than this class. Stateless and thread-safe.
 */
public final class AioTransport implements Transport {
    /** The one instance; stateless. */
    public static final AioTransport INSTANCE = new AioTransport();

    private AioTransport() {
    }

    @Override
    public boolean supportsDomainSockets() {
        return true;
    }

    @Override
    public boolean supportFileRegion() {
        return true;
    }

    @Override
    public boolean isAvailable() {
        return Aio.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
        return Aio.unavailabilityCause();
    }

    @Override
    public java.net.SocketAddress convert(SocketAddress address) {
        if (address.isDomainSocket()) {
            return new DomainSocketAddress(address.path());
        }
        return Transport.super.convert(address);
    }

    @Override
    public SocketAddress convert(java.net.SocketAddress address) {
        if (address instanceof DomainSocketAddress) {
            return SocketAddress.domainSocketAddress(((DomainSocketAddress) address).path());
        }
        return Transport.super.convert(address);
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
        return AioIoHandler.newFactory();
    }

    @Override
    public DatagramChannel datagramChannel() {
        return new AioDatagramChannel();
    }

    @Override
    @SuppressWarnings("deprecation")
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
        return new AioDatagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
        return domainSocket ? AioDomainSocketChannel::new : AioSocketChannel::new;
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
        return domainSocket ? AioServerDomainSocketChannel::new : AioServerSocketChannel::new;
    }
}
