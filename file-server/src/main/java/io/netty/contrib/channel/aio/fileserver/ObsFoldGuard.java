/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ByteProcessor;

/**
 * Finds obs-fold (RFC 9112 5.2: a field line continued on a line that starts with SP or HTAB) in request heads,
 * ahead of {@code HttpServerCodec}. Netty's decoder joins a folded line into the field above it without saying so;
 * a proxy in front that reads the fold another way (as a field of its own, say {@code Transfer-Encoding}) would
 * frame the message differently from this server, which is how requests are smuggled. RFC 9112 lets a server
 * refuse such a message with 400, and this one does: the guard numbers the heads it sees and remembers the first
 * folded one; {@link HttpFileHandler} numbers the requests the codec hands it and refuses that one.
 *
 * <p>The numbering agrees with the codec's because the guard skips what the codec skips between messages (CR and
 * LF, with strict line parsing) and ends a head where the codec does (at its empty line). The guard reads every
 * byte as part of a head, bodies included: that is right up to the first request carrying a body, and that request
 * is refused and its connection closed, so whatever the guard counts after it is never answered. Bytes pass through
 * unchanged; after the first fold the guard no longer looks at them.
 *
 * <p>One instance per channel, placed before the codec; every method runs on the channel's event loop.
 */
final class ObsFoldGuard extends ChannelInboundHandlerAdapter implements ByteProcessor {
    /** Between heads: CR and LF are skipped, anything else starts a head (its request line). */
    private static final int BETWEEN = 0;
    /** Inside a line of a head, up to its LF. */
    private static final int IN_LINE = 1;
    /** At the first byte of a line after the request line. */
    private static final int LINE_START = 2;
    /** A line after the request line began with CR: LF next ends the head. */
    private static final int LINE_START_CR = 3;

    private int state = BETWEEN;
    /** Heads begun so far; the current one is number {@code heads}. */
    private long heads;
    /** Number of the first head with a folded line, or {@link Long#MAX_VALUE} while none was seen. */
    private long firstFolded = Long.MAX_VALUE;

    /** Whether the {@code n}th request of the connection (from 1) is, or comes after, a head with obs-fold. */
    boolean folded(long n) {
        return n >= firstFolded;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (firstFolded == Long.MAX_VALUE && msg instanceof ByteBuf) {
            ByteBuf in = (ByteBuf) msg;
            in.forEachByte(in.readerIndex(), in.readableBytes(), this);
        }
        ctx.fireChannelRead(msg);
    }

    /** Advances over one byte; returns {@code false} (stop looking) at the first fold. */
    @Override
    public boolean process(byte b) {
        switch (state) {
            case BETWEEN:
                if (b != '\r' && b != '\n') {
                    heads++;
                    state = IN_LINE;
                }
                return true;
            case IN_LINE:
                if (b == '\n') {
                    state = LINE_START;
                }
                return true;
            case LINE_START:
                if (b == ' ' || b == '\t') {
                    firstFolded = heads;
                    return false;
                }
                state = b == '\n' ? BETWEEN : b == '\r' ? LINE_START_CR : IN_LINE;
                return true;
            default: // LINE_START_CR
                state = b == '\n' ? BETWEEN : IN_LINE;
                return true;
        }
    }
}
