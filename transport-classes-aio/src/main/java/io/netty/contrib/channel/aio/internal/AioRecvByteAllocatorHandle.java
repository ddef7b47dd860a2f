/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.unix.PreferredDirectByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * The channel's {@link RecvByteBufAllocator.Handle}, adapted to native reads: buffers are direct, and once the
 * peer's FIN was seen (EPOLLRDHUP) reading goes on until EOF whatever the allocator says, so the close is noticed
 * without another readiness round. Loop thread only.
 */
public final class AioRecvByteAllocatorHandle extends RecvByteBufAllocator.DelegatingHandle
        implements RecvByteBufAllocator.ExtendedHandle {
    private final PreferredDirectByteBufAllocator preferredDirectByteBufAllocator =
            new PreferredDirectByteBufAllocator();
    private final UncheckedBooleanSupplier defaultMaybeMoreDataSupplier = this::maybeMoreDataToRead;
    private boolean receivedRdHup;

    /**
     * Wraps a channel's handle, which must be a {@link RecvByteBufAllocator.ExtendedHandle}: the channel configs
     * take only such allocators ({@link #checkExtended}).
     */
    @SuppressWarnings("deprecation")
    public AioRecvByteAllocatorHandle(RecvByteBufAllocator.Handle handle) {
        super((RecvByteBufAllocator.ExtendedHandle) handle);
    }

    /**
     * Returns {@code allocator} if its handles are {@link RecvByteBufAllocator.ExtendedHandle}s, which this handle
     * wraps (as epoll requires); throws otherwise. For the channel configs' {@code setRecvByteBufAllocator}.
     */
    public static RecvByteBufAllocator checkExtended(RecvByteBufAllocator allocator) {
        if (!(allocator.newHandle() instanceof RecvByteBufAllocator.ExtendedHandle)) {
            throw new IllegalArgumentException("allocator.newHandle() must return an object of type: "
                    + RecvByteBufAllocator.ExtendedHandle.class);
        }
        return allocator;
    }

    public void receivedRdHup() {
        receivedRdHup = true;
    }

    public boolean isReceivedRdHup() {
        return receivedRdHup;
    }

    /**
     * After a read loop that ended with data (not EAGAIN, EOF or an error): whether the socket may hold more, which
     * an edge-triggered watch will not report again. A short read means the receive queue was drained.
     */
    public boolean maybeMoreDataAfterRead() {
        return lastBytesRead() > 0 && lastBytesRead() == attemptedBytesRead();
    }

    private boolean maybeMoreDataToRead() {
        // A full buffer suggests more is queued; a short read means the socket is (nearly) drained.
        return lastBytesRead() == attemptedBytesRead();
    }

    @Override
    public ByteBuf allocate(ByteBufAllocator alloc) {
        preferredDirectByteBufAllocator.updateAllocator(alloc);
        return delegate().allocate(preferredDirectByteBufAllocator);
    }

    @Override
    public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
        return receivedRdHup || ((RecvByteBufAllocator.ExtendedHandle) delegate())
                .continueReading(maybeMoreDataSupplier);
    }

    @Override
    public boolean continueReading() {
        return continueReading(defaultMaybeMoreDataSupplier);
    }
}
