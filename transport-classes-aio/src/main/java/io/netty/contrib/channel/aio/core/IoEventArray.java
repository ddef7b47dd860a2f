/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import java.nio.ByteBuffer;

import static io.netty.contrib.channel.aio.core.Native.IO_EVENT_DATA;
import static io.netty.contrib.channel.aio.core.Native.IO_EVENT_OBJ;
import static io.netty.contrib.channel.aio.core.Native.IO_EVENT_RES;
import static io.netty.contrib.channel.aio.core.Native.IO_EVENT_RES2;
import static io.netty.contrib.channel.aio.core.Native.SIZEOF_IO_EVENT;

/**
 * A re-pointable read view of one {@code struct io_event} in native memory — in the AIO ring or in an array
 * filled by {@code io_getevents} ({@code include/uapi/linux/aio_abi.h}):
 * <pre>
 * struct io_event {
 *     __u64 data;   // the iocb's aio_data
 *     __u64 obj;    // the iocb's user-space address
 *     __s64 res;    // result: bytes, poll mask, or -errno
 *     __s64 res2;   // secondary result, driver-specific
 * };
 * </pre>
 * Not thread-safe; used by the thread that reaps.
 */
public final class IoEventArray {
    private final ByteBuffer memory;
    private final int base;
    private final int capacity;
    private int offset;

    /** A view over {@code capacity} events starting at byte {@code base} of {@code memory} (native order). */
    public IoEventArray(ByteBuffer memory, int base, int capacity) {
        if (memory.capacity() < base + (long) capacity * SIZEOF_IO_EVENT) {
            throw new IllegalArgumentException("buffer too small for " + capacity + " io_events");
        }
        this.memory = memory;
        this.base = base;
        this.capacity = capacity;
    }

    /** Points this view at event number {@code index}. */
    public IoEventArray at(int index) {
        if (index < 0 || index >= capacity) {
            throw new IndexOutOfBoundsException("io_event " + index + " of " + capacity);
        }
        offset = base + index * SIZEOF_IO_EVENT;
        return this;
    }

    public long data() {
        return memory.getLong(offset + IO_EVENT_DATA);
    }

    public long obj() {
        return memory.getLong(offset + IO_EVENT_OBJ);
    }

    public long res() {
        return memory.getLong(offset + IO_EVENT_RES);
    }

    public long res2() {
        return memory.getLong(offset + IO_EVENT_RES2);
    }
}
