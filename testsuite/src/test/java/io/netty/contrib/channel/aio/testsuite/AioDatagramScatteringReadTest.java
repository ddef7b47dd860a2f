/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.testsuite;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.contrib.channel.aio.AioChannelOption;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapComboFactory;
import io.netty.testsuite.transport.socket.AbstractDatagramTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scattering reads (recvmmsg) with {@link AioChannelOption#MAX_DATAGRAM_PAYLOAD_SIZE}, over Netty's datagram test
 * harness: datagrams queued while autoRead is off arrive, in order and each with its own length and sender, when
 * one buffer is cut into slots (all fit, or only half of them per call), connected or not.
 */
public class AioDatagramScatteringReadTest extends AbstractDatagramTest {
    @Override
    protected List<BootstrapComboFactory<Bootstrap, Bootstrap>> newFactories() {
        return AioSocketTestPermutation.INSTANCE.aioOnlyDatagram(socketProtocolFamily());
    }

    @Test
    public void queuedDatagramsArriveThroughSlots(TestInfo testInfo) throws Throwable {
        run(testInfo, (sb, cb) -> scatter(sb, cb, false, false));
    }

    @Test
    public void queuedDatagramsArriveThroughHalfAsManySlots(TestInfo testInfo) throws Throwable {
        run(testInfo, (sb, cb) -> scatter(sb, cb, false, true));
    }

    @Test
    public void queuedDatagramsArriveThroughSlotsConnected(TestInfo testInfo) throws Throwable {
        run(testInfo, (sb, cb) -> scatter(sb, cb, true, false));
    }

    @Test
    public void queuedDatagramsArriveThroughHalfAsManySlotsConnected(TestInfo testInfo) throws Throwable {
        run(testInfo, (sb, cb) -> scatter(sb, cb, true, true));
    }

    private void scatter(Bootstrap sb, Bootstrap cb, boolean connected, boolean half) throws Throwable {
        final int datagrams = 8;
        final int size = 8;
        // Slots twice the datagram size: each datagram's own length must come through, not the slot's.
        int slot = size * 2;
        int buffer = slot * (half ? datagrams / 2 : datagrams);
        sb.option(ChannelOption.RECVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(buffer, buffer, buffer));
        sb.option(AioChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot);
        sb.option(ChannelOption.AUTO_READ, false);
        Channel sc = null;
        Channel cc = null;
        try {
            cc = cb.handler(new SimpleChannelInboundHandler<Object>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                    // Nothing comes back.
                }
            }).bind(newSocketAddress()).sync().channel();
            SocketAddress sender = cc.localAddress();
            CountDownLatch latch = new CountDownLatch(datagrams);
            AtomicReference<Throwable> error = new AtomicReference<>();
            AtomicInteger next = new AtomicInteger();
            AtomicInteger mostPerReadLoop = new AtomicInteger();
            sc = sb.handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                int inThisLoop;

                @Override
                protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                    try {
                        assertEquals(sender, p.sender());
                        assertEquals(size, p.content().readableBytes());
                        assertEquals(next.getAndIncrement(), p.content().readLong());
                        // Before the latch counts down: the test thread reads it once the last one arrived.
                        mostPerReadLoop.accumulateAndGet(++inThisLoop, Math::max);
                    } catch (Throwable t) {
                        error.compareAndSet(null, t);
                    }
                    latch.countDown();
                }

                @Override
                public void channelReadComplete(ChannelHandlerContext ctx) {
                    inThisLoop = 0;
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    error.compareAndSet(null, cause);
                }
            }).bind(newSocketAddress()).sync().channel();
            if (connected) {
                sc.connect(cc.localAddress()).sync();
            }
            InetSocketAddress to = (InetSocketAddress) sc.localAddress();
            for (int i = 0; i < datagrams - 1; i++) {
                cc.write(new DatagramPacket(cc.alloc().directBuffer(size).writeLong(i), to));
            }
            cc.writeAndFlush(new DatagramPacket(cc.alloc().directBuffer(size).writeLong(datagrams - 1), to)).sync();
            // All queued in the server's socket now (loopback delivers inside sendmmsg); one read takes them.
            sc.config().setAutoRead(true);
            if (!latch.await(10, TimeUnit.SECONDS) && error.get() == null) {
                throw new AssertionError("only " + next.get() + " of " + datagrams + " arrived");
            }
            if (error.get() != null) {
                throw error.get();
            }
            assertTrue(mostPerReadLoop.get() > 1, "no read loop delivered more than one datagram");
        } finally {
            if (cc != null) {
                cc.close().sync();
            }
            if (sc != null) {
                sc.close().sync();
            }
        }
    }
}
