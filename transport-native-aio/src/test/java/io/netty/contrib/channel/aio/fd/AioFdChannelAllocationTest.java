/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fd;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.contrib.channel.aio.testing.TestFiles;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one read of an {@link AioFdChannel} in async mode costs its loop in allocated bytes, counted by the JVM for
 * the loop thread (a count of bytes, not a timing): after a warm-up, nothing beyond its buffer, whose object comes
 * from a pool.
 */
class AioFdChannelAllocationTest {
    private static final int READ_SIZE = 4096;
    private static final int WARMUP = 6_000;
    private static final int MEASURED = 10_000;
    /** Room for the loop's task queue, which grows a chunk now and then. About 200 bytes a read before. */
    private static final long BOUND_PER_READ = 32;

    private static AioEventLoopGroup group;
    private static ResourceLeakDetector.Level leakDetection;

    @BeforeAll
    static void startLoop() {
        // Paranoid leak detection records a stack trace at every retain and release of a tracked buffer: the
        // detector's allocations, not the channel's. This class's buffers are not tracked.
        leakDetection = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        group = new AioEventLoopGroup(1);
    }

    @AfterAll
    static void stopLoop() throws Exception {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        ResourceLeakDetector.setLevel(leakDetection);
    }

    @Test
    void asyncReadAllocatesNothingButItsBufferOnTheLoop() throws Exception {
        Path path = TestFiles.patternFile("fd-alloc", (WARMUP + MEASURED + 64) * READ_SIZE);
        AioFdChannel ch = AioFdChannel.open(path, StandardOpenOption.READ);
        assertEquals(AioFdIoMode.ASYNC, ch.ioMode());
        ch.config().setOption(AioFdChannelOption.READS_IN_FLIGHT, 4);
        ch.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(READ_SIZE));
        CompletableFuture<Long> allocated = new CompletableFuture<>();
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            private final com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            private int reads;
            private long startBytes;

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ((ByteBuf) msg).release();
                if (++reads == WARMUP) {
                    startBytes = threads.getCurrentThreadAllocatedBytes();
                } else if (reads == WARMUP + MEASURED) {
                    allocated.complete(threads.getCurrentThreadAllocatedBytes() - startBytes);
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                allocated.completeExceptionally(cause);
            }
        });
        group.next().register(ch).sync();
        long bytes = allocated.get(120, TimeUnit.SECONDS);
        ch.closeFuture().sync();
        long perRead = bytes / MEASURED;
        System.out.printf(Locale.ROOT, "AioFdChannel: %d bytes allocated by the loop thread in %d reads (%d per read)%n",
                bytes, MEASURED, perRead);
        assertTrue(perRead < BOUND_PER_READ, perRead + " bytes allocated per read");
    }
}
