/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.testing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.unix.FileDescriptor;
import io.netty.contrib.channel.aio.AioEventLoop;
import io.netty.contrib.channel.aio.AioIoStats;
import io.netty.contrib.channel.aio.core.AioContext;
import io.netty.contrib.channel.aio.core.Native;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Small helpers shared by the AIO tests: draining a context, pipes, bytes in and out of buffers. */
public final class AioTests {
    /** How long a test waits for a completion that must come: generous, the build machine is shared. */
    public static final Duration PATIENCE = Duration.ofSeconds(20);

    /**
     * A descriptor number no process has open (far above any RLIMIT_NOFILE): the kernel answers EBADF for it,
     * deterministically, where a just-closed number could already have been reused by another thread.
     */
    public static final int NEVER_OPEN_FD = Integer.MAX_VALUE;

    private AioTests() {
    }

    /** Reaps until nothing is in flight; fails the test if that takes longer than {@link #PATIENCE}. */
    public static int drain(AioContext ctx) throws IOException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int n = 0;
        while (ctx.inFlight() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail(ctx.inFlight() + " operations still in flight after " + PATIENCE + ": " + ctx);
            }
            n += ctx.getEvents(1, ctx.depth(), left);
        }
        return n;
    }

    /** Reaps until exactly {@code expected} completions arrived; fails on timeout. */
    public static void reap(AioContext ctx, int expected) throws IOException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int n = 0;
        while (n < expected) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("only " + n + " of " + expected + " completions within " + PATIENCE + ": " + ctx);
            }
            n += ctx.getEvents(1, expected - n, left);
        }
        assertEquals(expected, n);
    }

    /**
     * The loop's stats once {@code condition} holds, taken on the loop; fails after {@link #PATIENCE}. Operations
     * submitted by a task reach the kernel at the end of the loop's iteration, and there is no event to wait on for
     * that: this looks again every millisecond.
     */
    public static AioIoStats awaitStats(AioEventLoop loop, Predicate<AioIoStats> condition) throws Exception {
        return awaitStats(loop, loop.aioHandler(), condition);
    }

    /**
     * As {@link #awaitStats(AioEventLoop, Predicate)}, for a loop of any type that {@code handler} drives (a
     * {@code MultiThreadIoEventLoopGroup} built on {@code AioIoHandler.newFactory()}).
     */
    public static AioIoStats awaitStats(io.netty.util.concurrent.EventExecutor loop,
                                        io.netty.contrib.channel.aio.AioIoHandler handler,
                                        Predicate<AioIoStats> condition) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (;;) {
            AioIoStats stats = loop.submit(handler::stats).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            if (condition.test(stats)) {
                return stats;
            }
            if (System.nanoTime() > deadline) {
                fail("never reached within " + PATIENCE + ": " + stats);
            }
            Thread.sleep(1);
        }
    }

    /** A pipe with close-on-exec, non-blocking ends: {@code [0]} reads, {@code [1]} writes. */
    public static FileDescriptor[] pipe() throws IOException {
        return Native.newPipe(Native.O_CLOEXEC | Native.O_NONBLOCK);
    }

    /** Writes all of {@code data} to a descriptor (a pipe end, a socket) in one write(2). */
    public static void write(FileDescriptor fd, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(data.length);
        b.put(data).flip();
        assertEquals(data.length, fd.write(b, 0, data.length), "short write");
    }

    /** Closes descriptors, ignoring nulls. */
    public static void closeAll(FileDescriptor... fds) throws IOException {
        for (FileDescriptor fd : fds) {
            if (fd != null) {
                fd.close();
            }
        }
    }

    /** {@code buf}'s bytes in {@code [index, index + length)}, without moving its indices. */
    public static byte[] bytes(ByteBuf buf, int index, int length) {
        byte[] out = new byte[length];
        buf.getBytes(index, out);
        return out;
    }

    /** The test pattern ({@link TestFiles#patternByte}) for file offsets {@code [offset, offset + length)}. */
    public static byte[] pattern(long offset, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = TestFiles.patternByte(offset + i);
        }
        return out;
    }

    /**
     * This process's AIO contexts as "N contexts, B bytes of ring": each {@code io_setup} maps its completion ring
     * as a shared mapping named {@code /[aio]}, sized by the context's depth. Unlike the machine-wide
     * {@code fs.aio-nr}, no other process moves it.
     */
    public static String aioRings() throws java.io.IOException {
        int contexts = 0;
        long bytes = 0;
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Paths.get("/proc/self/maps"))) {
            if (line.contains("/[aio]")) {
                String range = line.substring(0, line.indexOf(' '));
                int dash = range.indexOf('-');
                bytes += Long.parseUnsignedLong(range.substring(dash + 1), 16)
                        - Long.parseUnsignedLong(range.substring(0, dash), 16);
                contexts++;
            }
        }
        return contexts + " contexts, " + bytes + " bytes of ring";
    }
}
