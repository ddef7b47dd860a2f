/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.unix.Buffer;
import io.netty.util.internal.CleanableDirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The {@link Iocb} flyweight against C: what Java writes through the offsets reported by C must be what C reads
 * through {@code struct iocb}'s member names, and the layout must be the x86_64 ABI of
 * {@code include/uapi/linux/aio_abi.h}.
 */
class IocbTest {
    // Indices into Native.readIocbFields' output, in struct order.
    private static final int DATA = 0;
    private static final int KEY = 1;
    private static final int RW_FLAGS = 2;
    private static final int OPCODE = 3;
    private static final int REQPRIO = 4;
    private static final int FILDES = 5;
    private static final int BUF = 6;
    private static final int NBYTES = 7;
    private static final int OFFSET = 8;
    private static final int RESERVED2 = 9;
    private static final int FLAGS = 10;
    private static final int RESFD = 11;

    private final CleanableDirectBuffer allocation = Buffer.allocateDirectBufferWithNativeOrder(3 * Native.SIZEOF_IOCB);
    private final ByteBuffer memory = allocation.buffer();
    private final Iocb iocb = new Iocb(memory, 3);

    @AfterEach
    void free() {
        allocation.clean();
    }

    private static long[] fromC(Iocb iocb) {
        long[] fields = new long[12];
        Native.readIocbFields(iocb.address(), fields);
        return fields;
    }

    @Test
    void layoutIsTheX8664AbiOfAioAbiH() {
        assertEquals(ByteOrder.LITTLE_ENDIAN, ByteOrder.nativeOrder(), "these offsets are the little-endian ones");
        assertEquals(64, Native.SIZEOF_IOCB);
        assertEquals(0, Native.IOCB_AIO_DATA);
        assertEquals(8, Native.IOCB_AIO_KEY); // PADDED(aio_key, aio_rw_flags): key first on little-endian
        assertEquals(12, Native.IOCB_AIO_RW_FLAGS);
        assertEquals(16, Native.IOCB_AIO_LIO_OPCODE);
        assertEquals(18, Native.IOCB_AIO_REQPRIO);
        assertEquals(20, Native.IOCB_AIO_FILDES);
        assertEquals(24, Native.IOCB_AIO_BUF);
        assertEquals(32, Native.IOCB_AIO_NBYTES);
        assertEquals(40, Native.IOCB_AIO_OFFSET);
        assertEquals(48, Native.IOCB_AIO_RESERVED2);
        assertEquals(56, Native.IOCB_AIO_FLAGS);
        assertEquals(60, Native.IOCB_AIO_RESFD);
        assertEquals(16, Native.SIZEOF_IOVEC);
    }

    @Test
    void everyFieldWrittenByJavaIsReadByCThroughItsName() {
        iocb.at(1).clear()
                .data(0x1122334455667788L)
                .rwFlags(0x0000001f)
                .opcode(Native.IOCB_CMD_PWRITEV)
                .reqprio(Native.IOPRIO_CLASS_IDLE << Native.IOPRIO_CLASS_SHIFT | 5)
                .fildes(0x7ffffff0)
                .buf(0x00007f1234567000L)
                .nbytes(0x123456789aL)
                .offset(0x0102030405060708L)
                .flags(Native.IOCB_FLAG_RESFD | Native.IOCB_FLAG_IOPRIO)
                .resfd(77);
        long[] c = fromC(iocb);
        assertEquals(0x1122334455667788L, c[DATA]);
        assertEquals(0, c[KEY]);
        assertEquals(0x1f, c[RW_FLAGS]);
        assertEquals(Native.IOCB_CMD_PWRITEV, c[OPCODE]);
        assertEquals(Native.IOPRIO_CLASS_IDLE << Native.IOPRIO_CLASS_SHIFT | 5, c[REQPRIO]);
        assertEquals(0x7ffffff0, c[FILDES]);
        assertEquals(0x00007f1234567000L, c[BUF]);
        assertEquals(0x123456789aL, c[NBYTES]);
        assertEquals(0x0102030405060708L, c[OFFSET]);
        assertEquals(0, c[RESERVED2]);
        assertEquals(Native.IOCB_FLAG_RESFD | Native.IOCB_FLAG_IOPRIO, c[FLAGS]);
        assertEquals(77, c[RESFD]);

        // And back: the getters read the same bytes.
        assertEquals(0x1122334455667788L, iocb.data());
        assertEquals(0x1f, iocb.rwFlags());
        assertEquals(Native.IOCB_CMD_PWRITEV, iocb.opcode());
        assertEquals(0x7ffffff0, iocb.fildes());
        assertEquals(0x00007f1234567000L, iocb.buf());
        assertEquals(0x123456789aL, iocb.nbytes());
        assertEquals(0x0102030405060708L, iocb.offset());
        assertEquals(Native.IOCB_FLAG_RESFD | Native.IOCB_FLAG_IOPRIO, iocb.flags());
        assertEquals(77, iocb.resfd());
    }

    @Test
    void neighboursAreUntouchedAndAddressesAreSixtyFourApart() {
        iocb.at(0).clear();
        iocb.at(2).clear();
        long base = iocb.at(0).address();
        assertEquals(base + 64, iocb.at(1).address());
        iocb.at(1).clear().data(-1).rwFlags(-1).opcode(0xffff).reqprio(-1).fildes(-1).buf(-1).nbytes(-1).offset(-1)
                .flags(-1).resfd(-1);
        assertArrayEquals(new long[12], fromC(iocb.at(0)));
        assertArrayEquals(new long[12], fromC(iocb.at(2)));
    }

    @Test
    void clearZeroesEveryByteIncludingKeyAndReserved() {
        for (int i = 0; i < Native.SIZEOF_IOCB; i++) {
            memory.put(Native.SIZEOF_IOCB + i, (byte) 0xA5);
        }
        iocb.at(1).clear();
        assertArrayEquals(new long[12], fromC(iocb));
        for (int i = 0; i < Native.SIZEOF_IOCB; i++) {
            assertEquals(0, memory.get(Native.SIZEOF_IOCB + i), "byte " + i);
        }
    }

    @Test
    void signedAndUnsignedShortsRoundTrip() {
        iocb.at(0).clear().opcode(0xfffe).reqprio(-2);
        assertEquals(0xfffe, iocb.opcode());
        assertEquals(-2, iocb.reqprio());
        assertEquals(-2, fromC(iocb)[REQPRIO]);
        assertEquals(0xfffe, fromC(iocb)[OPCODE]);
    }

    @Test
    void indexOutOfRangeIsRefused() {
        assertThrows(IndexOutOfBoundsException.class, () -> iocb.at(3));
        assertThrows(IndexOutOfBoundsException.class, () -> iocb.at(-1));
        assertThrows(IllegalArgumentException.class, () -> new Iocb(ByteBuffer.allocate(64), 1));
        assertThrows(IllegalArgumentException.class, () -> new Iocb(memory, 4));
    }

    @Test
    void blockFillWritesWhatItsJavadocPromises() {
        ByteBuf buf = Unpooled.directBuffer(4096);
        try {
            buf.writerIndex(100);
            AioBlock read = AioBlock.pread(5, buf, 8192).rwFlags(Native.RWF_NOWAIT)
                    .ioPriority(AioBlock.IOPRIO_CLASS_BE, 3).resfd(9);
            read.fill(iocb.at(0), 0xabcdL, null, 0, 0);
            long[] c = fromC(iocb);
            assertEquals(0xabcdL, c[DATA]);
            assertEquals(Native.IOCB_CMD_PREAD, c[OPCODE]);
            assertEquals(5, c[FILDES]);
            assertEquals(buf.memoryAddress() + 100, c[BUF], "reads land at writerIndex");
            assertEquals(4096 - 100, c[NBYTES], "over writableBytes()");
            assertEquals(8192, c[OFFSET]);
            assertEquals(Native.RWF_NOWAIT, c[RW_FLAGS]);
            assertEquals(Native.IOCB_FLAG_RESFD | Native.IOCB_FLAG_IOPRIO, c[FLAGS]);
            assertEquals(AioBlock.IOPRIO_CLASS_BE << Native.IOPRIO_CLASS_SHIFT | 3, c[REQPRIO]);
            assertEquals(9, c[RESFD]);

            buf.readerIndex(10);
            AioBlock write = AioBlock.pwrite(6, buf, 0);
            write.fill(iocb.at(1), 1, null, 0, 0);
            c = fromC(iocb);
            assertEquals(buf.memoryAddress() + 10, c[BUF], "writes start at readerIndex");
            assertEquals(90, c[NBYTES], "of readableBytes()");
            assertEquals(0, c[FLAGS], "no resfd, no priority");

            AioBlock poll = AioBlock.poll(7, Native.POLLIN | Native.POLLRDHUP);
            poll.fill(iocb.at(2), 2, null, 0, 0);
            c = fromC(iocb);
            assertEquals(Native.IOCB_CMD_POLL, c[OPCODE]);
            assertEquals(Native.POLLIN | Native.POLLRDHUP, c[BUF], "the POLL mask travels in aio_buf");
            assertEquals(0, c[NBYTES]);
            assertEquals(0, c[OFFSET]);
        } finally {
            buf.release();
        }
    }
}
