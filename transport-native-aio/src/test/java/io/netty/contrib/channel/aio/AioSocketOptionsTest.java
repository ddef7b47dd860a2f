/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketReadMode;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.PeerCredentials;
import io.netty.channel.unix.UnixChannelOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The options users set on epoll, set on AIO channels and read back from the kernel; domain-socket peer
 * credentials and descriptor passing.
 */
class AioSocketOptionsTest {
    private static EventLoopGroup group;

    @BeforeAll
    static void startLoop() {
        group = new AioEventLoopGroup(1, (ThreadFactory) null, new AioIoHandlerConfig().depth(256));
    }

    @AfterAll
    static void stopLoop() throws Exception {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }

    @Test
    void socketOptionsReachTheKernelAndReadBack() throws Exception {
        Channel server = new ServerBootstrap().group(group).channel(AioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 64)
                .option(UnixChannelOption.SO_REUSEPORT, true)
                .option(ChannelOption.SO_RCVBUF, 128 * 1024)
                .option(AioChannelOption.TCP_DEFER_ACCEPT, 1)
                .childHandler(new ChannelInboundHandlerAdapter())
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        AioSocketChannel client = (AioSocketChannel) new Bootstrap().group(group).channel(AioSocketChannel.class)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.SO_LINGER, 3)
                .option(ChannelOption.SO_SNDBUF, 64 * 1024)
                .option(ChannelOption.IP_TOS, 0x10)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(AioChannelOption.TCP_CORK, true)
                .option(AioChannelOption.TCP_KEEPIDLE, 30)
                .option(AioChannelOption.TCP_KEEPINTVL, 7)
                .option(AioChannelOption.TCP_KEEPCNT, 4)
                .option(AioChannelOption.TCP_USER_TIMEOUT, 12_000)
                .option(AioChannelOption.TCP_NOTSENT_LOWAT, 16_384L)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(server.localAddress()).sync().channel();
        try {
            AioServerSocketChannelConfig sc = (AioServerSocketChannelConfig) server.config();
            assertEquals(64, sc.getBacklog());
            assertTrue(sc.isReusePort());
            assertTrue(sc.isReuseAddress(), "listeners reuse addresses by default");
            assertTrue(sc.getReceiveBufferSize() >= 128 * 1024, "the kernel doubles SO_RCVBUF");
            assertTrue(sc.getTcpDeferAccept() > 0);

            AioSocketChannelConfig cc = client.config();
            assertTrue(cc.isTcpNoDelay(), "TCP_NODELAY is on by default");
            assertTrue(cc.isKeepAlive());
            assertEquals(3, cc.getSoLinger());
            assertTrue(cc.getSendBufferSize() >= 64 * 1024);
            assertEquals(0x10, cc.getTrafficClass());
            assertTrue(cc.isAllowHalfClosure());
            assertTrue(cc.isTcpCork());
            assertEquals(30, cc.getTcpKeepIdle());
            assertEquals(7, cc.getTcpKeepIntvl());
            assertEquals(4, cc.getTcpKeepCnt());
            assertEquals(12_000, cc.getTcpUserTimeout());
            assertEquals(16_384L, cc.getTcpNotSentLowAt());
            cc.setTcpCork(false).setTcpNoDelay(false).setTcpQuickAck(true);
            assertFalse(cc.isTcpCork());
            assertFalse(cc.isTcpNoDelay());
            assertEquals(Boolean.FALSE, cc.getOption(AioChannelOption.TCP_CORK));
            cc.setOption(ChannelOption.TCP_FASTOPEN_CONNECT, true);
            assertTrue(cc.isTcpFastOpenConnect());
        } finally {
            client.close().sync();
            server.close().sync();
        }
    }

    @Test
    void domainSocketReportsThePeersCredentials() throws Exception {
        DomainSocketAddress address = new DomainSocketAddress("\0aio-cred-" + System.nanoTime());
        CompletableFuture<PeerCredentials> serverSide = new CompletableFuture<>();
        Channel server = new ServerBootstrap().group(group).channel(AioServerDomainSocketChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) throws Exception {
                        serverSide.complete(((AioDomainSocketChannel) ctx.channel()).peerCredentials());
                    }
                }).bind(address).sync().channel();
        AioDomainSocketChannel client = (AioDomainSocketChannel) new Bootstrap().group(group)
                .channel(AioDomainSocketChannel.class).handler(new ChannelInboundHandlerAdapter())
                .connect(address).sync().channel();
        try {
            long pid = ProcessHandle.current().pid();
            PeerCredentials seenByServer = serverSide.get(10, TimeUnit.SECONDS);
            PeerCredentials seenByClient = client.peerCredentials();
            assertEquals(pid, seenByServer.pid());
            assertEquals(pid, seenByClient.pid());
            int uid = (Integer) Files.getAttribute(new File("/proc/self").toPath(), "unix:uid");
            assertEquals(uid, seenByServer.uid());
            assertEquals(address, client.remoteAddress());
        } finally {
            client.close().sync();
            server.close().sync();
        }
    }

    @Test
    void domainSocketPassesFileDescriptors() throws Exception {
        File file = new File(System.getProperty("java.io.tmpdir"), "aio-fd-" + System.nanoTime());
        file.getParentFile().mkdirs();
        DomainSocketAddress address = new DomainSocketAddress("\0aio-fd-" + System.nanoTime());
        CompletableFuture<FileDescriptor> received = new CompletableFuture<>();
        Channel server = new ServerBootstrap().group(group).channel(AioServerDomainSocketChannel.class)
                .childOption(UnixChannelOption.DOMAIN_SOCKET_READ_MODE, DomainSocketReadMode.FILE_DESCRIPTORS)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        received.complete((FileDescriptor) msg);
                    }
                }).bind(address).sync().channel();
        Channel client = new Bootstrap().group(group).channel(AioDomainSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter()).connect(address).sync().channel();
        FileDescriptor sent = FileDescriptor.from(file);
        try {
            client.writeAndFlush(sent).sync();
            FileDescriptor got = received.get(10, TimeUnit.SECONDS);
            try {
                assertTrue(got.intValue() != sent.intValue(), "the receiver gets its own descriptor");
                // FileDescriptor.from opens write-only: write through the received copy, read the file back.
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(16);
                buf.put("passed".getBytes(StandardCharsets.US_ASCII)).flip();
                assertEquals(6, got.write(buf, 0, buf.limit()));
            } finally {
                got.close();
            }
            assertEquals("passed", new String(Files.readAllBytes(file.toPath()), StandardCharsets.US_ASCII));
        } finally {
            sent.close();
            client.close().sync();
            server.close().sync();
            Files.deleteIfExists(file.toPath());
        }
    }
}
