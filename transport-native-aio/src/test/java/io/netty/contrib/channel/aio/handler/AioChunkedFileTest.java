/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.handler;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.contrib.channel.aio.AioEventLoop;
import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.contrib.channel.aio.AioIoHandlerConfig;
import io.netty.contrib.channel.aio.AioServerSocketChannel;
import io.netty.contrib.channel.aio.file.AioFile;
import io.netty.contrib.channel.aio.file.AioFileStats;
import io.netty.contrib.channel.aio.file.AioOpenOption;
import io.netty.contrib.channel.aio.testing.LeakFailingExtension;
import io.netty.contrib.channel.aio.testing.TestFiles;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AioChunkedFile on real AIO loops, real files under target/ and real loopback sockets read by plain JDK clients:
 * byte-exact transfers of whole files and ranges, the read-ahead window, resumption of the writer, HttpChunkedInput,
 * abandonment mid-transfer (everything released once the kernel has answered), short files and bad input.
 */
class AioChunkedFileTest {
    private static final long PATIENCE_SECONDS = 30;
    private static AioEventLoopGroup group;

    @BeforeAll
    static void startLoops() {
        group = new AioEventLoopGroup(2, (ThreadFactory) null, new AioIoHandlerConfig().depth(512));
    }

    @AfterAll
    static void stopLoops() throws Exception {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }

    /** What one served connection did: its input, the write's outcome, the file's close. */
    private static final class Transfer {
        final CompletableFuture<AioChunkedFile> input = new CompletableFuture<>();
        final CompletableFuture<Throwable> written = new CompletableFuture<>();
        final CompletableFuture<AioFileStats> fileClosed = new CompletableFuture<>();
    }

    /** Opens the file on the connection's loop and writes what {@code message} makes of it. */
    private interface MessageFactory {
        Object create(AioFile file, ChunkedWriteHandler writer, Transfer transfer) throws IOException;
    }

    /**
     * A server that, for each connection, writes one message over {@code path} as soon as it is accepted and
     * closes after it; returns the bound server channel.
     */
    private static Channel serve(Path path, Transfer transfer, MessageFactory factory) throws Exception {
        return new ServerBootstrap().group(group).channel(AioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChunkedWriteHandler writer = new ChunkedWriteHandler();
                        ch.pipeline().addLast(writer, new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) throws Exception {
                                AioFile file = AioFile.open(ctx.channel().eventLoop(), path);
                                Object msg = factory.create(file, writer, transfer);
                                ctx.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
                                    transfer.written.complete(f.cause());
                                    ctx.close();
                                });
                                transfer.input.join().closeFuture().addListener(c ->
                                        file.close().addListener(x -> transfer.fileClosed.complete(file.stats())));
                            }
                        });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    private static MessageFactory region(long offset, long length, int chunkSize, int readAhead) {
        return (file, writer, transfer) -> {
            AioChunkedFile in = new AioChunkedFile(file, offset, length, chunkSize, readAhead, writer);
            transfer.input.complete(in);
            return in;
        };
    }

    private static Socket connect(Channel server) throws IOException {
        Socket s = new Socket();
        s.connect(server.localAddress(), 10_000);
        s.setSoTimeout(60_000);
        return s;
    }

    /** Serves {@code [offset, offset + length)} of {@code path} and checks what a socket client receives. */
    private static Transfer assertTransfer(Path path, long offset, long length, int chunkSize, int readAhead)
            throws Exception {
        Transfer t = new Transfer();
        Channel server = serve(path, t, region(offset, length, chunkSize, readAhead));
        try (Socket s = connect(server)) {
            byte[] got = s.getInputStream().readAllBytes();
            byte[] all = Files.readAllBytes(path);
            byte[] expected = Arrays.copyOfRange(all, (int) offset, (int) (offset + length));
            assertEquals(expected.length, got.length, "bytes received");
            assertArrayEquals(expected, got, "region [" + offset + ", +" + length + ") chunk " + chunkSize
                    + " read-ahead " + readAhead);
        } finally {
            server.close().sync();
        }
        assertNull(t.written.get(PATIENCE_SECONDS, TimeUnit.SECONDS), "write succeeded");
        t.fileClosed.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        AioChunkedFile in = t.input.get();
        assertTrue(in.isEndOfInput());
        assertEquals(length, in.progress());
        assertEquals(0, in.inFlight());
        return t;
    }

    @Test
    void sendsWholeFilesByteForByte() throws Exception {
        for (int size : new int[] {1, 4095, 4096, 65536, 65537, (3 << 20) + 17}) {
            Path p = TestFiles.patternFile("chunked-whole", size);
            assertTransfer(p, 0, size, AioChunkedFile.DEFAULT_CHUNK_SIZE, AioChunkedFile.DEFAULT_READ_AHEAD);
        }
    }

    @Test
    void sendsAnyRangeByteForByte() throws Exception {
        int size = (1 << 20) + 333;
        Path p = TestFiles.patternFile("chunked-range", size);
        long[][] ranges = {{0, 1}, {1, 70_000}, {4095, 4097 * 3}, {size - 1, 1}, {12_345, 0}, {65_536, 65_536},
                {100, size - 200}};
        for (long[] r : ranges) {
            assertTransfer(p, r[0], r[1], 65_536, 4);
        }
    }

    @Test
    void smallChunksDeepReadAheadAndSingleReadsKeepFileOrder() throws Exception {
        int size = (2 << 20) + 5;
        Path p = TestFiles.patternFile("chunked-order", size);
        assertTransfer(p, 3, size - 3, 4096, 64);
        assertTransfer(p, 0, size, 3 * 4096, 1);
        assertTransfer(p, 7, size - 7, 1000, 3); // a chunk size that is not aligned still works
    }

    /** A writer whose resumptions are counted; not in a pipeline, so resuming does nothing else. */
    private static final class CountingWriter extends ChunkedWriteHandler {
        final AtomicInteger resumes = new AtomicInteger();
        volatile CountDownLatch resumed = new CountDownLatch(1);

        @Override
        public void resumeTransfer() {
            resumes.incrementAndGet();
            resumed.countDown();
        }
    }

    @Test
    void returnsNullUntilAReadCompletesResumesTheWriterAndNeverExceedsTheReadAhead() throws Exception {
        int size = 10 * 65_536 + 100;
        Path p = TestFiles.patternFile("chunked-window", size);
        byte[] expected = Files.readAllBytes(p);
        AioEventLoop loop = group.next();
        AioFile file = AioFile.open(loop, p);
        CountingWriter writer = new CountingWriter();
        int readAhead = 3;
        AioChunkedFile in = new AioChunkedFile(file, 0, size, 65_536, readAhead, writer);
        try {
            int[] inFlightAfterFirst = new int[1];
            ByteBuf first = loop.submit(() -> {
                ByteBuf c = in.readChunk(io.netty.buffer.ByteBufAllocator.DEFAULT);
                inFlightAfterFirst[0] = in.inFlight(); // still in this loop task: nothing submitted yet
                return c;
            }).get();
            assertNull(first, "nothing can be ready before the loop has submitted the reads");
            assertEquals(readAhead, inFlightAfterFirst[0]);
            assertTrue(writer.resumed.await(PATIENCE_SECONDS, TimeUnit.SECONDS), "writer resumed on completion");

            byte[] received = new byte[size];
            int at = 0;
            while (at < size) {
                writer.resumed = new CountDownLatch(1);
                ByteBuf chunk = loop.submit(() -> {
                    ByteBuf c = in.readChunk(io.netty.buffer.ByteBufAllocator.DEFAULT);
                    assertTrue(in.inFlight() <= readAhead, "in flight " + in.inFlight());
                    return c;
                }).get();
                if (chunk == null) {
                    assertTrue(writer.resumed.await(PATIENCE_SECONDS, TimeUnit.SECONDS), "resumed after a null");
                    continue;
                }
                try {
                    int n = chunk.readableBytes();
                    chunk.readBytes(received, at, n);
                    at += n;
                    assertEquals(at, loop.submit(in::progress).get().longValue());
                } finally {
                    chunk.release();
                }
            }
            assertArrayEquals(expected, received);
            assertTrue(loop.submit(in::isEndOfInput).get());
            assertNull(loop.submit(() -> in.readChunk(io.netty.buffer.ByteBufAllocator.DEFAULT)).get());
            assertTrue(writer.resumes.get() >= 1);
        } finally {
            loop.submit(in::close).get();
            in.closeFuture().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
            file.close().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void prefetchCompletesOnceTheFirstChunkCanBeTakenWithoutResumingTheWriter() throws Exception {
        int size = 3 * 65_536;
        Path p = TestFiles.patternFile("chunked-prefetch", size);
        byte[] expected = Files.readAllBytes(p);
        AioEventLoop loop = group.next();
        AioFile file = AioFile.open(loop, p);
        CountingWriter writer = new CountingWriter();
        AioChunkedFile in = new AioChunkedFile(file, 1000, size - 1000, 65_536, 2, writer);
        AioChunkedFile empty = new AioChunkedFile(file, 5, 0, 65_536, 2, writer);
        try {
            Future<Void> emptyReady = loop.submit(empty::prefetch).get();
            assertTrue(emptyReady.isSuccess(), "an empty region is ready at once");
            Future<Void> ready = loop.submit(() -> {
                Future<Void> f = in.prefetch();
                assertFalse(f.isDone(), "the reads go out with the loop's next io_submit");
                assertEquals(2, in.inFlight(), "prefetch issued the read-ahead");
                assertSame(f, in.prefetch(), "one future, however often asked");
                return f;
            }).get();
            ready.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
            ByteBuf first = loop.submit(() -> in.readChunk(io.netty.buffer.ByteBufAllocator.DEFAULT)).get();
            try {
                assertNotNull(first, "the first chunk is there once prefetch() completed");
                assertEquals(65_536 - 1000, first.readableBytes(), "up to the first chunk boundary");
                byte[] got = new byte[first.readableBytes()];
                first.readBytes(got);
                assertArrayEquals(Arrays.copyOfRange(expected, 1000, 65_536), got);
            } finally {
                first.release();
            }
            assertEquals(0, writer.resumes.get(), "nobody waited in readChunk, so nobody is resumed");
        } finally {
            loop.submit(() -> {
                in.close();
                empty.close();
            }).get();
            in.closeFuture().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
            file.close().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void worksInsideHttpChunkedInput() throws Exception {
        int size = (1 << 20) + 1234;
        Path p = TestFiles.patternFile("chunked-http", size);
        Transfer t = new Transfer();
        Channel server = new ServerBootstrap().group(group).channel(AioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChunkedWriteHandler writer = new ChunkedWriteHandler();
                        ch.pipeline().addLast(new HttpServerCodec(), writer, new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                                boolean request = msg instanceof HttpRequest;
                                ReferenceCountUtil.release(msg);
                                if (!request) {
                                    return;
                                }
                                AioFile file = AioFile.open(ctx.channel().eventLoop(), p);
                                AioChunkedFile in = new AioChunkedFile(file, 0, size, 16_384, 4, writer);
                                t.input.complete(in);
                                in.closeFuture().addListener(c -> file.close()
                                        .addListener(x -> t.fileClosed.complete(file.stats())));
                                HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                                        HttpResponseStatus.OK);
                                response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                                ctx.write(response);
                                ctx.writeAndFlush(new HttpChunkedInput(in))
                                        .addListener((ChannelFutureListener) f -> t.written.complete(f.cause()));
                            }
                        });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        try {
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            java.net.http.HttpResponse<byte[]> r = client.send(java.net.http.HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/")).method("GET", BodyPublishers.noBody()).build(),
                    BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode());
            assertEquals("chunked", r.headers().firstValue("transfer-encoding").orElse(null));
            assertArrayEquals(Files.readAllBytes(p), r.body());
        } finally {
            server.close().sync();
        }
        assertNull(t.written.get(PATIENCE_SECONDS, TimeUnit.SECONDS));
        t.fileClosed.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void closingTheChannelMidTransferReleasesEverythingOnceTheReadsComplete() throws Exception {
        int size = 32 << 20;
        Path p = TestFiles.patternFile("chunked-abort", size);
        for (int round = 0; round < 20; round++) {
            Transfer t = new Transfer();
            Channel server = serve(p, t, region(0, size, 65_536, 16));
            try (Socket s = connect(server)) {
                InputStream in = s.getInputStream();
                // At least one byte: the transfer has begun (a connection reset before the server has even
                // accepted it never reaches the handler that starts it).
                int want = 1 + 100_000 * round;
                assertEquals(want, in.readNBytes(want).length);
                if (round % 2 == 0) {
                    s.setSoLinger(true, 0); // reset
                }
            } finally {
                server.close().sync();
            }
            Throwable failure;
            try {
                failure = t.written.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("round " + round + ": the write neither failed nor completed after the "
                        + "client hung up: " + t.input.getNow(null), e);
            }
            assertNotNull(failure, "a write into a closed connection fails");
            AioFileStats stats = t.fileClosed.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
            AioChunkedFile input = t.input.get();
            assertTrue(input.closeFuture().isSuccess());
            assertEquals(0, input.inFlight());
            assertFalse(input.isEndOfInput());
            assertEquals(0, stats.pending(), "the file holds no operation: " + stats);
        }
        List<String> leaks = LeakFailingExtension.collectLeaks();
        assertTrue(leaks.isEmpty(), String.join("\n", leaks));
    }

    @Test
    void aFileShorterThanTheRegionFailsTheWriteNamingWhereItEnded() throws Exception {
        int size = 200_000;
        Path p = TestFiles.patternFile("chunked-short", size);
        Transfer t = new Transfer();
        Channel server = serve(p, t, region(0, size + 5000, 65_536, 4));
        try (Socket s = connect(server)) {
            byte[] got = s.getInputStream().readAllBytes();
            assertTrue(got.length <= size, "no byte past the end of the file");
        } finally {
            server.close().sync();
        }
        Throwable failure = t.written.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        assertInstanceOf(EOFException.class, failure);
        assertTrue(failure.getMessage().contains("ended at " + size), failure.getMessage());
        t.fileClosed.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void hotFilesAreReadFromThePageCacheAndColdOnesOnTheDirectPathWithoutBlocking() throws Exception {
        int size = 4 << 20;
        // Hot: just written through the page cache.
        Path hot = TestFiles.patternFile("chunked-hot", size);
        Transfer h = assertTransfer(hot, 0, size, 65_536, 4);
        AioFileStats hotStats = h.fileClosed.get();
        assertTrue(hotStats.nowaitHits() > 0, "page-cache hits: " + hotStats);
        assertEquals(0, hotStats.blockingReads(), hotStats.toString());

        // Cold: written with O_DIRECT, so none of it is in the page cache.
        Path cold = TestFiles.newPath("chunked-cold");
        AioEventLoop loop = group.next();
        AioFile writer = AioFile.open(loop, cold, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                AioOpenOption.DIRECT);
        ByteBuf data = writer.allocator().directBuffer(size);
        // One bulk write: a leak-aware buffer records every access, so byte by byte would take minutes.
        data.writeBytes(Files.readAllBytes(hot));
        try {
            writer.write(0, data).get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        } finally {
            data.release();
            writer.close().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        }
        Transfer c = assertTransfer(cold, 0, size, 65_536, 4);
        AioFileStats coldStats = c.fileClosed.get();
        assertTrue(coldStats.nowaitMisses() > 0 && coldStats.directReads() > 0, "direct reads: " + coldStats);
        assertEquals(0, coldStats.blockingReads(), coldStats.toString());
    }

    @Test
    void badArgumentsAreRefusedNamingWhatIsWrong() throws Exception {
        Path p = TestFiles.patternFile("chunked-bad", 10_000);
        AioEventLoop loop = group.next();
        AioFile file = AioFile.open(loop, p);
        ChunkedWriteHandler w = new ChunkedWriteHandler();
        try {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> new AioChunkedFile(file, -1, 10, w))
                    .getMessage().contains("non-negative"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> new AioChunkedFile(file, 0, -10, w))
                    .getMessage().contains("non-negative"));
            assertThrows(IllegalArgumentException.class, () -> new AioChunkedFile(file, Long.MAX_VALUE, 10, w));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> new AioChunkedFile(file, 0, 10, 0, 4, w))
                    .getMessage().contains("chunkSize"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> new AioChunkedFile(file, 0, 10, 4096, 0, w))
                    .getMessage().contains("readAhead"));
            assertThrows(NullPointerException.class, () -> new AioChunkedFile(null, 0, 10, w));
            assertThrows(NullPointerException.class, () -> new AioChunkedFile(file, 0, 10, null));

            AioChunkedFile in = new AioChunkedFile(file, 0, 10_000, w);
            IllegalStateException wrongThread = assertThrows(IllegalStateException.class,
                    () -> in.readChunk(io.netty.buffer.ByteBufAllocator.DEFAULT));
            assertTrue(wrongThread.getMessage().contains("event loop"), wrongThread.getMessage());
            loop.submit(in::close).get();
            Exception afterClose = loop.submit(() -> {
                try {
                    in.readChunk(io.netty.buffer.ByteBufAllocator.DEFAULT);
                    return null;
                } catch (Exception e) {
                    return e;
                }
            }).get();
            assertInstanceOf(ClosedChannelException.class, afterClose);
            assertTrue(in.closeFuture().await(PATIENCE_SECONDS, TimeUnit.SECONDS));
        } finally {
            file.close().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        }
        assertTrue(assertThrows(IllegalStateException.class, () -> new AioChunkedFile(file, 0, 10, w))
                .getMessage().contains("closed"));
        // The loop still serves after all that.
        assertTransfer(p, 0, 10_000, 4096, 2);
    }
}
