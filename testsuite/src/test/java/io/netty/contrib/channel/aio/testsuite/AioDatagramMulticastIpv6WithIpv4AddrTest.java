/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.testsuite;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapComboFactory;
import io.netty.testsuite.transport.socket.DatagramMulticastTest;

import java.util.List;

/** Netty's {@code DatagramMulticastTest} with an IPv4 group joined by dual-stack (IPv6) AIO sockets. */
public class AioDatagramMulticastIpv6WithIpv4AddrTest extends DatagramMulticastTest {
    @Override
    protected SocketProtocolFamily groupInternetProtocalFamily() {
        return SocketProtocolFamily.INET;
    }

    @Override
    protected SocketProtocolFamily socketInternetProtocalFamily() {
        return SocketProtocolFamily.INET6;
    }

    @Override
    protected List<BootstrapComboFactory<Bootstrap, Bootstrap>> newFactories() {
        return AioSocketTestPermutation.INSTANCE.datagram(socketInternetProtocalFamily());
    }
}
