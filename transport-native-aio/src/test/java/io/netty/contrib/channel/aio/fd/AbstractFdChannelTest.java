/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fd;

import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.contrib.channel.aio.testing.AioTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * The base of the {@link AioFdChannel} tests: a group of two AIO loops per test class, registration, a byte stream
 * with a checksum, a collecting handler, and the check that a loop still serves other channels.
 */
public abstract class AbstractFdChannelTest {
    /** A deterministic pseudo-random 1 MiB block; streams are slices of it, repeated. */
    public static final byte[] BLOCK = new byte[1 << 20];

    static {
        new Random(0x5eed).nextBytes(BLOCK);
    }

    public static EventLoopGroup group;

    @BeforeAll
    public static void startLoops() {
        group = new AioEventLoopGroup(2);
    }

    @AfterAll
    public static void stopLoops() throws Exception {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }

    /** Adds {@code handlers} and registers {@code ch} on {@code loop}, waiting for the registration. */
    public static <T extends AioFdChannel> T register(EventLoop loop, T ch, ChannelHandler... handlers) {
        if (handlers.length > 0) {
            ch.pipeline().addLast(handlers);
        }
        loop.register(ch).syncUninterruptibly();
        return ch;
    }

    /** Every loop of {@code group} (up to 2) still moves bytes through a pipe. */
    public static void loopsStillServeOtherChannels(EventLoopGroup group) throws Exception {
        for (int i = 0; i < 2; i++) {
            FileDescriptor[] pipe = AioTests.pipe();
            Received received = new Received();
            AioFdChannel reader = register(group.next(), AioFdChannel.adopt(pipe[0], true), received);
            AioFdChannel writer = register(group.next(), AioFdChannel.adopt(pipe[1], true));
            byte[] data = AioTests.pattern(0, 10_000);
            writer.writeAndFlush(Unpooled.wrappedBuffer(data)).sync();
            writer.close().sync();
            if (received.awaitDone() != data.length || received.crc.getValue() != crc(data)) {
                throw new AssertionError("a pipe on the loop lost bytes after the test: " + received.bytes);
            }
            reader.closeFuture().sync();
        }
    }

    /** Byte {@code i} of the test stream. */
    public static byte streamByte(long i) {
        return BLOCK[(int) (i & BLOCK.length - 1)];
    }

    /** The CRC32 of the first {@code length} bytes of the test stream. */
    public static long streamCrc(long length) {
        CRC32 crc = new CRC32();
        long left = length;
        while (left > 0) {
            int n = (int) Math.min(left, BLOCK.length);
            crc.update(BLOCK, 0, n);
            left -= n;
        }
        return crc.getValue();
    }

    /** The CRC32 of {@code data}. */
    public static long crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }

    /** Bytes {@code [from, from + length)} of the test stream in a new direct buffer from {@code alloc}. */
    public static ByteBuf streamSlice(ByteBufAllocator alloc, long from, int length) {
        ByteBuf buf = alloc.directBuffer(length);
        int off = (int) (from & BLOCK.length - 1);
        while (length > 0) {
            int n = Math.min(length, BLOCK.length - off);
            buf.writeBytes(BLOCK, off, n);
            length -= n;
            off = 0;
        }
        return buf;
    }

    /**
     * Counts and checksums what a channel reads, and records its user events and errors. {@link #done} completes
     * (with the byte count) when the channel becomes inactive or its input is shut down; {@link #errors} holds what
     * {@code exceptionCaught} saw.
     */
    public static class Received extends ChannelInboundHandlerAdapter {
        public final CRC32 crc = new CRC32();
        public final CompletableFuture<Long> done = new CompletableFuture<>();
        public final List<Object> events = new CopyOnWriteArrayList<>();
        public final List<Throwable> errors = new CopyOnWriteArrayList<>();
        public volatile long bytes;
        public volatile int messages;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                byte[] b = new byte[buf.readableBytes()];
                buf.readBytes(b);
                onBytes(ctx, b);
                crc.update(b);
                bytes += b.length;
                messages++;
            } finally {
                buf.release();
            }
        }

        /** Hook for subclasses: bytes as they arrive, before they are counted. */
        public void onBytes(ChannelHandlerContext ctx, byte[] b) {
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
            if (evt == ChannelInputShutdownReadComplete.INSTANCE) {
                done.complete(bytes);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.complete(bytes);
        }

        public boolean sawInputShutdown() {
            return events.contains(ChannelInputShutdownEvent.INSTANCE);
        }

        public long awaitDone() throws Exception {
            return done.get(AioTests.PATIENCE.toSeconds() * 3, TimeUnit.SECONDS);
        }
    }
}
