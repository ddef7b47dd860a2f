/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.channel.unix.Buffer;
import io.netty.util.internal.CleanableDirectBuffer;

import java.nio.ByteBuffer;

import static io.netty.contrib.channel.aio.core.Native.EPOLL_EVENT_DATA;
import static io.netty.contrib.channel.aio.core.Native.EPOLL_EVENT_EVENTS;
import static io.netty.contrib.channel.aio.core.Native.SIZEOF_EPOLL_EVENT;

/**
 * A native array of {@code struct epoll_event} that {@code epoll_wait} fills ({@code include/uapi/linux/eventpoll.h};
 * packed on x86_64, so {@code data} sits at offset 4 there — read from C like every other offset):
 * <pre>
 * struct epoll_event {
 *     __poll_t events;   // EPOLLIN, EPOLLOUT, EPOLLRDHUP, EPOLLERR, EPOLLHUP ...
 *     __u64    data;     // what epoll_ctl was given: the loop's token of the registration
 * } EPOLL_PACKED;
 * </pre>
 * Allocated once per loop and reused by every {@code epoll_wait}; {@link #free()} once the loop is done. Loop
 * thread only.
 */
public final class EpollEventArray {
    private final CleanableDirectBuffer cleanable;
    private final ByteBuffer memory;
    private final long address;
    private final int capacity;

    public EpollEventArray(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        this.cleanable = Buffer.allocateDirectBufferWithNativeOrder(capacity * SIZEOF_EPOLL_EVENT);
        this.memory = cleanable.buffer();
        this.address = Buffer.memoryAddress(memory);
    }

    /** The array's address, for {@link Native#epollWait}. */
    public long memoryAddress() {
        return address;
    }

    /** How many events one {@code epoll_wait} may return into this array. */
    public int capacity() {
        return capacity;
    }

    /** The {@code events} mask of entry {@code index}. */
    public int events(int index) {
        return memory.getInt(index * SIZEOF_EPOLL_EVENT + EPOLL_EVENT_EVENTS);
    }

    /** The {@code data.u64} of entry {@code index}. */
    public long data(int index) {
        return memory.getLong(index * SIZEOF_EPOLL_EVENT + EPOLL_EVENT_DATA);
    }

    /** Releases the native memory; no call may follow. */
    public void free() {
        cleanable.clean();
    }
}
