/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import io.netty.channel.unix.FileDescriptor;
import io.netty.contrib.channel.aio.testing.AioTests;
import io.netty.contrib.channel.aio.testing.CompletionRecorder;
import io.netty.contrib.channel.aio.testing.TestFiles;
import io.netty.util.IllegalReferenceCountException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.netty.contrib.channel.aio.testing.AioTests.drain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Submission semantics: partial submits on a full context, short counts from the kernel, and blocks that may not
 * be submitted twice. Nothing submitted is ever lost: every accepted block completes exactly once.
 */
class AioContextSubmitTest {
    private final CompletionRecorder done = new CompletionRecorder();

    /** Depth 1, 1000 writes: each submit takes what fits, the rest are resubmitted, all complete once. */
    @ParameterizedTest
    @EnumSource(AioContext.ReapMode.class)
    void aFullContextTakesWhatFitsAndTheRestIsResubmittable(AioContext.ReapMode mode) throws Exception {
        Path path = TestFiles.newPath("partial");
        int fd = TestFiles.open(path, Native.O_RDWR | Native.O_CREAT);
        List<ByteBuf> buffers = new ArrayList<>();
        List<AioBlock> blocks = new ArrayList<>();
        try (AioContext ctx = AioContext.open(1, mode)) {
            for (int i = 0; i < 1000; i++) {
                ByteBuf b = TestFiles.ALIGNED.directBuffer(4).writeInt(i);
                buffers.add(b);
                blocks.add(AioBlock.pwrite(fd, b, i * 4L).callback(done));
            }
            AioBlock[] array = blocks.toArray(new AioBlock[0]);
            int submitted = 0;
            int calls = 0;
            while (submitted < array.length) {
                int accepted = ctx.submit(array, submitted, array.length - submitted);
                calls++;
                assertEquals(1, accepted, "a depth-1 context takes one at a time");
                assertEquals(0, ctx.available());
                assertEquals(0, ctx.submit(array, submitted + 1, array.length - submitted - 1),
                        "nothing fits until a completion is reaped");
                for (int i = submitted + 1; i < Math.min(array.length, submitted + 3); i++) {
                    assertFalse(array[i].isInFlight(), "the rest stays idle");
                    assertEquals(1, array[i].buffers()[0].refCnt(), "and unretained");
                }
                submitted += accepted;
                drain(ctx);
            }
            assertEquals(1000, calls);
            assertEquals(1000, ctx.submittedCount());
            assertEquals(1000, ctx.completionCount());
            assertEquals(0, ctx.staleCompletionCount());
            done.assertEachExactlyOnce(blocks);
            for (AioBlock b : blocks) {
                assertEquals(4, done.res(b));
            }
        } finally {
            for (ByteBuf b : buffers) {
                assertEquals(1, b.refCnt(), "the context's references were all released");
                b.release();
            }
            TestFiles.close(fd);
        }
        byte[] content = Files.readAllBytes(path);
        assertEquals(4000, content.length);
        for (int i = 0; i < 1000; i++) {
            int v = (content[i * 4] & 0xff) << 24 | (content[i * 4 + 1] & 0xff) << 16
                    | (content[i * 4 + 2] & 0xff) << 8 | content[i * 4 + 3] & 0xff;
            assertEquals(i, v, "write " + i);
        }
        Files.delete(path);
    }

    @Test
    void aListBiggerThanTheFreeSlotsIsSubmittedUpToThem() throws Exception {
        try (AioContext ctx = AioContext.open(4); EventFd ready = EventFd.create(1, Native.EFD_CLOEXEC)) {
            List<AioBlock> polls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                polls.add(AioBlock.poll(ready, Native.POLLIN).callback(done));
            }
            assertEquals(4, ctx.submit(polls));
            assertEquals(4, ctx.inFlight());
            drain(ctx);
            assertEquals(4, ctx.submit(polls.subList(4, 10)));
            drain(ctx);
            assertEquals(2, ctx.submit(polls.subList(8, 10)));
            drain(ctx);
            done.assertEachExactlyOnce(polls);
        }
    }

    /** io_submit stops at the first iocb it refuses; that one comes first next time and throws. */
    @Test
    void theKernelsShortCountStopsAtTheRefusedBlockWhichThenThrows() throws Exception {
        FileDescriptor[] pipe = AioTests.pipe();
        try (AioContext ctx = AioContext.open(8); EventFd ready = EventFd.create(1, Native.EFD_CLOEXEC)) {
            AioBlock a = AioBlock.poll(ready, Native.POLLIN).callback(done);
            AioBlock b = AioBlock.poll(ready, Native.POLLIN).callback(done);
            AioBlock bad = AioBlock.fsync(pipe[0].intValue()).callback(done); // pipes have no fsync: EINVAL
            AioBlock d = AioBlock.poll(ready, Native.POLLIN).callback(done);
            AioBlock badFd = AioBlock.poll(AioTests.NEVER_OPEN_FD, Native.POLLIN).callback(done);
            AioBlock[] batch = {a, b, bad, d, badFd};

            assertEquals(2, ctx.submit(batch, 0, 5), "accepted up to the refused iocb");
            assertFalse(bad.isInFlight());
            assertFalse(d.isInFlight());
            AioSubmitException e = assertThrows(AioSubmitException.class, () -> ctx.submit(batch, 2, 3));
            assertEquals(-Native.EINVAL, e.expectedErr());
            assertSame(bad, e.block());
            assertTrue(e.getMessage().contains("FSYNC"), e.getMessage());
            assertTrue(e.getMessage().contains("EINVAL"), e.getMessage());
            assertEquals(1, ctx.submit(batch, 3, 2));
            e = assertThrows(AioSubmitException.class, () -> ctx.submit(batch, 4, 1));
            assertEquals(-Native.EBADF, e.expectedErr());
            assertSame(badFd, e.block());
            assertFalse(badFd.isInFlight());
            drain(ctx);
            done.assertEachExactlyOnce(List.of(a, b, d));
            assertEquals(8, ctx.available(), "refused blocks hold no slot");
        } finally {
            AioTests.closeAll(pipe);
        }
    }

    @Test
    void resubmittingAnInFlightBlockIsRefused() throws Exception {
        FileDescriptor[] pipe = AioTests.pipe();
        try (AioContext ctx = AioContext.open(4); AioContext other = AioContext.open(4)) {
            AioBlock poll = AioBlock.poll(pipe[0], Native.POLLIN).callback(done);
            assertEquals(1, ctx.submit(poll));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ctx.submit(poll));
            assertTrue(e.getMessage().contains("already in flight"), e.getMessage());
            e = assertThrows(IllegalStateException.class, () -> other.submit(poll));
            assertTrue(e.getMessage().contains("on another context"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> poll.prepPoll(pipe[0].intValue(), Native.POLLOUT),
                    "an in-flight block cannot be re-prepared");
            assertThrows(IllegalStateException.class, () -> poll.rwFlags(0));
            assertThrows(IllegalStateException.class, () -> poll.resfd(-1));
            assertEquals(1, ctx.inFlight());

            AioTests.write(pipe[1], new byte[] {1});
            drain(ctx);
            assertEquals(1, done.count(poll), "the refused resubmissions did not add a completion");
            assertEquals(1, ctx.submit(poll), "idle again after its completion");
            drain(ctx);
            assertEquals(2, done.count(poll));
        } finally {
            AioTests.closeAll(pipe);
        }
    }

    @Test
    void theSameBlockTwiceInOneBatchIsSubmittedOnce() throws Exception {
        try (AioContext ctx = AioContext.open(4); EventFd ready = EventFd.create(1, Native.EFD_CLOEXEC)) {
            AioBlock poll = AioBlock.poll(ready, Native.POLLIN).callback(done);
            assertEquals(1, ctx.submit(poll, poll), "the duplicate shortens the count");
            assertThrows(IllegalStateException.class, () -> ctx.submit(poll));
            drain(ctx);
            assertEquals(1, done.count(poll));
        }
    }

    @Test
    void anUnpreparedBlockIsRefusedAndALaterOneShortensTheBatch() throws Exception {
        try (AioContext ctx = AioContext.open(4); EventFd ready = EventFd.create(1, Native.EFD_CLOEXEC)) {
            AioBlock empty = new AioBlock();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ctx.submit(empty));
            assertTrue(e.getMessage().contains("never prepared"), e.getMessage());
            AioBlock poll = AioBlock.poll(ready, Native.POLLIN).callback(done);
            assertEquals(1, ctx.submit(poll, empty));
            assertFalse(empty.isInFlight());
            assertThrows(NullPointerException.class, () -> ctx.submit(new AioBlock[] {null}, 0, 1));
            drain(ctx);
            assertEquals(1, done.count(poll));
        }
    }

    /** A buffer that another thread releases between the context's check and its retain, once. */
    private static final class ReleasedDuringSubmit extends UnpooledUnsafeDirectByteBuf {
        boolean raceNextRetain = true;

        ReleasedDuringSubmit() {
            super(UnpooledByteBufAllocator.DEFAULT, 8, 8);
            writeLong(42);
        }

        @Override
        public ByteBuf retain() {
            if (raceNextRetain) {
                raceNextRetain = false;
                throw new IllegalReferenceCountException(0, 1);
            }
            return super.retain();
        }
    }

    @Test
    void aBufferReleasedDuringSubmitLeavesNoSlotNoReferenceAndAResubmittableBlock() throws Exception {
        Path path = TestFiles.newPath("released-during-submit");
        int fd = TestFiles.open(path, Native.O_RDWR | Native.O_CREAT);
        ByteBuf first = TestFiles.ALIGNED.directBuffer(8).writeLong(1);
        ByteBuf second = TestFiles.ALIGNED.directBuffer(8).writeLong(2);
        ReleasedDuringSubmit racing = new ReleasedDuringSubmit();
        try (AioContext ctx = AioContext.open(4)) {
            // Alone: the submit throws, and leaves the context and every buffer as they were.
            AioBlock vector = AioBlock.pwritev(fd, 8, second, racing).callback(done);
            assertThrows(IllegalReferenceCountException.class, () -> ctx.submit(vector));
            assertEquals(4, ctx.available(), "no slot kept");
            assertFalse(vector.isInFlight(), "not poisoned");
            assertEquals(1, second.refCnt(), "the buffer retained before the failure was released again");
            assertEquals(1, racing.refCnt());

            // Second in a batch: the batch is shortened to the first block, which completes.
            racing.raceNextRetain = true;
            AioBlock plain = AioBlock.pwrite(fd, first, 0).callback(done);
            assertEquals(1, ctx.submit(plain, vector));
            assertFalse(vector.isInFlight());
            assertEquals(3, ctx.available());
            assertEquals(1, second.refCnt());
            drain(ctx);
            assertEquals(8, done.res(plain));

            // Resubmitted, it goes through.
            assertEquals(1, ctx.submit(vector));
            drain(ctx);
            assertEquals(16, done.res(vector));
            assertEquals(1, done.count(vector), "completed exactly once");
            assertEquals(0, ctx.staleCompletionCount());
            assertEquals(4, ctx.available());
            assertEquals(24, Files.size(path));
        } finally {
            for (ByteBuf b : new ByteBuf[] {first, second, racing}) {
                assertEquals(1, b.refCnt(), "the context's references were all released");
                b.release();
            }
            TestFiles.close(fd);
        }
    }

    @Test
    void submitCountsSyscallsAndAcceptedOperations() throws Exception {
        try (AioContext ctx = AioContext.open(8); EventFd ready = EventFd.create(1, Native.EFD_CLOEXEC)) {
            List<AioBlock> polls = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                polls.add(AioBlock.poll(ready, Native.POLLIN).callback(done));
            }
            assertEquals(5, ctx.submit(polls));
            assertEquals(1, ctx.submitCalls(), "one io_submit for the whole batch");
            assertEquals(5, ctx.submittedCount());
            assertEquals(5, ctx.inFlight());
            assertEquals(3, ctx.available());
            drain(ctx);
            assertEquals(0, ctx.inFlight());
            assertEquals(8, ctx.available());
            assertEquals(0, ctx.eagainCount());
        }
    }
}
