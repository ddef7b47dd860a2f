/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.testsuite;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.unix.DomainDatagramChannel;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapComboFactory;
import io.netty.testsuite.transport.socket.DatagramUnicastTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Netty's {@code DatagramUnicastTest} over Unix domain datagram sockets (AIO x AIO), with path addresses under the
 * build's temporary directory; {@link #abstractNamespaceAddressesWork} adds an abstract-namespace round trip.
 * Unix datagram sockets cannot be disconnected (connect to AF_UNSPEC is refused), so that part is skipped.
 */
public class AioDomainDatagramUnicastTest extends DatagramUnicastTest {
    @Override
    protected List<BootstrapComboFactory<Bootstrap, Bootstrap>> newFactories() {
        return AioSocketTestPermutation.INSTANCE.domainDatagram();
    }

    @Override
    protected SocketAddress newSocketAddress() {
        return AioSocketTestPermutation.newDomainSocketAddress();
    }

    @Override
    protected boolean isConnected(Channel channel) {
        return ((DomainDatagramChannel) channel).isConnected();
    }

    @Override
    protected boolean supportDisconnect() {
        return false;
    }

    /** Checks one received packet: its bytes, that it names this channel as recipient, and its sender. */
    private static void check(ChannelHandlerContext ctx, DomainDatagramPacket packet, byte[] bytes,
                              SocketAddress sender) {
        assertArrayEquals(bytes, ByteBufUtil.getBytes(packet.content()));
        assertEquals(ctx.channel().localAddress(), packet.recipient());
        if (sender == null) {
            assertNotNull(packet.sender());
        } else {
            assertEquals(sender, packet.sender());
        }
    }

    @Override
    protected Channel setupClientChannel(Bootstrap cb, byte[] bytes, CountDownLatch latch,
                                         AtomicReference<Throwable> errorRef) throws Throwable {
        // The client receives the server's echoes and echoes nothing itself.
        return cb.handler(receiver(bytes, null, latch, errorRef, false)).bind(newSocketAddress()).sync().channel();
    }

    @Override
    protected Channel setupServerChannel(Bootstrap sb, byte[] bytes, SocketAddress sender, CountDownLatch latch,
                                         AtomicReference<Throwable> errorRef, boolean echo) throws Throwable {
        return sb.handler(receiver(bytes, sender, latch, errorRef, echo)).bind(newSocketAddress()).sync().channel();
    }

    /**
     * Checks each packet received ({@link #check}; {@code sender} null: any), counts it down on {@code latch} and,
     * with {@code echo}, sends its bytes back to the sender. Failures go to {@code errorRef}.
     */
    private static SimpleChannelInboundHandler<DomainDatagramPacket> receiver(
            byte[] bytes, SocketAddress sender, CountDownLatch latch, AtomicReference<Throwable> errorRef,
            boolean echo) {
        return new SimpleChannelInboundHandler<DomainDatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket packet) {
                try {
                    check(ctx, packet, bytes, sender);
                    if (echo) {
                        ctx.writeAndFlush(new DomainDatagramPacket(packet.content().retainedDuplicate(),
                                packet.sender()));
                    }
                } catch (Throwable t) {
                    errorRef.compareAndSet(null, t);
                } finally {
                    latch.countDown();
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errorRef.compareAndSet(null, cause);
            }
        };
    }

    @Override
    protected ChannelFuture write(Channel cc, ByteBuf buf, SocketAddress remote, WrapType wrapType) {
        DomainSocketAddress to = (DomainSocketAddress) remote;
        switch (wrapType) {
            case DUP:
                return cc.write(new DomainDatagramPacket(buf.retainedDuplicate(), to));
            case SLICE:
                return cc.write(new DomainDatagramPacket(buf.retainedSlice(), to));
            case READ_ONLY:
                return cc.write(new DomainDatagramPacket(buf.retain().asReadOnly(), to));
            case NONE:
                return cc.write(new DomainDatagramPacket(buf.retain(), to));
            default:
                throw new AssertionError(wrapType);
        }
    }

    @Test
    public void abstractNamespaceAddressesWork(TestInfo testInfo) throws Throwable {
        run(testInfo, (sb, cb) -> {
            String name = "\0aio-dgram-" + ProcessHandle.current().pid() + '-' + System.nanoTime();
            byte[] bytes = { 1, 2, 3 };
            CountDownLatch latch = new CountDownLatch(1);
            AtomicReference<Throwable> error = new AtomicReference<>();
            Channel sc = sb.handler(receiver(bytes, null, latch, error, false))
                    .bind(new DomainSocketAddress(name)).sync().channel();
            Channel cc = cb.handler(new SimpleChannelInboundHandler<Object>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                    // Nothing comes back.
                }
            }).bind(newSocketAddress()).sync().channel();
            try {
                assertInstanceOf(DomainSocketAddress.class, sc.localAddress());
                cc.writeAndFlush(new DomainDatagramPacket(cc.alloc().directBuffer().writeBytes(bytes),
                        new DomainSocketAddress(name))).sync();
                latch.await();
                if (error.get() != null) {
                    throw error.get();
                }
            } finally {
                cc.close().sync();
                sc.close().sync();
            }
        });
    }
}
