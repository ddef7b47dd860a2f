/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.channel.Channel;
import io.netty.channel.IoRegistration;
import io.netty.channel.unix.FileDescriptor;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.testing.AioTests;
import io.netty.contrib.channel.aio.testing.LoopThread;
import io.netty.contrib.channel.aio.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loop's epoll set through the public extension API ({@link AioIoRegistration#watch}), and both ways the loop
 * sleeps ({@link AioIoHandlerConfig.WakeMode}): readiness arrives as {@link AioIoEvent#READINESS} events without
 * an AIO slot, a descriptor epoll refuses gets an exception naming it and the errno, a cancelled registration
 * leaves the set, and tasks from other threads, sockets and busy-polling work in each mode.
 */
class AioReadinessTest {
    private static final long TIMEOUT_S = 10;

    private final List<AioEventLoopGroup> groups = new ArrayList<>();
    private final List<FileDescriptor> fds = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AioEventLoopGroup group : groups) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
        for (FileDescriptor fd : fds) {
            fd.close();
        }
    }

    private AioEventLoop loop(AioIoHandlerConfig config) {
        AioEventLoopGroup group = new AioEventLoopGroup(1, (ThreadFactory) null, config);
        groups.add(group);
        return group.next();
    }

    private FileDescriptor[] pipe() throws IOException {
        FileDescriptor[] pipe = AioTests.pipe();
        fds.add(pipe[0]);
        fds.add(pipe[1]);
        return pipe;
    }

    private static AioIoRegistration register(AioEventLoop loop, AioIoHandle handle) throws Exception {
        IoRegistration wrapper = loop.register(handle).get(TIMEOUT_S, TimeUnit.SECONDS);
        return wrapper.attachment();
    }

    private static <T> T onLoop(AioEventLoop loop, java.util.concurrent.Callable<T> task) throws Exception {
        return loop.submit(task).get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(AioIoHandlerConfig.WakeMode.class)
    void aWatchedPipeReportsReadinessOncePerEdgeWithoutAnAioSlot(AioIoHandlerConfig.WakeMode mode) throws Exception {
        AioEventLoop loop = loop(new AioIoHandlerConfig().wakeMode(mode));
        FileDescriptor[] pipe = pipe();
        RecordingHandle handle = new RecordingHandle("pipe");
        AioIoRegistration reg = register(loop, handle);
        onLoop(loop, () -> {
            reg.watch(pipe[0].intValue(), AioIoEvent.EPOLLIN);
            // The same interest again changes nothing (and costs no syscall).
            reg.watch(pipe[0].intValue(), AioIoEvent.EPOLLIN);
            return null;
        });
        AioIoStats watching = onLoop(loop, loop::stats);
        assertEquals(1, watching.watched(), watching.toString());

        for (int round = 1; round <= 3; round++) {
            handle.expect(1);
            pipe[1].write(java.nio.ByteBuffer.allocateDirect(1).put((byte) round).flip(), 0, 1);
            assertTrue(handle.await(TIMEOUT_S, TimeUnit.SECONDS), "no readiness event in round " + round);
        }
        AioIoStats after = onLoop(loop, loop::stats);
        List<RecordingHandle.Event> events = handle.events();
        // Edge-triggered: one event per write, although nothing was ever read from the pipe.
        assertEquals(3, events.size(), events.toString());
        for (RecordingHandle.Event e : events) {
            assertEquals(AioIoEvent.READINESS, e.opcode(), e.toString());
            assertEquals(AioIoEvent.EPOLLIN, e.res() & AioIoEvent.EPOLLIN, e.toString());
            assertEquals(loopThread(loop), e.thread());
        }
        // The watched pipe holds no AIO slot; in AIO_POLL mode the loop's own POLL on its set may hold one.
        assertTrue(after.inFlight() <= (mode == AioIoHandlerConfig.WakeMode.AIO_POLL ? 1 : 0),
                "readiness holds no AIO slot: " + after);
        assertEquals(3, after.readinessEvents() - watching.readinessEvents(), after.toString());
        if (mode == AioIoHandlerConfig.WakeMode.EPOLL_WAIT) {
            assertEquals(0, after.submitted(), "EPOLL_WAIT submits no iocb for readiness: " + after);
        } else {
            assertTrue(after.submitted() >= 3, "AIO_POLL wakes through a POLL on the set: " + after);
        }

        // Cancelled: out of the set, no event for later writes, unregistered.
        onLoop(loop, reg::cancel);
        assertTrue(handle.awaitUnregistered(TIMEOUT_S, TimeUnit.SECONDS));
        pipe[1].write(java.nio.ByteBuffer.allocateDirect(1).put((byte) 9).flip(), 0, 1);
        // A task queued after the write runs after the iteration that would have seen its event.
        onLoop(loop, () -> null);
        onLoop(loop, () -> null);
        assertEquals(3, handle.events().size(), handle.events().toString());
        assertEquals(0, onLoop(loop, loop::stats).watched());
    }

    private static Thread loopThread(AioEventLoop loop) throws Exception {
        return onLoop(loop, Thread::currentThread);
    }

    @Test
    void aRegularFileIsRefusedWithEpermNamingTheDescriptorAndTheLoopGoesOn() throws Exception {
        AioEventLoop loop = loop(new AioIoHandlerConfig());
        int fd = TestFiles.open(TestFiles.newPath("regular"), Native.O_RDWR | Native.O_CREAT);
        try {
            AioIoRegistration reg = register(loop, new RecordingHandle("file"));
            IOException e = onLoop(loop, () -> assertThrows(IOException.class,
                    () -> reg.watch(fd, AioIoEvent.EPOLLIN)));
            assertTrue(e.getMessage().contains("EPOLL_CTL_ADD") && e.getMessage().contains("fd " + fd)
                    && e.getMessage().contains("EPERM") && e.getMessage().contains("regular file"), e.getMessage());
            assertEquals(0, onLoop(loop, loop::stats).watched());
            assertLoopEchoes(loop);
        } finally {
            TestFiles.close(fd);
        }
    }

    @Test
    void badArgumentsAndASecondWatcherAreRefusedClearly() throws Exception {
        AioEventLoop loop = loop(new AioIoHandlerConfig());
        FileDescriptor[] pipe = pipe();
        int rfd = pipe[0].intValue();
        AioIoRegistration first = register(loop, new RecordingHandle("first"));
        AioIoRegistration second = register(loop, new RecordingHandle("second"));
        onLoop(loop, () -> {
            first.watch(rfd, AioIoEvent.EPOLLIN);
            return null;
        });
        IllegalStateException offLoop = assertThrows(IllegalStateException.class,
                () -> first.watch(rfd, AioIoEvent.EPOLLIN | AioIoEvent.EPOLLOUT));
        assertTrue(offLoop.getMessage().contains("loop thread"), offLoop.getMessage());
        onLoop(loop, () -> {
            IllegalArgumentException bits = assertThrows(IllegalArgumentException.class,
                    () -> second.watch(rfd, 1 << 30));
            assertTrue(bits.getMessage().contains("fd " + rfd) && bits.getMessage().contains("0x40000000"),
                    bits.getMessage());
            assertThrows(IllegalArgumentException.class, () -> second.watch(-1, AioIoEvent.EPOLLIN));
            IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                    () -> first.watch(pipe[1].intValue(), AioIoEvent.EPOLLOUT));
            assertTrue(other.getMessage().contains("watches fd " + rfd), other.getMessage());
            IOException twice = assertThrows(IOException.class, () -> second.watch(rfd, AioIoEvent.EPOLLIN));
            assertTrue(twice.getMessage().contains("EEXIST") && twice.getMessage().contains("fd " + rfd),
                    twice.getMessage());
            second.cancel();
            IllegalStateException cancelled = assertThrows(IllegalStateException.class,
                    () -> second.watch(pipe[1].intValue(), AioIoEvent.EPOLLOUT));
            assertTrue(cancelled.getMessage().contains("cancelled"), cancelled.getMessage());
            return null;
        });
        assertEquals(1, onLoop(loop, loop::stats).watched());
        assertLoopEchoes(loop);
    }

    @ParameterizedTest
    @EnumSource(AioIoHandlerConfig.WakeMode.class)
    void eachWakeModeServesSocketsAndTasksFromOtherThreads(AioIoHandlerConfig.WakeMode mode) throws Exception {
        AioEventLoop loop = loop(new AioIoHandlerConfig().wakeMode(mode));
        assertLoopEchoes(loop);
        // Tasks from another thread while the loop sleeps: each wakes it. Each is sent only once the kernel shows
        // the loop thread asleep in its poll (sent sooner, a task can reach a loop that is still awake from the last
        // one, and on a loaded machine all 200 did once).
        LoopThread thread = LoopThread.of(loop);
        long sleepsBefore = onLoop(loop, loop::stats).sleeps();
        int tasks = 200;
        for (int i = 0; i < tasks; i++) {
            thread.awaitAsleepInPoll(TIMEOUT_S);
            CountDownLatch ran = new CountDownLatch(1);
            loop.execute(ran::countDown);
            assertTrue(ran.await(TIMEOUT_S, TimeUnit.SECONDS), "task " + i + " never ran");
        }
        AioIoStats stats = onLoop(loop, loop::stats);
        // Each task ran after a sleep it was sent into ended, so each one saw a sleep of its own.
        assertTrue(stats.sleeps() - sleepsBefore >= tasks, "the loop slept before each task: " + stats);
        assertTrue(stats.wakeups() > 0, "wakeup() woke it: " + stats);
    }

    @ParameterizedTest
    @EnumSource(AioIoHandlerConfig.WakeMode.class)
    void aLoopBusyWithFileReadsStillServesSocketsAndTasks(AioIoHandlerConfig.WakeMode mode) throws Exception {
        // Enough completions that the EPOLL_WAIT loop takes its eventfd out of the set (and sleeps in ppoll on the
        // eventfd and the set), then readiness alone, which puts it back.
        AioEventLoop loop = loop(new AioIoHandlerConfig().wakeMode(mode));
        int fd = TestFiles.open(TestFiles.patternFile("busy-reads", 4096), Native.O_RDONLY);
        try {
            RecordingHandle handle = new RecordingHandle("reads");
            AioIoRegistration reg = register(loop, handle);
            for (int round = 0; round < 3; round++) {
                int reads = 200;
                handle.expect(reads);
                io.netty.buffer.ByteBuf[] bufs = new io.netty.buffer.ByteBuf[reads];
                for (int i = 0; i < reads; i++) {
                    bufs[i] = io.netty.buffer.Unpooled.directBuffer(512);
                    reg.submit(AioIoOps.pread(fd, bufs[i], (i % 8) * 512L, i));
                }
                assertTrue(handle.await(TIMEOUT_S, TimeUnit.SECONDS), "reads of round " + round + " incomplete");
                for (io.netty.buffer.ByteBuf b : bufs) {
                    b.release();
                }
                // Sockets and tasks in between, while the loop sleeps either way.
                assertLoopEchoes(loop);
                CountDownLatch ran = new CountDownLatch(1);
                loop.execute(ran::countDown);
                assertTrue(ran.await(TIMEOUT_S, TimeUnit.SECONDS));
            }
            for (RecordingHandle.Event e : handle.events()) {
                assertEquals(512, e.res(), e.toString());
            }
        } finally {
            TestFiles.close(fd);
        }
    }

    @Test
    void busyPollingServesSocketsAndStillSleeps() throws Exception {
        AioEventLoop loop = loop(new AioIoHandlerConfig().busyPoll(50, TimeUnit.MICROSECONDS));
        assertLoopEchoes(loop);
        long sleeps = onLoop(loop, loop::stats).sleeps();
        CountDownLatch scheduledRan = new CountDownLatch(1);
        loop.schedule(scheduledRan::countDown, 20, TimeUnit.MILLISECONDS);
        assertTrue(scheduledRan.await(TIMEOUT_S, TimeUnit.SECONDS), "the scheduled task never ran");
        assertTrue(onLoop(loop, loop::stats).sleeps() > sleeps, "the loop sleeps once the spin is over");
    }

    /** A TCP echo through {@code loop}: server and client both on it. */
    private static void assertLoopEchoes(AioEventLoop loop) throws Exception {
        Channel server = AioSocketEchoTest.startEchoServer(loop, AioServerSocketChannel.class,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try {
            byte[] data = new byte[64 * 1024];
            Random random = new Random(3);
            random.nextBytes(data);
            AioSocketEchoTest.echoOnce(loop, AioSocketChannel.class, server.localAddress(), data, random);
        } finally {
            server.close().sync();
        }
    }
}
