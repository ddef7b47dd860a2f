/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fd;

import io.netty.contrib.channel.aio.AioEventLoop;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.contrib.channel.aio.file.AioOpenOption;
import io.netty.contrib.channel.aio.testing.FaultFs;
import io.netty.contrib.channel.aio.testing.TestFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An fd channel in async mode deregistered while its reads or writes are with the kernel (a FUSE file that holds
 * them until the test lets them go) and registered again on the other loop: whatever the kernel did while the
 * channel was between loops counts exactly once. Each write's bytes land once, in order, and its promise
 * succeeds; each read's bytes reach the pipeline once, in order, with no gap.
 */
class AioFdChannelReregisterTest extends AbstractFdChannelTest {
    private static final int BLOCK_SIZE = 4096;
    private static final int BLOCKS = 6;

    private static EventLoop other(EventLoop loop) {
        EventLoop next = group.next();
        return next == loop ? group.next() : next;
    }

    /** Waits until the channel's registration has {@code n} operations with the kernel. */
    private static void awaitInFlight(AioFdChannel ch, int n) throws Exception {
        for (int i = 0; i < 3000; i++) {
            int pending = ch.eventLoop().submit(() -> AioFdChannelAsyncTest.registrationOf(ch).pendingOperations()).get();
            if (pending == n) {
                return;
            }
            Thread.sleep(1); // the loop submits at the end of its iteration: nothing to wait on
        }
        throw new AssertionError("never " + n + " operations in flight");
    }

    @Test
    void writesTheKernelFinishesBetweenLoopsCountOnceAndInOrder() throws Exception {
        Path flag = FaultFs.newReleaseFlag();
        // The file has its final size already: FUSE runs a write that extends a file synchronously, inside
        // io_submit, which would hold the loop itself until the test lets the writes go.
        try (FaultFs fs = FaultFs.mount("out:" + (BLOCKS + 1) * BLOCK_SIZE + ":direct:hang=" + flag)) {
            AioFdChannel ch = AioFdChannel.open(fs.file("out"), StandardOpenOption.WRITE, AioOpenOption.DIRECT);
            ch.config().setOption(AioFdChannelOption.WRITES_IN_FLIGHT, BLOCKS);
            EventLoop first = group.next();
            register(first, ch);
            List<ChannelFuture> writes = new ArrayList<>();
            for (int i = 0; i < BLOCKS; i++) {
                writes.add(ch.write(streamSlice(TestFiles.ALIGNED, (long) i * BLOCK_SIZE, BLOCK_SIZE)));
            }
            ch.flush();
            awaitInFlight(ch, BLOCKS);
            ch.deregister().sync();
            ChannelFuture registered = other(first).register(ch);
            FaultFs.release(flag);
            registered.sync();
            for (int i = 0; i < BLOCKS; i++) {
                assertTrue(writes.get(i).await(30, TimeUnit.SECONDS), "write " + i + " completed");
                assertTrue(writes.get(i).isSuccess(), "write " + i + ": " + writes.get(i).cause());
            }
            // And the channel goes on writing on its new loop, right after them.
            ch.writeAndFlush(streamSlice(TestFiles.ALIGNED, (long) BLOCKS * BLOCK_SIZE, BLOCK_SIZE)).sync();
            ch.close().sync();
            byte[] expected = new byte[(BLOCKS + 1) * BLOCK_SIZE];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = streamByte(i);
            }
            byte[] written = Files.readAllBytes(fs.file("out"));
            assertEquals(expected.length, written.length, "each write's bytes once");
            assertArrayEquals(expected, written);
        }
        loopsStillServeOtherChannels(group);
    }

    @Test
    void readsTheKernelFinishesBetweenLoopsReachThePipelineOnceWithNoGap() throws Exception {
        Path flag = FaultFs.newReleaseFlag();
        int size = 64 * BLOCK_SIZE;
        try (FaultFs fs = FaultFs.mount("in:" + size + ":direct:hang=" + flag)) {
            AioFdChannel ch = AioFdChannel.open(fs.file("in"), StandardOpenOption.READ, AioOpenOption.DIRECT);
            ch.config().setOption(AioFdChannelOption.READS_IN_FLIGHT, 4);
            ch.config().setRecvByteBufAllocator(new io.netty.channel.FixedRecvByteBufAllocator(BLOCK_SIZE));
            List<byte[]> chunks = new java.util.concurrent.CopyOnWriteArrayList<>();
            Received received = new Received() {
                @Override
                public void onBytes(io.netty.channel.ChannelHandlerContext ctx, byte[] b) {
                    chunks.add(b);
                }
            };
            EventLoop first = group.next();
            register(first, ch, received);
            awaitInFlight(ch, 4);
            ch.deregister().sync();
            ChannelFuture registered = other(first).register(ch);
            FaultFs.release(flag);
            registered.sync();
            assertEquals(size, received.awaitDone(), "every byte once");
            byte[] all = new byte[size];
            int at = 0;
            for (byte[] chunk : chunks) {
                System.arraycopy(chunk, 0, all, at, chunk.length);
                at += chunk.length;
            }
            byte[] expected = new byte[size];
            for (int i = 0; i < size; i++) {
                expected[i] = TestFiles.patternByte(i);
            }
            assertTrue(Arrays.equals(expected, all), "in order, no gap");
            assertTrue(received.errors.isEmpty(), String.valueOf(received.errors));
            ch.closeFuture().sync();
            assertFalse(ch.isOpen());
        }
        loopsStillServeOtherChannels(group);
    }

    @Test
    void aChannelClosedBetweenLoopsReleasesWhatTheKernelFinishedMeanwhile() throws Exception {
        Path flag = FaultFs.newReleaseFlag();
        try (FaultFs fs = FaultFs.mount("in:" + (16 * BLOCK_SIZE) + ":direct:hang=" + flag)) {
            AioFdChannel ch = AioFdChannel.open(fs.file("in"), StandardOpenOption.READ, AioOpenOption.DIRECT);
            ch.config().setOption(AioFdChannelOption.READS_IN_FLIGHT, 4);
            register(group.next(), ch, new Received());
            awaitInFlight(ch, 4);
            EventLoop loop = ch.eventLoop();
            ch.deregister().sync();
            FaultFs.release(flag);
            // The reads complete on the old loop while the channel has none; then it is closed without one
            // (on that loop, which it still names).
            AioEventLoop aioLoop = (AioEventLoop) loop;
            for (int i = 0; i < 3000 && loop.submit(() -> aioLoop.stats().inFlight()).get() > 0; i++) {
                Thread.sleep(1); // the old loop reaps them when the filesystem answers: nothing to wait on
            }
            assertEquals(0, (int) loop.submit(() -> aioLoop.stats().inFlight()).get(), "the reads completed");
            assertTrue(ch.close().await(30, TimeUnit.SECONDS), "closed");
            assertFalse(ch.isOpen());
            // Paranoid leak detection (LeakFailingExtension) fails the class if a read's buffer was kept.
        }
    }
}
