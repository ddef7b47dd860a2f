/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.testsuite;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.contrib.channel.aio.AioDatagramChannel;
import io.netty.contrib.channel.aio.AioDomainDatagramChannel;
import io.netty.contrib.channel.aio.AioDomainSocketChannel;
import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.contrib.channel.aio.AioServerDomainSocketChannel;
import io.netty.contrib.channel.aio.AioServerSocketChannel;
import io.netty.contrib.channel.aio.AioSocketChannel;
import io.netty.contrib.channel.aio.core.NativeSockets;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapComboFactory;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapFactory;
import io.netty.testsuite.transport.socket.SocketTestPermutation;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bootstraps Netty's testsuite runs against, chosen as epoll's permutation chooses them: AIO server x AIO
 * client, AIO x NIO both ways, plus an AIO client with TCP Fast Open when the kernel allows client Fast Open
 * (and an AIO server with a Fast Open queue when it allows server Fast Open). NIO x NIO is left out: it tests
 * nothing of ours. Domain sockets: AIO x AIO (NIO has no Unix domain stream channel to pair with in Netty 4.2's
 * testsuite). One shared AIO group of daemon threads, as the testsuite shares its NIO group.
 */
public final class AioSocketTestPermutation extends SocketTestPermutation {
    public static final AioSocketTestPermutation INSTANCE = new AioSocketTestPermutation();

    static final EventLoopGroup AIO_GROUP =
            new AioEventLoopGroup(NUM_THREADS, new DefaultThreadFactory("testsuite-aio", true));

    private static final AtomicLong SOCKET_FILES = new AtomicLong();

    private AioSocketTestPermutation() {
    }

    @Override
    public List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> socket() {
        List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> list = combo(serverSocket(), clientSocketWithFastOpen());
        // The last combination is NIO x NIO.
        list.remove(list.size() - 1);
        return list;
    }

    /** AIO x AIO and AIO x NIO without the Fast Open client (for tests that count connections). */
    public List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> socketWithoutFastOpen() {
        List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> list = combo(serverSocket(), clientSocket());
        list.remove(list.size() - 1);
        return list;
    }

    @Override
    public List<BootstrapFactory<ServerBootstrap>> serverSocket() {
        List<BootstrapFactory<ServerBootstrap>> factories = new ArrayList<>();
        factories.add(() -> new ServerBootstrap().group(AIO_GROUP).channel(AioServerSocketChannel.class));
        if (NativeSockets.IS_SUPPORTING_TCP_FASTOPEN_SERVER) {
            factories.add(() -> new ServerBootstrap().group(AIO_GROUP).channel(AioServerSocketChannel.class)
                    .option(ChannelOption.TCP_FASTOPEN, 5));
        }
        factories.add(() -> new ServerBootstrap().group(NIO_GROUP).channel(NioServerSocketChannel.class));
        return factories;
    }

    @Override
    public List<BootstrapFactory<Bootstrap>> clientSocket() {
        List<BootstrapFactory<Bootstrap>> factories = new ArrayList<>();
        factories.add(() -> new Bootstrap().group(AIO_GROUP).channel(AioSocketChannel.class));
        factories.add(() -> new Bootstrap().group(NIO_GROUP).channel(NioSocketChannel.class));
        return factories;
    }

    @Override
    public List<BootstrapFactory<Bootstrap>> clientSocketWithFastOpen() {
        List<BootstrapFactory<Bootstrap>> factories = clientSocket();
        if (NativeSockets.IS_SUPPORTING_TCP_FASTOPEN_CLIENT) {
            // Before the NIO client, which stays last.
            factories.add(factories.size() - 1, () -> new Bootstrap().group(AIO_GROUP)
                    .channel(AioSocketChannel.class).option(ChannelOption.TCP_FASTOPEN_CONNECT, true));
        }
        return factories;
    }

    public List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> domainSocket() {
        return combo(serverDomainSocket(), clientDomainSocket());
    }

    public List<BootstrapFactory<ServerBootstrap>> serverDomainSocket() {
        return Collections.singletonList(
                () -> new ServerBootstrap().group(AIO_GROUP).channel(AioServerDomainSocketChannel.class));
    }

    public List<BootstrapFactory<Bootstrap>> clientDomainSocket() {
        return Collections.singletonList(
                () -> new Bootstrap().group(AIO_GROUP).channel(AioDomainSocketChannel.class));
    }

    /**
     * Datagram pairs of {@code family}: AIO x AIO, AIO x NIO and NIO x AIO (NIO x NIO tests nothing of ours).
     */
    @Override
    public List<BootstrapComboFactory<Bootstrap, Bootstrap>> datagram(SocketProtocolFamily family) {
        List<BootstrapFactory<Bootstrap>> factories = new ArrayList<>();
        factories.add(aioDatagram(family));
        factories.add(new BootstrapFactory<Bootstrap>() {
            @Override
            public Bootstrap newInstance() {
                return new Bootstrap().group(NIO_GROUP).channelFactory(() -> new NioDatagramChannel(family));
            }

            @Override
            public String toString() {
                return "NioDatagramChannel(" + family + ')';
            }
        });
        List<BootstrapComboFactory<Bootstrap, Bootstrap>> list = combo(factories, factories);
        list.remove(list.size() - 1);
        return list;
    }

    /** AIO x AIO only, for tests of options NIO lacks. */
    public List<BootstrapComboFactory<Bootstrap, Bootstrap>> aioOnlyDatagram(SocketProtocolFamily family) {
        return combo(Collections.singletonList(aioDatagram(family)), Collections.singletonList(aioDatagram(family)));
    }

    @Override
    public List<BootstrapFactory<Bootstrap>> datagramSocket() {
        return Collections.singletonList(() -> new Bootstrap().group(AIO_GROUP).channel(AioDatagramChannel.class));
    }

    /** Unix domain datagram sockets, AIO x AIO (NIO has no Unix datagram channel). */
    public List<BootstrapComboFactory<Bootstrap, Bootstrap>> domainDatagram() {
        List<BootstrapFactory<Bootstrap>> one = Collections.singletonList(
                () -> new Bootstrap().group(AIO_GROUP).channel(AioDomainDatagramChannel.class));
        return combo(one, one);
    }

    private static BootstrapFactory<Bootstrap> aioDatagram(SocketProtocolFamily family) {
        return new BootstrapFactory<Bootstrap>() {
            @Override
            public Bootstrap newInstance() {
                return new Bootstrap().group(AIO_GROUP).channelFactory(() -> new AioDatagramChannel(family));
            }

            @Override
            public String toString() {
                return "AioDatagramChannel(" + family + ')';
            }
        };
    }

    /** A fresh socket file path under the build's temporary directory (ext4 under target/, not /tmp). */
    public static DomainSocketAddress newDomainSocketAddress() {
        File dir = new File(System.getProperty("java.io.tmpdir"));
        dir.mkdirs();
        File file = new File(dir, "aio-" + ProcessHandle.current().pid() + '-' + SOCKET_FILES.incrementAndGet()
                + ".sock");
        file.delete();
        return new DomainSocketAddress(file);
    }
}
