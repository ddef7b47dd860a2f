/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fd;

/**
 * How an {@link AioFdChannel} moves bytes, set with {@link AioFdChannelOption#IO_MODE} before the channel is
 * registered.
 */
public enum AioFdIoMode {
    /**
     * Chosen from the descriptor: {@link #ASYNC} for regular files (with or without {@code O_DIRECT}; USB
     * FunctionFS endpoint files are regular files too) and block devices, {@link #POLL} for everything else —
     * pipes, FIFOs, sockets, terminals, character devices and anonymous inodes (eventfd, timerfd, signalfd).
     */
    AUTO,
    /**
     * {@code IOCB_CMD_PREAD}/{@code IOCB_CMD_PWRITE} straight to the kernel, several in flight, each with a buffer
     * from an aligned pool: the mode of {@code O_DIRECT} files, block devices and drivers that queue AIO requests
     * (FunctionFS). Positions are tracked for seekable descriptors; a non-seekable one is given offset 0, which
     * stream files ignore. Refused for pipes, FIFOs and sockets, whose kernel code runs AIO reads inline.
     */
    ASYNC,
    /**
     * Readiness from the loop's epoll set (edge-triggered, no AIO slot), then non-blocking
     * {@code read(2)}/{@code writev(2)} until {@code EAGAIN}, as the socket channels do. A descriptor epoll refuses
     * fails its registration naming it, except a character device without a poll method ({@code /dev/null},
     * {@code /dev/zero}), which is always ready and read from tasks. Refused for {@code O_DIRECT} descriptors,
     * which need aligned I/O.
     */
    POLL
}
