/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.FileRegion;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Serves GET and HEAD on one HTTP/1.1 connection, or on one HTTP/2 stream (a child channel of Netty's HTTP/2
 * codec, which hands over the same HTTP objects: one request, then the stream's channel closes): files (whole, one range, several ranges as multipart/byteranges),
 * conditional requests, directory listings and errors. Requests are answered strictly one at a time in arrival
 * order (pipelined ones wait, and reading stops when too many wait), so at most one file is open per connection.
 * A request's lookups ({@link RequestLookup}) are answered on the loop from the dentry cache; when they cannot be,
 * they run on the server's {@link LookupPool} and the request stays the one in progress until their result is
 * back on this loop, so no response overtakes another (a full pool is a 503).
 * A request whose framing could be read two ways (a malformed or folded head, a GET or HEAD with a body) is
 * answered 400 and its connection closed, so nothing after it is ever taken for a request.
 *
 * <p>Timeouts: a request head must arrive within the idle timeout of the connection becoming ready for it (covers
 * idle keep-alive connections and clients that trickle headers); a response that makes no write progress for the
 * idle timeout is abandoned (an {@code IdleStateHandler} observing output fires the event). On shutdown the server
 * sends {@link #DRAIN}: an idle connection closes at once, a busy one after its current response.
 *
 * <p>One instance per channel; every method runs on the channel's event loop.
 */
final class HttpFileHandler extends ChannelInboundHandlerAdapter {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(HttpFileHandler.class);

    /** User event: finish the response in progress, then close. */
    static final Object DRAIN = new Object() {
        @Override
        public String toString() {
            return "DRAIN";
        }
    };

    /**
     * Pipelined requests decoded and waiting at most. The codec decodes one request per read (single decode, see
     * {@link FileServer}), so what a client pipelines beyond this stays undecoded bytes: reading stops at this
     * many, and {@link #pullRequests} has the codec decode the next as each is served.
     */
    static final int MAX_WAITING_REQUESTS = 16;

    private final FileServer server;
    /** {@code null} on an HTTP/2 stream, whose heads the HTTP/2 codec has parsed. */
    private final ObsFoldGuard folds;
    private final FileBodySource bodies;
    /** Whether this channel is one HTTP/2 stream: one request, then the channel closes. */
    private final boolean stream;
    /** On an HTTP/2 stream, the connection's guard, which says when the stream's turn has come. */
    private final Http2Guard http2;
    private boolean started;
    /** Whether the socket is corked for the response in progress (uncorked when it has been written). */
    private boolean corked;
    private final ArrayDeque<HttpRequest> waiting = new ArrayDeque<>();
    /** Requests the codec has handed over on this connection, numbered as {@link ObsFoldGuard} numbers heads. */
    private long requests;
    private boolean responding;
    /** Whether the response in progress has sent its head: past that point an error can only close. */
    private boolean headWritten;
    private boolean draining;
    private ScheduledFuture<?> headDeadline;
    /** Whether a {@link #pullRequests} task is queued. */
    private boolean pullQueued;

    /**
     * @param folds  the connection's obs-fold detector, {@code null} on an HTTP/2 stream
     * @param bodies where file bodies come from on this channel
     * @param http2  on an HTTP/2 stream (one request; the connection's idle timeout and shutdown are handled on
     *               the connection), the connection's guard, which admits the stream's response; else {@code null}
     */
    HttpFileHandler(FileServer server, ObsFoldGuard folds, FileBodySource bodies, Http2Guard http2) {
        this.server = server;
        this.folds = folds;
        this.bodies = bodies;
        this.stream = http2 != null;
        this.http2 = http2;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Added once the protocol is known (after the TLS handshake, or the first bytes): the channel is
        // active already and channelActive will not come.
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        if (server.isDraining() && !stream) {
            ctx.close();
            return;
        }
        if (!stream) {
            armHeadDeadline(ctx);
        }
    }

    /** Whether one more decoded request may wait: what the HTTP/1.1 codec asks before it decodes one. */
    boolean hasRoomForRequest() {
        return waiting.size() < MAX_WAITING_REQUESTS;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelHeadDeadline();
        waiting.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest) {
                cancelHeadDeadline();
                HttpRequest request = (HttpRequest) msg;
                if (folds != null && folds.folded(++requests) && request.decoderResult().isSuccess()) {
                    // Refused as the codec refuses a malformed head: 400, then close.
                    request.setDecoderResult(DecoderResult.failure(
                            new IllegalArgumentException("obs-fold (a header line starting with SP or HTAB)")));
                }
                if (folds != null && request.decoderResult().isSuccess()) {
                    refuseBadHost(request);
                }
                waiting.add(request);
                server.waitingRequests(waiting.size());
                if (waiting.size() >= MAX_WAITING_REQUESTS) {
                    ctx.channel().config().setAutoRead(false);
                }
                if (stream) {
                    // One request per stream; answered when the connection has room for one more response.
                    http2.admit(ctx.channel(), () -> serveWaiting(ctx));
                } else if (!responding) {
                    serveWaiting(ctx);
                }
            }
            // Request bodies (HttpContent) are dropped: a request with one is refused and its connection closed
            // (see refusal), so nothing after it is read as a request.
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /**
     * RFC 9112 3.2: an HTTP/1.1 request without Host, or any request with several, is a 400 (refused as a
     * malformed head is, then the connection closed). HTTP/1.0 may leave it out.
     */
    private static void refuseBadHost(HttpRequest request) {
        int hosts = request.headers().getAll(HttpHeaderNames.HOST).size();
        if (hosts > 1 || hosts == 0 && HttpVersion.HTTP_1_1.equals(request.protocolVersion())) {
            request.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(
                    hosts == 0 ? "no Host field" : hosts + " Host fields")));
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        queuePull(ctx);
        ctx.fireChannelReadComplete();
    }

    /**
     * Queues {@link #pullRequests} when fewer than {@link #MAX_WAITING_REQUESTS} wait: as a task, so that the
     * codec is never entered from inside one of its own calls (this handler is called from the codec).
     */
    private void queuePull(ChannelHandlerContext ctx) {
        if (folds == null || pullQueued || waiting.size() >= MAX_WAITING_REQUESTS) {
            return;
        }
        pullQueued = true;
        ctx.executor().execute(() -> {
            pullQueued = false;
            pullRequests(ctx);
        });
    }

    /**
     * Has the codec decode what it already holds, one request at a time, until {@link #MAX_WAITING_REQUESTS}
     * wait or no whole request is left: an empty buffer passed into the codec from the handler before it
     * ({@link ObsFoldGuard}, which thus does not count it) runs its decode on the bytes it keeps.
     */
    private void pullRequests(ChannelHandlerContext ctx) {
        ChannelHandlerContext beforeCodec = ctx.pipeline().context(folds);
        while (beforeCodec != null && ctx.channel().isActive() && waiting.size() < MAX_WAITING_REQUESTS) {
            long decoded = requests;
            beforeCodec.fireChannelRead(Unpooled.EMPTY_BUFFER);
            if (requests == decoded) {
                return;
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == DRAIN) {
            draining = true;
            if (!responding) {
                ctx.close();
            }
        } else if (evt instanceof IdleStateEvent) {
            if (responding) {
                logger.debug("{}: response stalled for {}, closing", ctx.channel(), server.config().idleTimeout());
                ctx.close();
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)
                && !(cause instanceof DecoderException && cause.getCause() instanceof IOException)) {
            // Peers resetting connections are routine; anything else is worth a line.
            logger.warn("{}: closing after unexpected exception", ctx.channel(), cause);
        }
        ctx.close();
    }

    private void serveWaiting(ChannelHandlerContext ctx) {
        HttpRequest request = waiting.poll();
        queuePull(ctx);
        if (request == null) {
            ctx.channel().config().setAutoRead(true);
            if (draining) {
                ctx.close();
            } else {
                armHeadDeadline(ctx);
            }
            return;
        }
        responding = true;
        headWritten = false;
        try {
            respond(ctx, request);
        } catch (Exception e) {
            failed(ctx, request, e);
        }
    }

    /** A response that failed unexpectedly: a 500 while nothing was sent, else the connection closes. */
    private void failed(ChannelHandlerContext ctx, HttpRequest request, Throwable e) {
        logger.warn("{}: failed to answer {} {}", ctx.channel(), request.method(), request.uri(), e);
        if (headWritten || !ctx.channel().isActive()) {
            responding = false;
            ctx.close();
        } else {
            sendError(ctx, new Exchange(request, false), HttpResponseStatus.INTERNAL_SERVER_ERROR, null);
        }
    }

    /** The state of one request's answer, up to the access log line. */
    private static final class Exchange {
        final HttpRequest request;
        final boolean keepAlive;
        final long startNanos = System.nanoTime();
        HttpResponseStatus status;
        long bodyBytes;

        Exchange(HttpRequest request, boolean keepAlive) {
            this.request = request;
            this.keepAlive = keepAlive;
        }
    }

    private void respond(ChannelHandlerContext ctx, HttpRequest request) throws IOException {
        HttpResponseStatus refusal = refusal(request);
        if (refusal != null) {
            DecoderResult decoded = request.decoderResult();
            logger.debug("{}: {} {}: {}: {}", ctx.channel(), request.method(), request.uri(), refusal,
                    decoded.isFailure() ? decoded.cause().getMessage() : "a body on " + request.method());
            sendError(ctx, new Exchange(request, false), refusal, null);
            return;
        }
        HttpMethod method = request.method();
        boolean head = HttpMethod.HEAD.equals(method);
        Exchange exchange = new Exchange(request,
                HttpUtil.isKeepAlive(request) && !carriesBody(request) && !draining && !server.isDraining());
        if (!head && !HttpMethod.GET.equals(method)) {
            // With a body (read by the codec, dropped) the connection closes after the 405 all the same.
            sendError(ctx, exchange, HttpResponseStatus.METHOD_NOT_ALLOWED, "GET, HEAD");
            return;
        }
        String acceptEncoding = request.headers().get(HttpHeaderNames.ACCEPT_ENCODING);
        RequestLookup lookup;
        try {
            lookup = RequestLookup.onLoop(server, request.uri(), acceptEncoding, head);
        } catch (RootDirectory.NotCached e) {
            lookUpOffLoop(ctx, exchange, acceptEncoding, head);
            return;
        }
        server.lookups().answeredOnLoop();
        try {
            respond(ctx, exchange, lookup, head);
        } finally {
            lookup.close();
        }
    }

    /**
     * Runs the request's lookups on the {@link LookupPool} and answers on this channel's loop once they are done;
     * meanwhile the request stays the one in progress ({@link #responding}), so pipelined requests wait behind
     * it. A full pool is a 503. If the channel has closed by the time the lookups are done, what they opened is
     * closed, on the loop, or on the pool thread when the loop has stopped.
     */
    private void lookUpOffLoop(ChannelHandlerContext ctx, Exchange exchange, String acceptEncoding, boolean head) {
        boolean taken = server.lookups().execute(() -> {
            RequestLookup lookup = null;
            Throwable failure = null;
            try {
                lookup = RequestLookup.blocking(server, exchange.request.uri(), acceptEncoding, head);
            } catch (Throwable t) {
                failure = t;
            }
            RequestLookup found = lookup;
            Throwable failed = failure;
            try {
                ctx.executor().execute(() -> lookedUp(ctx, exchange, found, failed, head));
            } catch (RejectedExecutionException e) {
                if (found != null) {
                    found.close();
                }
            }
        });
        if (!taken) {
            logger.debug("{}: {} {}: lookup pool full", ctx.channel(), exchange.request.method(),
                    exchange.request.uri());
            sendError(ctx, exchange, HttpResponseStatus.SERVICE_UNAVAILABLE, null);
        }
    }

    /** Back on the loop with the off-loop lookups' result (or their failure): answers as if looked up here. */
    private void lookedUp(ChannelHandlerContext ctx, Exchange exchange, RequestLookup lookup, Throwable failure,
                          boolean head) {
        if (!ctx.channel().isActive()) {
            if (lookup != null) {
                lookup.close();
            }
            responding = false;
            return;
        }
        HttpRequest request = exchange.request;
        try {
            if (failure != null) {
                throw failure;
            }
            try {
                respond(ctx, exchange, lookup, head);
            } finally {
                lookup.close();
            }
        } catch (Throwable e) {
            failed(ctx, request, e);
        }
    }

    /**
     * Why a request is refused before it is looked at, answered with a close: a head the codec (or
     * {@link ObsFoldGuard}) refused, or a GET or HEAD carrying a body. Neither method has a body (RFC 9110 9.3.1),
     * and a proxy in front that frames one differently from the codec (say it ignores {@code Transfer-Encoding:
     * xchunked}, which the codec takes for no body at all) would have this server answer the request hidden in
     * it: so any {@code Transfer-Encoding}, or a non-zero {@code Content-Length}, is a 400.
     *
     * @return the status to answer with, or {@code null} to serve the request
     */
    private static HttpResponseStatus refusal(HttpRequest request) {
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            Throwable cause = decoded.cause();
            return cause instanceof TooLongHttpLineException
                    ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : cause instanceof TooLongHttpHeaderException
                    ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : HttpResponseStatus.BAD_REQUEST;
        }
        HttpMethod method = request.method();
        if ((HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) && carriesBody(request)) {
            return HttpResponseStatus.BAD_REQUEST;
        }
        return null;
    }

    /** Any Transfer-Encoding, or a Content-Length above 0 (the codec has already refused a malformed one). */
    private static boolean carriesBody(HttpRequest request) {
        return request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)
                || HttpUtil.getContentLength(request, 0L) > 0;
    }

    /** Answers with what the lookups found; no path is looked up here. */
    private void respond(ChannelHandlerContext ctx, Exchange exchange, RequestLookup lookup, boolean head)
            throws IOException {
        HttpRequest request = exchange.request;
        switch (lookup.outcome()) {
            case REFUSED:
                logger.debug("{}: {} {}: {}", ctx.channel(), request.method(), request.uri(),
                        lookup.refusal().getMessage());
                sendError(ctx, exchange, lookup.refusal().status(), null);
                return;
            case FILE:
                serveFile(ctx, exchange, lookup.file(), head, lookup.contentName(), lookup.coding());
                return;
            case REDIRECT:
                HttpResponse redirect = newResponse(exchange, HttpResponseStatus.MOVED_PERMANENTLY);
                redirect.headers().set(HttpHeaderNames.LOCATION, lookup.target().canonicalPath(true));
                sendFull(ctx, exchange, redirect, head, "");
                return;
            default:
                break;
        }
        // No length known before the end: chunked on HTTP/1.1; on HTTP/1.0 the end of the page is the close.
        Exchange listingExchange = request.protocolVersion().equals(HttpVersion.HTTP_1_1)
                ? exchange : new Exchange(request, false);
        HttpResponse response = newResponse(listingExchange, HttpResponseStatus.OK);
        response.headers().remove(HttpHeaderNames.CONTENT_LENGTH)
                .set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        if (listingExchange.keepAlive) {
            HttpUtil.setTransferEncodingChunked(response, true);
        }
        if (head) {
            finish(ctx, listingExchange, response);
            return;
        }
        ChunkedWriteHandler writer = ctx.pipeline().get(ChunkedWriteHandler.class);
        DirectoryListing listing = new DirectoryListing(lookup.listing(), lookup.target().segments(),
                server.config().maxListingEntries(), writer, ctx.executor());
        writeHead(ctx, response);
        ctx.writeAndFlush(new HttpChunkedInput(listing)).addListener((ChannelFutureListener) f -> {
            listingExchange.bodyBytes = listing.bytes();
            responseWritten(ctx, listingExchange, f.isSuccess());
        });
    }

    /**
     * @param name   the name the content type is chosen by (the requested file's, also for a sibling)
     * @param coding the content coding of {@code file}'s bytes, {@code null} for none
     */
    private void serveFile(ChannelHandlerContext ctx, Exchange exchange, PathResolver.Resolved file, boolean head,
                           String name, ContentCodings.Coding coding) throws IOException {
        FileAttributes attrs = file.attributes();
        // Opening a body takes over the descriptor already checked: no path is looked up, so the permission
        // and not-found refusals were all made by the resolver.
        FileBodySource.FileBody body = bodies.open(ctx, file);
        try {
            long size = body.size();
            long lastModified = attrs.lastModifiedMillis();
            String etag = Validators.etag(attrs.lastModifiedMicros(), size);
            if (coding != null) {
                // One ETag per representation (RFC 9110 8.8.3): a cache must not take the gzip bytes for br ones.
                etag = etag.substring(0, etag.length() - 1) + '-' + coding.token + '"';
            }
            HttpHeaders requestHeaders = exchange.request.headers();

            if (Validators.notModified(requestHeaders, etag, lastModified)) {
                HttpResponse response = newResponse(exchange, HttpResponseStatus.NOT_MODIFIED);
                setValidators(response, etag, lastModified);
                response.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
                finish(ctx, exchange, response);
                return;
            }

            String contentType = MimeTypes.of(name);
            List<ByteRanges.Range> ranges = null;
            String rangeHeader = requestHeaders.get(HttpHeaderNames.RANGE);
            // RFC 9110 14.2: range handling is defined for GET only.
            if (rangeHeader != null && !head
                    && Validators.ifRangeHolds(requestHeaders.get(HttpHeaderNames.IF_RANGE), etag, lastModified)) {
                ranges = ByteRanges.parse(rangeHeader, size);
                // Several ranges of encoded bytes would be a multipart body of a coded representation, which
                // clients are not known to decode: the whole representation instead (a server may ignore Range).
                if (ranges != null && ranges.size() > 1
                        && (coding != null || !ByteRanges.honourMultiple(ranges, size))) {
                    ranges = null;
                }
            }

            HttpResponse response;
            if (ranges != null && ranges.isEmpty()) {
                response = newResponse(exchange, HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
                response.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
                setValidators(response, etag, lastModified);
                finish(ctx, exchange, response);
            } else if (ranges == null) {
                response = newResponse(exchange, HttpResponseStatus.OK);
                setValidators(response, etag, lastModified);
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                        .set(HttpHeaderNames.CONTENT_LENGTH, size);
                setCoding(response, coding);
                Object slice = !head && size > 0 ? body.slice(0, size) : null;
                corkFor(ctx, slice);
                writeHead(ctx, response);
                if (slice != null) {
                    writeBody(ctx, slice);
                    exchange.bodyBytes = size;
                    body.whenReady(slice, () -> finish(ctx, exchange, null));
                } else {
                    finish(ctx, exchange, null);
                }
            } else if (ranges.size() == 1) {
                ByteRanges.Range r = ranges.get(0);
                response = newResponse(exchange, HttpResponseStatus.PARTIAL_CONTENT);
                setValidators(response, etag, lastModified);
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                        .set(HttpHeaderNames.CONTENT_RANGE, "bytes " + r.first + '-' + r.last + '/' + size)
                        .set(HttpHeaderNames.CONTENT_LENGTH, r.length());
                setCoding(response, coding);
                Object slice = body.slice(r.first, r.length());
                corkFor(ctx, slice);
                writeHead(ctx, response);
                writeBody(ctx, slice);
                exchange.bodyBytes = r.length();
                body.whenReady(slice, () -> finish(ctx, exchange, null));
            } else {
                writeMultipart(ctx, exchange, body, ranges, size, contentType, etag, lastModified);
            }
        } finally {
            body.close();
        }
    }

    /** RFC 9110 14.6 multipart/byteranges, with a Content-Length computed up front (no chunked coding). */
    private void writeMultipart(ChannelHandlerContext ctx, Exchange exchange, FileBodySource.FileBody body,
                                List<ByteRanges.Range> ranges, long size, String contentType, String etag,
                                long lastModified) throws IOException {
        String boundary = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE)
                + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        List<String> partHeads = new ArrayList<>(ranges.size());
        long length = 0;
        for (int i = 0; i < ranges.size(); i++) {
            ByteRanges.Range r = ranges.get(i);
            String partHead = (i == 0 ? "" : "\r\n") + "--" + boundary + "\r\nContent-Type: " + contentType
                    + "\r\nContent-Range: bytes " + r.first + '-' + r.last + '/' + size + "\r\n\r\n";
            partHeads.add(partHead);
            length += partHead.length() + r.length();
        }
        String tail = "\r\n--" + boundary + "--\r\n";
        length += tail.length();

        HttpResponse response = newResponse(exchange, HttpResponseStatus.PARTIAL_CONTENT);
        setValidators(response, etag, lastModified);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "multipart/byteranges; boundary=" + boundary)
                .set(HttpHeaderNames.CONTENT_LENGTH, length);
        writeHead(ctx, response);
        for (int i = 0; i < ranges.size(); i++) {
            ByteRanges.Range r = ranges.get(i);
            ctx.write(ByteBufUtil.writeAscii(ctx.alloc(), partHeads.get(i)));
            writeBody(ctx, body.slice(r.first, r.length()));
        }
        ctx.write(ByteBufUtil.writeAscii(ctx.alloc(), tail));
        exchange.bodyBytes = length;
        finish(ctx, exchange, null);
    }

    /**
     * Corks the socket when {@code slice} goes out with {@code sendfile} (a {@link FileRegion}): the head, written
     * first, then waits in the socket for the file's bytes and leaves in the same segment, where it would otherwise
     * go alone (the connection has TCP_NODELAY). Uncorked once the response is written ({@link #uncork}), which
     * sends the last partial segment at once. A body read into buffers needs none:
     * {@link FileBodySource.FileBody#whenReady} has the head and the first chunk leave in one write. Never throws:
     * the slice is made already and must reach {@link #writeBody}, which releases it also when the channel is gone.
     */
    private void corkFor(ChannelHandlerContext ctx, Object slice) {
        ChannelOption<Boolean> cork = server.config().transport().corkOption();
        if (slice instanceof FileRegion && cork != null && !stream && ctx.channel().isActive()) {
            try {
                corked = ctx.channel().config().setOption(cork, true);
            } catch (ChannelException e) {
                // Closed by the peer since the request arrived: the write of the slice fails and releases it.
                logger.debug("{}: cork failed", ctx.channel(), e);
            }
        }
    }

    private void uncork(ChannelHandlerContext ctx) {
        if (corked) {
            corked = false;
            if (ctx.channel().isOpen()) {
                try {
                    ctx.channel().config().setOption(server.config().transport().corkOption(), false);
                } catch (ChannelException e) {
                    // The peer went away meanwhile: nothing held back matters any more.
                    logger.debug("{}: uncork failed", ctx.channel(), e);
                }
            }
        }
    }

    /**
     * Writes a body slice. If it fails (the file shrank, a read failed), the connection is closed: the head has
     * promised a length the body can no longer have, and keeping the connection would make the client read the
     * rest of this response as the next one.
     */
    private static void writeBody(ChannelHandlerContext ctx, Object slice) {
        ctx.write(slice).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    /** ETag, Last-Modified, Accept-Ranges; and Vary when precompressed siblings may answer for a file. */
    private void setValidators(HttpResponse response, String etag, long lastModified) {
        response.headers().set(HttpHeaderNames.ETAG, etag)
                .set(HttpHeaderNames.LAST_MODIFIED, DateFormatter.format(new Date(lastModified)))
                .set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
        if (server.config().precompressed()) {
            response.headers().set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
        }
    }

    private static void setCoding(HttpResponse response, ContentCodings.Coding coding) {
        if (coding != null) {
            response.headers().set(HttpHeaderNames.CONTENT_ENCODING, coding.token);
        }
    }

    private static HttpResponse newResponse(Exchange exchange, HttpResponseStatus status) {
        exchange.status = status;
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        HttpHeaders h = response.headers();
        h.set(HttpHeaderNames.DATE, DateFormatter.format(new Date()))
                .set(HttpHeaderNames.SERVER, "aio-file-server")
                .set("x-content-type-options", "nosniff")
                .set(HttpHeaderNames.CONTENT_LENGTH, 0);
        if (exchange.keepAlive) {
            HttpUtil.setKeepAlive(h, exchange.request.protocolVersion(), true);
        } else {
            // Said even to HTTP/1.0 clients, whose default it is: the status line says HTTP/1.1.
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }

    private void sendError(ChannelHandlerContext ctx, Exchange exchange, HttpResponseStatus status, String allow) {
        HttpResponse response = newResponse(exchange, status);
        if (allow != null) {
            response.headers().set(HttpHeaderNames.ALLOW, allow);
        }
        if (HttpResponseStatus.SERVICE_UNAVAILABLE.equals(status)) {
            // Out of descriptors or lookup threads: both pass within a second or so.
            response.headers().set(HttpHeaderNames.RETRY_AFTER, 1);
        }
        String page = "<!DOCTYPE html>\n<html><head><title>" + status + "</title></head><body><h1>" + status
                + "</h1></body></html>\n";
        sendFull(ctx, exchange, response, HttpMethod.HEAD.equals(exchange.request.method()), page);
    }

    /** Sends {@code response} with {@code html} as its body (headers only for HEAD). */
    private void sendFull(ChannelHandlerContext ctx, Exchange exchange, HttpResponse response, boolean head,
                          String html) {
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        if (bytes.length > 0) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        }
        writeHead(ctx, response);
        if (!head && bytes.length > 0) {
            ctx.write(ctx.alloc().buffer(bytes.length).writeBytes(bytes));
            exchange.bodyBytes = bytes.length;
        }
        finish(ctx, exchange, null);
    }

    private void writeHead(ChannelHandlerContext ctx, HttpResponse response) {
        headWritten = true;
        ctx.write(response);
    }

    /** Ends the response: {@code headOnly} when nothing was written yet, then the last (empty) content. */
    private void finish(ChannelHandlerContext ctx, Exchange exchange, HttpResponse headOnly) {
        if (headOnly != null) {
            writeHead(ctx, headOnly);
        }
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                .addListener((ChannelFutureListener) f -> responseWritten(ctx, exchange, f.isSuccess()));
    }

    private void responseWritten(ChannelHandlerContext ctx, Exchange exchange, boolean success) {
        responding = false;
        uncork(ctx);
        AccessLog log = server.accessLog();
        if (log != null) {
            HttpRequest r = exchange.request;
            log.log(ctx.channel().remoteAddress(), r.method().name(), r.uri(),
                    stream ? "HTTP/2.0" : r.protocolVersion().text(),
                    exchange.status.code(), success ? exchange.bodyBytes : 0, exchange.startNanos);
        }
        if (!success || !exchange.keepAlive || stream) {
            // On an HTTP/2 stream, whose end the last frame sent: closing the stream's channel only lets it go.
            waiting.clear();
            ctx.close();
            return;
        }
        serveWaiting(ctx);
    }

    private void armHeadDeadline(ChannelHandlerContext ctx) {
        cancelHeadDeadline();
        long nanos = server.config().idleTimeout().toNanos();
        headDeadline = ctx.executor().schedule(() -> {
            logger.debug("{}: no request within {}, closing", ctx.channel(), server.config().idleTimeout());
            ctx.close();
        }, nanos, TimeUnit.NANOSECONDS);
    }

    private void cancelHeadDeadline() {
        if (headDeadline != null) {
            headDeadline.cancel(false);
            headDeadline = null;
        }
    }
}
