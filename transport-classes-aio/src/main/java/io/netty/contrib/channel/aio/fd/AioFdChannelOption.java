/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fd;

import io.netty.channel.ChannelOption;
import io.netty.contrib.channel.aio.file.AioRwOptions;

/**
 * The options of {@link AioFdChannel}, besides Netty's generic ones ({@link ChannelOption#AUTO_READ},
 * {@link ChannelOption#RCVBUF_ALLOCATOR}, {@link ChannelOption#MAX_MESSAGES_PER_READ},
 * {@link ChannelOption#WRITE_BUFFER_WATER_MARK}, {@link ChannelOption#ALLOW_HALF_CLOSURE}, ...). See
 * {@link AioFdChannelConfig} for what each means and its default.
 */
public final class AioFdChannelOption<T> extends ChannelOption<T> {
    /** {@link AioFdIoMode}: fixed once the channel is registered. Default {@link AioFdIoMode#AUTO}. */
    public static final ChannelOption<AioFdIoMode> IO_MODE = valueOf(AioFdChannelOption.class, "IO_MODE");
    /** Async mode: reads kept in flight (and completed reads held) at most. Default 4. */
    public static final ChannelOption<Integer> READS_IN_FLIGHT = valueOf(AioFdChannelOption.class, "READS_IN_FLIGHT");
    /** Async mode: writes in flight at most, each one message. Default 4. */
    public static final ChannelOption<Integer> WRITES_IN_FLIGHT =
            valueOf(AioFdChannelOption.class, "WRITES_IN_FLIGHT");
    /** Async mode: address alignment of read buffers and of the copies written data is made into. */
    public static final ChannelOption<Integer> BUFFER_ALIGNMENT =
            valueOf(AioFdChannelOption.class, "BUFFER_ALIGNMENT");
    /** Async mode: every read's length is a multiple of this (a USB endpoint's packet size, a block size). */
    public static final ChannelOption<Integer> IO_SIZE_MULTIPLE =
            valueOf(AioFdChannelOption.class, "IO_SIZE_MULTIPLE");
    /** {@code RWF_*} flags and I/O priority of each async read. Default {@link AioRwOptions#DEFAULT}. */
    public static final ChannelOption<AioRwOptions> READ_OPTIONS = valueOf(AioFdChannelOption.class, "READ_OPTIONS");
    /**
     * {@code RWF_*} flags (and, in async mode, the I/O priority) of each write: in poll mode the flags go to
     * {@code pwritev2(2)}. Default {@link AioRwOptions#DEFAULT}.
     */
    public static final ChannelOption<AioRwOptions> WRITE_OPTIONS =
            valueOf(AioFdChannelOption.class, "WRITE_OPTIONS");

    @SuppressWarnings({ "unused", "deprecation" })
    private AioFdChannelOption() {
        super(null);
    }
}
