/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Echo over real loopback sockets on AIO loops: every byte that goes out comes back, in order, for TCP over IPv4
 * and IPv6, for Unix domain sockets (path and abstract namespace), and for 1 000 connections at once.
 */
class AioSocketEchoTest {
    static EventLoopGroup group;

    @BeforeAll
    static void startLoops() {
        group = new AioEventLoopGroup(2, (java.util.concurrent.ThreadFactory) null,
                new AioIoHandlerConfig().depth(4096));
    }

    @AfterAll
    static void stopLoops() throws Exception {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }

    /** Echoes each buffer back as it arrives; one instance serves every connection. */
    @ChannelHandler.Sharable
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Collects bytes until {@code expected.length} arrived, then completes with them. */
    static final class Collector extends ChannelInboundHandlerAdapter {
        final int expected;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final CompletableFuture<byte[]> done = new CompletableFuture<>();

        Collector(int expected) {
            this.expected = expected;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                byte[] bytes = new byte[buf.readableBytes()];
                buf.readBytes(bytes);
                received.write(bytes, 0, bytes.length);
                if (received.size() >= expected) {
                    done.complete(received.toByteArray());
                }
            } finally {
                ReferenceCountUtil.release(buf);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.completeExceptionally(new AssertionError("closed after " + received.size() + " of " + expected
                    + " bytes"));
        }
    }

    static Channel startEchoServer(EventLoopGroup group, Class<? extends ServerChannel> type, SocketAddress address)
            throws Exception {
        return new ServerBootstrap().group(group).channel(type)
                .childHandler(new EchoHandler())
                .bind(address).sync().channel();
    }

    /** Sends {@code data} in random slices over one connection and checks the echo byte for byte. */
    static void echoOnce(EventLoopGroup group, Class<? extends Channel> type, SocketAddress server, byte[] data,
                         Random random) throws Exception {
        Collector collector = new Collector(data.length);
        Channel client = new Bootstrap().group(group).channel(type)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(collector).connect(server).sync().channel();
        try {
            int off = 0;
            while (off < data.length) {
                int len = Math.min(data.length - off, 1 + random.nextInt(64 * 1024));
                client.write(Unpooled.wrappedBuffer(data, off, len));
                off += len;
            }
            client.flush();
            assertArrayEquals(data, collector.done.get(30, TimeUnit.SECONDS));
        } finally {
            client.close().sync();
        }
    }

    /** What runs against an echo server, given its address. */
    private interface EchoClients {
        void run(SocketAddress server) throws Exception;
    }

    /** Starts an echo server of {@code type} on {@code address}, runs {@code clients} against it, closes it. */
    private static void withEchoServer(Class<? extends ServerChannel> type, SocketAddress address,
                                       EchoClients clients) throws Exception {
        Channel server = startEchoServer(group, type, address);
        try {
            clients.run(server.localAddress());
        } finally {
            server.close().sync();
        }
    }

    private static byte[] randomBytes(Random random, int size) {
        byte[] data = new byte[size];
        random.nextBytes(data);
        return data;
    }

    @Test
    void tcpOverIpv4EchoesEveryByteInOrder() throws Exception {
        Random random = new Random(1);
        withEchoServer(AioServerSocketChannel.class, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0),
                server -> {
                    for (int size : new int[] {1, 64, 16 * 1024, 4 * 1024 * 1024 + 7}) {
                        echoOnce(group, AioSocketChannel.class, server, randomBytes(random, size), random);
                    }
                });
    }

    @Test
    void tcpOverIpv6EchoesEveryByteInOrder() throws Exception {
        Random random = new Random(2);
        withEchoServer(AioServerSocketChannel.class, new InetSocketAddress(InetAddress.getByName("::1"), 0),
                server -> echoOnce(group, AioSocketChannel.class, server, randomBytes(random, 1024 * 1024), random));
    }

    @Test
    void dualStackListenerAcceptsIpv4Clients() throws Exception {
        Random random = new Random(3);
        // The wildcard address on a dual-stack socket takes IPv4-mapped connections too.
        withEchoServer(AioServerSocketChannel.class, new InetSocketAddress(0), server -> {
            int port = ((InetSocketAddress) server).getPort();
            echoOnce(group, AioSocketChannel.class, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port),
                    randomBytes(random, 100_000), random);
            echoOnce(group, AioSocketChannel.class, new InetSocketAddress(InetAddress.getByName("::1"), port),
                    randomBytes(random, 100_000), random);
        });
    }

    @Test
    void domainSocketEchoesEveryByteInOrder() throws Exception {
        Random random = new Random(4);
        File path = new File(System.getProperty("java.io.tmpdir"), "aio-echo-" + System.nanoTime() + ".sock");
        path.getParentFile().mkdirs();
        withEchoServer(AioServerDomainSocketChannel.class, new DomainSocketAddress(path),
                server -> echoOnce(group, AioDomainSocketChannel.class, new DomainSocketAddress(path),
                        randomBytes(random, 2_000_000), random));
        assertTrue(!path.exists(), "closing the listener deletes its socket file");
    }

    @Test
    void abstractNamespaceDomainSocketEchoes() throws Exception {
        Random random = new Random(5);
        DomainSocketAddress address = new DomainSocketAddress("\0aio-echo-" + System.nanoTime());
        withEchoServer(AioServerDomainSocketChannel.class, address,
                server -> echoOnce(group, AioDomainSocketChannel.class, address, randomBytes(random, 300_000), random));
    }

    @Test
    void thousandConcurrentConnectionsEchoRandomSizedMessagesExactly() throws Exception {
        Random random = new Random(6);
        Channel server = startEchoServer(group, AioServerSocketChannel.class,
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        int connections = 1000;
        List<Channel> clients = new ArrayList<>(connections);
        List<Collector> collectors = new ArrayList<>(connections);
        List<byte[]> messages = new ArrayList<>(connections);
        try {
            Bootstrap bootstrap = new Bootstrap().group(group).channel(AioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
            List<io.netty.channel.ChannelFuture> connects = new ArrayList<>(connections);
            for (int i = 0; i < connections; i++) {
                byte[] message = randomBytes(random, 1 + random.nextInt(32 * 1024));
                Collector collector = new Collector(message.length);
                messages.add(message);
                collectors.add(collector);
                connects.add(bootstrap.clone().handler(collector).connect(server.localAddress()));
            }
            for (io.netty.channel.ChannelFuture connect : connects) {
                clients.add(connect.sync().channel());
            }
            // Every connection is open and idle (a POLLIN armed on each side) before any data flows.
            for (int i = 0; i < connections; i++) {
                clients.get(i).writeAndFlush(Unpooled.wrappedBuffer(messages.get(i)));
            }
            for (int i = 0; i < connections; i++) {
                byte[] echoed = collectors.get(i).done.get(60, TimeUnit.SECONDS);
                assertArrayEquals(messages.get(i), echoed, "connection " + i);
            }
        } finally {
            for (Channel client : clients) {
                client.close();
            }
            for (Channel client : clients) {
                client.closeFuture().sync();
            }
            server.close().sync();
        }
    }
}
