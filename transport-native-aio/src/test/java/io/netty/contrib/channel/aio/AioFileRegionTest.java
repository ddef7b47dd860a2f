/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelProgressiveFuture;
import io.netty.channel.ChannelProgressiveFutureListener;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.contrib.channel.aio.testing.AioTests;
import io.netty.contrib.channel.aio.testing.FaultFs;
import io.netty.contrib.channel.aio.testing.FsSleepSampler;
import io.netty.contrib.channel.aio.testing.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plain Netty {@link DefaultFileRegion}s written to AIO stream channels, over real sockets, from real files under
 * {@code target/} taken out of the page cache: the bytes arrive exact, spans the cache lacks are read with AIO and
 * spans it holds go out with sendfile (counted in {@link AioIoStats}), the loop thread is never found asleep in the
 * filesystem, the write's promise completes once and its progress adds up to the region's count. Bad regions fail
 * their promise naming what is wrong and close the connection; a close while reads are in flight waits for them.
 */
class AioFileRegionTest {
    private static AioEventLoopGroup group;
    private static AioEventLoop loop;

    @BeforeAll
    static void startLoop() throws Exception {
        // One loop: the server's connections and the file reads all share it.
        group = new AioEventLoopGroup(1, (java.util.concurrent.ThreadFactory) null,
                new AioIoHandlerConfig().depth(256));
        loop = group.next();
        warmUp();
    }

    /**
     * A class the loop thread loads for the first time is read from {@code target/classes}, a directory: its lookup
     * can sleep in ext4 (__ext4_find_entry), which the sampler would report against the transport. So every path
     * a sampled test takes runs once first — cold and hot, over TCP and a Unix socket, an open off the loop — as
     * the other sampled tests of this module load their read path before they measure.
     */
    private static void warmUp() throws Exception {
        int size = 256 << 10;
        Path file = TestFiles.patternFile("warm-up", size);
        try {
            for (boolean domain : new boolean[] {false, true}) {
                TestFiles.evict(file, 0, 0);
                Sent cold = new Sent();
                Channel server = serve(domain, () -> new DefaultFileRegion(file.toFile(), 0, size), cold);
                try {
                    assertArrayEquals(AioTests.pattern(0, size), fetch(server.localAddress()));
                    cold.assertSucceeded(size);
                    Sent hot = new Sent();
                    hot.nextMessage(() -> new DefaultFileRegion(file.toFile(), 0, size));
                    current = hot;
                    assertArrayEquals(AioTests.pattern(0, size), fetch(server.localAddress()));
                    hot.assertSucceeded(size);
                    if (!domain) {
                        dropDentries();
                        Sent offLoop = new Sent();
                        offLoop.nextMessage(() -> new DefaultFileRegion(file.toFile(), 0, size));
                        current = offLoop;
                        assertArrayEquals(AioTests.pattern(0, size), fetch(server.localAddress()));
                        offLoop.assertSucceeded(size);
                    }
                } finally {
                    server.close().sync();
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Drops unused dentries and inodes (not the page cache): openat2(RESOLVE_CACHED) finds nothing of them. */
    private static void dropDentries() throws IOException {
        Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "2");
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    // ---------------------------------------------------------------- the tests

    @Test
    void coldRegionIsReadWithAioAndHotRegionIsSentWithSendfileOverTcp() throws Exception {
        coldThenHot(false);
    }

    @Test
    void coldRegionIsReadWithAioAndHotRegionIsSentWithSendfileOverAUnixSocket() throws Exception {
        coldThenHot(true);
    }

    private static void coldThenHot(boolean domain) throws Exception {
        int size = (4 << 20) + 12_345;
        Path file = TestFiles.patternFile("region", size);
        long position = 777;
        long count = size - position - 1000;
        TestFiles.evict(file, 0, 0);

        Sent cold = new Sent();
        Channel server = serve(domain, () -> new DefaultFileRegion(file.toFile(), position, count), cold);
        try {
            AioIoStats before = stats();
            byte[] got;
            FsSleepSampler sampler = FsSleepSampler.start(loop);
            try {
                got = fetch(server.localAddress());
            } finally {
                sampler.close();
            }
            assertArrayEquals(AioTests.pattern(position, (int) count), got, "bytes of the cold region");
            cold.assertSucceeded(count);
            assertTrue(sampler.sleptOn().isEmpty(), "the loop slept in the filesystem: " + sampler.sleptOn()
                    + " (" + sampler.samples() + " samples)");
            AioIoStats after = stats();
            assertEquals(count, after.regionAioBytes() - before.regionAioBytes(), "bytes sent from AIO reads");
            assertEquals(0, after.regionSendfileBytes() - before.regionSendfileBytes(), "bytes sent by sendfile");
            assertTrue(after.regionAioReads() - before.regionAioReads() >= count / RegionTransfer.READ_SIZE,
                    "AIO reads: " + (after.regionAioReads() - before.regionAioReads()));

            // Now all in the page cache: sendfile, zero copy.
            Files.readAllBytes(file);
            Sent hot = new Sent();
            hot.nextMessage(() -> new DefaultFileRegion(file.toFile(), position, count));
            before = stats();
            current = hot; // the same server: its next connection takes this outcome
            got = fetch(server.localAddress());
            assertArrayEquals(AioTests.pattern(position, (int) count), got, "bytes of the hot region");
            hot.assertSucceeded(count);
            after = stats();
            assertEquals(count, after.regionSendfileBytes() - before.regionSendfileBytes(), "bytes sent by sendfile");
            assertEquals(0, after.regionAioBytes() - before.regionAioBytes(), "bytes sent from AIO reads");
            assertEquals(0, after.regionAioReads() - before.regionAioReads(), "AIO reads");
        } finally {
            server.close().sync();
            Files.deleteIfExists(file);
        }
    }

    @Test
    void regionPast4GiBOfASparse5GiBFileIsSentExactly() throws Exception {
        Path file = TestFiles.newPath("sparse");
        long dataAt = (4L << 30) + 3 * 4096;
        byte[] data = AioTests.pattern(dataAt, 3 << 20);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(5L << 30);
            raf.seek(dataAt);
            raf.write(data);
        }
        try {
            TestFiles.evict(file, 0, 0);
            long position = (4L << 30) + 12_345;
            int count = 8 << 20;
            byte[] expected = new byte[count];
            System.arraycopy(data, (int) (position - dataAt), expected, 0, (int) (dataAt + data.length - position));
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            Sent sent = new Sent();
            Channel server = serve(false, () -> new DefaultFileRegion(ch, position, count), sent);
            try {
                AioIoStats before = stats();
                byte[] got = fetch(server.localAddress());
                assertArrayEquals(expected, got, "the region at " + position);
                sent.assertSucceeded(count);
                AioIoStats after = stats();
                assertEquals(count, after.regionAioBytes() - before.regionAioBytes(), "bytes sent from AIO reads");
                assertFalse(ch.isOpen(), "the region, released once sent, closed its channel");
            } finally {
                server.close().sync();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void coldRegionLongerThanItsFileFailsNamingFileOffsetAndCountAndClosesTheConnection() throws Exception {
        regionLongerThanItsFile(false);
    }

    @Test
    void hotRegionLongerThanItsFileFailsNamingFileOffsetAndCountAndClosesTheConnection() throws Exception {
        regionLongerThanItsFile(true);
    }

    private static void regionLongerThanItsFile(boolean hot) throws Exception {
        int size = 1 << 20;
        Path file = TestFiles.patternFile("truncated", size);
        if (hot) {
            Files.readAllBytes(file);
        } else {
            TestFiles.evict(file, 0, 0);
        }
        Sent sent = new Sent();
        Channel server = serve(false, () -> new DefaultFileRegion(file.toFile(), 0, 2L * size), sent);
        try {
            byte[] got = fetch(server.localAddress());
            assertArrayEquals(AioTests.pattern(0, size), got, "what the file has is sent");
            Throwable cause = sent.awaitFailure();
            String message = cause.getMessage();
            assertTrue(cause instanceof IOException, String.valueOf(cause));
            assertTrue(message.contains(file.toString()), message);
            assertTrue(message.contains("offset " + size), message);
            assertTrue(message.contains("count " + 2L * size), message);
            assertTrue(sent.channel.get().closeFuture().await(AioTests.PATIENCE.toMillis()),
                    "the transport closed the connection");
        } finally {
            server.close().sync();
            Files.deleteIfExists(file);
        }
    }

    @Test
    void fileDeletedAfterItWasOpenedIsStillSent() throws Exception {
        int size = 1 << 20;
        Path file = TestFiles.patternFile("deleted", size);
        TestFiles.evict(file, 0, 0);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        Files.delete(file);
        Sent sent = new Sent();
        Channel server = serve(false, () -> new DefaultFileRegion(ch, 0, size), sent);
        try {
            AioIoStats before = stats();
            assertArrayEquals(AioTests.pattern(0, size), fetch(server.localAddress()));
            sent.assertSucceeded(size);
            assertEquals(size, stats().regionAioBytes() - before.regionAioBytes(), "bytes sent from AIO reads");
        } finally {
            server.close().sync();
        }
    }

    @Test
    void fifoAndDirectoryFailClearly() throws Exception {
        Path fifo = TestFiles.newPath("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo");
        Path dir = Files.createDirectories(TestFiles.newPath("dir"));
        try {
            assertFailsNaming(fifo, "a FIFO (pipe), not a regular file");
            assertFailsNaming(dir, "a directory, not a regular file");
        } finally {
            Files.deleteIfExists(fifo);
            Files.deleteIfExists(dir);
        }
    }

    private static void assertFailsNaming(Path path, String what) throws Exception {
        Sent sent = new Sent();
        Channel server = serve(false, () -> new DefaultFileRegion(path.toFile(), 0, 100), sent);
        try {
            assertEquals(0, fetch(server.localAddress()).length);
            String message = sent.awaitFailure().getMessage();
            assertTrue(message.contains(path.toString()) && message.contains(what), message);
            assertTrue(sent.channel.get().closeFuture().await(AioTests.PATIENCE.toMillis()));
        } finally {
            server.close().sync();
        }
    }

    @Test
    void fileNotInTheDentryCacheIsOpenedOffTheLoop() throws Exception {
        int size = 256 << 10;
        Path file = TestFiles.patternFile("cold-dentry", size);
        TestFiles.evict(file, 0, 0);
        dropDentries();
        Sent sent = new Sent();
        Channel server = serve(false, () -> new DefaultFileRegion(file.toFile(), 0, size), sent);
        try {
            AioIoStats before = stats();
            FsSleepSampler sampler = FsSleepSampler.start(loop);
            byte[] got;
            try {
                got = fetch(server.localAddress());
            } finally {
                sampler.close();
            }
            assertArrayEquals(AioTests.pattern(0, size), got);
            sent.assertSucceeded(size);
            assertTrue(sampler.sleptOn().isEmpty(), "the loop slept in the filesystem: " + sampler.sleptOn());
            assertEquals(1, stats().regionOffLoopOpens() - before.regionOffLoopOpens(), "opens off the loop");
        } finally {
            server.close().sync();
            Files.deleteIfExists(file);
        }
    }

    @Test
    void whileReadsAreHeldOtherChannelsAreServedAndCloseWaitsForTheReads() throws Exception {
        Path flag = FaultFs.newReleaseFlag();
        int size = 1 << 20;
        Path hotFile = TestFiles.patternFile("served-meanwhile", 300_000);
        Files.readAllBytes(hotFile);
        try (FaultFs fs = FaultFs.mount("held:" + size + ":direct:hang=" + flag)) {
            Sent held = new Sent();
            Channel server = serve(false, () -> new DefaultFileRegion(fs.file("held").toFile(), 0, size), held);
            SocketChannel client = connect(server.localAddress());
            try {
                AioTests.awaitStats(loop, st -> st.inFlight() > 0);
                Channel child = held.channel.get(AioTests.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

                // Another connection on the same loop gets its whole region while the first one's reads are held.
                Sent other = new Sent();
                current = other;
                other.nextMessage(() -> new DefaultFileRegion(hotFile.toFile(), 0, 300_000));
                assertArrayEquals(AioTests.pattern(0, 300_000), fetch(server.localAddress()));
                other.assertSucceeded(300_000);
                assertFalse(held.done.isDone(), "the held region's write cannot have completed");

                ChannelFuture closed = child.close();
                assertEquals(1, loop.submit(() -> 1).get(AioTests.PATIENCE.toMillis(), TimeUnit.MILLISECONDS),
                        "the loop runs tasks while the close waits");
                assertFalse(closed.isDone(), "the close completed while the kernel still had the reads");
                assertTrue(child.isOpen(), "the descriptor stays open until the reads are back");
                FaultFs.release(flag);
                assertTrue(closed.await(AioTests.PATIENCE.toMillis()), "the close completes once the reads are back");
                assertTrue(closed.isSuccess(), String.valueOf(closed.cause()));
                assertNotNull(held.awaitFailure(), "the held region's write failed at the close");
                assertEquals(1, held.completions.get());
                AioTests.awaitStats(loop, st -> st.inFlight() == 0);
            } finally {
                FaultFs.release(flag);
                client.close();
                server.close().sync();
            }
        } finally {
            Files.deleteIfExists(hotFile);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The outcome of the connection being served now: each accepted connection takes the current one. */
    private static volatile Sent current;

    /** Writes the current {@link Sent}'s region to each connection that opens. */
    private static final ChannelInboundHandlerAdapter WRITER = new Writer();

    @ChannelHandler.Sharable
    private static final class Writer extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            current.write(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static AioIoStats stats() throws Exception {
        return loop.submit(loop::stats).get();
    }

    /** A server on the loop that writes {@code message}'s region to each connection, then closes it. */
    private static Channel serve(boolean domain, Supplier<Object> message, Sent sent) throws Exception {
        sent.nextMessage(message);
        current = sent;
        ServerBootstrap b = new ServerBootstrap().group(group)
                .channel(domain ? AioServerDomainSocketChannel.class : AioServerSocketChannel.class)
                .childHandler(WRITER);
        SocketAddress address = domain ? new DomainSocketAddress(TestFiles.newPath("sock").toString())
                : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        return b.bind(address).sync().channel();
    }

    private static SocketChannel connect(SocketAddress address) throws IOException {
        if (address instanceof DomainSocketAddress) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(((DomainSocketAddress) address).path()));
            return ch;
        }
        return SocketChannel.open(address);
    }

    /** Connects, reads to end of stream. */
    private static byte[] fetch(SocketAddress address) throws IOException {
        try (SocketChannel ch = connect(address)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            while (ch.read(buf) >= 0) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return out.toByteArray();
        }
    }

    /** One region write as its promise saw it: completions, progress, the cause of a failure. */
    private static final class Sent {
        final AtomicInteger completions = new AtomicInteger();
        final CompletableFuture<Throwable> done = new CompletableFuture<>();
        final CompletableFuture<Channel> channel = new CompletableFuture<>();
        private Supplier<Object> message;
        /** Loop thread: the last cumulative progress and the sum of the steps between progress events. */
        private long lastProgress;
        private volatile long progressSteps;
        private volatile long progressTotal = -1;

        void nextMessage(Supplier<Object> message) {
            this.message = message;
        }

        void write(ChannelHandlerContext ctx) {
            channel.complete(ctx.channel());
            ChannelProgressivePromise promise = ctx.newProgressivePromise();
            promise.addListener(new ChannelProgressiveFutureListener() {
                @Override
                public void operationProgressed(ChannelProgressiveFuture f, long progress, long total) {
                    progressSteps += progress - lastProgress;
                    lastProgress = progress;
                    progressTotal = total;
                }

                @Override
                public void operationComplete(ChannelProgressiveFuture f) {
                    completions.incrementAndGet();
                    done.complete(f.cause());
                    if (f.isSuccess()) {
                        ctx.close();
                    }
                }
            });
            ctx.writeAndFlush(message.get(), promise);
        }

        void assertSucceeded(long count) throws Exception {
            Throwable cause = done.get(AioTests.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            assertNull(cause, () -> "the write failed: " + cause);
            // Once more through the loop: a second completion would have been delivered by now.
            loop.submit(() -> { }).get();
            assertEquals(1, completions.get(), "promise completions");
            assertEquals(count, progressSteps, "progress steps add up to the region's count");
            assertEquals(count, progressTotal, "progress total");
        }

        Throwable awaitFailure() throws Exception {
            Throwable cause = done.get(AioTests.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(cause, "the write succeeded");
            loop.submit(() -> { }).get();
            assertEquals(1, completions.get(), "promise completions");
            return cause;
        }
    }
}
