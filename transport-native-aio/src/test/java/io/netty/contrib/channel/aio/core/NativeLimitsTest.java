/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.channel.unix.Buffer;
import io.netty.channel.unix.Limits;
import io.netty.contrib.channel.aio.testing.AioTests;
import io.netty.contrib.channel.aio.testing.TestFiles;
import io.netty.util.internal.CleanableDirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The limits and errnos {@link Native} reports are the kernel's. Each limit is checked at the kernel itself: an
 * iocb written by hand, past every Java check, is taken at the limit and refused one past it.
 */
class NativeLimitsTest {
    private long ctx;
    private final CleanableDirectBuffer iocbMemory = Buffer.allocateDirectBufferWithNativeOrder(Native.SIZEOF_IOCB);
    private final CleanableDirectBuffer pointerMemory = Buffer.allocateDirectBufferWithNativeOrder(Long.BYTES);
    private final CleanableDirectBuffer eventMemory =
            Buffer.allocateDirectBufferWithNativeOrder(Native.SIZEOF_IO_EVENT);
    private final Iocb iocb = new Iocb(iocbMemory.buffer(), 1).at(0);

    @BeforeEach
    void setUp() {
        ctx = Native.ioSetup(4);
        assertTrue(ctx > 0, () -> "io_setup: " + Native.describeResult(ctx));
    }

    @AfterEach
    void tearDown() {
        assertEquals(0, Native.ioDestroy(ctx));
        iocbMemory.clean();
        pointerMemory.clean();
        eventMemory.clean();
    }

    /** io_submit of the one iocb: 1, or -errno when the kernel refuses it. */
    private int submit() {
        ByteBuffer pointers = pointerMemory.buffer();
        pointers.putLong(0, iocb.address());
        return Native.ioSubmit(ctx, 1, Buffer.memoryAddress(pointers));
    }

    private long reap() {
        ByteBuffer events = eventMemory.buffer();
        assertEquals(1, Native.ioGetEvents(ctx, 1, 1, Buffer.memoryAddress(events), AioTests.PATIENCE.toNanos()));
        return new IoEventArray(events, 0, 1).at(0).res();
    }

    @Test
    void iovMaxIsTheMostIovecsTheKernelTakes() throws Exception {
        assertEquals(Limits.IOV_MAX, Native.IOV_MAX, "unix-common's library reads the same IOV_MAX");
        Path file = TestFiles.patternFile("iov-max", Native.IOV_MAX + 1);
        int fd = TestFiles.open(file, Native.O_RDONLY);
        CleanableDirectBuffer dst = Buffer.allocateDirectBufferWithNativeOrder(Native.IOV_MAX + 1);
        CleanableDirectBuffer iov =
                Buffer.allocateDirectBufferWithNativeOrder((Native.IOV_MAX + 1) * Native.SIZEOF_IOVEC);
        try {
            long dstAddress = Buffer.memoryAddress(dst.buffer());
            ByteBuffer iovecs = iov.buffer();
            for (int i = 0; i <= Native.IOV_MAX; i++) {
                iovecs.putLong(i * Native.SIZEOF_IOVEC, dstAddress + i);
                iovecs.putLong(i * Native.SIZEOF_IOVEC + Long.BYTES, 1);
            }
            iocb.clear().opcode(Native.IOCB_CMD_PREADV).fildes(fd).buf(Buffer.memoryAddress(iovecs))
                    .nbytes(Native.IOV_MAX + 1);
            assertEquals(-Native.EINVAL, submit(), "one iovec past IOV_MAX");
            iocb.nbytes(Native.IOV_MAX);
            assertEquals(1, submit(), "IOV_MAX iovecs");
            assertEquals(Native.IOV_MAX, reap());
            assertEquals(TestFiles.patternByte(Native.IOV_MAX - 1), dst.buffer().get(Native.IOV_MAX - 1));
        } finally {
            TestFiles.close(fd);
            dst.clean();
            iov.clean();
            Files.deleteIfExists(file);
        }
    }

    @Test
    void thePollMaskIsAsWideAsTheKernelTakes() throws Exception {
        // include/uapi/linux/aio_abi.h: the mask travels in aio_buf, and fs/aio.c takes a __u16 of it.
        assertEquals(0xffff, Native.IOCB_POLL_EVENTS_MASK);
        EventFd efd = EventFd.create(1, Native.EFD_NONBLOCK | Native.EFD_CLOEXEC);
        try {
            iocb.clear().opcode(Native.IOCB_CMD_POLL).fildes(efd.intValue())
                    .buf((Native.IOCB_POLL_EVENTS_MASK + 1) | Native.POLLIN);
            assertEquals(-Native.EINVAL, submit(), "a bit past the mask");
            iocb.buf(Native.IOCB_POLL_EVENTS_MASK);
            assertEquals(1, submit(), "every bit of the mask");
            assertTrue((reap() & Native.POLLIN) != 0);
        } finally {
            efd.close();
        }
    }

    @Test
    void theLastIoPriorityLevelIsTheKernelsLast() throws Exception {
        // include/uapi/linux/ioprio.h: IOPRIO_NR_LEVELS (also IOPRIO_BE_NR) is 8. The kernel cannot show where the
        // levels end: since Linux 6.6 it reads higher values as level plus hint (AioBlock.checkIoPriority).
        assertEquals(8, Native.IOPRIO_NR_LEVELS);
        assertEquals(13, Native.IOPRIO_CLASS_SHIFT);
        assertEquals(1, Native.IOPRIO_CLASS_RT);
        assertEquals(2, Native.IOPRIO_CLASS_BE);
        assertEquals(3, Native.IOPRIO_CLASS_IDLE);
        Path file = TestFiles.patternFile("ioprio", 4096);
        int fd = TestFiles.open(file, Native.O_RDONLY);
        CleanableDirectBuffer dst = Buffer.allocateDirectBufferWithNativeOrder(16);
        try {
            iocb.clear().opcode(Native.IOCB_CMD_PREAD).fildes(fd).buf(Buffer.memoryAddress(dst.buffer())).nbytes(16)
                    .flags(Native.IOCB_FLAG_IOPRIO)
                    .reqprio(Native.IOPRIO_CLASS_BE << Native.IOPRIO_CLASS_SHIFT | (Native.IOPRIO_NR_LEVELS - 1));
            assertEquals(1, submit());
            assertEquals(16, reap());
        } finally {
            TestFiles.close(fd);
            dst.clean();
            Files.deleteIfExists(file);
        }
    }

    /** One errno table for every area: each constant of Native is the C library's errno of the same name. */
    @Test
    void everyErrnoConstantIsTheOneOfItsName() throws Exception {
        int checked = 0;
        for (Field f : Native.class.getFields()) {
            String name = f.getName();
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class && name.matches("E(?!POLL)[A-Z]+")) {
                int errno = f.getInt(null);
                assertTrue(errno > 0, name + " is positive, as the kernel defines it");
                String described = Native.describeResult(-errno);
                assertEquals(name, described.substring(0, described.indexOf(' ')), described);
                checked++;
            }
        }
        assertTrue(checked >= 30, checked + " errnos");
    }
}
