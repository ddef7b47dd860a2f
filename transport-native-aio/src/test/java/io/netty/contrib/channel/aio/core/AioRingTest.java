/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.channel.unix.Buffer;
import io.netty.util.internal.CleanableDirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AioRing} on a ring laid out by hand (the real ones are exercised through {@link AioContext} on the
 * kernel): which headers make it fall back to {@code io_getevents}, and head/tail arithmetic at the wrap.
 */
class AioRingTest {
    private static final int NR = 8;

    private final CleanableDirectBuffer allocation =
            Buffer.allocateDirectBufferWithNativeOrder(Native.SIZEOF_AIO_RING + NR * Native.SIZEOF_IO_EVENT);
    private final ByteBuffer ring = allocation.buffer();
    private final long address = Buffer.memoryAddress(ring);

    @AfterEach
    void free() {
        allocation.clean();
    }

    private void header(int magic, int incompat, int headerLength) {
        ring.putInt(Native.AIO_RING_NR, NR);
        ring.putInt(Native.AIO_RING_MAGIC, magic);
        ring.putInt(Native.AIO_RING_INCOMPAT_FEATURES, incompat);
        ring.putInt(Native.AIO_RING_HEADER_LENGTH, headerLength);
    }

    private void event(int index, long data, long res) {
        Native.writeIoEvent(address + Native.SIZEOF_AIO_RING + (long) index * Native.SIZEOF_IO_EVENT, data, 0, res, 0);
    }

    @Test
    void anUnknownHeaderMeansFallingBackToIoGetevents() {
        header(0x12345678, 0, Native.SIZEOF_AIO_RING);
        assertNull(AioRing.map(address), "wrong magic");
        header(Native.AIO_RING_MAGIC_VALUE, 1, Native.SIZEOF_AIO_RING);
        assertNull(AioRing.map(address), "an incompatible feature");
        header(Native.AIO_RING_MAGIC_VALUE, 0, Native.SIZEOF_AIO_RING + 32);
        assertNull(AioRing.map(address), "a longer header than we know");
        header(Native.AIO_RING_MAGIC_VALUE, 0, Native.SIZEOF_AIO_RING);
        AioRing ok = AioRing.map(address);
        assertNotNull(ok);
        assertEquals(NR, ok.size());
    }

    @Test
    void reapingWrapsAroundTheEndAndPublishesTheHead() {
        header(Native.AIO_RING_MAGIC_VALUE, 0, Native.SIZEOF_AIO_RING);
        AioRing r = AioRing.map(address);
        // Five events at slots 6, 7, 0, 1, 2: the kernel's tail has wrapped to 3.
        for (int i = 0; i < 5; i++) {
            event((6 + i) % NR, 100 + i, -i);
        }
        ring.putInt(Native.AIO_RING_HEAD, 6);
        ring.putInt(Native.AIO_RING_TAIL, 3);
        assertTrue(r.hasCompletions());
        List<long[]> got = new ArrayList<>();
        CompletionSink sink = (data, res, res2) -> got.add(new long[] {data, res});

        assertEquals(3, r.reap(sink, 3), "bounded by max");
        assertEquals(1, ring.getInt(Native.AIO_RING_HEAD), "head published past the wrap");
        assertEquals(2, r.reap(sink, 10));
        assertEquals(3, ring.getInt(Native.AIO_RING_HEAD));
        assertFalse(r.hasCompletions());
        assertEquals(0, r.reap(sink, 10));
        assertEquals(5, got.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(100 + i, got.get(i)[0], "ring order");
            assertEquals(-i, got.get(i)[1]);
        }
    }

    @Test
    void aThrowingSinkLeavesTheRingConsistent() {
        header(Native.AIO_RING_MAGIC_VALUE, 0, Native.SIZEOF_AIO_RING);
        AioRing r = AioRing.map(address);
        event(0, 1, 0);
        event(1, 2, 0);
        ring.putInt(Native.AIO_RING_HEAD, 0);
        ring.putInt(Native.AIO_RING_TAIL, 2);
        assertThrows(IllegalStateException.class, () -> r.reap((data, res, res2) -> {
            throw new IllegalStateException("sink failure on purpose");
        }, 10));
        assertEquals(1, ring.getInt(Native.AIO_RING_HEAD), "the event handed to the sink counts as consumed");
        List<Long> got = new ArrayList<>();
        assertEquals(1, r.reap((data, res, res2) -> got.add(data), 10));
        assertEquals(List.of(2L), got);
    }
}
