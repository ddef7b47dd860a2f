/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelConfig;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.List;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * The static file server (HTTP/1.1, and HTTP/2 over TLS by ALPN or in cleartext with prior knowledge): binds,
 * serves, and shuts down gracefully — {@link #shutdown()} stops accepting
 * (the listening socket is closed, so new connections are refused), lets every response in progress finish, closes
 * idle connections, then stops the event loops. Thread-safe.
 */
final class FileServer {
    /** Longest request line accepted: longer is a 414. */
    static final int MAX_REQUEST_LINE = 8192;
    /** Largest request head accepted: larger is a 431. */
    static final int MAX_HEADER_SIZE = 16384;

    /**
     * What the codec refuses, set here rather than left to Netty's defaults and system properties: a bare LF
     * (strict line parsing; {@link ObsFoldGuard} also relies on it), several Content-Length values, and
     * Transfer-Encoding on HTTP/1.0, or with Content-Length, or not ending in chunked (RFC 9112). Each comes to
     * {@link HttpFileHandler} as a failed decoder result: 400, then close.
     */
    static final HttpDecoderConfig DECODER = new HttpDecoderConfig()
            .setMaxInitialLineLength(MAX_REQUEST_LINE)
            .setMaxHeaderSize(MAX_HEADER_SIZE)
            .setStrictLineParsing(true)
            .setAllowDuplicateContentLengths(false)
            .setUseRfc9112TransferEncoding(true);

    private static final int ACCEPT_PAUSE_SECONDS = 1;
    private static final int ACCEPT_REPORT_SECONDS = 10;

    private static final byte[] TOO_MANY_CONNECTIONS = ("HTTP/1.1 503 Service Unavailable\r\n"
            + "Content-Length: 0\r\nConnection: close\r\nRetry-After: 1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final FileServerConfig config;
    private final RootDirectory root;
    private final PathResolver resolver;
    private final FileBodySource bodies;
    private final FileBodySource bufferedBodies;
    private final OpenFileCache openFileCache;
    private final LookupPool lookups;
    private final AccessLog accessLog;
    private final EventLoopGroup group;
    private final ChannelGroup connections = new DefaultChannelGroup("connections", GlobalEventExecutor.INSTANCE);
    private final Channel serverChannel;
    private final AtomicInteger openConnections = new AtomicInteger();
    private final LongAdder refusedConnections = new LongAdder();
    private final LongAdder slowReadersCut = new LongAdder();
    private final LongAccumulator mostWaitingRequests = new LongAccumulator(Math::max, 0);
    private final ProtocolErrors protocolErrors = new ProtocolErrors();
    private final Http2Stats http2Stats = new Http2Stats();
    /** HTTP/2 streams answered at once per connection: what --http2-response-memory holds. */
    private final int http2MaxResponses;
    private volatile boolean draining;

    private FileServer(FileServerConfig config) throws InterruptedException, IOException {
        this.config = config;
        // The JDK reads the time-zone database from a file the first time anything asks for a zone (the Date
        // header, a log line's time stamp). Done first on a loop with every descriptor in use (EMFILE), that
        // fails with an Error which ends the loop: read it now, while descriptors are there.
        ZoneId.systemDefault();
        TimeZone.getTimeZone("GMT");
        openFileCache = config.openFileCache() > 0
                ? new OpenFileCache(config.openFileCache(), config.openFileCacheValid().toNanos(),
                        config.openFileCacheContent() / loops(config)) : null;
        root = new RootDirectory(config.root(), config.followSymlinks(), config.lookup(), openFileCache);
        resolver = new PathResolver(root, config.allowDotfiles());
        lookups = new LookupPool(config.lookupThreads(), config.lookupQueue());
        bodies = config.transport().fileBodies(config);
        bufferedBodies = config.transport().bufferedFileBodies(config);
        http2MaxResponses = maxResponses(config.http2ResponseMemory(), bufferedBodies.bufferBytesPerResponse(),
                config.http2MaxStreams());
        accessLog = config.accessLog() ? new AccessLog(System.out) : null;
        group = new MultiThreadIoEventLoopGroup(config.threads(),
                new DefaultThreadFactory("aio-file-server-" + config.transport().cliName()),
                config.transport().newIoHandlerFactory());
        try {
            ServerBootstrap b = new ServerBootstrap()
                    .group(group)
                    .channel(config.transport().serverChannelClass())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .handler(new AcceptFailures())
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            connections.add(ch);
                            ChannelPipeline p = ch.pipeline();
                            int open = openConnections.incrementAndGet();
                            ch.closeFuture().addListener(f -> openConnections.decrementAndGet());
                            if (open > config.maxConnections()) {
                                refusedConnections.increment();
                                p.addLast("refuse", new ConnectionRefusal());
                                return;
                            }
                            if (config.minSendRate() > 0) {
                                p.addLast("send-rate", new SendRateGuard(config.minSendRate(),
                                        (int) config.sendRateWindow().toSeconds(), slowReadersCut::increment));
                            }
                            long idle = config.idleTimeout().toNanos();
                            // Writer idle with output observed: only a response that stops progressing counts.
                            p.addLast("idle", new IdleStateHandler(true, 0, idle, 0, TimeUnit.NANOSECONDS));
                            if (config.tls() != null) {
                                SslHandler tls = config.tls().context().newHandler(ch.alloc());
                                tls.setHandshakeTimeoutMillis(config.idleTimeout().toMillis());
                                p.addLast("tls", tls);
                                p.addLast("alpn", new ProtocolSelection.Alpn(FileServer.this::configure));
                            } else {
                                p.addLast("h2c-prior-knowledge",
                                        new ProtocolSelection.PriorKnowledge(FileServer.this::configure));
                            }
                        }
                    });
            serverChannel = b.bind(config.bind(), config.port()).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            lookups.shutdown(0);
            root.close();
            if (accessLog != null) {
                accessLog.close();
            }
            throw e;
        }
    }

    /**
     * Completes a connection's pipeline once its protocol is known (after the TLS handshake's ALPN, or the first
     * bytes of a cleartext connection), after the handler at {@code ctx}.
     */
    private void configure(ChannelHandlerContext ctx, boolean http2) {
        ChannelPipeline p = ctx.pipeline();
        String after = ctx.name();
        if (!http2) {
            ObsFoldGuard folds = new ObsFoldGuard();
            HttpFileHandler files = new HttpFileHandler(this, folds, config.tls() != null ? bufferedBodies : bodies,
                    null);
            p.addAfter(after, "obs-fold", folds);
            p.addAfter("obs-fold", "http", new OneRequestPerDecode(files::hasRoomForRequest));
            // Chunked inputs: AIO file bodies, buffered bodies under TLS, and directory listings.
            p.addAfter("http", "chunked-writer", new ChunkedWriteHandler());
            p.addAfter("chunked-writer", "files", files);
            return;
        }
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(config.http2MaxStreams())
                        .maxHeaderListSize(MAX_HEADER_SIZE))
                .gracefulShutdownTimeoutMillis(config.shutdownTimeout().toMillis())
                // Stream errors a client provokes (MadeYouReset, CVE-2025-55163) are answered with RST_STREAM
                // carrying their own code, which this limiter counts; beyond it the connection ends with GOAWAY
                // ENHANCE_YOUR_CALM. Netty's default values, stated here because the server depends on them.
                .encoderEnforceMaxRstFramesPerWindow(Http2Guard.MAX_RESETS_PER_WINDOW,
                        Http2Guard.RESET_WINDOW_SECONDS)
                .build();
        Http2Guard guard = new Http2Guard(codec, config.idleTimeout(), protocolErrors, http2MaxResponses,
                http2Stats);
        // The connection's writer-idle timeout would count PING and SETTINGS acknowledgements as progress: on
        // HTTP/2, each stream has its own deadline and the guard closes a connection left without streams.
        if (p.get("idle") != null) {
            p.remove("idle");
        }
        SendRateGuard sendRate = p.get(SendRateGuard.class);
        if (sendRate != null) {
            sendRate.alsoWaitingWhile(guard::waitsOnFlowControl);
        }
        // Stream responses complete one by one (on aio, as each stream's first read completes): without this,
        // each would flush alone, a TLS record and a write per stream. Flushes outside a read are held until the
        // loop has run what is ready (a task queued behind it), so responses completing together leave together.
        p.addAfter(after, "h2-flushes", new FlushConsolidationHandler(
                FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        p.addAfter("h2-flushes", "h2", codec);
        p.addAfter("h2", "h2-streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                ChannelPipeline sp = stream.pipeline();
                guard.streamOpened(stream);
                // A response whose stream lets no whole chunk through for the idle timeout is reset
                // (HttpFileHandler closes the stream): write completions are bytes the client let us send.
                sp.addLast("deadline", new IdleStateHandler(false, 0, config.idleTimeout().toNanos(), 0,
                        TimeUnit.NANOSECONDS));
                sp.addLast("stream-errors", guard.streamErrors());
                sp.addLast("http", new Http2StreamFrameToHttpObjectCodec(true));
                sp.addLast("h2-bodies", new ProtocolSelection.Http2Bodies());
                sp.addLast("chunked-writer", new ChunkedWriteHandler());
                sp.addLast("files", new HttpFileHandler(FileServer.this, null, bufferedBodies, guard));
            }
        }));
        p.addAfter("h2-streams", "h2-connection", guard);
    }

    /** Starts a server; returns once it listens. */
    static FileServer start(FileServerConfig config) throws InterruptedException, IOException {
        return new FileServer(config);
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    FileServerConfig config() {
        return config;
    }

    PathResolver resolver() {
        return resolver;
    }

    FileBodySource bodies() {
        return bodies;
    }

    /** Where lookups the event loops cannot answer from memory are made, and the counts of both kinds. */
    LookupPool lookups() {
        return lookups;
    }

    /** The open-file cache, or {@code null} when off. */
    OpenFileCache openFileCache() {
        return openFileCache;
    }

    /** Where bodies come from when they pass through buffers: under TLS, and on HTTP/2. */
    FileBodySource bufferedBodies() {
        return bufferedBodies;
    }

    /** The access log, or {@code null} when off. */
    AccessLog accessLog() {
        return accessLog;
    }

    boolean isDraining() {
        return draining;
    }

    /** Connections closed at once because {@code maxConnections} were open. */
    long refusedConnections() {
        return refusedConnections.sum();
    }

    /** Connections cut for reading slower than the minimum send rate. */
    long slowReadersCut() {
        return slowReadersCut.sum();
    }

    /** Called with the number of decoded requests waiting on a connection each time one is added. */
    void waitingRequests(int waiting) {
        mostWaitingRequests.accumulate(waiting);
    }

    /** The most decoded requests that waited on one connection at once. */
    long mostWaitingRequests() {
        return mostWaitingRequests.get();
    }

    /** The event loops the server runs: --threads, or Netty's default of twice the processors. */
    private static int loops(FileServerConfig config) {
        return config.threads() > 0 ? config.threads() : 2 * io.netty.util.NettyRuntime.availableProcessors();
    }

    /**
     * How many responses fit in {@code memory} at {@code perResponse} bytes each: at least one (a connection always
     * makes progress), at most the streams a client may open.
     */
    static int maxResponses(long memory, long perResponse, int maxStreams) {
        long n = perResponse <= 0 ? maxStreams : memory / perResponse;
        return (int) Math.max(1, Math.min(n, maxStreams));
    }

    /** HTTP/2 streams answered at once on one connection at most (from --http2-response-memory). */
    int http2MaxResponses() {
        return http2MaxResponses;
    }

    Http2Stats http2Stats() {
        return http2Stats;
    }

    /** What the HTTP/2 connections' admissions did, over the server's life. Thread-safe. */
    static final class Http2Stats {
        private final LongAdder waited = new LongAdder();
        private final LongAccumulator mostResponding = new LongAccumulator(Math::max, 0);

        void waited() {
            waited.increment();
        }

        void responding(int n) {
            mostResponding.accumulate(n);
        }

        /** Streams that waited for their turn. */
        long waitedCount() {
            return waited.sum();
        }

        /** The most streams answered at once on one connection. */
        long mostResponding() {
            return mostResponding.get();
        }
    }

    /** HTTP/2 protocol errors of clients so far (connection and stream errors). */
    long protocolErrors() {
        return protocolErrors.total();
    }

    /** Connections open right now. */
    int connectionCount() {
        return connections.size();
    }

    /** Blocks until the server has been shut down. */
    void awaitTermination() throws InterruptedException {
        group.terminationFuture().sync();
    }

    /**
     * Stops accepting, waits up to the shutdown timeout for responses in progress, then closes what is left and
     * stops the event loops. Blocks until done; idempotent.
     *
     * @return whether every response in progress finished in time
     */
    synchronized boolean shutdown() throws InterruptedException {
        if (draining) {
            group.terminationFuture().sync();
            return true;
        }
        draining = true;
        serverChannel.close().sync();
        ChannelGroupFuture closed = connections.newCloseFuture();
        for (Channel ch : connections) {
            ch.pipeline().fireUserEventTriggered(HttpFileHandler.DRAIN);
        }
        boolean finished = closed.await(config.shutdownTimeout().toMillis());
        if (!finished) {
            connections.close().await(5, TimeUnit.SECONDS);
        }
        if (openFileCache != null) {
            // Each loop's kept files are closed on that loop (an AioFile is bound to it).
            for (EventExecutor loop : group) {
                loop.submit(openFileCache::clear).await(5, TimeUnit.SECONDS);
            }
        }
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        // After the loops: a lookup still running closes its result itself, finding its loop gone. The root stays
        // open while one runs (the process is exiting): its number must not be reused under a lookup.
        if (lookups.shutdown(5)) {
            root.close();
        }
        if (accessLog != null) {
            accessLog.close();
        }
        return finished;
    }

    /**
     * What accept(2) refuses (EMFILE, ENFILE, ENOBUFS: the process or the machine out of descriptors or memory):
     * the connections wait in the backlog, accepting pauses for {@link #ACCEPT_PAUSE_SECONDS} (a retry at once
     * would spin on the loop), and one line on stderr says so, at most every {@link #ACCEPT_REPORT_SECONDS},
     * with the count, instead of a stack trace per attempt. One instance on the listening channel.
     */
    private final class AcceptFailures extends ChannelInboundHandlerAdapter {
        private long failures;
        private long lastReportNanos = System.nanoTime() - TimeUnit.SECONDS.toNanos(ACCEPT_REPORT_SECONDS);

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof IOException)) {
                ctx.fireExceptionCaught(cause);
                return;
            }
            failures++;
            long now = System.nanoTime();
            if (now - lastReportNanos >= TimeUnit.SECONDS.toNanos(ACCEPT_REPORT_SECONDS)) {
                lastReportNanos = now;
                System.err.println(FileServerCommand.NAME + ": accept failed: " + cause.getMessage()
                        + "; new connections wait in the backlog, accepting again in " + ACCEPT_PAUSE_SECONDS
                        + " s (" + failures + " failure(s) so far)");
            }
            ChannelConfig channelConfig = ctx.channel().config();
            if (channelConfig.isAutoRead()) {
                channelConfig.setAutoRead(false);
                ctx.executor().schedule(() -> channelConfig.setAutoRead(true), ACCEPT_PAUSE_SECONDS,
                        TimeUnit.SECONDS);
            }
        }
    }

    /**
     * HTTP/1.1's server codec as this server needs it: Netty's request decoder, decoding one request per call
     * instead of every request in the bytes at hand, so that pipelined requests stay bytes until
     * {@link HttpFileHandler} has room for them ({@link HttpFileHandler#MAX_WAITING_REQUESTS}); and Netty's
     * response encoder, told which responses answer a HEAD (their head describes a body that is not sent).
     * Netty's {@code HttpServerCodec} does the second but cannot be made to do the first. Responses leave in the
     * order of the requests, so the methods are a queue. One instance per channel.
     */
    private static final class OneRequestPerDecode
            extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder> {
        private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>();

        /**
         * @param room whether the handler after the codec can take one more request: when it cannot, nothing is
         *             decoded (the bytes stay in the decoder) until {@link HttpFileHandler} pulls again. The bound
         *             holds on decoded requests whatever the reads do: reads already in the channel's read loop
         *             when the handler turned auto-read off each brought one more decode before this check.
         */
        OneRequestPerDecode(BooleanSupplier room) {
            HttpRequestDecoder decoder = new HttpRequestDecoder(DECODER) {
                @Override
                protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
                    if (!room.getAsBoolean()) {
                        return;
                    }
                    int before = out.size();
                    super.decode(ctx, buffer, out);
                    for (int i = before; i < out.size(); i++) {
                        if (out.get(i) instanceof HttpRequest request) {
                            methods.add(request.method());
                        }
                    }
                }
            };
            decoder.setSingleDecode(true);
            init(decoder, new HttpResponseEncoder() {
                @Override
                protected boolean isContentAlwaysEmpty(HttpResponse response) {
                    return HttpMethod.HEAD.equals(methods.poll()) || super.isContentAlwaysEmpty(response);
                }
            });
        }
    }

    /** A connection beyond the limit: a 503 written as raw bytes (no codec needed), then closed. */
    private final class ConnectionRefusal extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            long start = System.nanoTime();
            ctx.writeAndFlush(Unpooled.wrappedBuffer(TOO_MANY_CONNECTIONS)).addListener(ChannelFutureListener.CLOSE);
            if (accessLog != null) {
                accessLog.log(ctx.channel().remoteAddress(), "-", "-", "-", 503, 0, start);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
