/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.internal;

import io.netty.contrib.channel.aio.core.Native;

/**
 * The retry schedule of {@code O_DIRECT} reads submitted with {@code RWF_NOWAIT}, shared by {@code AioFile} and
 * {@code AioFdChannel}. Without the flag {@code io_submit} may sleep on the loop thread: for an inode lock a writer
 * or a truncate holds, for dirty pages in the range to be written back, for a tag of a full device queue. With it
 * the kernel answers {@code EAGAIN} instead and the read is submitted again after a pause that doubles from
 * {@value #FIRST_PAUSE_NANOS} ns to {@value #MAX_PAUSE_NANOS} ns; after {@value #MAX_RETRIES} tries (about two
 * seconds) it goes without the flag, so that a file written without pause still gets read. Stateless.
 */
public final class NowaitBackoff {
    /** Tries with RWF_NOWAIT before a read goes without it. */
    public static final int MAX_RETRIES = 256;
    static final long FIRST_PAUSE_NANOS = 250_000;
    static final long MAX_PAUSE_NANOS = 8_000_000;

    private NowaitBackoff() {
    }

    /** The pause before try number {@code retries + 1}, {@code retries} counting the EAGAINs so far (from 0). */
    public static long pauseNanos(int retries) {
        return Math.min(MAX_PAUSE_NANOS, FIRST_PAUSE_NANOS << Math.min(retries, 16));
    }

    /**
     * A read of {@code length} bytes at {@code offset} of {@code fd} met EAGAIN for the {@code retries + 1}-th time
     * (from 0): returns the pause before it is submitted again. On the first, starts write-back of the range: dirty
     * pages in it make an O_DIRECT read with RWF_NOWAIT answer EAGAIN until they are written (without the flag,
     * {@code io_submit} would write them back and wait, on the loop), and the kernel's flusher may take seconds to
     * come. A lock held by a writer is the other common cause; then there is nothing to write and this is cheap.
     */
    public static long refused(int fd, long offset, long length, int retries) {
        if (retries == 0) {
            Native.syncFileRangeWrite(fd, offset, length);
        }
        return pauseNanos(retries);
    }

    /** Whether a read that has met {@code retries} EAGAINs may still carry RWF_NOWAIT. */
    public static boolean mayWait(int retries) {
        return retries < MAX_RETRIES;
    }
}
