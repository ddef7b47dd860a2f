/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.testsuite;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapComboFactory;
import io.netty.testsuite.transport.socket.SocketStringEchoTest;

import java.net.SocketAddress;
import java.util.List;

/** Netty's {@code SocketStringEchoTest} over Unix domain sockets, AIO x AIO. */
public class AioDomainSocketStringEchoTest extends SocketStringEchoTest {
    @Override
    protected List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> newFactories() {
        return AioSocketTestPermutation.INSTANCE.domainSocket();
    }

    @Override
    protected SocketAddress newSocketAddress() {
        return AioSocketTestPermutation.newDomainSocketAddress();
    }
}
