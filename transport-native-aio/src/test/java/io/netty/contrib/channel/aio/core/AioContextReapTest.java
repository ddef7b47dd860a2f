/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.buffer.ByteBuf;
import io.netty.channel.unix.FileDescriptor;
import io.netty.contrib.channel.aio.testing.AioTests;
import io.netty.contrib.channel.aio.testing.CompletionRecorder;
import io.netty.contrib.channel.aio.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.netty.contrib.channel.aio.testing.AioTests.drain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reaping: {@code getEvents} timeouts and counts, the user-space ring (wrap-around, {@code hasCompletions}) and the
 * {@code io_getevents} path, which must deliver exactly the same results.
 */
class AioContextReapTest {
    private final CompletionRecorder done = new CompletionRecorder();

    @ParameterizedTest
    @EnumSource(AioContext.ReapMode.class)
    void aZeroTimeoutPollsAndReturnsAtOnce(AioContext.ReapMode mode) throws Exception {
        FileDescriptor[] pipe = AioTests.pipe();
        try (AioContext ctx = AioContext.open(4, mode)) {
            assertEquals(0, ctx.getEvents(0, 4, Duration.ZERO), "nothing in flight");
            assertEquals(0, ctx.reap());
            assertEquals(1, ctx.submit(AioBlock.poll(pipe[0], Native.POLLIN).callback(done)));
            assertEquals(0, ctx.getEvents(1, 4, Duration.ZERO), "a zero timeout never waits, even for minNr");
            assertEquals(0, ctx.getEvents(1, 4, 0L));
            assertEquals(0, done.size());
        } finally {
            AioTests.closeAll(pipe);
        }
    }

    @ParameterizedTest
    @EnumSource(AioContext.ReapMode.class)
    void aTimeoutExpiresWithFewerThanMinNr(AioContext.ReapMode mode) throws Exception {
        FileDescriptor[] pipe = AioTests.pipe();
        try (AioContext ctx = AioContext.open(4, mode); EventFd ready = EventFd.create(1, Native.EFD_CLOEXEC)) {
            AioBlock pending = AioBlock.poll(pipe[0], Native.POLLIN).callback(done);
            AioBlock completes = AioBlock.poll(ready, Native.POLLIN).callback(done);
            assertEquals(2, ctx.submit(pending, completes));
            long start = System.nanoTime();
            int n = ctx.getEvents(2, 4, Duration.ofMillis(200));
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(1, n, "the ready one, then the timeout");
            assertTrue(waitedMs >= 150, "waited for the timeout, not less: " + waitedMs + " ms");
            assertEquals(1, done.count(completes));
            assertEquals(0, done.count(pending));

            start = System.nanoTime();
            assertEquals(0, ctx.getEvents(1, 4, Duration.ofMillis(100)));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 75);
        } finally {
            AioTests.closeAll(pipe);
        }
    }

    @ParameterizedTest
    @EnumSource(AioContext.ReapMode.class)
    void aNullTimeoutBlocksUntilTheCompletionArrives(AioContext.ReapMode mode) throws Exception {
        FileDescriptor[] pipe = AioTests.pipe();
        try (AioContext ctx = AioContext.open(4, mode)) {
            AioBlock poll = AioBlock.poll(pipe[0], Native.POLLIN).callback(done);
            assertEquals(1, ctx.submit(poll));
            CountDownLatch waiting = new CountDownLatch(1);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    // Write only once the main thread is about to block (and then some).
                    waiting.await();
                    Thread.sleep(100);
                    AioTests.write(pipe[1], new byte[] {7});
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            waiting.countDown();
            assertEquals(1, ctx.getEvents(1, 4, (Duration) null));
            assertTrue((done.res(poll) & Native.POLLIN) != 0);
            writer.get(AioTests.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            AioTests.closeAll(pipe);
        }
    }

    @ParameterizedTest
    @EnumSource(AioContext.ReapMode.class)
    void maxNrBoundsEachCall(AioContext.ReapMode mode) throws Exception {
        try (AioContext ctx = AioContext.open(8, mode); EventFd ready = EventFd.create(1, Native.EFD_CLOEXEC)) {
            List<AioBlock> polls = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                polls.add(AioBlock.poll(ready, Native.POLLIN).callback(done));
            }
            // A POLL on a ready descriptor completes inside io_submit: all five are in the ring now.
            assertEquals(5, ctx.submit(polls));
            assertEquals(mode == AioContext.ReapMode.RING, ctx.hasCompletions());
            assertEquals(2, ctx.getEvents(0, 2, Duration.ZERO));
            assertEquals(2, ctx.getEvents(0, 2, Duration.ZERO));
            assertEquals(1, ctx.getEvents(1, 2, Duration.ZERO));
            assertFalse(ctx.hasCompletions());
            done.assertEachExactlyOnce(polls);
        }
    }

    /** Far more completions than the ring has entries: head and tail wrap around several times. */
    @ParameterizedTest
    @EnumSource(AioContext.ReapMode.class)
    void theRingWrapsAroundWithoutLosingOrRepeatingACompletion(AioContext.ReapMode mode) throws Exception {
        int depth = 64;
        try (AioContext ctx = AioContext.open(depth, mode); EventFd ready = EventFd.create(1, Native.EFD_CLOEXEC)) {
            List<AioBlock> all = new ArrayList<>();
            for (int round = 0; round < 40; round++) {
                List<AioBlock> batch = new ArrayList<>();
                for (int i = 0; i < depth; i++) {
                    batch.add(AioBlock.poll(ready, Native.POLLIN).attachment(round * depth + i).callback(done));
                }
                assertEquals(depth, ctx.submit(batch));
                // Reap in uneven chunks so the head stops at every position of the ring over time.
                int reaped = 0;
                while (reaped < depth) {
                    reaped += ctx.getEvents(1, 1 + (round + reaped) % 7, AioTests.PATIENCE);
                }
                all.addAll(batch);
            }
            done.assertEachExactlyOnce(all);
            for (CompletionRecorder.Completion c : done.completions()) {
                assertEquals(Native.POLLIN, c.res);
                assertEquals(0, c.res2);
            }
            assertEquals(40L * depth, ctx.completionCount());
            assertEquals(0, ctx.staleCompletionCount());
        }
    }

    @Test
    void aSleeperWokenByTheResfdFindsTheCompletionInTheRing() throws Exception {
        FileDescriptor[] pipe = AioTests.pipe();
        try (AioContext ctx = AioContext.open(4, AioContext.ReapMode.RING); EventFd efd = EventFd.create()) {
            assertEquals(AioContext.ReapMode.RING, ctx.reapMode(), "this kernel's ring is understood");
            AioBlock poll = AioBlock.poll(pipe[0], Native.POLLIN).resfd(efd).callback(done);
            assertEquals(1, ctx.submit(poll));
            assertEquals(0, Native.ppoll(efd.intValue(), Native.POLLIN, 0), "nothing signalled yet");
            AioTests.write(pipe[1], new byte[] {1});
            int revents = Native.ppoll(efd.intValue(), Native.POLLIN, AioTests.PATIENCE.toNanos());
            assertEquals(Native.POLLIN, revents, "the completion signalled the eventfd");
            assertEquals(1, efd.read());
            // The kernel fills the ring before it signals: the event is there without a syscall.
            assertTrue(ctx.hasCompletions());
            assertEquals(1, ctx.reap());
            assertEquals(1, done.count(poll));
        } finally {
            AioTests.closeAll(pipe);
        }
    }

    /** The same workload through the ring and through io_getevents gives the same results, byte for byte. */
    @Test
    void bothReapingPathsDeliverIdenticalResults() throws Exception {
        assertEquals(runWorkload(AioContext.ReapMode.RING), runWorkload(AioContext.ReapMode.SYSCALL));
    }

    private List<String> runWorkload(AioContext.ReapMode mode) throws Exception {
        Path path = TestFiles.patternFile("paths-" + mode, 64 * 1024);
        int fd = TestFiles.open(path, Native.O_RDWR);
        int directFd = TestFiles.open(path, Native.O_RDWR | Native.O_DIRECT);
        FileDescriptor[] pipe = AioTests.pipe();
        List<ByteBuf> buffers = new ArrayList<>();
        CompletionRecorder rec = new CompletionRecorder();
        try (AioContext ctx = AioContext.open(32, mode); EventFd ready = EventFd.create(1, Native.EFD_CLOEXEC)) {
            assertEquals(mode, ctx.reapMode());
            ByteBuf[] b = new ByteBuf[10];
            for (int i = 0; i < b.length; i++) {
                b[i] = TestFiles.ALIGNED.directBuffer(4096, 4096);
                buffers.add(b[i]);
            }
            b[1].writeBytes("hello, aio".getBytes());
            b[3].writeBytes("vec-".getBytes());
            b[4].writeBytes("tor".getBytes());
            List<AioBlock> blocks = List.of(
                    AioBlock.pread(fd, b[0], 100),
                    AioBlock.pwrite(fd, b[1], 8192),
                    AioBlock.preadv(fd, 60 * 1024, b[2], b[5]),                 // short: 4 KiB left
                    AioBlock.pwritev(fd, 20000, b[3], b[4]),
                    AioBlock.fsync(fd),
                    AioBlock.fdsync(fd),
                    AioBlock.pread(fd, b[6], 64 * 1024),                        // at EOF
                    AioBlock.pread(directFd, b[7], 4096),
                    AioBlock.pread(directFd, b[8].retainedSlice(1, 512).clear(), 0), // unaligned: -EINVAL
                    AioBlock.poll(ready, Native.POLLIN),
                    AioBlock.poll(pipe[1], Native.POLLOUT),
                    AioBlock.poll(pipe[0], Native.POLLIN));                     // cancelled below
            for (int i = 0; i < blocks.size(); i++) {
                blocks.get(i).attachment(i).callback(rec);
            }
            buffers.add(blocks.get(8).buffers()[0]);
            assertEquals(blocks.size(), ctx.submit(blocks));
            assertTrue(ctx.cancel(blocks.get(11)));
            drain(ctx);
            rec.assertEachExactlyOnce(blocks);
            List<String> results = new ArrayList<>();
            for (AioBlock block : blocks) {
                CompletionRecorder.Completion c = rec.only(block);
                StringBuilder sb = new StringBuilder().append(block.attachment()).append(' ')
                        .append(AioBlock.opcodeName(block.opcode())).append(" res=").append(c.res)
                        .append(" res2=").append(c.res2);
                if (block.opcode() == Native.IOCB_CMD_PREAD || block.opcode() == Native.IOCB_CMD_PREADV) {
                    for (ByteBuf buf : block.buffers()) {
                        sb.append(' ').append(Arrays.hashCode(AioTests.bytes(buf, buf.writerIndex(),
                                buf.writableBytes())));
                    }
                }
                results.add(sb.toString());
            }
            byte[] content = Files.readAllBytes(path);
            results.add("file " + content.length + " " + Arrays.hashCode(content));
            return results;
        } finally {
            for (ByteBuf buf : buffers) {
                buf.release();
            }
            TestFiles.close(fd);
            TestFiles.close(directFd);
            AioTests.closeAll(pipe);
            Files.delete(path);
        }
    }
}
