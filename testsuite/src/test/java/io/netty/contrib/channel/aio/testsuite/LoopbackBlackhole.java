/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.testsuite;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback address where connection attempts hang, standing in for the testsuite's default "bad host"
 * (198.51.100.254), which this project's tests may not send traffic to: a listener that never accepts, its accept
 * queue filled, so that Linux drops every further SYN. The address is the surefire configuration's
 * {@code io.netty.testsuite.badHost}/{@code badPort}, read by Netty's {@code SocketTestPermutation}.
 */
final class LoopbackBlackhole implements AutoCloseable {
    private final ServerSocket listener;
    private final List<Socket> fillers = new ArrayList<>();

    LoopbackBlackhole(String host, int port) throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(address, 1);
        // Connect until one attempt times out: the accept queue is full from then on.
        for (int i = 0; i < 16; i++) {
            Socket filler = new Socket();
            try {
                filler.connect(address, 500);
                fillers.add(filler);
            } catch (SocketTimeoutException full) {
                filler.close();
                return;
            }
        }
        close();
        throw new IOException("connections to " + address + " never started to hang");
    }

    @Override
    public void close() throws IOException {
        for (Socket filler : fillers) {
            filler.close();
        }
        listener.close();
    }
}
