/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.IoEvent;
import io.netty.channel.IoHandle;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.unix.Buffer;
import io.netty.contrib.channel.aio.core.AioContext;
import io.netty.contrib.channel.aio.core.EventFd;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.testing.AioTests;
import io.netty.contrib.channel.aio.testing.TestFiles;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static io.netty.contrib.channel.aio.testing.AioTests.awaitStats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Custom {@link AioIoHandle}s on a real loop: raw events of PREAD/PWRITE/POLL, the slab under pressure, cancellation,
 * the POLL reserve, fail-fast, bad input, stale completions and the allocation-free re-arm path.
 */
class AioIoHandlerTest {
    private static final long TIMEOUT_S = 30;

    private final List<AioEventLoopGroup> groups = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AioEventLoopGroup g : groups) {
            assertTrue(g.shutdownGracefully(0, 10, TimeUnit.SECONDS).await(TIMEOUT_S, TimeUnit.SECONDS));
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private AioEventLoop loop(AioIoHandlerConfig config) {
        AioEventLoopGroup group = new AioEventLoopGroup(1, (ThreadFactory) null, config);
        groups.add(group);
        return group.next();
    }

    private EventFd eventFd() throws Exception {
        EventFd e = EventFd.create();
        closeables.add(e);
        return e;
    }

    private int open(Path path, int flags) {
        int fd = TestFiles.open(path, flags);
        closeables.add(() -> TestFiles.close(fd));
        return fd;
    }

    private static <T> T onLoop(AioEventLoop loop, Callable<T> task) throws Exception {
        return loop.submit(task).get(TIMEOUT_S, TimeUnit.SECONDS);
    }


    private static IoRegistration register(AioEventLoop loop, AioIoHandle handle) throws Exception {
        return loop.register(handle).get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    private static void await(RecordingHandle handle) throws InterruptedException {
        assertTrue(handle.await(TIMEOUT_S, TimeUnit.SECONDS), handle + " did not get all its events");
    }

    @Test
    void preadPwriteAndPollDeliverRawEventsOnTheLoop() throws Exception {
        AioEventLoop loop = loop(new AioIoHandlerConfig().depth(16));
        int fd = open(TestFiles.newPath("rw"), Native.O_RDWR | Native.O_CREAT);
        ByteBuf src = Unpooled.directBuffer(4096);
        ByteBuf dst = Unpooled.directBuffer(4096);
        try {
            for (int i = 0; i < 4096; i++) {
                src.writeByte(TestFiles.patternByte(i));
            }
            RecordingHandle handle = new RecordingHandle("rw");
            // The loop releases its reference before the event: the handle sees only the caller's.
            List<Integer> refCntsAtEvent = new ArrayList<>();
            handle.onEvent((r, e) -> refCntsAtEvent.add(e.opcode() == Native.IOCB_CMD_PWRITE ? src.refCnt()
                    : dst.refCnt()));
            IoRegistration reg = register(loop, handle);
            assertEquals(1, handle.registeredCalls);

            handle.expect(1);
            long writeId = reg.submit(AioIoOps.pwrite(fd, src, 8192, 7));
            await(handle);
            handle.expect(1);
            long readId = reg.submit(AioIoOps.pread(fd, dst, 8192, 8));
            await(handle);
            dst.writerIndex(4096);
            assertEquals(src, dst, "read back what was written");

            EventFd efd = eventFd();
            handle.expect(1);
            long pollId = reg.submit(AioIoOps.poll(efd.intValue(), Native.POLLIN, 9));
            efd.write(1);
            await(handle);

            List<RecordingHandle.Event> events = handle.events();
            assertEquals(3, events.size());
            assertEvent(events.get(0), 4096, Native.IOCB_CMD_PWRITE, 7, writeId);
            assertEvent(events.get(1), 4096, Native.IOCB_CMD_PREAD, 8, readId);
            RecordingHandle.Event poll = events.get(2);
            assertEquals(Native.IOCB_CMD_POLL, poll.opcode());
            assertTrue((poll.res() & Native.POLLIN) != 0, "POLLIN in " + poll.res());
            assertEquals(9, poll.userData());
            assertEquals(pollId, poll.id());
            for (RecordingHandle.Event e : events) {
                assertTrue(e.thread() == loopThread(loop), "event delivered on " + e.thread());
                assertEquals(0, e.pendingAfter());
            }
            assertEquals(List.of(1, 1, 1), refCntsAtEvent);
            assertTrue(writeId > 0 && readId > writeId && pollId > readId, "ids increase");
            AioIoStats stats = onLoop(loop, loop::stats);
            assertEquals(3, stats.submitted());
            assertEquals(3, stats.completions());
            assertEquals(0, stats.inFlight());
            assertEquals(0, stats.staleCompletions());
        } finally {
            src.release();
            dst.release();
        }
    }

    private static void assertEvent(RecordingHandle.Event e, long res, int opcode, long userData, long id) {
        assertEquals(res, e.res(), "res of " + e);
        assertEquals(0, e.res2(), "res2 of " + e);
        assertEquals(opcode, e.opcode(), "opcode of " + e);
        assertEquals(userData, e.userData(), "userData of " + e);
        assertEquals(id, e.id(), "id of " + e);
    }

    private static Thread loopThread(AioEventLoop loop) throws Exception {
        return onLoop(loop, Thread::currentThread);
    }

    @Test
    void tenThousandOperationsThroughADepthEightSlabEachCompleteExactlyOnce() throws Exception {
        AioEventLoop loop = loop(new AioIoHandlerConfig().depth(8).minDepth(8).fileIoReserve(2));
        int fileSize = 1 << 20;
        int fd = open(TestFiles.patternFile("slab", fileSize), Native.O_RDONLY);
        EventFd ready = eventFd();
        ready.write(1); // never read: every POLL on it completes at once
        int n = 10_000;
        int width = 16;
        ByteBuf memory = Unpooled.directBuffer(n * width);
        try {
            int[] seen = new int[n];
            long[] results = new long[n];
            int[] maxInFlight = new int[1];
            RecordingHandle handle = new RecordingHandle("slab").expect(n);
            AioIoHandler handler = loop.aioHandler();
            handle.onEvent((r, e) -> {
                int i = (int) e.userData();
                seen[i]++;
                results[i] = e.res();
                maxInFlight[0] = Math.max(maxInFlight[0], handler.context().inFlight());
            });
            IoRegistration reg = register(loop, handle);
            List<AioIoOps> ops = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                if (i % 5 == 4) {
                    ops.add(AioIoOps.poll(ready.intValue(), Native.POLLIN, i));
                } else {
                    ByteBuf slice = memory.slice(i * width, width).clear();
                    ops.add(AioIoOps.pread(fd, slice, (long) i * width % fileSize, i));
                }
            }
            // All at once from the loop thread: 10 000 queued behind 8 slots.
            onLoop(loop, () -> {
                for (AioIoOps op : ops) {
                    reg.submit(op);
                }
                return null;
            });
            await(handle);
            AioIoStats stats = onLoop(loop, loop::stats);
            for (int i = 0; i < n; i++) {
                assertEquals(1, seen[i], "events for operation " + i);
                if (i % 5 == 4) {
                    assertTrue((results[i] & Native.POLLIN) != 0, "poll " + i + ": " + results[i]);
                } else {
                    assertEquals(width, results[i], "read " + i);
                    for (int b = 0; b < width; b++) {
                        long offset = (long) i * width % fileSize + b;
                        assertEquals(TestFiles.patternByte(offset), memory.getByte(i * width + b), "byte " + offset);
                    }
                }
            }
            assertEquals(n, handle.events().size(), "no event twice, none extra");
            assertTrue(maxInFlight[0] <= 8, "in flight: " + maxInFlight[0]);
            assertEquals(n, stats.submitted());
            assertEquals(n, stats.completions());
            assertTrue(stats.queuedWhenFull() > 0, "operations waited for a slot: " + stats);
            assertEquals(0, stats.queued());
            assertEquals(0, stats.inFlight());
            assertEquals(0, stats.staleCompletions());
            assertEquals(1, memory.refCnt(), "every retain of the loop was released");
            System.out.printf(Locale.ROOT, "depth 8, %d ops: %d io_submit calls (%.1f ops each), %d iterations, max %d "
                    + "events per iteration, %d queued when full%n", n, stats.submitCalls(),
                    stats.operationsPerSubmit(), stats.iterations(), stats.maxCompletionsPerIteration(),
                    stats.queuedWhenFull());
        } finally {
            memory.release();
        }
    }

    @Test
    void registrationCancelCompletesOnlyAfterInFlightOperationsCompleted() throws Exception {
        AioEventLoop loop = loop(new AioIoHandlerConfig().depth(12).minDepth(12));
        int chunk = 1 << 20;
        int reads = 12;
        Path file = TestFiles.patternFile("cancel", chunk * reads);
        int fd = open(file, Native.O_RDONLY | Native.O_DIRECT);
        List<ByteBuf> buffers = new ArrayList<>();
        List<EventFd> neverReady = new ArrayList<>();
        try {
            RecordingHandle handle = new RecordingHandle("cancel");
            IoRegistration reg = register(loop, handle);
            AioIoRegistration aioReg = reg.attachment();
            List<AioIoOps> ops = new ArrayList<>();
            for (int i = 0; i < reads; i++) {
                ByteBuf b = TestFiles.ALIGNED.directBuffer(chunk, chunk);
                buffers.add(b);
                ops.add(AioIoOps.pread(fd, b, (long) i * chunk, i));
            }
            for (int i = 0; i < 4; i++) {
                EventFd e = eventFd();
                neverReady.add(e);
                ops.add(AioIoOps.poll(e.intValue(), Native.POLLIN, 100 + i));
            }
            // 16 operations, 12 slots: the reads take them all, the POLLs wait in the queue.
            onLoop(loop, () -> {
                for (AioIoOps op : ops) {
                    reg.submit(op);
                }
                return null;
            });
            assertTrue(reg.cancel(), "first cancel");
            assertFalse(reg.isValid());
            assertFalse(reg.cancel(), "second cancel");
            assertEquals(AioIoRegistration.INVALID_ID, reg.submit(ops.get(0)), "submit after cancel");
            assertTrue(handle.awaitUnregistered(TIMEOUT_S, TimeUnit.SECONDS));

            List<RecordingHandle.Event> events = handle.events();
            assertEquals(ops.size(), events.size(), "one event per operation: " + events);
            assertEquals(ops.size(), handle.eventsAtUnregistered, "unregistered() after the last event");
            assertEquals(1, handle.unregisteredCalls);
            boolean[] seen = new boolean[ops.size()];
            for (RecordingHandle.Event e : events) {
                int i = (int) (e.userData() >= 100 ? reads + e.userData() - 100 : e.userData());
                assertFalse(seen[i], "twice: " + e);
                seen[i] = true;
                if (e.opcode() == Native.IOCB_CMD_POLL) {
                    assertEquals(-Native.ECANCELED, e.res(), "a POLL that never fired: " + e);
                } else {
                    // File reads cannot be cancelled once the kernel has them: their real result comes back.
                    assertTrue(e.res() == chunk || e.res() == -Native.ECANCELED, "read: " + e);
                }
            }
            for (ByteBuf b : buffers) {
                assertEquals(1, b.refCnt(), "the kernel holds nothing after unregistered()");
            }
            assertEquals(0, aioReg.pendingOperations());
            AioIoStats stats = onLoop(loop, loop::stats);
            assertEquals(0, stats.inFlight());
            assertEquals(0, stats.queued());
        } finally {
            for (ByteBuf b : buffers) {
                b.release();
            }
        }
    }

    @Test
    void cancelByIdEndsAQueuedOrInFlightPollAndNothingElse() throws Exception {
        // Two slots, one kept for file I/O: one POLL in flight, the next ones queued.
        AioEventLoop loop = loop(new AioIoHandlerConfig().depth(2).minDepth(2).fileIoReserve(1));
        EventFd a = eventFd();
        EventFd b = eventFd();
        EventFd c = eventFd();
        RecordingHandle handle = new RecordingHandle("by-id");
        IoRegistration reg = register(loop, handle);
        AioIoRegistration aioReg = reg.attachment();
        long[] ids = onLoop(loop, () -> new long[] {
                reg.submit(AioIoOps.poll(a.intValue(), Native.POLLIN, 1)),
                reg.submit(AioIoOps.poll(b.intValue(), Native.POLLIN, 2)),
                reg.submit(AioIoOps.poll(c.intValue(), Native.POLLIN, 3)),
        });
        AioIoStats before = awaitStats(loop, st -> st.pollsInFlight() == 1);
        assertEquals(2, before.queued());
        assertEquals(2, before.queuedWhenFull());

        handle.expect(1);
        assertTrue(onLoop(loop, () -> aioReg.cancel(ids[1])), "queued POLL found");
        await(handle);
        assertEquals(before.submitted(), onLoop(loop, loop::stats).submitted(), "it never reached the kernel");

        handle.expect(1);
        assertTrue(aioReg.cancel(ids[0]), "from another thread: handed to the loop");
        await(handle);
        assertFalse(onLoop(loop, () -> aioReg.cancel(ids[0])), "already completed");
        assertFalse(onLoop(loop, () -> aioReg.cancel(12345678)), "unknown id");

        // The third POLL took the freed slot and still works.
        handle.expect(1);
        c.write(1);
        await(handle);
        List<RecordingHandle.Event> events = handle.events();
        assertEquals(3, events.size());
        assertEquals(ids[1], events.get(0).id());
        assertEquals(-Native.ECANCELED, events.get(0).res());
        assertEquals(ids[0], events.get(1).id());
        assertEquals(-Native.ECANCELED, events.get(1).res());
        assertEquals(ids[2], events.get(2).id());
        assertTrue((events.get(2).res() & Native.POLLIN) != 0);
        assertTrue(reg.isValid(), "cancelling operations leaves the registration valid");
    }

    @Test
    void pollsCannotTakeTheSlotsReservedForFileIo() throws Exception {
        AioEventLoop loop = loop(new AioIoHandlerConfig().depth(8).minDepth(8).fileIoReserve(2));
        assertEquals(6, loop.aioHandler().pollSlots());
        int fd = open(TestFiles.patternFile("reserve", 4096), Native.O_RDONLY);
        RecordingHandle handle = new RecordingHandle("reserve");
        IoRegistration reg = register(loop, handle);
        try (LogCapture log = new LogCapture(AioIoHandler.class)) {
            onLoop(loop, () -> {
                for (int i = 0; i < 10; i++) {
                    reg.submit(AioIoOps.poll(eventFd().intValue(), Native.POLLIN, i));
                }
                return null;
            });
            AioIoStats stats = awaitStats(loop, st -> st.pollsInFlight() == 6);
            assertEquals(4, stats.queued());
            assertEquals(4, stats.queuedWhenFull());
            assertEquals(1, log.matching("POLLs may use are taken").size(), log.messages().toString());
        }
        ByteBuf dst = Unpooled.directBuffer(4096);
        try {
            handle.expect(1);
            reg.submit(AioIoOps.pread(fd, dst, 0, 99));
            await(handle);
            assertEquals(4096, handle.events().get(0).res(), "the read got a reserved slot");
            handle.expect(10);
            reg.cancel();
            await(handle);
            assertTrue(handle.awaitUnregistered(TIMEOUT_S, TimeUnit.SECONDS));
        } finally {
            dst.release();
        }
    }

    @Test
    void failFastOperationCompletesWithEagainWhenItWouldWait() throws Exception {
        AioEventLoop loop = loop(new AioIoHandlerConfig().depth(2).minDepth(2).fileIoReserve(1));
        EventFd a = eventFd();
        EventFd b = eventFd();
        RecordingHandle handle = new RecordingHandle("fail-fast");
        IoRegistration reg = register(loop, handle);
        handle.expect(1);
        long failing = onLoop(loop, () -> {
            reg.submit(AioIoOps.poll(a.intValue(), Native.POLLIN, 1));
            return reg.submit(AioIoOps.poll(b.intValue(), Native.POLLIN, 2).withFailFast());
        });
        await(handle);
        RecordingHandle.Event e = handle.events().get(0);
        assertEquals(failing, e.id());
        assertEquals(-Native.EAGAIN, e.res());
        AioIoStats stats = onLoop(loop, loop::stats);
        assertEquals(0, stats.queuedWhenFull(), "a fail-fast operation never waits");
        assertEquals(1, stats.submitted());
    }

    @Test
    void badDescriptorFailsOnlyItsOwnOperation() throws Exception {
        AioEventLoop loop = loop(new AioIoHandlerConfig().depth(8));
        int fd = open(TestFiles.patternFile("good", 4096), Native.O_RDONLY);
        int badFd = 1 << 20; // above any descriptor limit: EBADF
        ByteBuf good1 = Unpooled.directBuffer(512);
        ByteBuf bad = Unpooled.directBuffer(512);
        ByteBuf good2 = Unpooled.directBuffer(512);
        try {
            RecordingHandle handle = new RecordingHandle("bad-fd").expect(3);
            IoRegistration reg = register(loop, handle);
            onLoop(loop, () -> {
                reg.submit(AioIoOps.pread(fd, good1, 0, 1));
                reg.submit(AioIoOps.pread(badFd, bad, 0, 2));
                reg.submit(AioIoOps.pread(fd, good2, 512, 3));
                return null;
            });
            await(handle);
            long[] res = new long[4];
            for (RecordingHandle.Event e : handle.events()) {
                res[(int) e.userData()] = e.res();
            }
            assertEquals(512, res[1]);
            assertEquals(-Native.EBADF, res[2]);
            assertEquals(512, res[3]);
            assertEquals(1, onLoop(loop, loop::stats).failedSubmissions());
            assertEquals(1, bad.refCnt(), "a refused operation's buffer is not kept");
        } finally {
            good1.release();
            bad.release();
            good2.release();
        }
    }

    @Test
    void badInputThrowsInTheCallersThread() throws Exception {
        AioEventLoop loop = loop(new AioIoHandlerConfig().depth(8));
        IoRegistration reg = register(loop, new RecordingHandle("bad-input"));
        ByteBuf heap = Unpooled.buffer(16);
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AioIoOps.pread(3, heap, 0, 0));
            assertTrue(e.getMessage().contains("direct"), e.getMessage());
        } finally {
            heap.release();
        }
        ByteBuf released = Unpooled.directBuffer(16);
        AioIoOps ops = AioIoOps.pread(3, released, 0, 0);
        released.release();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reg.submit(ops));
        assertTrue(e.getMessage().contains("released"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AioIoOps.poll(-1, Native.POLLIN, 0));
        assertThrows(IllegalArgumentException.class, () -> AioIoOps.poll(0, 0, 0));
        // A mask the kernel would answer EINVAL for at io_submit, and more buffers than IOV_MAX: refused here.
        e = assertThrows(IllegalArgumentException.class, () -> AioIoOps.poll(7, 1 << 16 | Native.POLLIN, 0));
        assertTrue(e.getMessage().contains("events") && e.getMessage().contains("0x10001"), e.getMessage());
        ByteBuf one = Unpooled.directBuffer(16);
        try {
            ByteBuf[] tooMany = new ByteBuf[Native.IOV_MAX + 1];
            java.util.Arrays.fill(tooMany, one);
            e = assertThrows(IllegalArgumentException.class, () -> AioIoOps.preadv(3, 0, 0, tooMany));
            assertTrue(e.getMessage().contains("IOV_MAX") && e.getMessage().contains(String.valueOf(tooMany.length)),
                    e.getMessage());
        } finally {
            one.release();
        }
        e = assertThrows(IllegalArgumentException.class, () -> reg.submit(new IoOps() { }));
        assertTrue(e.getMessage().contains("AioIoOps"), e.getMessage());
        // The loop still serves the registration.
        EventFd efd = eventFd();
        efd.write(1);
        RecordingHandle handle = new RecordingHandle("after-bad-input").expect(1);
        register(loop, handle).submit(AioIoOps.poll(efd.intValue(), Native.POLLIN, 0));
        await(handle);
    }

    @Test
    void aDescriptionIsSubmittedWithItsMemoryAndItsAttachmentComesBackInTheEvent() throws Exception {
        AioEventLoop loop = loop(new AioIoHandlerConfig().depth(8));
        int fd = open(TestFiles.patternFile("described", 4096), Native.O_RDONLY);
        AioIoOps read = AioIoOps.describe(Native.IOCB_CMD_PREAD, fd, 7);
        AioIoOps readv = AioIoOps.describe(Native.IOCB_CMD_PREADV, fd, 8);
        AioIoOps sync = AioIoOps.describe(Native.IOCB_CMD_FDSYNC, fd, 9);
        ByteBuf one = Unpooled.directBuffer(16);
        ByteBuf[] two = {Unpooled.directBuffer(16), Unpooled.directBuffer(16)};
        ByteBuf three = Unpooled.directBuffer(16);
        Object first = "first";
        Object second = "second";
        try {
            java.util.Map<Long, Object> attachments = new java.util.concurrent.ConcurrentHashMap<>();
            RecordingHandle handle = new RecordingHandle("described").expect(4);
            handle.onEvent((r, e) -> attachments.put(e.id(), e.attachment() == null ? "none" : e.attachment()));
            IoRegistration reg = register(loop, handle);
            AioIoRegistration aio = reg.attachment();
            long[] ids = onLoop(loop, () -> new long[] {
                    aio.submit(read, one, 100, first),
                    aio.submit(readv, two, 200, second),
                    0,
                    aio.submit(sync, (ByteBuf) null, 0, sync)});
            // From another thread: the memory, offset and attachment travel with the handover.
            ids[2] = aio.submit(read, three, 300, null);
            await(handle);
            assertEquals(first, attachments.get(ids[0]));
            assertEquals(second, attachments.get(ids[1]));
            assertEquals("none", attachments.get(ids[2]));
            assertEquals(sync, attachments.get(ids[3]));
            for (RecordingHandle.Event e : handle.events()) {
                if (e.id() == ids[0]) {
                    assertEvent(e, 16, Native.IOCB_CMD_PREAD, 7, ids[0]);
                } else if (e.id() == ids[1]) {
                    assertEvent(e, 32, Native.IOCB_CMD_PREADV, 8, ids[1]);
                } else if (e.id() == ids[3]) {
                    assertEvent(e, 0, Native.IOCB_CMD_FDSYNC, 9, ids[3]);
                }
            }
            assertArrayEquals(AioTests.pattern(100, 16), AioTests.bytes(one, 0, 16));
            assertArrayEquals(AioTests.pattern(300, 16), AioTests.bytes(three, 0, 16));
            assertArrayEquals(AioTests.pattern(200, 16), AioTests.bytes(two[0], 0, 16));
            assertArrayEquals(AioTests.pattern(216, 16), AioTests.bytes(two[1], 0, 16));
            assertEquals(1, one.refCnt());
            assertEquals(1, two[0].refCnt());
            assertEquals(1, two[1].refCnt());
            assertEquals(1, three.refCnt());
        } finally {
            one.release();
            two[0].release();
            two[1].release();
            three.release();
        }
    }

    @Test
    void aDescriptionAndItsMemoryAreCheckedInTheCallersThread() throws Exception {
        AioEventLoop loop = loop(new AioIoHandlerConfig().depth(8));
        int fd = open(TestFiles.patternFile("described-bad", 4096), Native.O_RDONLY);
        IoRegistration reg = register(loop, new RecordingHandle("described-bad"));
        AioIoRegistration aio = reg.attachment();
        AioIoOps read = AioIoOps.describe(Native.IOCB_CMD_PREAD, fd, 0);
        AioIoOps readv = AioIoOps.describe(Native.IOCB_CMD_PREADV, fd, 0);
        AioIoOps fsync = AioIoOps.describe(Native.IOCB_CMD_FSYNC, fd, 0);
        ByteBuf direct = Unpooled.directBuffer(16);
        ByteBuf heap = Unpooled.buffer(16);
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reg.submit(read));
            assertTrue(e.getMessage().contains("description"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> aio.submit(AioIoOps.pread(fd, direct, 0, 0), direct, 0, null));
            assertTrue(e.getMessage().contains("its own memory"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> aio.submit(read, heap, 0, null));
            assertTrue(e.getMessage().contains("direct"), e.getMessage());
            assertThrows(NullPointerException.class, () -> aio.submit(read, (ByteBuf) null, 0, null));
            e = assertThrows(IllegalArgumentException.class, () -> aio.submit(read, new ByteBuf[] {direct}, 0, null));
            assertTrue(e.getMessage().contains("not vectored"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> aio.submit(readv, direct, 0, null));
            assertTrue(e.getMessage().contains("vectored"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> aio.submit(readv, new ByteBuf[0], 0, null));
            assertTrue(e.getMessage().contains("IOV_MAX"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> aio.submit(read, direct, -1, null));
            assertTrue(e.getMessage().contains("offset"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> aio.submit(fsync, direct, 0, null));
            assertTrue(e.getMessage().contains("no memory"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> AioIoOps.describe(Native.IOCB_CMD_POLL, fd, 0));
            assertTrue(e.getMessage().contains("POLL"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> AioIoOps.describe(Native.IOCB_CMD_PREAD, -1, 0));
            ByteBuf released = Unpooled.directBuffer(16);
            released.release();
            e = assertThrows(IllegalArgumentException.class, () -> aio.submit(read, released, 0, null));
            assertTrue(e.getMessage().contains("released"), e.getMessage());
            assertEquals(1, direct.refCnt(), "nothing was retained");
            // The loop still serves the registration.
            RecordingHandle handle = new RecordingHandle("after-described-bad").expect(1);
            AioIoRegistration other = register(loop, handle).attachment();
            other.submit(read, direct, 0, null);
            await(handle);
            assertEquals(16, handle.events().get(0).res());
        } finally {
            direct.release();
            heap.release();
        }
    }

    @Test
    void handlerRefusesIncompatibleHandles() throws Exception {
        AioEventLoop loop = loop(new AioIoHandlerConfig().depth(8));
        IoHandle foreign = new IoHandle() {
            @Override
            public void handle(IoRegistration registration, IoEvent ioEvent) {
            }

            @Override
            public void close() {
            }
        };
        assertFalse(loop.isCompatible(foreign.getClass()));
        assertTrue(loop.isCompatible(RecordingHandle.class));
        assertTrue(loop.isIoType(AioIoHandler.class));
        Future<IoRegistration> f = loop.register(foreign);
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(TIMEOUT_S, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("AioIoHandle"), e.getCause().getMessage());
        // The loop is unharmed.
        assertNotNull(register(loop, new RecordingHandle("after-foreign")));
    }

    @Test
    void staleCompletionIsNeverDeliveredToTheSlotsNewOwner() throws Exception {
        // One slot: the second POLL reuses the first one's slot with the next generation.
        AioEventLoop loop = loop(new AioIoHandlerConfig().depth(1).minDepth(1));
        EventFd first = eventFd();
        EventFd second = eventFd();
        RecordingHandle handle = new RecordingHandle("stale").expect(1);
        IoRegistration reg = register(loop, handle);
        first.write(1);
        reg.submit(AioIoOps.poll(first.intValue(), Native.POLLIN, 1));
        await(handle);
        long secondId = onLoop(loop, () -> reg.submit(AioIoOps.poll(second.intValue(), Native.POLLIN, 2)));
        awaitStats(loop, st -> st.inFlight() == 1);

        // Replay the first POLL's completion (still in the ring's memory behind head) as if the kernel had
        // delivered it twice, reap it, then give the ring back to the kernel as it left it.
        long replayed = onLoop(loop, () -> {
            AioContext ctx = loop.aioHandler().context();
            ByteBuffer header = Buffer.wrapMemoryAddressWithNativeOrder(ctx.id(), Native.SIZEOF_AIO_RING);
            int nr = header.getInt(Native.AIO_RING_NR);
            ByteBuffer ring = Buffer.wrapMemoryAddressWithNativeOrder(ctx.id(),
                    Native.SIZEOF_AIO_RING + nr * Native.SIZEOF_IO_EVENT);
            int head = (int) RING_INT.getAcquire(ring, Native.AIO_RING_HEAD);
            int tail = (int) RING_INT.getAcquire(ring, Native.AIO_RING_TAIL);
            assertEquals(head, tail, "ring empty");
            int last = Native.SIZEOF_AIO_RING + (head + nr - 1) % nr * Native.SIZEOF_IO_EVENT;
            int at = Native.SIZEOF_AIO_RING + tail * Native.SIZEOF_IO_EVENT;
            for (int i = 0; i < Native.SIZEOF_IO_EVENT; i += Long.BYTES) {
                ring.putLong(at + i, ring.getLong(last + i));
            }
            RING_INT.setRelease(ring, Native.AIO_RING_TAIL, (tail + 1) % nr);
            int reaped = ctx.reap();
            RING_INT.setRelease(ring, Native.AIO_RING_TAIL, tail);
            RING_INT.setRelease(ring, Native.AIO_RING_HEAD, head);
            assertEquals(1, reaped);
            return ring.getLong(last + Native.IO_EVENT_DATA);
        });
        AioIoStats stats = onLoop(loop, loop::stats);
        assertEquals(1, stats.staleCompletions(), "the replay was recognised (aio_data 0x"
                + Long.toHexString(replayed) + ")");
        assertEquals(1, handle.events().size(), "and not delivered to the slot's new owner");
        assertEquals(1, stats.inFlight(), "the new owner is still in flight");

        handle.expect(1);
        second.write(1);
        await(handle);
        List<RecordingHandle.Event> events = handle.events();
        assertEquals(2, events.size());
        assertEquals(secondId, events.get(1).id());
        assertTrue((events.get(1).res() & Native.POLLIN) != 0, "its own completion: " + events.get(1));
    }

    private static final VarHandle RING_INT = MethodHandles.byteBufferViewVarHandle(int[].class,
            ByteOrder.nativeOrder());

    @Test
    void reArmingAPrebuiltPollAllocatesNothingOnTheLoop() throws Exception {
        AioEventLoop loop = loop(new AioIoHandlerConfig().depth(8));
        EventFd efd = eventFd();
        int fd = efd.intValue();
        AioIoOps poll = AioIoOps.poll(fd, Native.POLLIN, 42);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int warmup = 20_000;
        int measured = 100_000;
        CompletableFuture<long[]> done = new CompletableFuture<>();
        AioIoHandle pingPong = new AioIoHandle() {
            int cycles;
            long startBytes;

            @Override
            public void handle(IoRegistration registration, IoEvent ioEvent) {
                AioIoEvent e = (AioIoEvent) ioEvent;
                if (e.res() < 0) {
                    done.completeExceptionally(new AssertionError("POLL failed: " + e));
                    return;
                }
                Native.eventFdRead(fd);
                if (++cycles == warmup) {
                    startBytes = threads.getCurrentThreadAllocatedBytes();
                } else if (cycles == warmup + measured) {
                    done.complete(new long[] {threads.getCurrentThreadAllocatedBytes() - startBytes});
                    return;
                }
                // The round trip the sockets layer makes: re-arm the same immutable ops, signal, wait.
                registration.submit(poll);
                Native.eventFdWrite(fd, 1);
            }

            @Override
            public void close() {
            }
        };
        IoRegistration reg = register(loop, pingPong);
        reg.submit(poll);
        efd.write(1);
        long allocated = done.get(120, TimeUnit.SECONDS)[0];
        System.out.printf(Locale.ROOT, "POLL re-arm round trips: %d bytes allocated by the loop thread in %d cycles%n",
                allocated, measured);
        // Zero in steady state; a little slack for a one-off (e.g. a JIT deoptimisation's frames).
        assertTrue(allocated < 64 * 1024, allocated + " bytes for " + measured + " cycles");
        reg.cancel();
    }

    /**
     * Four POLLs on ready eventfds complete inside one io_submit and are delivered in one reap; each handler queues a
     * read. Returns the io_submit count the loop had made when each POLL's event arrived.
     */
    private long[] submitCallsSeenByFourPollEventsThatEachQueueARead(AioIoHandlerConfig config) throws Exception {
        AioEventLoop loop = loop(config);
        int fd = open(TestFiles.patternFile("early", 4096), Native.O_RDONLY);
        EventFd ready = eventFd();
        ready.write(1); // never read: every POLL on it completes inside io_submit
        ByteBuf memory = Unpooled.directBuffer(4 * 16);
        try {
            long[] submitCalls = new long[4];
            RecordingHandle handle = new RecordingHandle("early").expect(8);
            handle.onEvent((r, e) -> {
                if (e.opcode() == Native.IOCB_CMD_POLL) {
                    int i = (int) e.userData();
                    submitCalls[i] = loop.stats().submitCalls();
                    r.submit(AioIoOps.pread(fd, memory.slice(i * 16, 16).clear(), i * 16, 10 + i));
                }
            });
            IoRegistration reg = register(loop, handle);
            onLoop(loop, () -> {
                for (int i = 0; i < 4; i++) {
                    reg.submit(AioIoOps.poll(ready.intValue(), Native.POLLIN, i));
                }
                return null;
            });
            await(handle);
            for (RecordingHandle.Event e : handle.events()) {
                if (e.opcode() == Native.IOCB_CMD_PREAD) {
                    int i = (int) e.userData() - 10;
                    assertEquals(16, e.res(), "read " + i);
                    for (int b = 0; b < 16; b++) {
                        assertEquals(TestFiles.patternByte(i * 16 + b), memory.getByte(i * 16 + b), "byte " + b);
                    }
                }
            }
            return submitCalls;
        } finally {
            memory.release();
        }
    }

    @Test
    void readsQueuedWhileEventsAreDeliveredLeaveInBatchesOfIoSubmitBatch() throws Exception {
        long[] calls = submitCallsSeenByFourPollEventsThatEachQueueARead(
                new AioIoHandlerConfig().depth(16).ioSubmitBatch(2));
        // The reads of the first two events went to the kernel before the third event was delivered, and so on.
        assertEquals(calls[0], calls[1], java.util.Arrays.toString(calls));
        assertEquals(calls[0] + 1, calls[2], java.util.Arrays.toString(calls));
        assertEquals(calls[2], calls[3], java.util.Arrays.toString(calls));
    }

    @Test
    void withoutAnIoSubmitBatchQueuedReadsWaitForTheIterationsOneIoSubmit() throws Exception {
        long[] calls = submitCallsSeenByFourPollEventsThatEachQueueARead(
                new AioIoHandlerConfig().depth(16).ioSubmitBatch(Integer.MAX_VALUE));
        assertEquals(calls[0], calls[3], java.util.Arrays.toString(calls));
    }

    @Test
    void readsThatCompleteInsideIoSubmitAreResubmittedOncePerIteration() throws Exception {
        // Buffered reads of a cached file complete inside io_submit: early submission would only add syscalls.
        AioEventLoop loop = loop(new AioIoHandlerConfig().depth(32).ioSubmitBatch(2));
        int fd = open(TestFiles.patternFile("inline", 4096), Native.O_RDONLY);
        int width = 8;
        int generations = 20;
        ByteBuf memory = Unpooled.directBuffer(width * 16);
        try {
            long[][] submitCalls = new long[generations][width];
            RecordingHandle handle = new RecordingHandle("inline").expect(width * generations);
            handle.onEvent((r, e) -> {
                int g = (int) (e.userData() / width);
                int i = (int) (e.userData() % width);
                assertEquals(16, e.res());
                submitCalls[g][i] = loop.stats().submitCalls();
                if (g + 1 < generations) {
                    r.submit(AioIoOps.pread(fd, memory.slice(i * 16, 16).clear(), i * 16, e.userData() + width));
                }
            });
            IoRegistration reg = register(loop, handle);
            onLoop(loop, () -> {
                for (int i = 0; i < width; i++) {
                    reg.submit(AioIoOps.pread(fd, memory.slice(i * 16, 16).clear(), i * 16, i));
                }
                return null;
            });
            await(handle);
            // Once the loop has seen its reads come back inside io_submit, each generation's follow-up reads wait
            // for the iteration's one io_submit: no io_submit happens while a generation is being delivered.
            for (int g = 4; g < generations; g++) {
                for (int i = 1; i < width; i++) {
                    assertEquals(submitCalls[g][0], submitCalls[g][i], "generation " + g + ": "
                            + java.util.Arrays.toString(submitCalls[g]));
                }
            }
        } finally {
            memory.release();
        }
    }

    @Test
    void ioSubmitBatchBelowOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AioIoHandlerConfig().ioSubmitBatch(0));
        assertTrue(e.getMessage().contains("ioSubmitBatch"), e.getMessage());
    }

    @Test
    void registrationAttachmentIsTheAioRegistrationAndReachesTheHandler() throws Exception {
        AioEventLoop loop = loop(new AioIoHandlerConfig().depth(8));
        IoRegistration reg = register(loop, new RecordingHandle("attachment"));
        AioIoRegistration aioReg = reg.attachment();
        assertSame(loop.aioHandler(), aioReg.handler());
        assertTrue(reg.cancel());
        assertFalse(aioReg.isValid());
    }
}
