/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.IoRegistration;
import io.netty.contrib.channel.aio.core.AioBlock;
import io.netty.contrib.channel.aio.core.EventFd;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.testing.AioTests;
import io.netty.contrib.channel.aio.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AioIoOps}' factories refuse every bad argument in the caller's thread, naming it and its value, against
 * the limits the native library reports; and the kernel takes an operation at each of those limits.
 */
class AioIoOpsTest {
    private static final int FD = 3;

    private final List<ByteBuf> buffers = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void release() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        for (ByteBuf b : buffers) {
            b.release();
        }
    }

    private ByteBuf direct(int capacity) {
        ByteBuf b = Unpooled.directBuffer(capacity);
        buffers.add(b);
        return b;
    }

    private static void assertRefused(Executable factory, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, factory);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' should mention '" + part + "'");
        }
    }

    @Test
    void everyFactoryRefusesABadArgumentNamingItAndItsValue() {
        ByteBuf b = direct(16);
        long address = b.memoryAddress();
        ByteBuf[] tooMany = new ByteBuf[Native.IOV_MAX + 1];
        Arrays.fill(tooMany, b);

        assertRefused(() -> AioIoOps.pread(-1, b, 0, 0), "fd", "-1");
        assertRefused(() -> AioIoOps.pwrite(FD, b, -5, 0), "offset", "-5");
        assertRefused(() -> AioIoOps.preadv(FD, 0, 0), "buffers.length", "got 0");
        assertRefused(() -> AioIoOps.pwritev(FD, 0, 0, tooMany), "buffers.length", "IOV_MAX",
                "got " + tooMany.length);
        assertRefused(() -> AioIoOps.poll(FD, 0, 0), "events", "0x0");
        assertRefused(() -> AioIoOps.poll(FD, (Native.IOCB_POLL_EVENTS_MASK + 1) | Native.POLLIN, 0), "events",
                "0x" + Integer.toHexString((Native.IOCB_POLL_EVENTS_MASK + 1) | Native.POLLIN));
        assertRefused(() -> AioIoOps.fsync(-2, 0), "fd", "-2");
        assertRefused(() -> AioIoOps.raw(Native.IOCB_CMD_POLL, FD, address, 1, 0, 0), "opcode", "POLL");
        assertRefused(() -> AioIoOps.raw(Native.IOCB_CMD_PREAD, FD, address, -1, 0, 0), "length", "-1");
        assertRefused(() -> AioIoOps.raw(Native.IOCB_CMD_PWRITE, FD, 0, 16, 0, 0), "address", "16");
        AioIoOps read = AioIoOps.pread(FD, b, 0, 0);
        assertRefused(() -> read.withIoPriority(0, 0), "ioClass", "got 0");
        assertRefused(() -> read.withIoPriority(AioBlock.IOPRIO_CLASS_BE, -1), "level", "got -1");
        assertRefused(() -> read.withIoPriority(AioBlock.IOPRIO_CLASS_IDLE, Native.IOPRIO_NR_LEVELS),
                "level", "IOPRIO_NR_LEVELS", "got " + Native.IOPRIO_NR_LEVELS);
    }

    @Test
    void aRawVectorOfNoIovecsOrMoreThanIovMaxIsRefusedInTheCallersThread() throws Exception {
        // Before, both were accepted here and went to the loop: the kernel refused the long one with EINVAL at
        // io_submit and read the empty one as a read of nothing.
        long iovecs = direct((Native.IOV_MAX + 1) * Native.SIZEOF_IOVEC).memoryAddress();
        for (int opcode : new int[] {Native.IOCB_CMD_PREADV, Native.IOCB_CMD_PWRITEV}) {
            String name = AioBlock.opcodeName(opcode);
            assertRefused(() -> AioIoOps.raw(opcode, FD, iovecs, 0, 0, 0),
                    "length (the iovec count of a raw " + name + ')', "got 0");
            assertRefused(() -> AioIoOps.raw(opcode, FD, iovecs, Native.IOV_MAX + 1, 0, 0),
                    "IOV_MAX", "got " + (Native.IOV_MAX + 1));
        }
    }

    /**
     * The limits are the kernel's, not guesses: through a real loop it takes IOV_MAX buffers in one read, the
     * lowest I/O priority level of a class, and a POLL whose mask fills all the bits it may use.
     */
    @Test
    void theKernelTakesAnOperationAtEachLimit() throws Exception {
        AioEventLoopGroup group = new AioEventLoopGroup(1, (ThreadFactory) null, new AioIoHandlerConfig().depth(8));
        closeables.add(() -> assertTrue(group.shutdownGracefully(0, 10, TimeUnit.SECONDS)
                .await(30, TimeUnit.SECONDS)));
        Path file = TestFiles.patternFile("limits", Native.IOV_MAX);
        closeables.add(() -> Files.deleteIfExists(file));
        int fd = TestFiles.open(file, Native.O_RDONLY);
        closeables.add(() -> TestFiles.close(fd));
        EventFd efd = EventFd.create();
        closeables.add(efd);
        efd.write(1);

        RecordingHandle handle = new RecordingHandle("limits").expect(3);
        IoRegistration reg = group.next().register(handle).get(30, TimeUnit.SECONDS);
        ByteBuf[] oneByteEach = new ByteBuf[Native.IOV_MAX];
        for (int i = 0; i < oneByteEach.length; i++) {
            oneByteEach[i] = direct(1);
        }
        reg.submit(AioIoOps.preadv(fd, 0, 1, oneByteEach));
        reg.submit(AioIoOps.pread(fd, direct(16), 0, 2)
                .withIoPriority(AioBlock.IOPRIO_CLASS_BE, Native.IOPRIO_NR_LEVELS - 1));
        reg.submit(AioIoOps.poll(efd.intValue(), Native.IOCB_POLL_EVENTS_MASK, 3));
        assertTrue(handle.await(30, TimeUnit.SECONDS), "all three completed");

        for (RecordingHandle.Event e : handle.events()) {
            if (e.userData() == 1) {
                assertEquals(Native.IOV_MAX, e.res(), "one byte into each of IOV_MAX buffers");
            } else if (e.userData() == 2) {
                assertEquals(16, e.res(), "read at the last BE level");
            } else {
                assertTrue((e.res() & Native.POLLIN) != 0, () -> "POLLIN in " + Native.describeResult(e.res()));
            }
        }
        for (int i = 0; i < oneByteEach.length; i++) {
            oneByteEach[i].writerIndex(1);
            assertEquals(TestFiles.patternByte(i), oneByteEach[i].getByte(0), "byte " + i);
        }
        assertEquals(0, AioTests.awaitStats(group.next(), st -> st.inFlight() == 0).failedSubmissions());
    }
}
