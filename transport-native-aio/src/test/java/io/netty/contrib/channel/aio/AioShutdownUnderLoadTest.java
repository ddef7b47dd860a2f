/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.contrib.channel.aio.fd.AioFdChannel;
import io.netty.contrib.channel.aio.fd.AioFdChannelOption;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.contrib.channel.aio.file.AioFile;
import io.netty.contrib.channel.aio.file.AioFileConfig;
import io.netty.contrib.channel.aio.file.AioOpenOption;
import io.netty.contrib.channel.aio.file.AioReadPolicy;
import io.netty.contrib.channel.aio.testing.AioTests;
import io.netty.contrib.channel.aio.testing.FaultFs;
import io.netty.contrib.channel.aio.testing.TestFiles;
import io.netty.util.concurrent.Future;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code shutdownGracefully} of a 4-loop group in full work: hundreds of sockets streaming to each other,
 * {@code O_DIRECT} {@link AioFile} readers and async-mode fd channels writing to slow FUSE files, and one read the
 * filesystem holds until the test lets it go, after the shutdown. The group terminates (its loops give the kernel
 * {@code shutdownTimeout} and leave the held read to {@code io_destroy} on a thread of its own); every channel that
 * became active went inactive and its close future completed; every write promise and every read future completed
 * once (the held read too, once released); nothing leaks (paranoid detection fails the class otherwise).
 */
class AioShutdownUnderLoadTest {
    private static final int LOOPS = 4;
    private static final int CLIENTS = 150;
    private static final int CHUNK = 16 * 1024;
    private static final int BLOCK = 4096;
    private static final long SHUTDOWN_TIMEOUT_MS = 500;

    /** Channels that fired channelActive, and those of them that fired channelInactive. */
    private final Set<Channel> active = ConcurrentHashMap.newKeySet();
    private final Set<Channel> inactive = ConcurrentHashMap.newKeySet();
    private final List<Future<?>> futures = new CopyOnWriteArrayList<>();
    private final AtomicLong promisesMade = new AtomicLong();
    private final AtomicLong promisesDone = new AtomicLong();
    private final AtomicLong streamed = new AtomicLong();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<ChannelHandlerContext> streamers = new CopyOnWriteArrayList<>();

    /** Follows a channel's life. */
    private final class Tracker extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (!active.add(ctx.channel())) {
                throw new AssertionError("channelActive twice: " + ctx.channel());
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!inactive.add(ctx.channel())) {
                throw new AssertionError("channelInactive twice: " + ctx.channel());
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            streamed.addAndGet(((ByteBuf) msg).readableBytes());
            ((ByteBuf) msg).release();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Connections reset by the shutdown: expected, and they close.
            ctx.close();
        }
    }

    /** Writes chunk after chunk while the channel is writable. */
    private final class Streamer extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.fireChannelActive();
            // Streaming starts once every connection is up: 300 streams on 2 cores slow the connects to a crawl.
            streamers.add(ctx);
        }

        void start(ChannelHandlerContext ctx) {
            ctx.executor().execute(() -> write(ctx));
        }

        private void write(ChannelHandlerContext ctx) {
            if (stopping.get()) {
                return;
            }
            ByteBuf chunk = ctx.alloc().directBuffer(CHUNK).writeZero(CHUNK);
            promisesMade.incrementAndGet();
            ctx.writeAndFlush(chunk).addListener(f -> {
                promisesDone.incrementAndGet();
                if (f.isSuccess() && ctx.channel().isActive()) {
                    write(ctx);
                }
            });
        }
    }

    /**
     * Both ways of building an AIO group: {@link AioEventLoopGroup}, and Netty 4.2's own group on
     * {@link AioIoHandler#newFactory} (what the file server and the Vert.x integration use); the handler's handles
     * are collected from the factory so that the test can read each loop's counters.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"AioEventLoopGroup", "MultiThreadIoEventLoopGroup"})
    void aGroupInFullWorkShutsDownAndEverythingCompletesOnce(String groupType) throws Exception {
        Path flag = FaultFs.newReleaseFlag();
        int readSize = 64 * BLOCK;
        try (FaultFs fs = FaultFs.mount("slow:" + (16 << 20) + ":direct:delay=20", "sink:" + (16 << 20)
                + ":direct:delay=20", "held:" + (1 << 20) + ":direct:hang=" + flag)) {
            AioIoHandlerConfig config = new AioIoHandlerConfig().shutdownTimeout(SHUTDOWN_TIMEOUT_MS,
                    TimeUnit.MILLISECONDS);
            Map<Object, AioIoHandler> handlers = new ConcurrentHashMap<>();
            EventLoopGroup group;
            if (groupType.equals("AioEventLoopGroup")) {
                group = new AioEventLoopGroup(LOOPS, (ThreadFactory) null, config);
            } else {
                IoHandlerFactory factory = AioIoHandler.newFactory(config);
                group = new MultiThreadIoEventLoopGroup(LOOPS, (ThreadFactory) null, executor -> {
                    AioIoHandler h = (AioIoHandler) factory.newHandler(executor);
                    handlers.put(executor, h);
                    return h;
                });
            }
            // First, while the loops are idle: one read the filesystem holds past the shutdown.
            EventLoop heldLoop = group.next();
            AioFile held = AioFile.open(heldLoop, fs.file("held"), new AioFileConfig().readPolicy(AioReadPolicy.DIRECT));
            Future<ByteBuf> heldRead = held.read(0, 8192);
            futures.add(held.closeFuture());
            AioIoHandler heldHandler = heldLoop instanceof AioEventLoop ? ((AioEventLoop) heldLoop).aioHandler()
                    : handlers.get(heldLoop);
            AioTests.awaitStats(heldLoop, heldHandler, st -> st.inFlight() > 0);
            assertFalse(heldRead.isDone(), "the held read completed before the shutdown");
            Channel server = new ServerBootstrap().group(group).channel(AioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new Tracker(), new Streamer());
                        }
                    }).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            Bootstrap client = new Bootstrap().group(group).channel(AioSocketChannel.class)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new Tracker(), new Streamer());
                        }
                    });
            for (int i = 0; i < CLIENTS; i++) {
                ChannelFuture connect = client.connect(server.localAddress());
                futures.add(connect);
                connect.sync();
            }
            // Per loop: an O_DIRECT reader of the slow file, reading again as each read completes, and an fd channel
            // writing blocks to the slow sink, four in flight.
            for (int i = 0; i < LOOPS; i++) {
                EventLoop loop = group.next();
                AioFile reader = AioFile.open(loop, fs.file("slow"), new AioFileConfig().readPolicy(AioReadPolicy.DIRECT));
                keepReading(reader, (long) i * readSize * 8, readSize);
                futures.add(reader.closeFuture());
                AioFdChannel writer = AioFdChannel.open(fs.file("sink"), StandardOpenOption.WRITE,
                        AioOpenOption.DIRECT);
                writer.config().setOption(AioFdChannelOption.WRITES_IN_FLIGHT, 4);
                writer.pipeline().addLast(new Tracker());
                loop.register(writer).sync();
                keepWriting(writer);
                futures.add(writer.closeFuture());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (streamers.size() < 2 * CLIENTS) {
                assertTrue(System.nanoTime() < deadline, "only " + streamers.size() + " connections up");
                Thread.sleep(10);
            }
            for (ChannelHandlerContext ctx : streamers) {
                ((Streamer) ctx.handler()).start(ctx);
            }
            // Let the work run until every kind of it has made progress.
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (streamed.get() < 64L * CLIENTS * CHUNK || promisesDone.get() < 64
                    || active.size() < 2 * CLIENTS + LOOPS) {
                assertTrue(System.nanoTime() < deadline, "the load never got going: " + streamed + " bytes, "
                        + active.size() + " channels active");
                Thread.sleep(10);
            }
            int activeBefore = active.size();
            assertTrue(activeBefore >= 2 * CLIENTS + LOOPS, "active channels: " + activeBefore);

            long start = System.nanoTime();
            Future<?> terminated = group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            // Bounded by the quiet period (0) + timeout (1 s) for tasks, then shutdownTimeout for the kernel's
            // operations, then io_destroy leaves the held read to a daemon thread. 60 s only catches a hang.
            assertTrue(terminated.await(60, TimeUnit.SECONDS), "the group never terminated");
            stopping.set(true);
            System.out.printf("AioShutdownUnderLoadTest: %d channels active, %d MiB streamed, %d writes; group "
                            + "terminated %d ms after shutdownGracefully(0, 1 s) with shutdownTimeout %d ms%n",
                    activeBefore, streamed.get() >> 20, promisesMade.get(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), SHUTDOWN_TIMEOUT_MS);

            assertFalse(heldRead.isDone(), "the filesystem still holds its read, yet it completed: "
                    + (heldRead.isSuccess() ? "with data" : heldRead.cause()));
            FaultFs.release(flag);
            assertTrue(heldRead.await(60, TimeUnit.SECONDS), "the held read completed once released");
            if (heldRead.isSuccess()) {
                heldRead.getNow().release();
            }
            for (Future<?> f : futures) {
                assertTrue(f.await(60, TimeUnit.SECONDS), "a close or connect future never completed: " + f);
            }
            for (Channel ch : active) {
                assertTrue(ch.closeFuture().await(60, TimeUnit.SECONDS), ch + " never closed");
            }
            assertTrue(server.closeFuture().await(60, TimeUnit.SECONDS), "the listener never closed");
            Set<Channel> missing = ConcurrentHashMap.newKeySet();
            missing.addAll(active);
            missing.removeAll(inactive);
            assertEquals(0, missing.size(), missing.size() + " of " + active.size()
                    + " channels never went inactive, among them " + missing.stream().limit(5).toList());
            assertEquals(promisesMade.get(), promisesDone.get(), "write promises completed");
            assertEquals(readsMade.get(), readsDone.get(), "AioFile reads completed");
            assertEquals(fdWritesMade.get(), fdWritesDone.get(), "fd channel write promises completed");
        }
    }

    private final AtomicLong readsMade = new AtomicLong();
    private final AtomicLong readsDone = new AtomicLong();
    private final AtomicLong fdWritesMade = new AtomicLong();
    private final AtomicLong fdWritesDone = new AtomicLong();

    private void keepReading(AioFile file, long position, int length) {
        readsMade.incrementAndGet();
        file.read(position, length).addListener(f -> {
            readsDone.incrementAndGet();
            if (f.isSuccess()) {
                ((ByteBuf) f.getNow()).release();
                if (!stopping.get() && file.isOpen()) {
                    keepReading(file, (position + length) % (8L << 20), length);
                }
            }
        });
    }

    private void keepWriting(AioFdChannel ch) {
        for (int i = 0; i < 4; i++) {
            writeNext(ch);
        }
    }

    private void writeNext(AioFdChannel ch) {
        if (stopping.get() || !ch.isActive()) {
            return;
        }
        ByteBuf block = TestFiles.ALIGNED.directBuffer(BLOCK).writeZero(BLOCK);
        fdWritesMade.incrementAndGet();
        ch.writeAndFlush(block).addListener(f -> {
            fdWritesDone.incrementAndGet();
            if (f.isSuccess()) {
                writeNext(ch);
            }
        });
    }
}
