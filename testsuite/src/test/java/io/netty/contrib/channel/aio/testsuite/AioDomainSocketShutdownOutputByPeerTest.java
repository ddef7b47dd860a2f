/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.testsuite;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.unix.Socket;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapFactory;
import io.netty.testsuite.transport.socket.AbstractSocketShutdownOutputByPeerTest;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Netty's shutdown-by-peer test for an AIO domain-socket server; the peer is a plain unix-common socket that
 * connects, writes, shuts its output down and closes.
 */
public class AioDomainSocketShutdownOutputByPeerTest extends AbstractSocketShutdownOutputByPeerTest<Socket> {

    @Override
    protected List<BootstrapFactory<ServerBootstrap>> newFactories() {
        return AioSocketTestPermutation.INSTANCE.serverDomainSocket();
    }

    @Override
    protected SocketAddress newSocketAddress() {
        return AioSocketTestPermutation.newDomainSocketAddress();
    }

    @Override
    protected void shutdownOutput(Socket s) throws IOException {
        s.shutdown(false, true);
    }

    @Override
    protected void connect(Socket s, SocketAddress address) throws IOException {
        s.connect(address);
    }

    @Override
    protected void close(Socket s) throws IOException {
        s.close();
    }

    @Override
    protected void write(Socket s, int data) throws IOException {
        // One byte, as OutputStream.write(int) sends it for the TCP variant.
        ByteBuffer buf = ByteBuffer.allocateDirect(1);
        buf.put((byte) data).flip();
        s.send(buf, buf.position(), buf.limit());
    }

    @Override
    protected Socket newSocket() {
        return Socket.newSocketDomain();
    }
}
