/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.channel.unix.Buffer;
import io.netty.util.internal.CleanableDirectBuffer;
import io.netty.contrib.channel.aio.testing.AioTests;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link IoEventArray} flyweight against C and against the kernel: C writes {@code struct io_event} through its
 * member names and Java must read the same values; a real completion must carry the iocb's {@code aio_data} and
 * address where the flyweight looks for them.
 */
class IoEventArrayTest {

    @Test
    void layoutIsTheAbiOfAioAbiH() {
        assertEquals(32, Native.SIZEOF_IO_EVENT);
        assertEquals(0, Native.IO_EVENT_DATA);
        assertEquals(8, Native.IO_EVENT_OBJ);
        assertEquals(16, Native.IO_EVENT_RES);
        assertEquals(24, Native.IO_EVENT_RES2);
        // struct aio_ring header of fs/aio.c: 8 unsigned ints, then the events.
        assertEquals(32, Native.SIZEOF_AIO_RING);
        assertEquals(4, Native.AIO_RING_NR);
        assertEquals(8, Native.AIO_RING_HEAD);
        assertEquals(12, Native.AIO_RING_TAIL);
        assertEquals(16, Native.AIO_RING_MAGIC);
        assertEquals(0xa10a10a1, Native.AIO_RING_MAGIC_VALUE);
    }

    @Test
    void fieldsWrittenByCAreReadByJava() {
        CleanableDirectBuffer allocation = Buffer.allocateDirectBufferWithNativeOrder(8 + 3 * Native.SIZEOF_IO_EVENT);
        ByteBuffer mem = allocation.buffer();
        try {
            long base = Buffer.memoryAddress(mem) + 8;
            for (int i = 0; i < 3; i++) {
                Native.writeIoEvent(base + (long) i * Native.SIZEOF_IO_EVENT, 0x100 + i, 0x7f0000001000L + i,
                        -Native.ECANCELED - i, Long.MIN_VALUE + i);
            }
            IoEventArray ev = new IoEventArray(mem, 8, 3);
            for (int i = 0; i < 3; i++) {
                ev.at(i);
                assertEquals(0x100 + i, ev.data());
                assertEquals(0x7f0000001000L + i, ev.obj());
                assertEquals(-Native.ECANCELED - i, ev.res(), "res is signed");
                assertEquals(Long.MIN_VALUE + i, ev.res2());
            }
            assertThrows(IndexOutOfBoundsException.class, () -> ev.at(3));
            assertThrows(IllegalArgumentException.class, () -> new IoEventArray(mem, 16, 3));
        } finally {
            allocation.clean();
        }
    }

    /** The kernel as the C side: io_submit reads our iocb, io_getevents writes an io_event we read back. */
    @Test
    void theKernelEchoesAioDataAndTheIocbAddress() throws Exception {
        long ctx = Native.ioSetup(1);
        assertTrue(ctx > 0, () -> "io_setup: " + Native.describeResult(ctx));
        CleanableDirectBuffer iocbsMemory = Buffer.allocateDirectBufferWithNativeOrder(Native.SIZEOF_IOCB);
        CleanableDirectBuffer ptrsMemory = Buffer.allocateDirectBufferWithNativeOrder(Long.BYTES);
        CleanableDirectBuffer eventsMemory = Buffer.allocateDirectBufferWithNativeOrder(Native.SIZEOF_IO_EVENT);
        ByteBuffer iocbs = iocbsMemory.buffer();
        ByteBuffer ptrs = ptrsMemory.buffer();
        ByteBuffer events = eventsMemory.buffer();
        EventFd efd = EventFd.create(1, Native.EFD_NONBLOCK | Native.EFD_CLOEXEC);
        try {
            Iocb iocb = new Iocb(iocbs, 1).at(0);
            iocb.clear().data(0x5eed5eed12345678L).opcode(Native.IOCB_CMD_POLL).fildes(efd.intValue())
                    .buf(Native.POLLIN);
            ptrs.putLong(0, iocb.address());
            assertEquals(1, Native.ioSubmit(ctx, 1, Buffer.memoryAddress(ptrs)));
            assertEquals(1, Native.ioGetEvents(ctx, 1, 1, Buffer.memoryAddress(events),
                    AioTests.PATIENCE.toNanos()));
            IoEventArray ev = new IoEventArray(events, 0, 1).at(0);
            assertEquals(0x5eed5eed12345678L, ev.data());
            assertEquals(iocb.address(), ev.obj());
            assertEquals(Native.POLLIN, ev.res());
            assertEquals(0, ev.res2());
        } finally {
            efd.close();
            assertEquals(0, Native.ioDestroy(ctx));
            iocbsMemory.clean();
            ptrsMemory.clean();
            eventsMemory.clean();
        }
    }
}
