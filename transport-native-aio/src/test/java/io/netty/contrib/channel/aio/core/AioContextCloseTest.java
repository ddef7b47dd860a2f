/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.buffer.ByteBuf;
import io.netty.channel.unix.FileDescriptor;
import io.netty.contrib.channel.aio.testing.AioTests;
import io.netty.contrib.channel.aio.testing.CompletionRecorder;
import io.netty.contrib.channel.aio.testing.LeakFailingExtension;
import io.netty.contrib.channel.aio.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.netty.contrib.channel.aio.testing.AioTests.bytes;
import static io.netty.contrib.channel.aio.testing.AioTests.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AioContext#close()} cancels, then waits: it returns only after every in-flight block has completed and
 * its callback has run, with every retained buffer released. After it, every operation is refused.
 */
class AioContextCloseTest {
    private static final int READ_SIZE = 64 * 1024;

    private FileDescriptor[] pipe;
    private EventFd efd;
    private Path file;
    private final CompletionRecorder done = new CompletionRecorder();

    @BeforeEach
    void open() throws Exception {
        pipe = AioTests.pipe();
        efd = EventFd.create();
        file = TestFiles.patternFile("close", 8 * READ_SIZE);
    }

    @AfterEach
    void close() throws Exception {
        AioTests.closeAll(pipe[0], pipe[1], efd);
        Files.deleteIfExists(file);
    }

    @ParameterizedTest
    @EnumSource(AioContext.ReapMode.class)
    void closeReturnsOnlyAfterEveryInFlightBlockCompletedAndReleasedItsBuffers(AioContext.ReapMode mode)
            throws Exception {
        int fd = TestFiles.open(file, Native.O_RDONLY | Native.O_DIRECT);
        List<ByteBuf> buffers = new ArrayList<>();
        List<AioBlock> polls = new ArrayList<>();
        List<AioBlock> reads = new ArrayList<>();
        AioContext ctx = AioContext.open(32, mode);
        try {
            for (int i = 0; i < 6; i++) {
                polls.add(AioBlock.poll(i % 2 == 0 ? pipe[0] : efd, Native.POLLIN).callback(done));
            }
            for (int i = 0; i < 8; i++) {
                ByteBuf b = TestFiles.ALIGNED.directBuffer(READ_SIZE, READ_SIZE);
                buffers.add(b);
                reads.add(AioBlock.pread(fd, b, (long) i * READ_SIZE).callback(done));
            }
            assertEquals(6, ctx.submit(polls));
            assertEquals(8, ctx.submit(reads));
            for (ByteBuf b : buffers) {
                assertEquals(2, b.refCnt(), "the kernel's reference, held by the context");
            }
            Thread closer = Thread.currentThread();

            ctx.close();

            assertFalse(ctx.isOpen());
            assertEquals(0, ctx.inFlight());
            List<AioBlock> all = new ArrayList<>(polls);
            all.addAll(reads);
            done.assertEachExactlyOnce(all);
            for (AioBlock p : polls) {
                assertEquals(-Native.ECANCELED, done.res(p), "a pending POLL is cancelled by close");
                assertFalse(p.isInFlight());
            }
            for (int i = 0; i < reads.size(); i++) {
                // Disk reads cannot be cancelled: close waited for them and they carry their data.
                assertEquals(READ_SIZE, done.res(reads.get(i)));
                assertArrayEquals(pattern((long) i * READ_SIZE, 512), bytes(buffers.get(i), 0, 512));
            }
            for (CompletionRecorder.Completion c : done.completions()) {
                assertSame(closer, c.thread, "callbacks run on the closing thread, inside close()");
            }
            for (ByteBuf b : buffers) {
                assertEquals(1, b.refCnt(), "only the test's own reference is left");
            }
        } finally {
            ctx.close();
            for (ByteBuf b : buffers) {
                b.release();
            }
            TestFiles.close(fd);
        }
        assertTrue(LeakFailingExtension.collectLeaks().isEmpty(), "paranoid leak detection reports nothing");
    }

    @Test
    void closeWithATimeoutReportsWhetherItDrained() throws Exception {
        AioContext ctx = AioContext.open(4);
        AioBlock poll = AioBlock.poll(pipe[0], Native.POLLIN).callback(done);
        assertEquals(1, ctx.submit(poll));
        assertTrue(ctx.close(AioTests.PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(-Native.ECANCELED, done.res(poll));
        assertTrue(ctx.close(0, TimeUnit.MILLISECONDS), "idempotent");
    }

    @Test
    void aZeroTimeoutStillDeliversWhatHasCompletedWithItsRealResult() throws Exception {
        AioContext ctx = AioContext.open(4);
        EventFd ready = EventFd.create(1, Native.EFD_CLOEXEC);
        try {
            // Completes inside io_submit: it is in the ring, unreaped, when close begins.
            AioBlock completed = AioBlock.poll(ready, Native.POLLIN).callback(done);
            AioBlock pending = AioBlock.poll(pipe[0], Native.POLLIN).callback(done);
            assertEquals(2, ctx.submit(completed, pending));
            ctx.close(0, TimeUnit.NANOSECONDS);
            assertEquals(Native.POLLIN, done.res(completed), "not reported as cancelled");
            assertEquals(-Native.ECANCELED, done.res(pending));
            assertEquals(0, ctx.inFlight());
        } finally {
            ready.close();
        }
    }

    @Test
    void everyOperationAfterCloseIsRefused() throws Exception {
        AioContext ctx = AioContext.open(4);
        AioBlock poll = AioBlock.poll(efd, Native.POLLIN).callback(done);
        ctx.close();
        ctx.close(); // idempotent
        assertEquals("AioContext is closed",
                assertThrows(IllegalStateException.class, () -> ctx.submit(poll)).getMessage());
        assertThrows(IllegalStateException.class, () -> ctx.submit(List.of(poll)));
        assertThrows(IllegalStateException.class, () -> ctx.getEvents(0, 1, Duration.ZERO));
        assertThrows(IllegalStateException.class, ctx::reap);
        assertThrows(IllegalStateException.class, () -> ctx.cancel(poll));
        assertThrows(IllegalStateException.class, ctx::cancelAll);
        assertFalse(ctx.hasCompletions());
        assertFalse(poll.isInFlight());
        assertEquals(0, done.size());
        assertTrue(ctx.toString().contains("closed"), ctx.toString());
    }

    @Test
    void aCallbackMayNeitherCloseNorReapNorSubmitOnceClosing() throws Exception {
        AioContext ctx = AioContext.open(4);
        List<Throwable> seen = new ArrayList<>();
        AioBlock trigger = AioBlock.poll(pipe[1], Native.POLLOUT).callback((b, res, res2) -> {
            seen.add(assertThrows(IllegalStateException.class, ctx::close));
            seen.add(assertThrows(IllegalStateException.class, () -> ctx.getEvents(0, 1, 0)));
        });
        assertEquals(1, ctx.submit(trigger));
        AioTests.drain(ctx);
        assertEquals(2, seen.size());
        assertTrue(ctx.isOpen(), "the refused close() changed nothing");

        AioBlock rearm = AioBlock.poll(pipe[0], Native.POLLIN);
        rearm.callback((b, res, res2) -> seen.add(assertThrows(IllegalStateException.class, () -> ctx.submit(b))));
        assertEquals(1, ctx.submit(rearm));
        ctx.close();
        assertEquals(3, seen.size(), "the callback ran during close and could not resubmit");
        assertInstanceOf(IllegalStateException.class, seen.get(2));
        assertEquals("AioContext is closing", seen.get(2).getMessage());
        assertFalse(rearm.isInFlight());
    }

    @Test
    void aThrowingCallbackDoesNotStopTheOthers() throws Exception {
        try (AioContext ctx = AioContext.open(4); EventFd ready = EventFd.create(1, Native.EFD_CLOEXEC)) {
            AioBlock bad = AioBlock.poll(ready, Native.POLLIN).callback((b, res, res2) -> {
                throw new IllegalStateException("callback failure on purpose");
            });
            AioBlock good = AioBlock.poll(ready, Native.POLLIN).callback(done);
            assertEquals(2, ctx.submit(bad, good));
            assertEquals(2, AioTests.drain(ctx));
            assertEquals(Native.POLLIN, done.res(good));
            assertEquals(1, ctx.submit(bad), "the context and the block are still usable");
            AioTests.drain(ctx);
        }
    }
}
