/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The handlers that decide which protocol a connection speaks, and the small adapters HTTP/2 needs around
 * {@link HttpFileHandler}. Each is one instance per channel; every method runs on the channel's event loop.
 */
final class ProtocolSelection {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(ProtocolSelection.class);

    /** RFC 9113 3.4: what an HTTP/2 client with prior knowledge sends first. */
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private ProtocolSelection() {
    }

    /**
     * Closes the connection on an idle timeout or at shutdown ({@link HttpFileHandler#DRAIN}), which no later
     * handler would act on while the protocol is not chosen yet (on HTTP/2, {@link Http2Guard} does).
     * Returns whether it did; if not, the handler passes {@code evt} on.
     */
    private static boolean closedOn(ChannelHandlerContext ctx, Object evt) {
        if (evt == HttpFileHandler.DRAIN || evt instanceof IdleStateEvent) {
            ctx.close();
            return true;
        }
        return false;
    }

    /**
     * On a cleartext connection: HTTP/2 with prior knowledge (h2c) when the first bytes are the connection
     * preface, HTTP/1.1 as soon as they cannot be. It reads at most the 24 bytes of the preface before deciding,
     * then removes itself, passing what it read on to the chosen protocol's handlers. The {@code Upgrade: h2c}
     * dance of HTTP/1.1 is not offered (browsers never use h2c; clients that do use prior knowledge).
     */
    static final class PriorKnowledge extends ByteToMessageDecoder {
        /** Called with the pipeline and {@code true} for HTTP/2, {@code false} for HTTP/1.1. */
        private final BiConsumer<ChannelHandlerContext, Boolean> configure;

        PriorKnowledge(BiConsumer<ChannelHandlerContext, Boolean> configure) {
            this.configure = configure;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            int n = Math.min(in.readableBytes(), PREFACE.length);
            for (int i = 0; i < n; i++) {
                if (in.getByte(in.readerIndex() + i) != PREFACE[i]) {
                    decide(ctx, false);
                    return;
                }
            }
            if (n == PREFACE.length) {
                decide(ctx, true);
            }
        }

        private void decide(ChannelHandlerContext ctx, boolean http2) {
            configure.accept(ctx, http2);
            // Removing a ByteToMessageDecoder hands what it has accumulated to the next handler.
            ctx.pipeline().remove(this);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (!closedOn(ctx, evt)) {
                super.userEventTriggered(ctx, evt);
            }
        }
    }

    /**
     * On a TLS connection, once the handshake is done: HTTP/2 when ALPN chose {@code h2}, HTTP/1.1 otherwise
     * (ALPN chose it, or the client offered no ALPN). A failed handshake (a client that distrusts the
     * certificate, a plaintext request on the TLS port) closes the connection with a debug line: routine on the
     * Internet, not worth a warning.
     */
    static final class Alpn extends ApplicationProtocolNegotiationHandler {
        private final BiConsumer<ChannelHandlerContext, Boolean> configure;

        Alpn(BiConsumer<ChannelHandlerContext, Boolean> configure) {
            super(ApplicationProtocolNames.HTTP_1_1);
            this.configure = configure;
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            configure.accept(ctx, ApplicationProtocolNames.HTTP_2.equals(protocol));
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            logger.debug("{}: TLS handshake failed", ctx.channel(), cause);
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            logger.debug("{}: closing before a protocol was chosen", ctx.channel(), cause);
            ctx.close();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (!closedOn(ctx, evt)) {
                super.userEventTriggered(ctx, evt);
            }
        }
    }

    /**
     * In an HTTP/2 stream's pipeline, between the frame-to-HTTP codec and the {@code ChunkedWriteHandler}: body
     * bytes that {@link HttpFileHandler} writes as plain {@link ByteBuf}s (file chunks, multipart part heads), as
     * it does for HTTP/1.1, become {@link DefaultHttpContent}s, which the codec turns into DATA frames.
     */
    static final class Http2Bodies extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof ByteBuf) {
                ctx.write(new DefaultHttpContent((ByteBuf) msg), promise);
            } else {
                ctx.write(msg, promise);
            }
        }
    }
}
