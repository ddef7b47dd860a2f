/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of an HTTP/2 connection's own pipeline, and what bounds a client on it beyond Netty's codec:
 * <ul>
 * <li>a connection without streams is closed (GOAWAY) after the idle timeout: PING and SETTINGS keep no
 *     connection alive (each stream has its own progress deadline, an {@code IdleStateHandler} in its pipeline);
 * <li>the HPACK encoder's dynamic table is kept to {@link #MAX_ENCODER_TABLE_SIZE} bytes whatever
 *     SETTINGS_HEADER_TABLE_SIZE the client announces (up to 4 GiB, held on the server's heap);
 * <li>protocol errors end as the codec ends them (RST_STREAM or GOAWAY with their own code, which Netty's
 *     reset limiter counts) and are reported through {@link ProtocolErrors}, one line each at most;
 * <li>{@link #waitsOnFlowControl} tells {@link SendRateGuard} when responses wait for window the client withholds;
 * <li>at most {@code maxResponses} streams are answered at once ({@link #admit}): each holds a file and up to
 *     {@link FileBodySource#bufferBytesPerResponse()} of buffers until its last byte has left (a client withholding
 *     window keeps them), so this bounds the descriptors and the memory one connection can pin, whatever
 *     SETTINGS_MAX_CONCURRENT_STREAMS allows; further streams wait their turn, in order, holding only their
 *     request (as a stalled stream is reset at its deadline, the wait is bounded too);
 * <li>on shutdown ({@link HttpFileHandler#DRAIN}) it closes the connection, which the codec turns into a GOAWAY
 *     that lets open streams finish within the graceful-shutdown timeout.
 * </ul>
 *
 * <p>One instance per connection, which owns it; every method runs on the connection's event loop (its stream
 * channels share it).
 */
final class Http2Guard extends ChannelInboundHandlerAdapter {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(Http2Guard.class);

    /** RST_STREAMs with an error code the server may send per window before GOAWAY ENHANCE_YOUR_CALM. */
    static final int MAX_RESETS_PER_WINDOW = 200;
    static final int RESET_WINDOW_SECONDS = 30;
    /**
     * Bytes of HPACK dynamic table the server's encoder keeps at most: RFC 7541's default and nginx's fixed size.
     * A client may allow more (SETTINGS_HEADER_TABLE_SIZE); the encoder may always use less (RFC 7541 4.2), and a
     * file server's repeated fields (server, content-type, accept-ranges) fit well within it.
     */
    static final int MAX_ENCODER_TABLE_SIZE = 4096;

    private final Http2FrameCodec codec;
    private final long idleNanos;
    private final ProtocolErrors errors;
    private final StreamErrors streamErrors = new StreamErrors();
    private final int maxResponses;
    private final FileServer.Http2Stats stats;
    private ChannelHandlerContext ctx;
    private int openStreams;
    /** Streams admitted and not closed yet. */
    private int responding;
    /** Streams waiting for {@link #responding} to drop below {@link #maxResponses}, with what admits them. */
    private final ArrayDeque<Admission> waiting = new ArrayDeque<>();
    private ScheduledFuture<?> idleDeadline;

    /**
     * @param codec  the connection's codec, in the same pipeline
     * @param idle   how long a connection may stay without streams
     * @param errors where protocol errors are counted and reported
     * @param maxResponses streams answered at once, at least 1
     * @param stats  where admissions are counted, for the shutdown line
     */
    Http2Guard(Http2FrameCodec codec, Duration idle, ProtocolErrors errors, int maxResponses,
               FileServer.Http2Stats stats) {
        if (maxResponses < 1) {
            throw new IllegalArgumentException("maxResponses: " + maxResponses + " (expected at least 1)");
        }
        this.codec = codec;
        this.idleNanos = idle.toNanos();
        this.errors = errors;
        this.maxResponses = maxResponses;
        this.stats = stats;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        codec.connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onGoAwaySent(int lastStreamId, long errorCode, ByteBuf debugData) {
                // INTERNAL_ERROR is what the codec sends when the connection itself failed (an I/O error, the peer's
                // reset): not a protocol error of the client's, and debug-logged where it was caught.
                if (errorCode != Http2Error.NO_ERROR.code() && errorCode != Http2Error.INTERNAL_ERROR.code()) {
                    Http2Error error = Http2Error.valueOf(errorCode);
                    errors.report(ctx.channel(), "connection", error == null ? Long.toString(errorCode)
                            : error.name(), debugData.toString(StandardCharsets.UTF_8));
                }
            }
        });
        armIdleDeadline();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelIdleDeadline();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelIdleDeadline();
        ctx.fireChannelInactive();
    }

    /** Called as each stream channel is initialized: the connection is not idle while it is open. */
    void streamOpened(Channel stream) {
        openStreams++;
        cancelIdleDeadline();
        stream.closeFuture().addListener(f -> {
            if (--openStreams == 0 && ctx.channel().isActive()) {
                armIdleDeadline();
            }
        });
    }

    /**
     * Runs {@code start} (which answers the stream's request) once fewer than {@code maxResponses} of this
     * connection's streams are being answered: at once, or when an earlier one closes. The stream counts until it
     * closes, that is once its last frame has been written or it was reset; a stream closed while it waits is
     * forgotten. Called on the loop, once per stream.
     */
    void admit(Channel stream, Runnable start) {
        if (responding < maxResponses && waiting.isEmpty()) {
            begin(stream);
            start.run();
            return;
        }
        stats.waited();
        Admission a = new Admission(stream, start);
        waiting.add(a);
        stream.closeFuture().addListener(f -> waiting.remove(a));
    }

    private void begin(Channel stream) {
        responding++;
        stats.responding(responding);
        stream.closeFuture().addListener(f -> {
            responding--;
            admitWaiting();
        });
    }

    /** As streams close: the next ones start in a task of their own, not inside the closing stream's listeners. */
    private void admitWaiting() {
        while (responding < maxResponses) {
            Admission next = waiting.poll();
            if (next == null) {
                return;
            }
            if (next.stream.isActive()) {
                begin(next.stream);
                next.stream.eventLoop().execute(() -> {
                    if (next.stream.isActive()) {
                        next.start.run();
                    }
                });
            }
        }
    }

    /** A stream waiting to be answered. */
    private static final class Admission {
        final Channel stream;
        final Runnable start;

        Admission(Channel stream, Runnable start) {
            this.stream = stream;
            this.start = start;
        }
    }

    /** The handler for the front of each stream's pipeline: reports the stream errors forwarded to it. */
    ChannelHandler streamErrors() {
        return streamErrors;
    }

    /**
     * Whether a response waits for window the client withholds: a stream the server still sends on cannot be
     * written for lack of window (its own or the connection's). Bytes held this way never reach the socket, so
     * without this the send-rate guard would take a client granting no window for an idle one.
     */
    boolean waitsOnFlowControl() {
        Http2RemoteFlowController flow = codec.connection().remote().flowController();
        try {
            return codec.connection().forEachActiveStream(
                    s -> !s.state().localSideOpen() || flow.isWritable(s)) != null;
        } catch (Http2Exception e) {
            return false; // the visitor throws nothing
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2SettingsFrame) {
            // The codec has applied the client's table size to the encoder already (this frame comes after, on
            // the same call): lowering it here, before any header block is written, makes the next block start
            // with both size updates, the smaller last, as RFC 7541 4.2 allows.
            Long tableSize = ((Http2SettingsFrame) msg).settings().headerTableSize();
            if (tableSize != null && tableSize > MAX_ENCODER_TABLE_SIZE) {
                try {
                    codec.encoder().configuration().headersConfiguration().maxHeaderTableSize(MAX_ENCODER_TABLE_SIZE);
                } catch (Http2Exception e) {
                    ctx.fireExceptionCaught(e); // 4096 is always a valid size: not expected
                }
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == HttpFileHandler.DRAIN || evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
            // The codec answers it with a GOAWAY carrying the error's code, then closes (reported as it is sent);
            // closing here first would send NO_ERROR.
            logger.debug("{}: HTTP/2 connection error", ctx.channel(), cause);
            return;
        }
        if (cause instanceof DecoderException || cause instanceof IOException) {
            logger.debug("{}: closing HTTP/2 connection", ctx.channel(), cause);
        } else {
            logger.warn("{}: closing HTTP/2 connection after unexpected exception", ctx.channel(), cause);
        }
        ctx.close();
    }

    private void armIdleDeadline() {
        cancelIdleDeadline();
        idleDeadline = ctx.executor().schedule(() -> {
            logger.debug("{}: no stream for {} ns, closing", ctx.channel(), idleNanos);
            ctx.close();
        }, idleNanos, TimeUnit.NANOSECONDS);
    }

    private void cancelIdleDeadline() {
        if (idleDeadline != null) {
            idleDeadline.cancel(false);
            idleDeadline = null;
        }
    }

    /**
     * First in each stream's pipeline: a stream error the codec forwards (the client provoked it: a zero
     * WINDOW_UPDATE, a frame the stream's state forbids) is reported and goes no further, so that no handler closes
     * the stream first; the multiplexer then resets it with the error's own code, which Netty's reset limiter
     * counts (a close would send CANCEL, which it does not: CVE-2025-55163). Shared by the connection's streams.
     */
    @ChannelHandler.Sharable
    private final class StreamErrors extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext streamCtx, Throwable cause) {
            Http2Exception e = Http2CodecUtil.getEmbeddedHttp2Exception(cause);
            if (e == null) {
                streamCtx.fireExceptionCaught(cause);
                return;
            }
            errors.report(ctx.channel(), "stream", e.error().name(), e.getMessage());
        }
    }
}
