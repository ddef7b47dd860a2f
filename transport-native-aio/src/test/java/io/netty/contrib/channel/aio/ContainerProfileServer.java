/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.contrib.channel.aio.testing.FsSleepSampler;
import io.netty.contrib.channel.aio.testing.TestFiles;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of {@link ContainerProfileTest}, run under a seccomp filter that refuses the io_uring calls as
 * Docker's and containerd's default profiles do. A plain Netty file server — the application code of Netty's
 * HttpStaticFileServer, nothing AIO-specific but the group and channel class — answers each request byte with
 * {@code new DefaultFileRegion(File, 0, length)} on one AIO loop, for files evicted from the page cache before each
 * request, while {@link FsSleepSampler} watches the loop thread. Prints {@code key=value} lines for the test.
 * Its files go where {@link TestFiles} puts every test's: under the module's {@code target/}.
 */
public final class ContainerProfileServer {
    private static final int FILES = 6;
    private static final int SIZE = 6 << 20;

    private ContainerProfileServer() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("io_uring.available=" + IoUring.isAvailable());
        Throwable cause = IoUring.unavailabilityCause();
        System.out.println("io_uring.cause=" + (cause == null ? "" : cause.toString().replace('\n', ' ')));
        System.out.println("aio.available=" + Aio.isAvailable());

        List<Path> files = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            files.add(TestFiles.patternFile("container-" + i + "-", SIZE));
        }
        EventLoopGroup group = new AioEventLoopGroup(1);
        try {
            Channel server = new ServerBootstrap().group(group).channel(AioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                    while (msg.isReadable()) {
                                        File file = files.get(msg.readByte()).toFile();
                                        ctx.writeAndFlush(new DefaultFileRegion(file, 0, file.length()));
                                    }
                                }
                            });
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            AioEventLoop loop = (AioEventLoop) group.next();
            boolean exact = true;
            long samples;
            java.util.Set<String> sleptOn;
            try (FsSleepSampler sampler = FsSleepSampler.start(loop);
                 java.nio.channels.SocketChannel client = java.nio.channels.SocketChannel.open(
                         new InetSocketAddress("127.0.0.1", port))) {
                ByteBuffer buf = ByteBuffer.allocateDirect(SIZE);
                for (int round = 0; round < 2; round++) {
                    for (int i = 0; i < FILES; i++) {
                        TestFiles.evict(files.get(i), 0, 0);
                        client.write(ByteBuffer.wrap(new byte[] {(byte) i}));
                        buf.clear();
                        while (buf.hasRemaining()) {
                            if (client.read(buf) < 0) {
                                throw new IOException("the server closed the connection");
                            }
                        }
                        for (int off = 0; off < SIZE; off++) {
                            if (buf.get(off) != TestFiles.patternByte(off)) {
                                exact = false;
                                break;
                            }
                        }
                    }
                }
                sampler.close();
                samples = sampler.samples();
                sleptOn = sampler.sleptOn();
            }
            AioIoStats stats = loop.submit(loop::stats).get(10, TimeUnit.SECONDS);
            System.out.println("bytes.exact=" + exact);
            System.out.println("loop.samples=" + samples);
            System.out.println("loop.sleptOn=" + sleptOn);
            System.out.println("region.aioBytes=" + stats.regionAioBytes());
            System.out.println("region.sendfileBytes=" + stats.regionSendfileBytes());
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }
}
