/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.buffer.ByteBuf;
import io.netty.contrib.channel.aio.AioEventLoop;
import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.contrib.channel.aio.AioIoHandlerConfig;
import io.netty.contrib.channel.aio.testing.TestFiles;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one {@link AioFile} read costs the AIO loop in allocated bytes, counted by the JVM for the loop thread
 * (a count of bytes, not a timing): after a warm-up, nothing but the promise — and, for {@code read(position,
 * length)}, the result buffer, which comes from a pool.
 */
class AioFileAllocationTest {
    private static final int FILE_SIZE = 1 << 20;
    private static final int BLOCK = 4096;
    private static final int QUEUE_DEPTH = 4;
    private static final int WARMUP = 20_000;
    private static final int MEASURED = 10_000;
    /**
     * Bytes per read allowed on average: a DefaultPromise is 32 bytes with compressed oops, and the loop's task queue
     * grows a chunk now and then. Before the read path was made allocation-free, a read cost about 500-700 bytes.
     */
    private static final long BOUND_PER_READ = 96;

    private static AioEventLoopGroup group;
    private static AioEventLoop loop;
    private static ResourceLeakDetector.Level leakDetection;

    @BeforeAll
    static void startLoop() {
        // The tests run with paranoid leak detection, which records a stack trace at every retain and release of a
        // tracked buffer: the detector's allocations, not the read path's. This class's buffers are not tracked.
        leakDetection = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        group = new AioEventLoopGroup(1, (ThreadFactory) null, new AioIoHandlerConfig().depth(64));
        loop = group.next();
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        ResourceLeakDetector.setLevel(leakDetection);
    }

    @Test
    void directReadIntoAReusedBufferAllocatesOnlyItsPromiseOnTheLoop() throws Exception {
        long perRead = bytesPerRead("direct", false, AioOpenOption.DIRECT);
        assertTrue(perRead < BOUND_PER_READ, perRead + " bytes allocated per O_DIRECT read");
    }

    @Test
    void cachedReadIntoAReusedBufferAllocatesOnlyItsPromiseOnTheLoop() throws Exception {
        // A buffered file under the default HYBRID policy, all in the page cache: each read is one RWF_NOWAIT hit.
        long perRead = bytesPerRead("cached", false);
        assertTrue(perRead < BOUND_PER_READ, perRead + " bytes allocated per page-cache read");
    }

    @Test
    void readOfANewBufferAllocatesOnlyItsPromiseOnTheLoop() throws Exception {
        // The result buffer comes from the file's pooled allocator, whose buffer objects are recycled too.
        long perRead = bytesPerRead("allocate", true, AioOpenOption.DIRECT);
        assertTrue(perRead < BOUND_PER_READ, perRead + " bytes allocated per read(position, length)");
    }

    /**
     * Keeps {@link #QUEUE_DEPTH} reads of random aligned blocks in flight from the loop, each issued by the previous
     * one's listener, and returns the loop thread's allocated bytes per read over {@link #MEASURED} reads after
     * {@link #WARMUP}.
     */
    private static long bytesPerRead(String name, boolean allocate, OpenOption... options) throws Exception {
        Path path = TestFiles.patternFile("alloc-" + name, FILE_SIZE);
        AioFile file = AioFile.open(loop, path, options);
        try {
            CompletableFuture<Long> result = new CompletableFuture<>();
            Counter counter = new Counter(result);
            loop.execute(() -> {
                for (int i = 0; i < QUEUE_DEPTH; i++) {
                    new Reader(file, counter, allocate).next();
                }
            });
            long allocated = result.get(120, TimeUnit.SECONDS);
            long perRead = allocated / MEASURED;
            System.out.printf(Locale.ROOT, "%s: %d bytes allocated by the loop thread in %d reads (%d per read)%n",
                    name, allocated, MEASURED, perRead);
            counter.stopped.get(30, TimeUnit.SECONDS);
            assertEquals(0, file.stats().failures(), file.stats().toString());
            return perRead;
        } finally {
            file.close().sync();
        }
    }

    /** Counts completed reads on the loop and takes the allocation figures at the window's edges. */
    private static final class Counter {
        private final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final CompletableFuture<Long> result;
        final CompletableFuture<Void> stopped = new CompletableFuture<>();
        int completed;
        int live = QUEUE_DEPTH;
        long startBytes;

        Counter(CompletableFuture<Long> result) {
            this.result = result;
        }

        /** Whether the reader should read again. */
        boolean completed() {
            completed++;
            if (completed == WARMUP) {
                startBytes = threads.getCurrentThreadAllocatedBytes();
            } else if (completed == WARMUP + MEASURED) {
                result.complete(threads.getCurrentThreadAllocatedBytes() - startBytes);
            }
            if (completed < WARMUP + MEASURED) {
                return true;
            }
            if (--live == 0) {
                stopped.complete(null);
            }
            return false;
        }

        void failed(Throwable cause) {
            result.completeExceptionally(cause);
            stopped.completeExceptionally(cause);
        }
    }

    /** One slot of the queue: reads a random block, into its own buffer or a new one, and again on completion. */
    private static final class Reader implements GenericFutureListener<Future<Object>> {
        private final AioFile file;
        private final Counter counter;
        private final boolean allocate;
        private final ByteBuf buffer;
        private long seed;

        Reader(AioFile file, Counter counter, boolean allocate) {
            this.file = file;
            this.counter = counter;
            this.allocate = allocate;
            this.buffer = allocate ? null : file.allocator().directBuffer(BLOCK, BLOCK);
            this.seed = System.identityHashCode(this);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        void next() {
            // A xorshift step: a random block without allocating.
            seed ^= seed << 13;
            seed ^= seed >>> 7;
            seed ^= seed << 17;
            long position = (seed & Long.MAX_VALUE) % (FILE_SIZE / BLOCK) * BLOCK;
            Future f = allocate ? file.read(position, BLOCK) : file.read(position, buffer.clear());
            f.addListener(this);
        }

        @Override
        public void operationComplete(Future<Object> f) {
            if (!f.isSuccess()) {
                counter.failed(f.cause());
                return;
            }
            if (allocate) {
                ((ByteBuf) f.getNow()).release();
            }
            if (counter.completed()) {
                next();
            } else if (buffer != null) {
                buffer.release();
            }
        }
    }
}
