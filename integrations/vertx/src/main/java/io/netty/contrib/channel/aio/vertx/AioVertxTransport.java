/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.vertx;

import io.netty.contrib.channel.aio.Aio;
import io.vertx.core.transport.Transport;

/**
 * The AIO transport as Vert.x users name transports: {@code Vertx.builder().withTransport(AioVertxTransport.AIO)}.
 * HTTP, TCP, Unix domain sockets, UDP, the DNS client and {@code sendFile} then run on AIO loops and channels.
 * Immutable and thread-safe.
 */
public final class AioVertxTransport implements Transport {
    /** The AIO transport. */
    public static final AioVertxTransport AIO = new AioVertxTransport();

    private AioVertxTransport() {
    }

    @Override
    public String name() {
        return "aio";
    }

    @Override
    public boolean available() {
        return Aio.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
        return Aio.unavailabilityCause();
    }

    @Override
    public io.vertx.core.spi.transport.Transport implementation() {
        return AioTransport.INSTANCE;
    }

    @Override
    public String toString() {
        return "AioVertxTransport(aio)";
    }
}
