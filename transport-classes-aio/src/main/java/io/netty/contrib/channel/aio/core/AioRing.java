/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.channel.unix.Buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.netty.contrib.channel.aio.core.Native.AIO_RING_HEAD;
import static io.netty.contrib.channel.aio.core.Native.AIO_RING_HEADER_LENGTH;
import static io.netty.contrib.channel.aio.core.Native.AIO_RING_INCOMPAT_FEATURES;
import static io.netty.contrib.channel.aio.core.Native.AIO_RING_MAGIC;
import static io.netty.contrib.channel.aio.core.Native.AIO_RING_MAGIC_VALUE;
import static io.netty.contrib.channel.aio.core.Native.AIO_RING_NR;
import static io.netty.contrib.channel.aio.core.Native.AIO_RING_TAIL;
import static io.netty.contrib.channel.aio.core.Native.SIZEOF_AIO_RING;
import static io.netty.contrib.channel.aio.core.Native.SIZEOF_IO_EVENT;

/**
 * The completion ring that {@code io_setup} maps into user space, read without a syscall. Layout as in
 * {@code fs/aio.c} (offsets from {@link Native}):
 * <pre>
 * struct aio_ring {
 *     unsigned id, nr;                 // nr: ring size in events
 *     unsigned head;                   // next event to consume; written by the consumer (us)
 *     unsigned tail;                   // next event the kernel fills; written by the kernel
 *     unsigned magic;                  // AIO_RING_MAGIC = 0xa10a10a1
 *     unsigned compat_features, incompat_features, header_length;
 *     struct io_event io_events[];
 * };
 * </pre>
 * The kernel publishes an event by writing it and then {@code tail} (smp_wmb in aio_complete); the consumer
 * acquire-loads {@code tail}, copies the events, and release-stores {@code head} so the kernel sees the slots
 * free only after they were read. Only one thread may reap from a ring (the context's owner); {@code
 * io_getevents} also advances {@code head}, so the two must not run concurrently, which the owner guarantees.
 */
final class AioRing {
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final ByteBuffer ring;
    private final IoEventArray events;
    private final int nr;

    private AioRing(ByteBuffer ring, int nr) {
        this.ring = ring;
        this.nr = nr;
        this.events = new IoEventArray(ring, SIZEOF_AIO_RING, nr);
    }

    /**
     * Maps the ring of context {@code ctx}, or returns {@code null} when its header is not one this code
     * understands (wrong magic or incompatible features): the caller then reaps with {@code io_getevents}.
     */
    static AioRing map(long ctx) {
        ByteBuffer header = Buffer.wrapMemoryAddressWithNativeOrder(ctx, SIZEOF_AIO_RING);
        // Plain reads: io_setup wrote the header before returning to this thread.
        // The events start right after the header this code knows; a longer header (a future layout) or an
        // incompatible feature means the kernel wants io_getevents to be used.
        if (header.getInt(AIO_RING_MAGIC) != AIO_RING_MAGIC_VALUE || header.getInt(AIO_RING_INCOMPAT_FEATURES) != 0
                || header.getInt(AIO_RING_HEADER_LENGTH) != SIZEOF_AIO_RING) {
            return null;
        }
        int nr = header.getInt(AIO_RING_NR);
        if (nr <= 0) {
            return null;
        }
        return new AioRing(Buffer.wrapMemoryAddressWithNativeOrder(ctx, SIZEOF_AIO_RING + nr * SIZEOF_IO_EVENT), nr);
    }

    /** Ring size in events (the kernel rounds the requested depth up). */
    int size() {
        return nr;
    }

    /** Whether a completion is waiting; an acquire-load of {@code tail}, so a following reap sees it. */
    boolean hasCompletions() {
        int head = (int) INT.getAcquire(ring, AIO_RING_HEAD);
        int tail = (int) INT.getAcquire(ring, AIO_RING_TAIL);
        return head != tail;
    }

    /**
     * Hands at most {@code max} completions to {@code sink}, in ring order, and returns how many. The head is
     * published after each event so an exception from the sink leaves the ring consistent (that event counted
     * as consumed).
     */
    int reap(CompletionSink sink, int max) {
        final ByteBuffer ring = this.ring;
        final IoEventArray events = this.events;
        // acquire: pairs with the kernel's smp_wmb before its tail store; the events up to tail are visible.
        int tail = (int) INT.getAcquire(ring, AIO_RING_TAIL);
        // acquire: head may last have been written by io_getevents in the kernel.
        int head = (int) INT.getAcquire(ring, AIO_RING_HEAD);
        int n = 0;
        while (head != tail && n < max) {
            if (head >= nr) {
                head %= nr; // defensive: the kernel keeps head < nr
                continue;
            }
            events.at(head);
            long data = events.data();
            long res = events.res();
            long res2 = events.res2();
            head = head + 1 == nr ? 0 : head + 1;
            n++;
            // release: the event was copied out before the kernel may reuse its slot.
            INT.setRelease(ring, AIO_RING_HEAD, head);
            sink.complete(data, res, res2);
        }
        return n;
    }
}
