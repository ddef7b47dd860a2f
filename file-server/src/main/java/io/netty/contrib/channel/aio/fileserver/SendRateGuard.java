/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Disconnects a client that takes the response slower than a minimum rate: the defence against a reader that
 * takes one byte per idle period to hold a response, its descriptor and its buffers forever (the writer-idle
 * timeout alone never fires on it).
 *
 * <p>Only the time the server waits on the client counts: once a second, while bytes written into the pipeline
 * have not all reached the socket, a second of waiting is added to the window, with the bytes the socket took in
 * it (completed writes, plus the progress the transport reports on the message it is writing, which covers a
 * large {@code sendfile} region). When the window reaches its length and the client took less than
 * {@code minRate} per second of it on average, the connection is closed; otherwise a new window starts. Seconds
 * in which nothing waits (the server is reading the disk, or idle between requests) do not count, so a slow disk
 * is never blamed on the client. Placed first in the pipeline, where messages are what the transport writes.
 * On HTTP/2 the server also waits on the client while a stream's response is held back by flow control (its
 * window, or the connection's, closed): {@link #alsoWaitingWhile} says so, and those seconds count too, so a
 * client cannot hold responses by granting a byte of window at a time.
 *
 * <p>One instance per channel; every method runs on the channel's event loop.
 */
final class SendRateGuard extends ChannelDuplexHandler {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(SendRateGuard.class);
    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final long minRate;
    private final int windowSeconds;
    private final Runnable onCut;
    /** Bytes written into the pipeline at this point. */
    private long enqueued;
    /** Bytes of the writes completed. */
    private long written;
    private long windowStart;
    /** What had been sent at the previous check. */
    private long lastSent;
    private int waitedSeconds;
    private ScheduledFuture<?> tick;
    /** Whether the server waits on the client other than for the socket (HTTP/2 flow control). */
    private BooleanSupplier alsoWaiting = () -> false;

    /**
     * @param minRate bytes per second
     * @param onCut   run once when a connection is cut (a counter)
     */
    SendRateGuard(long minRate, int windowSeconds, Runnable onCut) {
        this.minRate = minRate;
        this.windowSeconds = windowSeconds;
        this.onCut = onCut;
    }

    /** Once the connection speaks HTTP/2: {@code waiting} says whether responses are held by flow control. */
    void alsoWaitingWhile(BooleanSupplier waiting) {
        alsoWaiting = waiting;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        long size = size(msg);
        if (size > 0) {
            enqueued += size;
            ChannelPromise p = promise.unvoid();
            p.addListener(f -> {
                if (f.isSuccess()) {
                    written += size;
                }
            });
            promise = p;
            if (tick == null) {
                lastSent = written;
                tick = ctx.executor().scheduleAtFixedRate(() -> check(ctx), TICK_NANOS, TICK_NANOS,
                        TimeUnit.NANOSECONDS);
            }
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void stop() {
        if (tick != null) {
            tick.cancel(false);
            tick = null;
        }
    }

    private void check(ChannelHandlerContext ctx) {
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        long sent = written + (out == null ? 0 : out.currentProgress());
        long before = lastSent;
        lastSent = sent;
        if (sent >= enqueued && !alsoWaiting.getAsBoolean()) {
            // Nothing waits on the client: this second is not its doing; the next wait starts a new window.
            waitedSeconds = 0;
            stop();
            return;
        }
        if (waitedSeconds == 0) {
            windowStart = before;
        }
        if (++waitedSeconds < windowSeconds) {
            return;
        }
        long taken = sent - windowStart;
        if (taken < minRate * windowSeconds) {
            logger.debug("{}: client took {} bytes in {} s, less than {} B/s: closing", ctx.channel(), taken,
                    windowSeconds, minRate);
            stop();
            onCut.run();
            ctx.close();
            return;
        }
        waitedSeconds = 0;
    }

    private static long size(Object msg) {
        if (msg instanceof ByteBuf) {
            return ((ByteBuf) msg).readableBytes();
        }
        if (msg instanceof FileRegion) {
            return ((FileRegion) msg).count();
        }
        if (msg instanceof ByteBufHolder) {
            return ((ByteBufHolder) msg).content().readableBytes();
        }
        return 0;
    }
}
