/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fd;

import io.netty.contrib.channel.aio.AioIoEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOutboundBuffer;

import java.io.IOException;

/**
 * How an {@link AioFdChannel} moves bytes: {@link AioFdPollIo} or {@link AioFdAsyncIo}, chosen when the channel is
 * first registered and kept for its life. Loop thread only, except {@link #mode()}.
 */
abstract class AioFdIo {
    final AioFdChannel ch;
    final int fd;

    AioFdIo(AioFdChannel ch) {
        this.ch = ch;
        this.fd = ch.fdValue();
    }

    abstract AioFdIoMode mode();

    /**
     * The channel has a new registration ({@link AioFdChannel#handle}): resume what was wanted.
     *
     * @throws IOException if the descriptor cannot work on this loop (epoll refuses it in poll mode)
     */
    abstract void registered() throws IOException;

    /** The pipeline wants data ({@link AioFdChannel#readPending} is set). */
    abstract void beginRead();

    /** Writes (or submits) what is flushed in {@code in}. */
    abstract void write(ChannelOutboundBuffer in) throws Exception;

    /** A written message as this mode can hand it to the kernel (a copy when needed; the original released). */
    abstract ByteBuf filterOutbound(ByteBuf buf) throws Exception;

    /**
     * A completion of one of the channel's iocbs.
     *
     * @param current whether {@code handle} is still the channel's registration (false after a deregistration)
     */
    abstract void handle(AioFdChannel.FdHandle handle, AioIoEvent event, boolean current);

    /** Whether flushes must wait for a completion (a POLLOUT in flight). */
    boolean isFlushBlocked() {
        return false;
    }

    /** The channel is closing: drop what was read and not delivered; nothing new is submitted from now on. */
    void closing() {
    }

    /** Whether reads or writes carrying data are in flight. */
    boolean hasDataInFlight() {
        return false;
    }

    @Override
    public String toString() {
        return mode() + " I/O of " + ch;
    }
}
