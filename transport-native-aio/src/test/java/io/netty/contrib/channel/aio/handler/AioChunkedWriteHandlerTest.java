/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.handler;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelProgressiveFuture;
import io.netty.channel.ChannelProgressiveFutureListener;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.contrib.channel.aio.AioIoHandlerConfig;
import io.netty.contrib.channel.aio.AioServerSocketChannel;
import io.netty.contrib.channel.aio.testing.FsSleepSampler;
import io.netty.contrib.channel.aio.testing.LeakFailingExtension;
import io.netty.contrib.channel.aio.testing.TestFiles;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2DataChunkedInput;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.netty.handler.stream.ChunkedFile;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AioChunkedWriteHandler in place of ChunkedWriteHandler on real AIO loops, under TLS (the reason applications
 * chunk files at all), with files under target/ dropped from the page cache first: Netty's ChunkedNioFile and
 * ChunkedFile, bare and inside HttpChunkedInput and Http2DataChunkedInput, arrive byte for byte at a JDK TLS
 * client, their reads go through AIO (the handler's counters), and no sample finds the loop asleep in the
 * filesystem. Also: the plain path elsewhere, short files, and channels closed mid-transfer.
 */
class AioChunkedWriteHandlerTest {
    private static final long PATIENCE_SECONDS = 60;
    private static AioEventLoopGroup group;
    private static SelfSignedCertificate certificate;
    private static SslContext serverTls;
    private static SSLContext clientTls;

    @BeforeAll
    static void start() throws Exception {
        group = new AioEventLoopGroup(2, (ThreadFactory) null, new AioIoHandlerConfig().depth(512));
        certificate = new SelfSignedCertificate("localhost");
        serverTls = SslContextBuilder.forServer(certificate.certificate(), certificate.privateKey())
                .sslProvider(SslProvider.JDK).build();
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // the test's own self-signed certificate
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        warmUp();
    }

    /**
     * One small transfer of each kind before any sampling: the loops load the TLS, HTTP and HTTP/2 classes from the
     * jars and target/classes then (a read the page cache may miss), which is not what the samplers look for.
     */
    private static void warmUp() throws Exception {
        Path p = TestFiles.patternFile("cwh-warm", 100_000);
        byte[] expected = Files.readAllBytes(p);
        List<Message> kinds = List.of(
                ctx -> new ChunkedNioFile(p.toFile()),
                ctx -> new ChunkedFile(p.toFile()),
                ctx -> {
                    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, expected.length);
                    ctx.write(response);
                    return new HttpChunkedInput(new ChunkedNioFile(p.toFile()));
                },
                ctx -> new Http2DataChunkedInput(new ChunkedNioFile(p.toFile()), new Http2FrameStream() {
                    @Override
                    public int id() {
                        return 1;
                    }

                    @Override
                    public Http2Stream.State state() {
                        return Http2Stream.State.OPEN;
                    }
                }));
        for (int i = 0; i < kinds.size(); i++) {
            Sent sent = new Sent();
            ChannelHandler[] extra = i == 2 ? new ChannelHandler[] {new HttpServerCodec()}
                    : i == 3 ? new ChannelHandler[] {new DataFrameBytes()} : new ChannelHandler[0];
            Channel server = serve(true, sent, kinds.get(i), extra);
            try {
                assertTrue(receive(server, true).length >= expected.length, "warm-up " + i);
            } finally {
                server.close().sync();
            }
            assertNull(sent.outcome(), "warm-up " + i);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        certificate.delete();
    }

    /** What the server did with one connection's write. */
    private static final class Sent {
        final CompletableFuture<AioChunkedWriteHandler> writer = new CompletableFuture<>();
        final CompletableFuture<Throwable> written = new CompletableFuture<>();
        final AtomicInteger completions = new AtomicInteger();
        final List<long[]> progress = new CopyOnWriteArrayList<>();

        /** Waits for the write's outcome (null: success) and for the handler to have closed what it opened. */
        Throwable outcome() throws Exception {
            Throwable cause = written.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
            awaitFilesClosed(writer.get());
            return cause;
        }
    }

    /** Makes the message to write; runs on the channel's loop. */
    private interface Message {
        Object create(ChannelHandlerContext ctx) throws Exception;
    }

    private static ChannelProgressivePromise writeAndClose(ChannelHandlerContext ctx, Object msg, Sent sent) {
        ChannelProgressivePromise promise = ctx.newProgressivePromise();
        promise.addListener(new ChannelProgressiveFutureListener() {
            @Override
            public void operationProgressed(ChannelProgressiveFuture f, long progress, long total) {
                sent.progress.add(new long[] {progress, total});
            }

            @Override
            public void operationComplete(ChannelProgressiveFuture f) {
                sent.completions.incrementAndGet();
                sent.written.complete(f.cause());
                ctx.close();
            }
        });
        ctx.writeAndFlush(msg, promise);
        return promise;
    }

    /**
     * A server that writes {@code message} to each connection once TLS is up (with {@code tls}) or at once, through
     * {@code extra} handlers (between TLS and the writer) and an AioChunkedWriteHandler, then closes.
     */
    private static Channel serve(boolean tls, Sent sent, Message message, ChannelHandler... extra) throws Exception {
        return new ServerBootstrap().group(group).channel(AioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls) {
                            ch.pipeline().addLast(serverTls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(extra);
                        AioChunkedWriteHandler writer = new AioChunkedWriteHandler();
                        sent.writer.complete(writer);
                        ch.pipeline().addLast(writer, new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) throws Exception {
                                writeAndClose(ctx, message.create(ctx), sent);
                            }
                        });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    private static InputStream connect(Channel server, boolean tls) throws IOException {
        InetSocketAddress address = (InetSocketAddress) server.localAddress();
        java.net.Socket s = tls ? clientTls.getSocketFactory().createSocket() : new java.net.Socket();
        s.connect(address, 10_000);
        s.setSoTimeout(60_000);
        if (tls) {
            ((SSLSocket) s).startHandshake();
        }
        return s.getInputStream();
    }

    /** Reads everything the server sends until it closes; the socket is closed with the stream. */
    private static byte[] receive(Channel server, boolean tls) throws IOException {
        try (InputStream in = connect(server, tls)) {
            return in.readAllBytes();
        }
    }

    private static Path coldFile(String prefix, int size) throws Exception {
        Path p = TestFiles.patternFile(prefix, size);
        TestFiles.evict(p, 0, 0);
        return p;
    }

    /** Waits until every descriptor the handler opened is closed: the kernel has answered all of its reads. */
    static void awaitFilesClosed(AioChunkedWriteHandler writer) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (writer.stats().openFiles() != 0) {
            assertTrue(System.nanoTime() - deadline < 0, "files still open: " + writer.stats());
            Thread.sleep(1);
        }
    }

    private static List<FsSleepSampler> sampleLoops() throws Exception {
        List<FsSleepSampler> samplers = new ArrayList<>();
        for (EventExecutor loop : group) {
            samplers.add(FsSleepSampler.start(loop));
        }
        return samplers;
    }

    private static void assertLoopsNeverSleptInTheFilesystem(List<FsSleepSampler> samplers) throws Exception {
        for (FsSleepSampler s : samplers) {
            s.close();
        }
        for (FsSleepSampler s : samplers) {
            assertTrue(s.samples() > 0, "the sampler ran");
            assertTrue(s.sleptOn().isEmpty(), "the loop slept in the filesystem, in " + s.sleptOn());
        }
    }

    private static byte[] slice(Path p, long offset, long length) throws IOException {
        return Arrays.copyOfRange(Files.readAllBytes(p), (int) offset, (int) (offset + length));
    }

    /** The write succeeded once, its progress ended at its length, and every read went through AIO. */
    private static void assertServedWithAio(Sent sent, long length, long aioBytes) throws Exception {
        assertNull(sent.outcome(), "write succeeded");
        assertEquals(1, sent.completions.get(), "the promise completed once");
        long[] last = sent.progress.get(sent.progress.size() - 1);
        assertEquals(length, last[0], "final progress");
        assertEquals(length, last[1], "total");
        for (int i = 1; i < sent.progress.size(); i++) {
            assertTrue(sent.progress.get(i)[0] >= sent.progress.get(i - 1)[0], "progress never goes back");
        }
        AioChunkedWriteStats stats = sent.writer.get().stats();
        assertEquals(1, stats.aioInputs(), stats.toString());
        assertEquals(0, stats.fallbacks(), stats.toString());
        assertEquals(aioBytes, stats.aioBytes(), stats.toString());
        assertTrue(stats.directReads() > 0, "the cold file was read with O_DIRECT: " + stats);
        assertEquals(0, stats.blockingReads(), stats.toString());
        assertEquals(0, stats.failedReads(), stats.toString());
        assertEquals(0, stats.openFiles(), stats.toString());
    }

    @Test
    void chunkedNioFileUnderTlsIsReadWithAioAndTheLoopNeverWaitsForTheDisk() throws Exception {
        int size = (8 << 20) + 123;
        Path p = coldFile("cwh-nio", size);
        Sent sent = new Sent();
        List<FileChannel> opened = new CopyOnWriteArrayList<>();
        List<FsSleepSampler> samplers = sampleLoops();
        Channel server = serve(true, sent, ctx -> {
            FileChannel fc = FileChannel.open(p, StandardOpenOption.READ);
            opened.add(fc);
            return new ChunkedNioFile(fc, 8192);
        });
        byte[] got;
        try {
            got = receive(server, true);
        } finally {
            server.close().sync();
        }
        assertLoopsNeverSleptInTheFilesystem(samplers);
        assertArrayEquals(Files.readAllBytes(p), got);
        assertServedWithAio(sent, size, size);
        assertFalse(opened.get(0).isOpen(), "Netty's input was closed, closing its file");
    }

    @Test
    void aFrameworksSubclassWithItsOwnCloseIsServedAndClosedTheFileLeftToItsOwner() throws Exception {
        int size = 5 << 20;
        long offset = 12_345;
        long length = size - offset - 999;
        Path p = coldFile("cwh-vertx", size);
        Sent sent = new Sent();
        AtomicInteger closes = new AtomicInteger();
        FileChannel fc = FileChannel.open(p, StandardOpenOption.READ);
        try {
            List<FsSleepSampler> samplers = sampleLoops();
            // As Vert.x writes files under TLS: its close() leaves the channel, which the caller owns, open.
            Channel server = serve(true, sent, ctx -> new ChunkedNioFile(fc, offset, length, 8192) {
                @Override
                public void close() {
                    closes.incrementAndGet();
                }
            });
            byte[] got;
            try {
                got = receive(server, true);
            } finally {
                server.close().sync();
            }
            assertLoopsNeverSleptInTheFilesystem(samplers);
            assertArrayEquals(slice(p, offset, length), got);
            assertServedWithAio(sent, length, length);
            assertEquals(1, closes.get(), "the input's own close() was called once");
            assertTrue(fc.isOpen(), "the caller's channel is the caller's");
        } finally {
            fc.close();
        }
    }

    @Test
    void chunkedFileAlreadyPartlyReadGoesOnFromItsCurrentOffsetWithItsProgress() throws Exception {
        int size = (6 << 20) + 77;
        long offset = 4096 + 5;
        long length = size - offset - 1234;
        int readBefore = 1024;
        Path p = coldFile("cwh-raf", size);
        // The chunk the application reads the blocking way, on the loop, is brought into the page cache here, on
        // the test's thread: that read is the application's, not the handler's, and would otherwise be what the
        // samplers find (a fresh-clone run did: folio_wait_bit_common under ChunkedFile.readChunk).
        try (FileChannel ch = FileChannel.open(p)) {
            ByteBuffer warm = ByteBuffer.allocate(readBefore);
            while (warm.hasRemaining() && ch.read(warm, offset + warm.position()) > 0) {
                // reads until the chunk is in
            }
        }
        Sent sent = new Sent();
        List<FsSleepSampler> samplers = sampleLoops();
        Channel server = serve(true, sent, ctx -> {
            ChunkedFile in = new ChunkedFile(new RandomAccessFile(p.toFile(), "r"), offset, length, 1024);
            // One chunk the blocking way, as an application might have: the rest must follow it exactly.
            ByteBuf first = in.readChunk(ctx.alloc());
            ctx.write(first);
            return in;
        });
        byte[] got;
        try {
            got = receive(server, true);
        } finally {
            server.close().sync();
        }
        assertLoopsNeverSleptInTheFilesystem(samplers);
        assertArrayEquals(slice(p, offset, length), got);
        // Progress counts the input's whole range, the chunk read before the write included, as Netty's does.
        assertServedWithAio(sent, length, length - readBefore);
    }

    @Test
    void httpChunkedInputOfAChunkedNioFileUnderTlsIsServedWithAio() throws Exception {
        int size = (4 << 20) + 3;
        Path p = coldFile("cwh-http", size);
        Sent sent = new Sent();
        List<FsSleepSampler> samplers = sampleLoops();
        Channel server = new ServerBootstrap().group(group).channel(AioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        AioChunkedWriteHandler writer = new AioChunkedWriteHandler();
                        sent.writer.complete(writer);
                        ch.pipeline().addLast(serverTls.newHandler(ch.alloc()), new HttpServerCodec(), writer,
                                new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                                        boolean request = msg instanceof HttpRequest;
                                        ReferenceCountUtil.release(msg);
                                        if (!request) {
                                            return;
                                        }
                                        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                                                HttpResponseStatus.OK);
                                        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, size);
                                        ctx.write(response);
                                        writeAndClose(ctx, new HttpChunkedInput(new ChunkedNioFile(p.toFile())),
                                                sent);
                                    }
                                });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        byte[] got;
        try {
            got = httpGet(server);
        } finally {
            server.close().sync();
        }
        assertLoopsNeverSleptInTheFilesystem(samplers);
        String text = new String(got, StandardCharsets.ISO_8859_1);
        int bodyStart = text.indexOf("\r\n\r\n") + 4;
        assertTrue(text.startsWith("HTTP/1.1 200 OK"), text.substring(0, Math.min(200, text.length())));
        assertArrayEquals(Files.readAllBytes(p), Arrays.copyOfRange(got, bodyStart, got.length));
        assertServedWithAio(sent, size, size);
    }

    private static byte[] httpGet(Channel server) throws IOException {
        InetSocketAddress address = (InetSocketAddress) server.localAddress();
        try (SSLSocket s = (SSLSocket) clientTls.getSocketFactory().createSocket()) {
            s.connect(address, 10_000);
            s.setSoTimeout(60_000);
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return s.getInputStream().readAllBytes();
        }
    }

    /** Http2DataFrames out as their bytes, the last one checked to end the stream: enough of HTTP/2 here. */
    private static final class DataFrameBytes extends MessageToMessageEncoder<Http2DataFrame> {
        final CompletableFuture<Boolean> endStream = new CompletableFuture<>();

        DataFrameBytes() {
            super(Http2DataFrame.class);
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, Http2DataFrame frame, List<Object> out) {
            if (frame.isEndStream()) {
                endStream.complete(true);
            }
            out.add(frame.content().retain());
        }
    }

    @Test
    void http2DataChunkedInputOfAChunkedFileIsServedWithAio() throws Exception {
        int size = (3 << 20) + 11;
        Path p = coldFile("cwh-h2", size);
        Sent sent = new Sent();
        Http2FrameStream stream = new Http2FrameStream() {
            @Override
            public int id() {
                return 3;
            }

            @Override
            public Http2Stream.State state() {
                return Http2Stream.State.OPEN;
            }
        };
        DataFrameBytes frames = new DataFrameBytes();
        List<FsSleepSampler> samplers = sampleLoops();
        Channel server = serve(true, sent, ctx -> new Http2DataChunkedInput(new ChunkedFile(p.toFile()), stream),
                frames);
        byte[] got;
        try {
            got = receive(server, true);
        } finally {
            server.close().sync();
        }
        assertLoopsNeverSleptInTheFilesystem(samplers);
        assertArrayEquals(Files.readAllBytes(p), got);
        assertTrue(frames.endStream.getNow(false), "the last frame ended the stream");
        assertServedWithAio(sent, size, size);
    }

    @Test
    void onAnotherTransportItIsChunkedWriteHandler() throws Exception {
        int size = 100_000;
        Path p = TestFiles.patternFile("cwh-embedded", size);
        AioChunkedWriteHandler writer = new AioChunkedWriteHandler();
        EmbeddedChannel ch = new EmbeddedChannel(writer);
        FileChannel fc = FileChannel.open(p, StandardOpenOption.READ);
        assertTrue(ch.writeOutbound(new ChunkedNioFile(fc, 8192)));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int chunks = 0;
        for (ByteBuf b; (b = ch.readOutbound()) != null; chunks++) {
            try {
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                got.write(bytes);
            } finally {
                b.release();
            }
        }
        assertFalse(ch.finish());
        assertArrayEquals(Files.readAllBytes(p), got.toByteArray());
        assertEquals((size + 8191) / 8192, chunks, "Netty's own chunks, of the input's chunk size");
        assertFalse(fc.isOpen());
        assertEquals(new AioChunkedWriteStats(0, 0, 0, 0, 0, 0, 0, 0, 0), writer.stats());
    }

    @Test
    void aSubclassThatReadsItsOwnWayIsWrittenAsChunkedWriteHandlerWould() throws Exception {
        int size = 300_000;
        Path p = TestFiles.patternFile("cwh-own-way", size);
        Sent sent = new Sent();
        AtomicInteger ownReads = new AtomicInteger();
        Channel server = serve(false, sent, ctx -> new ChunkedNioFile(p.toFile(), 65536) {
            @Override
            public ByteBuf readChunk(ByteBufAllocator allocator) throws Exception {
                ownReads.incrementAndGet();
                return super.readChunk(allocator);
            }
        });
        byte[] got;
        try {
            got = receive(server, false);
        } finally {
            server.close().sync();
        }
        assertArrayEquals(Files.readAllBytes(p), got);
        assertNull(sent.outcome());
        assertTrue(ownReads.get() >= size / 65536, "its own readChunk served it");
        AioChunkedWriteStats stats = sent.writer.get().stats();
        assertEquals(0, stats.aioInputs(), stats.toString());
        assertEquals(1, stats.fallbacks(), stats.toString());
    }

    @Test
    void aFileShorterThanTheInputsRangeFailsTheWriteNamingTheFileAndWhereItEnded() throws Exception {
        int size = 200_000;
        Path p = TestFiles.patternFile("cwh-short", size);
        Sent sent = new Sent();
        Channel server = serve(true, sent, ctx ->
                new ChunkedNioFile(FileChannel.open(p, StandardOpenOption.READ), 0, size + 5000, 8192));
        byte[] got;
        try {
            got = receive(server, true);
        } finally {
            server.close().sync();
        }
        assertTrue(got.length <= size, "no byte past the end of the file");
        assertArrayEquals(slice(p, 0, got.length), got);
        Throwable failure = sent.outcome();
        assertInstanceOf(EOFException.class, failure);
        assertTrue(failure.getMessage().contains(p.getFileName().toString()), failure.getMessage());
        assertTrue(failure.getMessage().contains("ended at " + size), failure.getMessage());
        assertEquals(1, sent.completions.get(), "the promise completed once");
        // The loop and the handler's class still serve.
        Sent again = new Sent();
        Channel next = serve(true, again, ctx -> new ChunkedNioFile(p.toFile()));
        try {
            assertArrayEquals(Files.readAllBytes(p), receive(next, true));
        } finally {
            next.close().sync();
        }
        assertNull(again.outcome());
    }

    @Test
    void closingTheChannelMidTransferReleasesEverythingAndCompletesThePromiseOnce() throws Exception {
        int size = 24 << 20;
        Path p = TestFiles.patternFile("cwh-abort", size);
        for (int round = 0; round < 8; round++) {
            TestFiles.evict(p, 0, 0);
            Sent sent = new Sent();
            List<FileChannel> opened = new CopyOnWriteArrayList<>();
            Channel server = serve(true, sent, ctx -> {
                FileChannel fc = FileChannel.open(p, StandardOpenOption.READ);
                opened.add(fc);
                HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, size);
                ctx.write(response);
                return new HttpChunkedInput(new ChunkedNioFile(fc, 0, size, 8192));
            }, new HttpServerCodec());
            InetSocketAddress address = (InetSocketAddress) server.localAddress();
            try (SSLSocket s = (SSLSocket) clientTls.getSocketFactory().createSocket()) {
                s.connect(address, 10_000);
                s.setSoTimeout(60_000);
                int want = 1 + 300_000 * round;
                assertEquals(want, s.getInputStream().readNBytes(want).length);
                if (round % 2 == 0) {
                    s.setSoLinger(true, 0); // a reset rather than a FIN
                }
            } finally {
                server.close().sync();
            }
            Throwable failure = sent.outcome();
            assertNotNull(failure, "round " + round + ": a write into a closed connection fails");
            assertEquals(1, sent.completions.get(), "round " + round + ": the promise completed once");
            AioChunkedWriteStats stats = sent.writer.get().stats();
            assertEquals(1, stats.aioInputs(), stats.toString());
            assertEquals(0, stats.openFiles(), stats.toString());
            assertTrue(stats.aioBytes() < size, stats.toString());
            assertFalse(opened.get(0).isOpen(), "Netty's input was closed");
        }
        List<String> leaks = LeakFailingExtension.collectLeaks();
        assertTrue(leaks.isEmpty(), String.join("\n", leaks));
    }
}
