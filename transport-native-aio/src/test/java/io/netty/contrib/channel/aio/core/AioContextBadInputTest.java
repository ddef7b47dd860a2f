/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.unix.FileDescriptor;
import io.netty.contrib.channel.aio.testing.AioTests;
import io.netty.contrib.channel.aio.testing.CompletionRecorder;
import io.netty.contrib.channel.aio.testing.TestBuffers;
import io.netty.contrib.channel.aio.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.netty.contrib.channel.aio.testing.AioTests.drain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad input gets a clear exception (naming what was wrong) or, where the kernel decides at run time, the
 * documented raw negative {@code res}; the context is still usable afterwards — each test ends by completing a
 * good operation on the same context.
 */
class AioContextBadInputTest {
    private static final int SIZE = 64 * 1024;

    private final TestBuffers buffers = new TestBuffers();
    private final CompletionRecorder done = new CompletionRecorder();
    private Path file;
    private int fd;
    private int directFd;
    private AioContext ctx;

    @BeforeEach
    void open() throws Exception {
        file = TestFiles.patternFile("bad-input", SIZE);
        fd = TestFiles.open(file, Native.O_RDWR);
        directFd = TestFiles.open(file, Native.O_RDWR | Native.O_DIRECT);
        ctx = AioContext.open(8);
    }

    @AfterEach
    void close() throws Exception {
        ctx.close();
        buffers.close();
        TestFiles.close(fd);
        TestFiles.close(directFd);
        Files.deleteIfExists(file);
    }

    private ByteBuf aligned(int capacity) {
        return buffers.aligned(capacity);
    }

    /** The context still serves a good read after whatever the test did. */
    private void assertStillUsable() throws Exception {
        ByteBuf dst = aligned(4096);
        AioBlock read = AioBlock.pread(directFd, dst, 4096).callback(done);
        assertEquals(1, ctx.submit(read));
        drain(ctx);
        assertEquals(4096, done.res(read));
        assertEquals(TestFiles.patternByte(4096), dst.getByte(0));
        assertEquals(0, ctx.inFlight());
    }

    private static <T extends Throwable> T assertMessage(Class<T> type, Executable call, String... parts) {
        T e = assertThrows(type, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' should mention '" + part + "'");
        }
        return e;
    }

    private long runForRes(AioBlock block) throws Exception {
        block.callback(done);
        assertEquals(1, ctx.submit(block));
        drain(ctx);
        return done.res(block);
    }

    @Test
    void aClosedDescriptorIsRefusedByJavaOrByTheKernel() throws Exception {
        FileDescriptor[] pipe = AioTests.pipe();
        pipe[0].close();
        pipe[1].close();
        ByteBuf b = aligned(4096);
        assertMessage(IllegalArgumentException.class, () -> AioBlock.pread(pipe[0], b, 0), "descriptor", "closed");
        assertMessage(IllegalArgumentException.class, () -> AioBlock.poll(pipe[1], Native.POLLOUT), "closed");
        assertMessage(IllegalArgumentException.class, () -> AioBlock.fsync(pipe[1]), "closed");
        // By number, only the kernel knows: io_submit refuses the iocb with EBADF.
        AioBlock read = AioBlock.pread(AioTests.NEVER_OPEN_FD, b, 0);
        AioSubmitException e = assertMessage(AioSubmitException.class, () -> ctx.submit(read), "io_submit",
                "PREAD", "EBADF");
        assertEquals(-Native.EBADF, e.expectedErr());
        assertFalse(read.isInFlight());
        assertEquals(1, b.refCnt(), "a refused block retains nothing");
        assertMessage(IllegalArgumentException.class, () -> AioBlock.pread(-1, b, 0), "fd must be >= 0");
        assertStillUsable();
    }

    @Test
    void unalignedDirectIoCompletesWithEinval() throws Exception {
        ByteBuf buf = aligned(8192);
        // Buffer address off by one byte.
        ByteBuf shifted = buf.retainedSlice(1, 4096).clear();
        buffers.track(shifted);
        assertEquals(-Native.EINVAL, runForRes(AioBlock.pread(directFd, shifted, 0)), "unaligned buffer");
        // File offset off by one byte.
        assertEquals(-Native.EINVAL, runForRes(AioBlock.pread(directFd, buf.clear(), 1)), "unaligned offset");
        // Length off by one byte.
        ByteBuf shortBuf = aligned(4095);
        assertEquals(-Native.EINVAL, runForRes(AioBlock.pread(directFd, shortBuf, 0)), "unaligned length");
        ByteBuf out = aligned(4096).writeZero(100);
        assertEquals(-Native.EINVAL, runForRes(AioBlock.pwrite(directFd, out, 0)), "unaligned write length");
        assertStillUsable();
        assertEquals(TestFiles.patternByte(0), Files.readAllBytes(file)[0], "nothing was written");
    }

    @Test
    void aNegativeOffsetIsRefused() throws Exception {
        ByteBuf b = aligned(4096);
        assertMessage(IllegalArgumentException.class, () -> AioBlock.pread(fd, b, -1), "offset", "-1");
        assertMessage(IllegalArgumentException.class, () -> AioBlock.pwritev(fd, -4096, b), "offset");
        assertMessage(IllegalArgumentException.class,
                () -> AioBlock.raw(Native.IOCB_CMD_PREAD, fd, b.memoryAddress(), 16, -1), "offset");
        assertStillUsable();
    }

    @Test
    void aHeapBufferIsRefused() throws Exception {
        ByteBuf heap = Unpooled.buffer(4096);
        buffers.track(heap);
        assertMessage(IllegalArgumentException.class, () -> AioBlock.pread(fd, heap, 0), "buffers[0]", "direct");
        ByteBuf direct = aligned(4096);
        assertMessage(IllegalArgumentException.class, () -> AioBlock.preadv(fd, 0, direct, heap), "buffers[1]",
                "direct");
        assertStillUsable();
    }

    @Test
    void aBufferOfSeveralRegionsIsRefused() throws Exception {
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        composite.addComponents(true, aligned(16).retain().writeZero(16), aligned(16).retain().writeZero(16));
        buffers.track(composite);
        assertMessage(IllegalArgumentException.class, () -> AioBlock.pwrite(fd, composite, 0), "2 memory regions");
        assertStillUsable();
    }

    @Test
    void aReleasedBufferIsRefusedAtPreparationAndAtSubmission() throws Exception {
        ByteBuf released = TestFiles.ALIGNED.directBuffer(4096);
        released.release();
        assertMessage(IllegalArgumentException.class, () -> AioBlock.pread(fd, released, 0), "buffers[0]",
                "released");

        ByteBuf later = TestFiles.ALIGNED.directBuffer(4096);
        AioBlock read = AioBlock.pread(fd, later, 0).callback(done);
        later.release(); // released between preparation and submission
        assertMessage(IllegalArgumentException.class, () -> ctx.submit(read), "buffers[0]", "released");
        assertFalse(read.isInFlight());
        assertEquals(0, done.size());
        assertStillUsable();
    }

    @Test
    void anEmptyOrNullBufferListIsRefused() throws Exception {
        assertMessage(IllegalArgumentException.class, () -> AioBlock.preadv(fd, 0), "buffers.length", "got 0");
        assertMessage(IllegalArgumentException.class, () -> AioBlock.pwritev(fd, 0, new ByteBuf[0]),
                "buffers.length", "got 0");
        assertThrows(NullPointerException.class, () -> AioBlock.preadv(fd, 0, (ByteBuf[]) null));
        ByteBuf b = aligned(16);
        assertMessage(NullPointerException.class, () -> AioBlock.preadv(fd, 0, b, null), "buffers[1]");
        ByteBuf[] tooMany = new ByteBuf[Native.IOV_MAX + 1];
        java.util.Arrays.fill(tooMany, b);
        assertMessage(IllegalArgumentException.class, () -> AioBlock.preadv(fd, 0, tooMany), "IOV_MAX",
                "got " + tooMany.length);
        assertStillUsable();
    }

    @Test
    void badPollMasksPriorityAndFlagsAreRefused() throws Exception {
        assertMessage(IllegalArgumentException.class, () -> AioBlock.poll(fd, 0), "event mask");
        assertMessage(IllegalArgumentException.class, () -> AioBlock.poll(fd, 0x10000), "16-bit");
        AioBlock read = AioBlock.pread(fd, aligned(16), 0);
        assertMessage(IllegalArgumentException.class, () -> read.ioPriority(0, 0), "class");
        assertMessage(IllegalArgumentException.class, () -> read.ioPriority(AioBlock.IOPRIO_CLASS_BE, 8), "level");
        // Unknown RWF_* bits: the kernel refuses the iocb at io_submit.
        AioBlock unknownFlag = AioBlock.pread(fd, aligned(16), 0).rwFlags(0x40000000);
        AioSubmitException e = assertThrows(AioSubmitException.class, () -> ctx.submit(unknownFlag));
        assertEquals(-Native.EOPNOTSUPP, e.expectedErr(), e.getMessage());
        // rw flags on a POLL: the kernel refuses fields POLL does not define.
        AioBlock pollWithFlags = AioBlock.poll(fd, Native.POLLIN).rwFlags(Native.RWF_NOWAIT);
        assertEquals(-Native.EINVAL,
                assertThrows(AioSubmitException.class, () -> ctx.submit(pollWithFlags)).expectedErr());
        assertMessage(IllegalArgumentException.class, () -> AioBlock.raw(Native.IOCB_CMD_POLL, fd, 1, 1, 0),
                "opcode", "got POLL");
        assertStillUsable();
    }

    @Test
    void aRawVectorOfNoIovecsOrMoreThanIovMaxIsRefusedBeforeTheKernel() throws Exception {
        // Before, both went to io_submit: the kernel read an empty vector as a read of nothing and refused the
        // long one with EINVAL there, on whichever thread submitted.
        CompletionRecorder none = new CompletionRecorder();
        ByteBuf iovecs = aligned((Native.IOV_MAX + 1) * Native.SIZEOF_IOVEC);
        long address = iovecs.memoryAddress();
        for (int opcode : new int[] {Native.IOCB_CMD_PREADV, Native.IOCB_CMD_PWRITEV}) {
            String name = AioBlock.opcodeName(opcode);
            assertMessage(IllegalArgumentException.class, () -> AioBlock.raw(opcode, fd, address, 0, 0),
                    "length (the iovec count of a raw " + name + ')', "got 0");
            assertMessage(IllegalArgumentException.class,
                    () -> AioBlock.raw(opcode, fd, address, Native.IOV_MAX + 1, 0).callback(none),
                    "IOV_MAX", "got " + (Native.IOV_MAX + 1));
        }
        assertEquals(0, none.size());
        assertStillUsable();
    }

    @Test
    void aNegativeResfdOtherThanNoneIsRefused() throws Exception {
        AioBlock read = AioBlock.pread(fd, aligned(16), 0);
        assertMessage(IllegalArgumentException.class, () -> read.resfd(-2), "eventFd", "got -2");
        read.resfd(-1);
        assertStillUsable();
    }

    @Test
    void fsyncOnAPipeIsRefusedWithEinval() throws Exception {
        FileDescriptor[] pipe = AioTests.pipe();
        try {
            AioSubmitException e = assertMessage(AioSubmitException.class, () -> ctx.submit(AioBlock.fsync(pipe[1])),
                    "FSYNC", "EINVAL");
            assertEquals(-Native.EINVAL, e.expectedErr());
        } finally {
            AioTests.closeAll(pipe);
        }
        assertStillUsable();
    }

    @Test
    void readingAWriteOnlyDescriptorIsRefusedWithEbadf() throws Exception {
        int writeOnly = TestFiles.open(file, Native.O_WRONLY);
        try {
            AioSubmitException e = assertThrows(AioSubmitException.class,
                    () -> ctx.submit(AioBlock.pread(writeOnly, aligned(16), 0)));
            assertEquals(-Native.EBADF, e.expectedErr());
        } finally {
            TestFiles.close(writeOnly);
        }
        assertStillUsable();
    }

    @Test
    void depthZeroNegativeAndAboveTheMaximumAreRefused() {
        assertMessage(IllegalArgumentException.class, () -> AioContext.open(0), "depth", "got 0");
        assertMessage(IllegalArgumentException.class, () -> AioContext.open(-5), "depth");
        assertMessage(IllegalArgumentException.class, () -> AioContext.open(AioContext.MAX_DEPTH + 1), "depth");
        assertThrows(NullPointerException.class, () -> AioContext.open(1, null));
    }

    @Test
    void aDepthBeyondFsAioMaxNrFailsWithEagainAndSaysWhatToDo() throws Exception {
        long max = AioLimits.aioMaxNr();
        assertEquals(max, Long.parseLong(Files.readAllLines(Path.of("/proc/sys/fs/aio-max-nr")).get(0).trim()),
                "fs.aio-max-nr read whole");
        assertTrue(AioLimits.aioNr() >= 0, "fs.aio-nr is readable");
        int depth = (int) Math.min(max + 1, AioContext.MAX_DEPTH);
        AioIoException e = assertMessage(AioIoException.class, () -> AioContext.open(depth).close(),
                "io_setup(depth=" + depth, "EAGAIN", "fs.aio-max-nr=" + max, "sysctl -w fs.aio-max-nr=");
        assertEquals(-Native.EAGAIN, e.expectedErr());
        assertStillUsable();
    }

    @Test
    void badGetEventsArgumentsAreRefused() throws Exception {
        assertMessage(IllegalArgumentException.class, () -> ctx.getEvents(2, 1, Duration.ZERO), "minNr", "maxNr");
        assertMessage(IllegalArgumentException.class, () -> ctx.getEvents(-1, 1, Duration.ZERO), "minNr");
        assertMessage(IllegalArgumentException.class, () -> ctx.getEvents(0, 0, Duration.ZERO), "maxNr");
        assertMessage(IllegalArgumentException.class, () -> ctx.getEvents(1, 1, Duration.ofMillis(-1)), "timeout");
        assertMessage(IllegalArgumentException.class, () -> ctx.getEvents(1, 1, null), "would never return");
        assertStillUsable();
    }
}
