/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.contrib.channel.aio.Aio;
import io.netty.contrib.channel.aio.testing.AioTests;
import io.netty.contrib.channel.aio.testing.CompletionRecorder;
import io.netty.contrib.channel.aio.testing.TestFiles;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * This transport's native library and Netty's epoll native library loaded in one JVM and both used: both link
 * unix-common statically, and registering its natives through {@code Unix.registerInternal} must let them share.
 */
class NativeTransportsCoexistTest {

    @Test
    void epollEchoesAndAioReadsAndPollsInTheSameJvm() throws Exception {
        assertNull(Aio.unavailabilityCause(), "AIO available");
        assertNull(Epoll.unavailabilityCause(), "epoll available");
        Path file = TestFiles.patternFile("coexist", 16 * 1024);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
        Channel server = null;
        Channel client = null;
        try {
            server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ctx.writeAndFlush(msg); // echo; the write releases it
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            CompletableFuture<String> echoed = new CompletableFuture<>();
            StringBuilder received = new StringBuilder();
            client = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ByteBuf buf = (ByteBuf) msg;
                            received.append(buf.toString(StandardCharsets.US_ASCII));
                            buf.release();
                            if (received.length() >= 9) {
                                echoed.complete(received.toString());
                            }
                        }
                    })
                    .connect(server.localAddress()).sync().channel();
            client.writeAndFlush(Unpooled.copiedBuffer("epoll+aio", StandardCharsets.US_ASCII)).sync();
            assertEquals("epoll+aio", echoed.get(AioTests.PATIENCE.toMillis(), TimeUnit.MILLISECONDS));

            // AIO on the same JVM: a file read, and a POLL on the epoll channel's own socket.
            int fd = TestFiles.open(file, Native.O_RDONLY);
            ByteBuf dst = TestFiles.ALIGNED.directBuffer(4096);
            CompletionRecorder done = new CompletionRecorder();
            try (AioContext ctx = AioContext.open(4)) {
                AioBlock read = AioBlock.pread(fd, dst, 8192).callback(done);
                AioBlock writable = AioBlock.poll(((EpollSocketChannel) client).fd(), Native.POLLOUT).callback(done);
                assertEquals(2, ctx.submit(read, writable));
                AioTests.drain(ctx);
                assertEquals(4096, done.res(read));
                assertArrayEquals(AioTests.pattern(8192, 4096), AioTests.bytes(dst, 0, 4096));
                assertTrue((done.res(writable) & Native.POLLOUT) != 0, "a connected socket is writable");
            } finally {
                dst.release();
                TestFiles.close(fd);
            }

            // And epoll still works after AIO was used.
            CompletableFuture<Void> closed = new CompletableFuture<>();
            client.closeFuture().addListener(f -> closed.complete(null));
            client.close();
            closed.get(AioTests.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            if (client != null) {
                client.close().sync();
            }
            if (server != null) {
                server.close().sync();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            Files.deleteIfExists(file);
        }
    }
}
