/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.buffer.ByteBuf;
import io.netty.channel.IoRegistration;
import io.netty.contrib.channel.aio.core.EventFd;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loop shutdown with the kernel still holding operations: O_DIRECT reads on a real file and POLLs that never fire.
 * Everything completes exactly once, buffers come back (the paranoid leak detector fails the class otherwise), and
 * the operations that outlive the shutdown timeout are named in a warning.
 */
class AioEventLoopShutdownTest {
    private static final int CHUNK = 1 << 20;
    private static final int READS = 16;
    private static final int POLLS = 4;

    private final List<ByteBuf> buffers = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (ByteBuf b : buffers) {
            assertEquals(1, b.refCnt(), "the loop released its reference");
            b.release();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    @Test
    void groupShutdownWithInFlightDirectReadsAndPollsCompletesEverything() throws Exception {
        AioEventLoopGroup group = new AioEventLoopGroup(2, (ThreadFactory) null, new AioIoHandlerConfig().depth(64));
        int fd = directFile();
        List<RecordingHandle> handles = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            AioEventLoop loop = group.next();
            RecordingHandle handle = new RecordingHandle("loop-" + i);
            IoRegistration reg = loop.register(handle).get(10, TimeUnit.SECONDS);
            // Half behave as channels do (close() cancels the registration), half leave it to the loop.
            if (i == 0) {
                handle.cancelOnClose(reg);
            }
            submitAll(loop, reg, fd);
            handles.add(handle);
        }
        assertTrue(group.shutdownGracefully(0, 10, TimeUnit.SECONDS).await(60, TimeUnit.SECONDS));
        assertTrue(group.isTerminated());
        for (RecordingHandle handle : handles) {
            assertEverythingCompletedOnce(handle);
        }
    }

    @Test
    void shutdownNamesTheOperationsThatOutliveItsTimeout() throws Exception {
        AioEventLoopGroup group = new AioEventLoopGroup(1, (ThreadFactory) null,
                new AioIoHandlerConfig().depth(64).shutdownTimeout(0, TimeUnit.MILLISECONDS));
        int fd = directFile();
        AioEventLoop loop = group.next();
        RecordingHandle handle = new RecordingHandle("stuck");
        IoRegistration reg = loop.register(handle).get(10, TimeUnit.SECONDS);
        try (LogCapture log = new LogCapture(AioIoHandler.class)) {
            submitAll(loop, reg, fd);
            assertTrue(group.shutdownGracefully(0, 10, TimeUnit.SECONDS).await(60, TimeUnit.SECONDS));
            List<String> warnings = log.matching("did not complete within 0 ms");
            assertEquals(1, warnings.size(), log.messages().toString());
            assertTrue(warnings.get(0).contains("of RecordingHandle(stuck)"), warnings.get(0));
            assertTrue(warnings.get(0).contains("POLL") || warnings.get(0).contains("PREAD"), warnings.get(0));
        }
        assertEverythingCompletedOnce(handle);
    }

    private int directFile() throws Exception {
        Path file = TestFiles.patternFile("shutdown", CHUNK * READS);
        int fd = TestFiles.open(file, Native.O_RDONLY | Native.O_DIRECT);
        closeables.add(() -> TestFiles.close(fd));
        return fd;
    }

    /** Submits the reads and POLLs from the loop and returns once the kernel holds them. */
    private void submitAll(AioEventLoop loop, IoRegistration reg, int fd) throws Exception {
        List<AioIoOps> ops = new ArrayList<>();
        for (int i = 0; i < READS; i++) {
            ByteBuf b = TestFiles.ALIGNED.directBuffer(CHUNK, CHUNK);
            buffers.add(b);
            ops.add(AioIoOps.pread(fd, b, (long) i * CHUNK, i));
        }
        for (int i = 0; i < POLLS; i++) {
            EventFd e = EventFd.create();
            closeables.add(e);
            ops.add(AioIoOps.poll(e.intValue(), Native.POLLIN, READS + i));
        }
        loop.submit(() -> {
            for (AioIoOps op : ops) {
                reg.submit(op);
            }
        }).get(10, TimeUnit.SECONDS);
        // They reach the kernel in the loop's next iteration: wait for it, or shutdown may find them still queued.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (loop.submit(() -> loop.stats().queued()).get(10, TimeUnit.SECONDS) != 0) {
            assertTrue(System.nanoTime() < deadline, "operations never left the queue");
            Thread.sleep(1);
        }
    }

    private static void assertEverythingCompletedOnce(RecordingHandle handle) throws InterruptedException {
        assertTrue(handle.awaitUnregistered(10, TimeUnit.SECONDS), handle + " never unregistered");
        assertEquals(1, handle.closeCalls, "close() once, however many shutdown iterations");
        assertEquals(1, handle.unregisteredCalls);
        List<RecordingHandle.Event> events = handle.events();
        assertEquals(READS + POLLS, events.size(), handle + ": " + events);
        assertEquals(READS + POLLS, handle.eventsAtUnregistered);
        Set<Long> seen = new HashSet<>();
        for (RecordingHandle.Event e : events) {
            assertTrue(seen.add(e.userData()), "twice: " + e);
            if (e.opcode() == Native.IOCB_CMD_POLL) {
                assertEquals(-Native.ECANCELED, e.res(), e.toString());
            } else {
                assertTrue(e.res() == CHUNK || e.res() == -Native.ECANCELED, e.toString());
            }
        }
        assertFalse(events.isEmpty());
    }
}
