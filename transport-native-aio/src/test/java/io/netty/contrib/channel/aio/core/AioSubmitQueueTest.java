/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.buffer.ByteBuf;
import io.netty.contrib.channel.aio.testing.AioTests;
import io.netty.contrib.channel.aio.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static io.netty.contrib.channel.aio.testing.AioTests.drain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The submission queue the AIO loop and the epoll file engine share, on a real context: one io_submit per batch,
 * what the kernel does not take back at the front in order, a refused iocb failing alone, the rationed lane's
 * budget. Every operation ends accepted (and then completes once) or refused — none is dropped.
 */
class AioSubmitQueueTest {
    private final List<ByteBuf> buffers = new ArrayList<>();
    private final List<String> fates = new ArrayList<>();
    private final List<Op> completed = new ArrayList<>();
    private int fd;

    /** A test operation: a 16-byte read, named for the record of its fate. */
    private final class Op implements AioSubmitQueue.Entry {
        final String name;
        final AioBlock block;

        Op(String name, int fd, long offset) {
            this.name = name;
            ByteBuf b = TestFiles.ALIGNED.directBuffer(16);
            buffers.add(b);
            block = AioBlock.pread(fd, b, offset).callback((blk, res, res2) -> completed.add(this));
        }

        @Override
        public AioBlock block() {
            return block;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final AioSubmitQueue.Owner<Op> owner = new AioSubmitQueue.Owner<>() {
        @Override
        public void accepted(Op op) {
            fates.add(op.name + " accepted");
        }

        @Override
        public void refused(Op op, int res) {
            fates.add(op.name + " refused " + res);
        }
    };

    @BeforeEach
    void openFile() throws Exception {
        fd = TestFiles.open(TestFiles.patternFile("queue", 4096), Native.O_RDONLY);
    }

    @AfterEach
    void release() {
        TestFiles.close(fd);
        for (ByteBuf b : buffers) {
            assertEquals(1, b.refCnt(), "the context's references were all released");
            b.release();
        }
    }

    private Op op(String name) {
        return new Op(name, fd, 0);
    }

    @Test
    void aBatchGoesInOneIoSubmitAndWhatDoesNotFitStaysQueuedInOrder() throws Exception {
        try (AioContext ctx = AioContext.open(4)) {
            AioSubmitQueue<Op> queue = new AioSubmitQueue<>(ctx, owner);
            for (int i = 0; i < 6; i++) {
                queue.add(op("r" + i));
            }
            assertEquals(4, queue.submit(0));
            assertEquals(1, ctx.submitCalls());
            assertEquals(List.of("r0 accepted", "r1 accepted", "r2 accepted", "r3 accepted"), fates);
            assertEquals(2, queue.size());
            assertTrue(!queue.canSubmitNow(0), "no free slot");
            drain(ctx);
            assertEquals(2, queue.submit(0));
            assertEquals(List.of("r4 accepted", "r5 accepted"), fates.subList(4, 6));
            drain(ctx);
            assertEquals(6, completed.size());
            assertTrue(queue.isEmpty());
        }
    }

    @Test
    void aRefusedFirstIocbFailsAloneAndTheRestStaysQueued() throws Exception {
        try (AioContext ctx = AioContext.open(8)) {
            AioSubmitQueue<Op> queue = new AioSubmitQueue<>(ctx, owner);
            queue.add(new Op("bad", AioTests.NEVER_OPEN_FD, 0));
            queue.add(op("a"));
            queue.add(op("b"));
            assertEquals(0, queue.submit(0));
            assertEquals(List.of("bad refused " + -Native.EBADF), fates);
            assertEquals(2, queue.size());
            assertEquals(2, queue.submit(0));
            assertEquals(List.of("bad refused " + -Native.EBADF, "a accepted", "b accepted"), fates);
            drain(ctx);
        }
    }

    @Test
    void aLaterRefusedIocbShortensTheBatchAndComesFirstNextTime() throws Exception {
        try (AioContext ctx = AioContext.open(8)) {
            AioSubmitQueue<Op> queue = new AioSubmitQueue<>(ctx, owner);
            queue.add(op("a"));
            queue.add(new Op("bad", AioTests.NEVER_OPEN_FD, 0));
            queue.add(op("b"));
            assertEquals(1, queue.submit(0), "the kernel stops at the iocb it refuses");
            assertEquals(0, queue.submit(0));
            assertEquals(1, queue.submit(0));
            assertEquals(List.of("a accepted", "bad refused " + -Native.EBADF, "b accepted"), fates);
            assertEquals(3, ctx.submitCalls());
            assertTrue(!queue.isBlocked(), "a refusal is no EAGAIN");
            drain(ctx);
        }
    }

    @Test
    void theRationedLaneGetsOnlyItsBudgetAfterTheMainLane() throws Exception {
        try (AioContext ctx = AioContext.open(8)) {
            AioSubmitQueue<Op> queue = new AioSubmitQueue<>(ctx, owner);
            queue.addRationed(op("p0"));
            queue.addRationed(op("p1"));
            queue.addRationed(op("p2"));
            queue.add(op("r0"));
            assertEquals(3, queue.submit(2));
            assertEquals(List.of("r0 accepted", "p0 accepted", "p1 accepted"), fates);
            assertEquals(1, queue.rationedSize());
            assertTrue(!queue.canSubmitNow(0), "the rationed lane waits for budget");
            assertTrue(queue.canSubmitNow(1));
            assertEquals(1, queue.submit(1));
            drain(ctx);
        }
    }

    @Test
    void anOperationWhoseBufferWasReleasedWhileQueuedIsRefusedWithEinval() throws Exception {
        try (AioContext ctx = AioContext.open(8)) {
            AioSubmitQueue<Op> queue = new AioSubmitQueue<>(ctx, owner);
            Op gone = op("gone");
            queue.add(gone);
            queue.add(op("a"));
            // The caller broke the ownership contract; the queue must not hand freed memory to the kernel.
            ByteBuf b = gone.block.buffers()[0];
            buffers.remove(b);
            b.release();
            assertEquals(0, queue.submit(0));
            assertEquals(List.of("gone refused " + -Native.EINVAL), fates);
            assertEquals(1, queue.submit(0));
            drain(ctx);
        }
    }

    @Test
    void aCancelledOperationLeavesThroughTheIteratorUnheardOf() throws Exception {
        try (AioContext ctx = AioContext.open(8)) {
            AioSubmitQueue<Op> queue = new AioSubmitQueue<>(ctx, owner);
            queue.add(op("a"));
            queue.addRationed(op("p"));
            queue.add(op("b"));
            List<String> order = new ArrayList<>();
            for (Iterator<Op> it = queue.iterator(); it.hasNext();) {
                Op op = it.next();
                order.add(op.name);
                if (op.name.equals("b")) {
                    it.remove();
                }
            }
            assertEquals(List.of("a", "b", "p"), order, "the main lane first, each lane in order");
            assertEquals(2, queue.submit(1));
            assertEquals(List.of("a accepted", "p accepted"), fates);
            drain(ctx);
        }
    }

    @Test
    void anOwnerCallbackCannotSubmitAgain() throws Exception {
        try (AioContext ctx = AioContext.open(8)) {
            List<Throwable> thrown = new ArrayList<>();
            AioSubmitQueue<Op>[] holder = new AioSubmitQueue[1];
            holder[0] = new AioSubmitQueue<>(ctx, new AioSubmitQueue.Owner<Op>() {
                @Override
                public void accepted(Op op) {
                    thrown.add(assertThrows(IllegalStateException.class, () -> holder[0].submit(0)));
                }

                @Override
                public void refused(Op op, int res) {
                }
            });
            holder[0].add(op("a"));
            assertEquals(1, holder[0].submit(0));
            assertEquals(1, thrown.size());
            drain(ctx);
        }
    }
}
