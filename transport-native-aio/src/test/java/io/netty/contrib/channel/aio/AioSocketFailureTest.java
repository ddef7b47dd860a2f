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
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What goes wrong on sockets: peers that reset, channels closed while watched for readiness, slow readers, bad
 * addresses. Each case gets Netty's usual exception (or event), and the same loops go on serving others — every
 * test ends with an echo on the loops it disturbed.
 */
class AioSocketFailureTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private EventLoopGroup group;
    private Channel echoServer;

    @BeforeEach
    void start() throws Exception {
        group = new AioEventLoopGroup(1, (ThreadFactory) null, new AioIoHandlerConfig().depth(1024));
        echoServer = AioSocketEchoTest.startEchoServer(group, AioServerSocketChannel.class,
                new InetSocketAddress(LOOPBACK, 0));
    }

    @AfterEach
    void stop() throws Exception {
        echoServer.close().sync();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }

    private void assertLoopStillEchoes() throws Exception {
        Random random = new Random();
        byte[] data = new byte[100_000];
        random.nextBytes(data);
        AioSocketEchoTest.echoOnce(group, AioSocketChannel.class, echoServer.localAddress(), data, random);
    }

    private AioIoStats stats() {
        return ((AioEventLoop) group.next()).stats();
    }

    /**
     * Polls the loop's counters until exactly {@code expected} descriptors are in its epoll set (closed channels
     * left it), and checks that no socket ever held an AIO slot.
     */
    private void awaitWatched(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        AioIoStats s = stats();
        while (s.watched() != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
            s = stats();
        }
        assertEquals(expected, s.watched(), "descriptors in the epoll set: " + s);
        assertEquals(0, s.inFlight(), "iocbs in flight: " + s);
        assertEquals(0, s.submitted(), "iocbs ever submitted by sockets: " + s);
        assertEquals(0, s.queued(), "operations queued: " + s);
    }

    @Test
    void connectToClosedPortFailsWithConnectExceptionAndLoopServesOthers() throws Exception {
        // A port that was just free: bind, note it, close.
        Channel probe = new ServerBootstrap().group(group).channel(AioServerSocketChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter()).bind(new InetSocketAddress(LOOPBACK, 0)).sync()
                .channel();
        SocketAddress closed = probe.localAddress();
        probe.close().sync();

        ChannelFuture connect = new Bootstrap().group(group).channel(AioSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter()).connect(closed).await();
        assertInstanceOf(ConnectException.class, connect.cause());
        assertTrue(connect.cause().getMessage().contains("refused"), connect.cause().getMessage());
        // Bootstrap closes the channel of a failed connect (asynchronously).
        assertTrue(connect.channel().closeFuture().await(5, TimeUnit.SECONDS));
        assertLoopStillEchoes();
    }

    @Test
    void bindToUsedPortFailsNamingTheAddressInUse() throws Exception {
        ChannelFuture bind = new ServerBootstrap().group(group).channel(AioServerSocketChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter()).bind(echoServer.localAddress()).await();
        assertInstanceOf(IOException.class, bind.cause());
        assertTrue(bind.cause().getMessage().contains("Address already in use"), bind.cause().getMessage());
        // ServerBootstrap closes the channel of a failed bind (asynchronously).
        assertTrue(bind.channel().closeFuture().await(5, TimeUnit.SECONDS));
        assertLoopStillEchoes();
    }

    @Test
    void writeAfterCloseFailsWithClosedChannelException() throws Exception {
        Channel client = new Bootstrap().group(group).channel(AioSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter()).connect(echoServer.localAddress()).sync().channel();
        client.close().sync();
        ByteBuf data = Unpooled.directBuffer().writeLong(42);
        ChannelFuture write = client.writeAndFlush(data).await();
        assertInstanceOf(ClosedChannelException.class, write.cause());
        assertEquals(0, data.refCnt(), "the failed write released its message");
        assertLoopStillEchoes();
    }

    @Test
    void peerResetMidWriteFailsTheWriteAndClosesTheChannel() throws Exception {
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        Channel server = new ServerBootstrap().group(group).channel(AioServerSocketChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        accepted.complete(ctx.channel());
                    }
                }).bind(new InetSocketAddress(LOOPBACK, 0)).sync().channel();
        try {
            // A client that never reads, then resets the connection (SO_LINGER 0).
            Channel client = new Bootstrap().group(group).channel(AioSocketChannel.class)
                    .option(ChannelOption.AUTO_READ, false).option(ChannelOption.SO_LINGER, 0)
                    .handler(new ChannelInboundHandlerAdapter()).connect(server.localAddress()).sync().channel();
            Channel child = accepted.get(10, TimeUnit.SECONDS);
            // Write until the socket buffers are full: EPOLLOUT is asked for, the rest waits in the outbound buffer.
            List<ChannelFuture> writes = new ArrayList<>();
            child.eventLoop().submit(() -> {
                for (int i = 0; i < 64; i++) {
                    writes.add(child.writeAndFlush(Unpooled.directBuffer(256 * 1024).writeZero(256 * 1024)));
                }
            }).sync();
            assertFalse(writes.get(writes.size() - 1).isDone(), "the last write waits for the slow peer");
            client.close().sync();
            ChannelFuture last = writes.get(writes.size() - 1).await();
            assertInstanceOf(IOException.class, last.cause());
            child.closeFuture().await(10, TimeUnit.SECONDS);
            assertFalse(child.isOpen(), "the reset closed the server's channel");
        } finally {
            server.close().sync();
        }
        awaitWatched(1);
        assertLoopStillEchoes();
    }

    @Test
    void closingWatchedChannelsTakesThemOutOfTheSetAndLeaksNothing() throws Exception {
        // Idle connections (watched for EPOLLIN on both ends) and blocked writers (watched for EPOLLOUT too).
        int connections = 50;
        List<Channel> clients = new ArrayList<>();
        List<Channel> children = new ArrayList<>();
        CountDownLatch allAccepted = new CountDownLatch(connections);
        Channel server = new ServerBootstrap().group(group).channel(AioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public boolean isSharable() {
                        return true;
                    }

                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        synchronized (children) {
                            children.add(ctx.channel());
                        }
                        allAccepted.countDown();
                    }
                }).bind(new InetSocketAddress(LOOPBACK, 0)).sync().channel();
        for (int i = 0; i < connections; i++) {
            clients.add(new Bootstrap().group(group).channel(AioSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter()).connect(server.localAddress()).sync().channel());
        }
        assertTrue(allAccepted.await(10, TimeUnit.SECONDS));
        // Half of the clients write more than the never-reading server takes: they wait for EPOLLOUT.
        for (int i = 0; i < connections / 2; i++) {
            for (int j = 0; j < 16; j++) {
                clients.get(i).write(Unpooled.directBuffer(256 * 1024).writeZero(256 * 1024));
            }
            clients.get(i).flush();
        }
        // Both ends of every connection, the listener and the echo server are watched; none holds an AIO slot.
        AioIoStats watching = stats();
        assertEquals(2 * connections + 2, watching.watched(), "descriptors in the epoll set: " + watching);
        assertEquals(0, watching.inFlight(), "iocbs in flight: " + watching);
        for (Channel client : clients) {
            client.close();
        }
        synchronized (children) {
            for (Channel child : children) {
                child.close();
            }
        }
        for (Channel client : clients) {
            assertTrue(client.closeFuture().await(10, TimeUnit.SECONDS));
        }
        server.close().sync();
        // Only the echo server is left in the set: every closed channel left it.
        awaitWatched(1);
        assertLoopStillEchoes();
    }

    @Test
    void writabilityFlipsUnderASlowReaderAndEveryByteArrives() throws Exception {
        int total = 8 * 1024 * 1024;
        AtomicLong received = new AtomicLong();
        CompletableFuture<Void> allReceived = new CompletableFuture<>();
        CompletableFuture<Channel> slowReader = new CompletableFuture<>();
        byte[] pattern = new byte[total];
        new Random(7).nextBytes(pattern);
        byte[] got = new byte[total];
        Channel server = new ServerBootstrap().group(group).channel(AioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.SO_RCVBUF, 64 * 1024)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        slowReader.complete(ctx.channel());
                    }

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf buf = (ByteBuf) msg;
                        int n = buf.readableBytes();
                        int at = (int) received.getAndAdd(n);
                        buf.readBytes(got, at, n);
                        ReferenceCountUtil.release(buf);
                        if (at + n == total) {
                            allReceived.complete(null);
                        }
                    }
                }).bind(new InetSocketAddress(LOOPBACK, 0)).sync().channel();
        List<Boolean> flips = new ArrayList<>();
        Channel writer = new Bootstrap().group(group).channel(AioSocketChannel.class)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                                synchronized (flips) {
                                    flips.add(ctx.channel().isWritable());
                                }
                            }
                        });
                    }
                }).connect(server.localAddress()).sync().channel();
        try {
            Channel reader = slowReader.get(10, TimeUnit.SECONDS);
            ChannelFuture lastWrite = null;
            for (int off = 0; off < total; off += 64 * 1024) {
                lastWrite = writer.writeAndFlush(Unpooled.wrappedBuffer(pattern, off, 64 * 1024));
            }
            // Nobody reads yet: the socket buffers fill, the outbound buffer passes its high water mark.
            writer.eventLoop().submit(() -> { }).sync();
            assertFalse(writer.isWritable(), "a writer blocked by a slow reader is not writable");
            // The reader starts: the writer drains and becomes writable again.
            reader.config().setAutoRead(true);
            allReceived.get(30, TimeUnit.SECONDS);
            lastWrite.sync();
            assertTrue(writer.isWritable());
            assertArrayEquals(pattern, got);
            synchronized (flips) {
                assertTrue(flips.size() >= 2, "writability flipped: " + flips);
                assertFalse(flips.get(0));
                assertTrue(flips.get(flips.size() - 1));
            }
        } finally {
            writer.close().sync();
            server.close().sync();
        }
        assertLoopStillEchoes();
    }
}
