/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.buffer.ByteBuf;
import io.netty.contrib.channel.aio.testing.CompletionRecorder;
import io.netty.contrib.channel.aio.testing.TestBuffers;
import io.netty.contrib.channel.aio.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.netty.contrib.channel.aio.testing.AioTests.bytes;
import static io.netty.contrib.channel.aio.testing.AioTests.drain;
import static io.netty.contrib.channel.aio.testing.AioTests.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every file opcode through {@link AioContext} on real files under {@code target/}: PREAD, PWRITE, PREADV, PWRITEV,
 * FSYNC, FDSYNC, buffered and {@code O_DIRECT} with aligned pooled buffers, per-operation {@code RWF_*} flags and
 * I/O priorities. Each runs on both reaping paths.
 */
class AioContextFileTest {
    private static final int SIZE = 64 * 1024;

    private final TestBuffers buffers = new TestBuffers();
    private final List<Integer> fds = new ArrayList<>();
    private final CompletionRecorder done = new CompletionRecorder();
    private Path file;

    @BeforeEach
    void createFile() throws Exception {
        file = TestFiles.patternFile("file-ops", SIZE);
    }

    @AfterEach
    void cleanUp() throws Exception {
        buffers.close();
        for (int fd : fds) {
            TestFiles.close(fd);
        }
        Files.deleteIfExists(file);
    }

    private ByteBuf aligned(int capacity) {
        return buffers.aligned(capacity);
    }

    private int open(int flags) {
        int fd = TestFiles.open(file, flags);
        fds.add(fd);
        return fd;
    }

    private AioBlock run(AioContext ctx, AioBlock block) throws Exception {
        block.callback(done);
        assertEquals(1, ctx.submit(block));
        drain(ctx);
        return block;
    }

    @ParameterizedTest
    @EnumSource(AioContext.ReapMode.class)
    void preadFillsWritableBytesFromTheOffset(AioContext.ReapMode mode) throws Exception {
        int fd = open(Native.O_RDONLY);
        ByteBuf dst = aligned(8192);
        dst.writerIndex(100); // reads land at writerIndex
        try (AioContext ctx = AioContext.open(4, mode)) {
            assertEquals(mode, ctx.reapMode());
            AioBlock read = run(ctx, AioBlock.pread(fd, dst, 1000));
            assertEquals(8192 - 100, done.res(read));
            assertEquals(100, dst.writerIndex(), "indices are the caller's to move");
            assertArrayEquals(pattern(1000, 8092), bytes(dst, 100, 8092));
        }
    }

    @ParameterizedTest
    @EnumSource(AioContext.ReapMode.class)
    void preadAtEndOfFileReturnsZeroAndPastItShort(AioContext.ReapMode mode) throws Exception {
        int fd = open(Native.O_RDONLY);
        ByteBuf a = aligned(4096);
        ByteBuf b = aligned(4096);
        try (AioContext ctx = AioContext.open(4, mode)) {
            AioBlock atEof = AioBlock.pread(fd, a, SIZE).callback(done);
            AioBlock straddling = AioBlock.pread(fd, b, SIZE - 10).callback(done);
            assertEquals(2, ctx.submit(atEof, straddling));
            drain(ctx);
            assertEquals(0, done.res(atEof));
            assertEquals(10, done.res(straddling));
            assertArrayEquals(pattern(SIZE - 10, 10), bytes(b, 0, 10));
        }
    }

    @ParameterizedTest
    @EnumSource(AioContext.ReapMode.class)
    void pwriteWritesReadableBytesAtTheOffset(AioContext.ReapMode mode) throws Exception {
        int fd = open(Native.O_RDWR);
        ByteBuf src = aligned(4096);
        src.writeBytes(new byte[] {9, 9, 1, 2, 3, 4, 5});
        src.readerIndex(2); // writes start at readerIndex
        try (AioContext ctx = AioContext.open(4, mode)) {
            AioBlock write = run(ctx, AioBlock.pwrite(fd, src, 5000));
            assertEquals(5, done.res(write));
            assertEquals(2, src.readerIndex());
        }
        byte[] content = Files.readAllBytes(file);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, java.util.Arrays.copyOfRange(content, 5000, 5005));
        assertEquals(SIZE, content.length);
    }

    @ParameterizedTest
    @EnumSource(AioContext.ReapMode.class)
    void vectoredReadScattersAndVectoredWriteGathers(AioContext.ReapMode mode) throws Exception {
        int fd = open(Native.O_RDWR);
        ByteBuf[] dsts = {aligned(4096), aligned(4096), aligned(4096)};
        dsts[1].writerIndex(4000); // 96 writable bytes in the middle one
        ByteBuf s1 = aligned(4096).writeBytes(new byte[] {10, 11, 12});
        ByteBuf s2 = aligned(4096).writeBytes(new byte[] {13});
        ByteBuf s3 = aligned(4096).writeBytes(new byte[] {14, 15});
        try (AioContext ctx = AioContext.open(4, mode)) {
            AioBlock readv = run(ctx, AioBlock.preadv(fd, 333, dsts));
            assertEquals(4096 + 96 + 4096, done.res(readv));
            assertArrayEquals(pattern(333, 4096), bytes(dsts[0], 0, 4096));
            assertArrayEquals(pattern(333 + 4096, 96), bytes(dsts[1], 4000, 96));
            assertArrayEquals(pattern(333 + 4096 + 96, 4096), bytes(dsts[2], 0, 4096));

            AioBlock writev = run(ctx, AioBlock.pwritev(fd, 7, s1, s2, s3));
            assertEquals(6, done.res(writev));
        }
        byte[] content = Files.readAllBytes(file);
        assertArrayEquals(new byte[] {10, 11, 12, 13, 14, 15}, java.util.Arrays.copyOfRange(content, 7, 13));
    }

    @ParameterizedTest
    @EnumSource(AioContext.ReapMode.class)
    void directIoWithAlignedPooledBuffersRoundTrips(AioContext.ReapMode mode) throws Exception {
        int fd = open(Native.O_RDWR | Native.O_DIRECT);
        ByteBuf out = aligned(8192);
        for (int i = 0; i < 8192; i++) {
            out.writeByte(i * 7 + 3);
        }
        ByteBuf in1 = aligned(4096);
        ByteBuf in2 = aligned(4096);
        assertEquals(0, out.memoryAddress() % 4096, "TestFiles.ALIGNED gives 4096-aligned memory");
        try (AioContext ctx = AioContext.open(4, mode)) {
            AioBlock write = run(ctx, AioBlock.pwrite(fd, out, 16384));
            assertEquals(8192, done.res(write));
            AioBlock readv = run(ctx, AioBlock.preadv(fd, 16384, in1, in2));
            assertEquals(8192, done.res(readv));
            AioBlock read = run(ctx, AioBlock.pread(fd, in1.clear(), 0));
            assertEquals(4096, done.res(read));
            assertArrayEquals(pattern(0, 4096), bytes(in1, 0, 4096));
        }
        byte[] content = Files.readAllBytes(file);
        for (int i = 0; i < 8192; i++) {
            assertEquals((byte) (i * 7 + 3), content[16384 + i], "byte " + i);
        }
        assertArrayEquals(bytes(out, 4096, 4096), bytes(in2, 0, 4096));
    }

    @ParameterizedTest
    @EnumSource(AioContext.ReapMode.class)
    void fsyncAndFdsyncCompleteWithZero(AioContext.ReapMode mode) throws Exception {
        int fd = open(Native.O_RDWR);
        ByteBuf src = aligned(4096).writeZero(4096);
        try (AioContext ctx = AioContext.open(4, mode)) {
            AioBlock write = AioBlock.pwrite(fd, src, 0).callback(done);
            AioBlock fsync = AioBlock.fsync(fd).callback(done);
            AioBlock fdsync = AioBlock.fdsync(fd).callback(done);
            assertEquals(1, ctx.submit(write));
            drain(ctx);
            assertEquals(2, ctx.submit(fsync, fdsync));
            drain(ctx);
            assertEquals(4096, done.res(write));
            assertEquals(0, done.res(fsync));
            assertEquals(0, done.res(fdsync));
        }
    }

    @Test
    void rwfAppendWritesAtTheEndWhateverTheOffset() throws Exception {
        int fd = open(Native.O_RDWR);
        ByteBuf src = aligned(4096).writeBytes(new byte[] {42, 43});
        try (AioContext ctx = AioContext.open(2)) {
            AioBlock write = run(ctx, AioBlock.pwrite(fd, src, 0).rwFlags(Native.RWF_APPEND));
            assertEquals(2, done.res(write));
        }
        byte[] content = Files.readAllBytes(file);
        assertEquals(SIZE + 2, content.length);
        assertEquals(42, content[SIZE]);
        assertEquals(43, content[SIZE + 1]);
        assertEquals(TestFiles.patternByte(0), content[0], "offset 0 untouched");
    }

    @Test
    void rwfDsyncSyncNowaitAndHipriAreAccepted() throws Exception {
        int fd = open(Native.O_RDWR);
        ByteBuf a = aligned(4096).writeBytes(new byte[] {1});
        ByteBuf b = aligned(4096).writeBytes(new byte[] {2});
        ByteBuf c = aligned(4096);
        ByteBuf d = aligned(4096);
        try (AioContext ctx = AioContext.open(4)) {
            AioBlock dsync = run(ctx, AioBlock.pwrite(fd, a, 0).rwFlags(Native.RWF_DSYNC));
            AioBlock sync = run(ctx, AioBlock.pwrite(fd, b, 1).rwFlags(Native.RWF_SYNC));
            // The page was just written, so a NOWAIT read is a page-cache hit and completes at once.
            AioBlock nowait = run(ctx, AioBlock.pread(fd, c, 0).rwFlags(Native.RWF_NOWAIT));
            // HIPRI (polled completion) is accepted and ignored by AIO: nobody polls for AIO requests.
            AioBlock hipri = run(ctx, AioBlock.pread(fd, d, 0).rwFlags(Native.RWF_HIPRI));
            assertEquals(1, done.res(dsync));
            assertEquals(1, done.res(sync));
            assertEquals(4096, done.res(nowait));
            assertEquals(4096, done.res(hipri));
            assertEquals(1, c.getByte(0));
            assertEquals(2, c.getByte(1));
            assertArrayEquals(bytes(c, 0, 4096), bytes(d, 0, 4096));
        }
    }

    @Test
    void ioPriorityClassesAreAcceptedOnReads() throws Exception {
        int fd = open(Native.O_RDONLY | Native.O_DIRECT);
        try (AioContext ctx = AioContext.open(4)) {
            int[][] priorities = {
                    {AioBlock.IOPRIO_CLASS_BE, 0}, {AioBlock.IOPRIO_CLASS_BE, 7}, {AioBlock.IOPRIO_CLASS_IDLE, 0},
                    {AioBlock.IOPRIO_CLASS_RT, 4} // RT needs CAP_SYS_ADMIN or CAP_SYS_NICE: tests run as root
            };
            for (int[] p : priorities) {
                ByteBuf dst = aligned(4096);
                AioBlock read = run(ctx, AioBlock.pread(fd, dst, 4096).ioPriority(p[0], p[1]));
                assertEquals(4096, done.res(read), () -> "class " + p[0] + " level " + p[1]);
                assertArrayEquals(pattern(4096, 4096), bytes(dst, 0, 4096));
            }
        }
    }

    @Test
    void diskReadsCannotBeCancelledAndCompleteWithTheirData() throws Exception {
        int fd = open(Native.O_RDONLY | Native.O_DIRECT);
        ByteBuf dst = aligned(SIZE);
        try (AioContext ctx = AioContext.open(2)) {
            AioBlock read = AioBlock.pread(fd, dst, 0).callback(done);
            assertEquals(1, ctx.submit(read));
            // Block-device reads have no cancel method in fs/aio.c: io_cancel answers EINVAL.
            assertFalse(ctx.cancel(read));
            assertEquals(0, ctx.cancelAll());
            drain(ctx);
            assertEquals(SIZE, done.res(read));
            assertArrayEquals(pattern(0, SIZE), bytes(dst, 0, SIZE));
        }
    }

    @Test
    void blocksAreReusableAfterTheirCompletion() throws Exception {
        int fd = open(Native.O_RDONLY);
        ByteBuf dst = aligned(4096);
        try (AioContext ctx = AioContext.open(1)) {
            AioBlock block = new AioBlock().callback(done);
            for (int i = 0; i < 5; i++) {
                block.prepPread(fd, dst.clear(), i * 4096L);
                assertEquals(1, ctx.submit(block));
                drain(ctx);
                assertFalse(block.isInFlight());
                assertArrayEquals(pattern(i * 4096L, 4096), bytes(dst, 0, 4096));
            }
            assertEquals(5, done.count(block));
            assertEquals(5, ctx.completionCount());
            assertEquals(1, dst.refCnt(), "every retain of the context was released");
        }
    }
}
