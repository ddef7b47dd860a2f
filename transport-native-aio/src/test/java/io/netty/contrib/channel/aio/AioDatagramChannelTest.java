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
import java.util.ArrayList;
import java.util.List;
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

    /**
     * 4 clients x 25 000 datagrams through one echoing AIO channel, each client keeping 16 in flight: all 10^5 come
     * back, in order, byte for byte. The window keeps the socket buffers from overflowing (UDP would drop, not
     * block: 64 datagrams of ~1 KiB truesize each fit a 1 MiB SO_RCVBUF many times), so the count is exact however
     * loaded the machine is.
     */
    @Test
    void hundredThousandDatagramsEchoedInOrderAndIntact() throws Exception {
        final int clients = 4;
        final int perClient = 25_000;
        final int window = 16;
        Channel server = new Bootstrap().group(group).channel(AioDatagramChannel.class)
                .option(AioChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 128)
                .option(ChannelOption.SO_RCVBUF, 1 << 20)
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(128 * 32))
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                        ctx.write(new DatagramPacket(p.content().retain(), p.sender()));
                    }

                    @Override
                    public void channelReadComplete(ChannelHandlerContext ctx) {
                        ctx.flush();
                    }
                }).bind(new InetSocketAddress(LOOPBACK, 0)).sync().channel();
        InetSocketAddress serverAddress = (InetSocketAddress) server.localAddress();
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        try {
            for (int c = 0; c < clients; c++) {
                CompletableFuture<Integer> done = new CompletableFuture<>();
                results.add(done);
                final int clientId = c;
                channels.add(new Bootstrap().group(group).channel(AioDatagramChannel.class)
                        .option(ChannelOption.SO_RCVBUF, 1 << 20)
                        .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                            int sent;
                            int received;

                            private void send(ChannelHandlerContext ctx) {
                                while (sent < perClient && sent - received < window) {
                                    ByteBuf buf = ctx.alloc().directBuffer(8 + 4 + 48);
                                    buf.writeInt(clientId).writeInt(sent).writeInt(sent * 31 + clientId);
                                    for (int k = 0; k < 48; k++) {
                                        buf.writeByte((byte) (sent + k));
                                    }
                                    ctx.write(new DatagramPacket(buf, serverAddress));
                                    sent++;
                                }
                                ctx.flush();
                            }

                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                send(ctx);
                            }

                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                                ByteBuf b = p.content();
                                int seq = b.getInt(b.readerIndex() + 4);
                                boolean ok = b.readableBytes() == 60 && b.readInt() == clientId
                                        && b.readInt() == received && b.readInt() == received * 31 + clientId;
                                for (int k = 0; ok && k < 48; k++) {
                                    ok = b.readByte() == (byte) (received + k);
                                }
                                if (!ok) {
                                    done.completeExceptionally(new AssertionError(
                                            "client " + clientId + ": datagram " + received + " wrong (seq " + seq
                                                    + ", " + p.content().readableBytes() + " bytes)"));
                                    return;
                                }
                                if (++received == perClient) {
                                    done.complete(received);
                                } else {
                                    send(ctx);
                                }
                            }
                        }).bind(new InetSocketAddress(LOOPBACK, 0)).sync().channel());
            }
            int total = 0;
            for (CompletableFuture<Integer> f : results) {
                total += f.get(120, TimeUnit.SECONDS);
            }
            assertEquals(clients * perClient, total);
        } finally {
            for (Channel ch : channels) {
                ch.close().sync();
            }
            server.close().sync();
        }
    }

    @Test
    void truncatedDatagramIsReportedAndDroppedAndTheChannelGoesOn() throws Exception {
        Recorder recorder = new Recorder();
        Channel ch = bind(new Bootstrap().option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(64)),
                recorder);
        try (DatagramSocket client = new DatagramSocket(0, LOOPBACK)) {
            client.send(new java.net.DatagramPacket(new byte[200], 200, ch.localAddress()));
            byte[] small = "after".getBytes(StandardCharsets.US_ASCII);
            client.send(new java.net.DatagramPacket(small, small.length, ch.localAddress()));
            Object first = recorder.next();
            if (first instanceof DatagramPacket) {
                // Both were read in one loop: the report comes after the read's other datagrams.
                assertEquals("after", text((DatagramPacket) first));
                first = recorder.next();
            } else {
                assertEquals("after", text((DatagramPacket) recorder.next()));
            }
            DatagramTruncatedException e = assertInstanceOf(DatagramTruncatedException.class, first);
            assertEquals(64, e.bufferSize());
            assertEquals(client.getLocalSocketAddress(), e.sender());
            assertTrue(ch.isActive());
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void portUnreachableSurfacesOnAConnectedSocketAndTheChannelStaysOpen() throws Exception {
        int closedPort;
        try (DatagramSocket gone = new DatagramSocket(0, LOOPBACK)) {
            closedPort = gone.getLocalPort();
        }
        Recorder recorder = new Recorder();
        Channel ch = new Bootstrap().group(group).channel(AioDatagramChannel.class).handler(recorder)
                .connect(new InetSocketAddress(LOOPBACK, closedPort)).sync().channel();
        try {
            assertTrue(((AioDatagramChannel) ch).isConnected());
            ch.writeAndFlush(Unpooled.copiedBuffer("anyone?", StandardCharsets.US_ASCII)).sync();
            assertInstanceOf(PortUnreachableException.class, recorder.next());
            assertTrue(ch.isOpen());
            assertTrue(ch.isActive());
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void portUnreachableFailsTheNextWriteWhenNothingReads() throws Exception {
        int closedPort;
        try (DatagramSocket gone = new DatagramSocket(0, LOOPBACK)) {
            closedPort = gone.getLocalPort();
        }
        Channel ch = new Bootstrap().group(group).channel(AioDatagramChannel.class)
                .option(ChannelOption.AUTO_READ, false).handler(new Recorder())
                .connect(new InetSocketAddress(LOOPBACK, closedPort)).sync().channel();
        try {
            ch.writeAndFlush(Unpooled.copiedBuffer("1", StandardCharsets.US_ASCII)).sync();
            Throwable cause = null;
            // The ICMP error of one datagram fails a later send; on loopback it is there before the next write.
            for (int i = 0; i < 100 && cause == null; i++) {
                cause = ch.writeAndFlush(Unpooled.copiedBuffer("2", StandardCharsets.US_ASCII)).await().cause();
            }
            assertInstanceOf(PortUnreachableException.class, cause);
            assertTrue(ch.isOpen());
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void segmentedSendIsSplitByTheKernelAndGroReadIsSplitAgain() throws Exception {
        final int segments = 16;
        final int segmentSize = 512;
        for (boolean gro : new boolean[] { false, true }) {
            Recorder recorder = new Recorder();
            Bootstrap sb = new Bootstrap();
            if (gro) {
                sb.option(AioChannelOption.UDP_GRO, true)
                        .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65536));
            }
            Channel server = bind(sb, recorder);
            Channel client = bind(new Bootstrap(), new Recorder());
            try {
                assertEquals(gro, server.config().getOption(AioChannelOption.UDP_GRO));
                ByteBuf payload = Unpooled.directBuffer(segments * segmentSize);
                for (int i = 0; i < segments * segmentSize; i++) {
                    payload.writeByte((byte) (i / segmentSize));
                }
                client.writeAndFlush(new SegmentedDatagramPacket(payload, segmentSize,
                        (InetSocketAddress) server.localAddress())).sync();
                for (int s = 0; s < segments; s++) {
                    DatagramPacket p = (DatagramPacket) recorder.next();
                    try {
                        assertEquals(segmentSize, p.content().readableBytes(), "gro=" + gro);
                        for (int k = 0; k < segmentSize; k++) {
                            assertEquals((byte) s, p.content().getByte(p.content().readerIndex() + k));
                        }
                        assertEquals(client.localAddress(), p.sender());
                    } finally {
                        p.release();
                    }
                }
            } finally {
                client.close().sync();
                server.close().sync();
            }
        }
    }

    @Test
    void recvOrigDstAddrNamesTheAddressTheDatagramWasSentTo() throws Exception {
        Recorder recorder = new Recorder();
        Channel ch = new Bootstrap().group(group).channelFactory(() -> new AioDatagramChannel(SocketProtocolFamily.INET))
                .option(AioChannelOption.IP_RECVORIGDSTADDR, true).handler(recorder)
                .bind(new InetSocketAddress(0)).sync().channel();
        int port = ((InetSocketAddress) ch.localAddress()).getPort();
        try (DatagramSocket client = new DatagramSocket(0, LOOPBACK)) {
            assertTrue(ch.config().getOption(AioChannelOption.IP_RECVORIGDSTADDR));
            InetAddress other = InetAddress.getByName("127.0.0.2");
            client.send(new java.net.DatagramPacket(new byte[] { 7 }, 1, new InetSocketAddress(other, port)));
            DatagramPacket p = (DatagramPacket) recorder.next();
            assertEquals(new InetSocketAddress(other, port), p.recipient());
            p.release();
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void badRecipientsFailTheirWriteOnlyAndTheChannelGoesOn() throws Exception {
        Recorder recorder = new Recorder();
        Channel server = bind(new Bootstrap(), recorder);
        Channel v4 = new Bootstrap().group(group).channelFactory(() -> new AioDatagramChannel(SocketProtocolFamily.INET))
                .handler(new Recorder()).bind(new InetSocketAddress(LOOPBACK, 0)).sync().channel();
        try {
            Throwable unresolved = v4.writeAndFlush(new DatagramPacket(Unpooled.buffer().writeByte(1),
                    InetSocketAddress.createUnresolved("no.such.host.invalid", 9))).await().cause();
            assertInstanceOf(java.nio.channels.UnresolvedAddressException.class, unresolved);
            Throwable v6 = v4.writeAndFlush(new DatagramPacket(Unpooled.buffer().writeByte(1),
                    new InetSocketAddress(InetAddress.getByName("::1"), 9))).await().cause();
            IllegalArgumentException iae = assertInstanceOf(IllegalArgumentException.class, v6);
            assertTrue(iae.getMessage().contains("IPv6 recipient"), iae.getMessage());
            Throwable notConnected = v4.writeAndFlush(Unpooled.buffer().writeByte(1)).await().cause();
            assertInstanceOf(java.nio.channels.NotYetConnectedException.class, notConnected);
            Throwable notMulticast = ((AioDatagramChannel) v4).joinGroup(LOOPBACK).await().cause();
            assertTrue(notMulticast.getMessage().contains("not a multicast group"), notMulticast.getMessage());
            v4.writeAndFlush(new DatagramPacket(Unpooled.copiedBuffer("still", StandardCharsets.US_ASCII),
                    (InetSocketAddress) server.localAddress())).sync();
            assertEquals("still", text((DatagramPacket) recorder.next()));
        } finally {
            v4.close().sync();
            server.close().sync();
        }
    }

    @Test
    void ipv4GroupOnADualStackSocketIsJoinedAndLeft() throws Exception {
        AioDatagramChannel ch = (AioDatagramChannel) new Bootstrap().group(group)
                .channelFactory(() -> new AioDatagramChannel(SocketProtocolFamily.INET6))
                .handler(new Recorder()).bind(new InetSocketAddress(0)).sync().channel();
        try {
            InetAddress group4 = InetAddress.getByName("230.0.0.9");
            ch.joinGroup(group4).sync();
            Throwable twice = ch.joinGroup(group4).await().cause();
            assertTrue(twice.getMessage().contains("230.0.0.9"), twice.getMessage());
            ch.leaveGroup(group4).sync();
            Throwable notJoined = ch.leaveGroup(group4).await().cause();
            assertNotNull(notJoined);
        } finally {
            ch.close().sync();
        }
    }
}
