/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.channel.unix.FileDescriptor;
import io.netty.contrib.channel.aio.testing.AioTests;
import io.netty.contrib.channel.aio.testing.CompletionRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.netty.contrib.channel.aio.testing.AioTests.drain;
import static io.netty.contrib.channel.aio.testing.AioTests.reap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code IOCB_CMD_POLL} on a pipe and an eventfd, the eventfd counter that {@code IOCB_FLAG_RESFD} drives, and
 * cancellation of pending polls — on both reaping paths.
 */
class AioContextPollTest {
    private FileDescriptor[] pipe;
    private EventFd efd;
    private final CompletionRecorder done = new CompletionRecorder();

    @BeforeEach
    void open() throws Exception {
        pipe = AioTests.pipe();
        efd = EventFd.create();
    }

    @AfterEach
    void close() throws Exception {
        AioTests.closeAll(pipe[0], pipe[1], efd);
    }

    @ParameterizedTest
    @EnumSource(AioContext.ReapMode.class)
    void pollOnAPipeReportsNothingBeforeDataAndPollinAfter(AioContext.ReapMode mode) throws Exception {
        try (AioContext ctx = AioContext.open(4, mode)) {
            AioBlock poll = AioBlock.poll(pipe[0], Native.POLLIN).callback(done);
            assertEquals(1, ctx.submit(poll));
            assertEquals(0, ctx.getEvents(0, 4, Duration.ZERO));
            assertEquals(0, ctx.getEvents(1, 4, Duration.ofMillis(50)), "no data, no completion");
            assertTrue(poll.isInFlight());
            assertEquals(0, done.size());

            AioTests.write(pipe[1], new byte[] {1, 2, 3});
            reap(ctx, 1);
            // The mask comes from the pipe's wake-up: POLLIN with its companion POLLRDNORM.
            long mask = done.res(poll);
            assertEquals(Native.POLLIN, mask & Native.POLLIN, () -> "mask 0x" + Long.toHexString(mask));
            assertEquals(0, mask & (Native.POLLOUT | Native.POLLERR | Native.POLLHUP), "nothing else");
            assertFalse(poll.isInFlight());
        }
    }

    @ParameterizedTest
    @EnumSource(AioContext.ReapMode.class)
    void pollOnAnEventFdReportsNothingBeforeAWriteAndPollinAfter(AioContext.ReapMode mode) throws Exception {
        try (AioContext ctx = AioContext.open(4, mode)) {
            AioBlock poll = AioBlock.poll(efd, Native.POLLIN).callback(done);
            assertEquals(1, ctx.submit(poll));
            assertEquals(0, ctx.getEvents(1, 4, Duration.ofMillis(50)));
            efd.write(5);
            reap(ctx, 1);
            assertEquals(Native.POLLIN, done.res(poll));
            assertEquals(5, efd.read(), "POLL only looks: the counter is still there");
        }
    }

    @ParameterizedTest
    @EnumSource(AioContext.ReapMode.class)
    void pollForWritableOnAnEmptyPipeCompletesAtOnce(AioContext.ReapMode mode) throws Exception {
        try (AioContext ctx = AioContext.open(4, mode)) {
            AioBlock poll = AioBlock.poll(pipe[1], Native.POLLOUT).callback(done);
            assertEquals(1, ctx.submit(poll));
            reap(ctx, 1);
            assertEquals(Native.POLLOUT, done.res(poll));
        }
    }

    @ParameterizedTest
    @EnumSource(AioContext.ReapMode.class)
    void pollReportsHangUpWhenTheWriterCloses(AioContext.ReapMode mode) throws Exception {
        try (AioContext ctx = AioContext.open(4, mode)) {
            AioBlock poll = AioBlock.poll(pipe[0], Native.POLLIN).callback(done);
            assertEquals(1, ctx.submit(poll));
            pipe[1].close();
            reap(ctx, 1);
            assertTrue((done.res(poll) & Native.POLLHUP) != 0, "POLLHUP is always reported: " + done.res(poll));
        }
    }

    @ParameterizedTest
    @EnumSource(AioContext.ReapMode.class)
    void theResfdCounterRisesOncePerCompletion(AioContext.ReapMode mode) throws Exception {
        try (AioContext ctx = AioContext.open(16, mode); EventFd readyFd = EventFd.create(1, Native.EFD_CLOEXEC)) {
            List<AioBlock> blocks = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                // Each poll is on an always-readable eventfd and signals efd when it completes.
                blocks.add(AioBlock.poll(readyFd, Native.POLLIN).resfd(efd).callback(done));
            }
            AioBlock unsignalled = AioBlock.poll(readyFd, Native.POLLIN).callback(done);
            assertEquals(7, ctx.submit(blocks));
            assertEquals(1, ctx.submit(unsignalled));
            assertEquals(8, drain(ctx));
            assertEquals(7, efd.read(), "one increment per completion that asked for it");
            assertEquals(0, efd.read(), "reading reset it");

            assertEquals(3, ctx.submit(blocks.subList(0, 3)));
            drain(ctx);
            assertEquals(3, efd.read());
        }
    }

    @ParameterizedTest
    @EnumSource(AioContext.ReapMode.class)
    void cancellingAPendingPollCompletesItWithEcanceled(AioContext.ReapMode mode) throws Exception {
        try (AioContext ctx = AioContext.open(4, mode)) {
            AioBlock poll = AioBlock.poll(pipe[0], Native.POLLIN).callback(done);
            AioBlock other = AioBlock.poll(efd, Native.POLLIN).callback(done);
            assertEquals(2, ctx.submit(poll, other));
            assertTrue(ctx.cancel(poll), "io_cancel accepted the request");
            // The outcome arrives through the completion path, not from cancel().
            reap(ctx, 1);
            assertEquals(-Native.ECANCELED, done.res(poll));
            assertTrue(other.isInFlight(), "the other poll is untouched");
            assertEquals(1, ctx.cancelRequestCount());

            assertFalse(ctx.cancel(poll), "no longer in flight");
            AioBlock never = AioBlock.poll(pipe[0], Native.POLLIN);
            assertFalse(ctx.cancel(never), "never submitted");

            efd.write(1);
            reap(ctx, 1);
            assertEquals(Native.POLLIN, done.res(other));
            assertEquals(0, ctx.cancelAll(), "nothing left to cancel");
        }
    }

    @ParameterizedTest
    @EnumSource(AioContext.ReapMode.class)
    void cancelAllCancelsEveryPendingPoll(AioContext.ReapMode mode) throws Exception {
        try (AioContext ctx = AioContext.open(8, mode)) {
            List<AioBlock> polls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                polls.add(AioBlock.poll(i % 2 == 0 ? pipe[0] : efd, Native.POLLIN).callback(done));
            }
            assertEquals(6, ctx.submit(polls));
            assertEquals(6, ctx.cancelAll());
            drain(ctx);
            done.assertEachExactlyOnce(polls);
            for (AioBlock p : polls) {
                assertEquals(-Native.ECANCELED, done.res(p));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(AioContext.ReapMode.class)
    void aCallbackCanReArmItsPoll(AioContext.ReapMode mode) throws Exception {
        try (AioContext ctx = AioContext.open(2, mode); EventFd ready = EventFd.create(1, Native.EFD_CLOEXEC)) {
            int[] rounds = {0};
            AioBlock poll = AioBlock.poll(ready, Native.POLLIN);
            poll.callback((b, res, res2) -> {
                assertEquals(Native.POLLIN, res);
                if (++rounds[0] < 10) {
                    try {
                        assertEquals(1, ctx.submit(b));
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }
            });
            assertEquals(1, ctx.submit(poll));
            drain(ctx);
            assertEquals(10, rounds[0]);
            assertEquals(10, ctx.completionCount());
        }
    }
}
