/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.benchmarks.echo;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.contrib.channel.aio.AioDatagramChannel;
import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.contrib.channel.aio.AioIoHandlerConfig;
import io.netty.contrib.channel.aio.AioServerSocketChannel;
import io.netty.contrib.channel.aio.AioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Echo over loopback, the same code on each transport, in one process: AIO, epoll, io_uring and NIO. Cases:
 * request/response with 64 B and 16 KiB messages over {@code connections} connections (each sends one message
 * and waits for its echo before the next: throughput in requests/s, p99 latency of one round trip), and
 * streaming (one connection writes 64 KiB buffers as fast as the peer takes them: MiB/s). Server and client each
 * get one event-loop thread. Rounds alternate the transports so that drift on the shared machine hits all of
 * them; the figure of each transport is its median round.
 *
 * <p>Output, one line per case: {@code echo <case> aio=<tput> p99=<us> epoll=... io_uring=... nio=...
 * ratio=<aio/epoll throughput> p99ratio=<aio/epoll p99>}.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.netty.contrib.channel.aio.benchmarks.echo.EchoBenchmark
 * [seconds-per-round] [rounds] [connections] [cases] [transports]}: cases and transports comma-separated
 * (rr-64B, rr-16KiB, stream-64KiB, udp-64B: datagrams echoed per second; aio, aio-poll (the AIO loop in WakeMode.AIO_POLL), io_uring, nio — epoll,
 * the anchor, always runs).
 */
public final class EchoBenchmark {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private EchoBenchmark() {
    }

    /** One transport: its loops' factory and channel classes. */
    private static final class Transport {
        final String name;
        final IoHandlerFactory factory;
        final Class<? extends ServerChannel> serverChannel;
        final Class<? extends Channel> channel;
        final Class<? extends Channel> datagram;
        final boolean aio;

        Transport(String name, IoHandlerFactory factory, Class<? extends ServerChannel> serverChannel,
                  Class<? extends Channel> channel, Class<? extends Channel> datagram, boolean aio) {
            this.name = name;
            this.factory = factory;
            this.serverChannel = serverChannel;
            this.channel = channel;
            this.datagram = datagram;
            this.aio = aio;
        }

        EventLoopGroup newGroup(String role) {
            DefaultThreadFactory threads = new DefaultThreadFactory(name + '-' + role, true);
            return aio ? new AioEventLoopGroup(1, threads, aioConfig(name))
                    : new MultiThreadIoEventLoopGroup(1, threads, factory);
        }

        /** "aio": the default config; "aio-poll": the loop sleeps in ppoll with one IOCB_CMD_POLL on its set. */
        private static AioIoHandlerConfig aioConfig(String name) {
            AioIoHandlerConfig config = new AioIoHandlerConfig();
            return "aio-poll".equals(name) ? config.wakeMode(AioIoHandlerConfig.WakeMode.AIO_POLL) : config;
        }
    }

    /** One measured round. */
    private static final class Result {
        final double throughput;
        final double p99Micros;

        Result(double throughput, double p99Micros) {
            this.throughput = throughput;
            this.p99Micros = p99Micros;
        }
    }

    @ChannelHandler.Sharable
    private static final class EchoHandler extends ChannelInboundHandlerAdapter {
        static final EchoHandler INSTANCE = new EchoHandler();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    @ChannelHandler.Sharable
    private static final class DiscardHandler extends ChannelInboundHandlerAdapter {
        final AtomicLong bytes = new AtomicLong();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            bytes.addAndGet(((ByteBuf) msg).readableBytes());
            ReferenceCountUtil.release(msg);
        }
    }

    /** Sends one message, waits for all its bytes to come back, records the round trip, sends the next. */
    private static final class PingPong extends ChannelInboundHandlerAdapter {
        final int size;
        final AtomicBoolean recording;
        final AtomicBoolean running;
        final long[] latencies;
        int count;
        long completed;
        int pending;
        long sentAt;
        ByteBuf message;

        PingPong(int size, AtomicBoolean recording, AtomicBoolean running, int capacity) {
            this.size = size;
            this.recording = recording;
            this.running = running;
            this.latencies = new long[capacity];
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            message = ctx.alloc().directBuffer(size).writeZero(size);
            send(ctx);
        }

        private void send(ChannelHandlerContext ctx) {
            pending = size;
            sentAt = System.nanoTime();
            ctx.writeAndFlush(message.retainedDuplicate(), ctx.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            pending -= ((ByteBuf) msg).readableBytes();
            ReferenceCountUtil.release(msg);
            if (pending == 0) {
                long now = System.nanoTime();
                if (recording.get()) {
                    completed++;
                    if (count < latencies.length) {
                        latencies[count++] = now - sentAt;
                    }
                }
                if (running.get()) {
                    send(ctx);
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (message != null) {
                message.release();
                message = null;
            }
        }
    }

    private static Result requestResponse(Transport t, int size, int connections, long nanos) throws Exception {
        EventLoopGroup serverGroup = t.newGroup("server");
        EventLoopGroup clientGroup = t.newGroup("client");
        try {
            Channel server = new ServerBootstrap().group(serverGroup).channel(t.serverChannel)
                    .childOption(ChannelOption.TCP_NODELAY, true).childHandler(EchoHandler.INSTANCE)
                    .bind(new InetSocketAddress(LOOPBACK, 0)).sync().channel();
            AtomicBoolean recording = new AtomicBoolean();
            AtomicBoolean running = new AtomicBoolean(true);
            List<PingPong> handlers = new ArrayList<>();
            List<Channel> clients = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                PingPong handler = new PingPong(size, recording, running, 1 << 20);
                handlers.add(handler);
                clients.add(new Bootstrap().group(clientGroup).channel(t.channel)
                        .option(ChannelOption.TCP_NODELAY, true).handler(handler)
                        .connect(server.localAddress()).sync().channel());
            }
            // Warm-up: a third of the round, not recorded.
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(nanos / 3));
            clientGroup.submit(() -> recording.set(true)).sync();
            long start = System.nanoTime();
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(nanos));
            // Stop on the loop thread, so the counts read below are final.
            clientGroup.submit(() -> {
                recording.set(false);
                running.set(false);
            }).sync();
            long elapsed = System.nanoTime() - start;
            long total = 0;
            int samples = 0;
            for (PingPong h : handlers) {
                total += h.completed;
                samples += h.count;
            }
            long[] all = new long[samples];
            int at = 0;
            for (PingPong h : handlers) {
                System.arraycopy(h.latencies, 0, all, at, h.count);
                at += h.count;
            }
            Arrays.sort(all);
            double p99 = all.length == 0 ? Double.NaN : all[(int) Math.min(all.length - 1, all.length * 0.99)] / 1e3;
            for (Channel c : clients) {
                c.close().sync();
            }
            server.close().sync();
            return new Result(total * 1e9 / elapsed, p99);
        } finally {
            clientGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
            serverGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }

    /**
     * One client datagram channel per "connection", each keeping {@link #UDP_WINDOW} 64-byte datagrams in flight to
     * one echoing server channel; the figure is datagrams echoed back per second. The windows together (128
     * datagrams of ~2 KiB truesize) stay far below the 4 MiB receive buffers asked for (capped by
     * net.core.rmem_max), so loopback drops nothing; a lost datagram would shrink a window for good.
     */
    private static Result udp(Transport t, int size, int clients, long nanos) throws Exception {
        EventLoopGroup serverGroup = t.newGroup("server");
        EventLoopGroup clientGroup = t.newGroup("client");
        try {
            Channel server = new Bootstrap().group(serverGroup).channel(t.datagram)
                    .option(ChannelOption.SO_RCVBUF, UDP_SOCKET_BUFFER)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            DatagramPacket p = (DatagramPacket) msg;
                            ctx.write(new DatagramPacket(p.content(), p.sender()), ctx.voidPromise());
                        }

                        @Override
                        public void channelReadComplete(ChannelHandlerContext ctx) {
                            ctx.flush();
                        }
                    }).bind(new InetSocketAddress(LOOPBACK, 0)).sync().channel();
            InetSocketAddress to = (InetSocketAddress) server.localAddress();
            AtomicBoolean recording = new AtomicBoolean();
            AtomicBoolean running = new AtomicBoolean(true);
            long[] completed = new long[clients];
            List<Channel> channels = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                final int id = i;
                channels.add(new Bootstrap().group(clientGroup).channel(t.datagram)
                        .option(ChannelOption.SO_RCVBUF, UDP_SOCKET_BUFFER)
                        .handler(new ChannelInboundHandlerAdapter() {
                            ByteBuf message;

                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                message = ctx.alloc().directBuffer(size).writeZero(size);
                                for (int k = 0; k < UDP_WINDOW; k++) {
                                    ctx.write(new DatagramPacket(message.retainedDuplicate(), to), ctx.voidPromise());
                                }
                                ctx.flush();
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ReferenceCountUtil.release(msg);
                                if (recording.get()) {
                                    completed[id]++;
                                }
                                if (running.get()) {
                                    ctx.write(new DatagramPacket(message.retainedDuplicate(), to), ctx.voidPromise());
                                }
                            }

                            @Override
                            public void channelReadComplete(ChannelHandlerContext ctx) {
                                ctx.flush();
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                if (message != null) {
                                    message.release();
                                    message = null;
                                }
                            }
                        }).bind(new InetSocketAddress(LOOPBACK, 0)).sync().channel());
            }
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(nanos / 3));
            clientGroup.submit(() -> recording.set(true)).sync();
            long start = System.nanoTime();
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(nanos));
            clientGroup.submit(() -> {
                recording.set(false);
                running.set(false);
            }).sync();
            long elapsed = System.nanoTime() - start;
            long total = 0;
            for (long c : completed) {
                total += c;
            }
            for (Channel c : channels) {
                c.close().sync();
            }
            server.close().sync();
            return new Result(total * 1e9 / elapsed, Double.NaN);
        } finally {
            clientGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
            serverGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }

    /** Datagrams each UDP client keeps in flight. */
    private static final int UDP_WINDOW = 8;
    private static final int UDP_SOCKET_BUFFER = 4 << 20;

    private static Result stream(Transport t, long nanos) throws Exception {
        EventLoopGroup serverGroup = t.newGroup("server");
        EventLoopGroup clientGroup = t.newGroup("client");
        try {
            DiscardHandler discard = new DiscardHandler();
            Channel server = new ServerBootstrap().group(serverGroup).channel(t.serverChannel)
                    .childHandler(discard).bind(new InetSocketAddress(LOOPBACK, 0)).sync().channel();
            AtomicBoolean running = new AtomicBoolean(true);
            CountDownLatch stopped = new CountDownLatch(1);
            Channel client = new Bootstrap().group(clientGroup).channel(t.channel)
                    .handler(new ChannelInboundHandlerAdapter() {
                        private ByteBuf chunk;

                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            chunk = ctx.alloc().directBuffer(64 * 1024).writeZero(64 * 1024);
                            fill(ctx);
                        }

                        @Override
                        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                            fill(ctx);
                        }

                        private void fill(ChannelHandlerContext ctx) {
                            while (running.get() && ctx.channel().isWritable()) {
                                ctx.write(chunk.retainedDuplicate(), ctx.voidPromise());
                            }
                            ctx.flush();
                            if (!running.get() && chunk != null) {
                                chunk.release();
                                chunk = null;
                                stopped.countDown();
                            }
                        }
                    }).connect(server.localAddress()).sync().channel();
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(nanos / 3));
            long startBytes = discard.bytes.get();
            long start = System.nanoTime();
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(nanos));
            long bytes = discard.bytes.get() - startBytes;
            long elapsed = System.nanoTime() - start;
            client.eventLoop().submit(() -> {
                running.set(false);
                client.pipeline().fireChannelWritabilityChanged();
            }).sync();
            stopped.await(5, TimeUnit.SECONDS);
            client.close().sync();
            server.close().sync();
            return new Result(bytes / (1024.0 * 1024.0) * 1e9 / elapsed, Double.NaN);
        } finally {
            clientGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
            serverGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }

    private static Result median(List<Result> rounds) {
        double[] t = rounds.stream().mapToDouble(r -> r.throughput).sorted().toArray();
        double[] p = rounds.stream().mapToDouble(r -> r.p99Micros).sorted().toArray();
        return new Result(t[t.length / 2], p[p.length / 2]);
    }

    public static void main(String[] args) throws Exception {
        long nanos = TimeUnit.SECONDS.toNanos(args.length > 0 ? Long.parseLong(args[0]) : 3);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        List<Transport> transports = new ArrayList<>();
        transports.add(new Transport("aio", null, AioServerSocketChannel.class, AioSocketChannel.class,
                AioDatagramChannel.class, true));
        transports.add(new Transport("aio-poll", null, AioServerSocketChannel.class, AioSocketChannel.class,
                AioDatagramChannel.class, true));
        transports.add(new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                EpollSocketChannel.class, EpollDatagramChannel.class, false));
        transports.add(new Transport("io_uring", IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class,
                IoUringSocketChannel.class, IoUringDatagramChannel.class, false));
        transports.add(new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class,
                NioSocketChannel.class, NioDatagramChannel.class, false));

        String[] cases = args.length > 3 ? args[3].split(",") : new String[] {"rr-64B", "rr-16KiB", "stream-64KiB"};
        if (args.length > 4) {
            List<String> only = Arrays.asList(args[4].split(","));
            transports.removeIf(t -> !only.contains(t.name) && !"epoll".equals(t.name));
        }
        Map<String, Map<String, List<Result>>> results = new LinkedHashMap<>();
        for (String c : cases) {
            Map<String, List<Result>> byTransport = new LinkedHashMap<>();
            for (Transport t : transports) {
                byTransport.put(t.name, new ArrayList<>());
            }
            results.put(c, byTransport);
        }
        for (int round = 0; round < rounds; round++) {
            for (String c : cases) {
                for (Transport t : transports) {
                    Result r;
                    if ("rr-64B".equals(c)) {
                        r = requestResponse(t, 64, connections, nanos);
                    } else if ("rr-16KiB".equals(c)) {
                        r = requestResponse(t, 16 * 1024, connections, nanos);
                    } else if ("udp-64B".equals(c)) {
                        r = udp(t, 64, connections, nanos);
                    } else {
                        r = stream(t, nanos);
                    }
                    results.get(c).get(t.name).add(r);
                    System.err.printf(Locale.ROOT, "round %d %s %s: %.1f p99=%.1fus%n", round + 1, c, t.name,
                            r.throughput, r.p99Micros);
                }
            }
        }
        for (String c : cases) {
            StringBuilder line = new StringBuilder("echo ").append(c);
            Map<String, Result> medians = new LinkedHashMap<>();
            for (Map.Entry<String, List<Result>> e : results.get(c).entrySet()) {
                Result m = median(e.getValue());
                medians.put(e.getKey(), m);
                String unit = c.startsWith("stream") ? "MiB/s" : c.startsWith("udp") ? "pkt/s" : "req/s";
                line.append(' ').append(e.getKey()).append('=')
                        .append(String.format(Locale.ROOT, "%.0f%s", m.throughput, unit));
                if (!Double.isNaN(m.p99Micros)) {
                    line.append(String.format(Locale.ROOT, ",p99=%.0fus", m.p99Micros));
                }
            }
            Result aio = medians.get("aio");
            Result epoll = medians.get("epoll");
            line.append(String.format(Locale.ROOT, " ratio=%.3f", aio.throughput / epoll.throughput));
            if (!Double.isNaN(aio.p99Micros) && !Double.isNaN(epoll.p99Micros)) {
                line.append(String.format(Locale.ROOT, " p99ratio=%.3f", aio.p99Micros / epoll.p99Micros));
            }
            Result aioPoll = medians.get("aio-poll");
            if (aioPoll != null) {
                // The two ways the AIO loop can sleep, side by side (README: Event loop).
                line.append(String.format(Locale.ROOT, " aio_poll_ratio=%.3f", aioPoll.throughput / epoll.throughput));
                if (!Double.isNaN(aioPoll.p99Micros) && !Double.isNaN(epoll.p99Micros)) {
                    line.append(String.format(Locale.ROOT, " aio_poll_p99ratio=%.3f",
                            aioPoll.p99Micros / epoll.p99Micros));
                }
            }
            System.out.println(line);
        }
    }
}
