/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.contrib.channel.aio.AioIoOps;
import io.netty.contrib.channel.aio.core.AioBlock;
import io.netty.contrib.channel.aio.core.Native;

/**
 * Per-operation settings of an {@link AioFile} read or write: {@code RWF_*} flags and an I/O priority, passed to
 * the kernel in the iocb. Immutable; build once and reuse.
 *
 * <ul>
 *   <li>{@link Native#RWF_NOWAIT}: fail with {@code EAGAIN} instead of waiting (for a buffered read: when the data
 *   is not in the page cache). The file then does not retry on the direct path — you asked not to wait.</li>
 *   <li>{@link Native#RWF_DSYNC} / {@link Native#RWF_SYNC}: this write is durable when it completes, as with
 *   {@code O_DSYNC}/{@code O_SYNC} for one call.</li>
 *   <li>{@link Native#RWF_APPEND}: this write appends, whatever its position.</li>
 *   <li>{@link Native#RWF_HIPRI}: accepted; kernel AIO does not poll, so the kernel ignores it.</li>
 * </ul>
 */
public final class AioRwOptions {
    /** No flags, the descriptor's default priority. */
    public static final AioRwOptions DEFAULT = new AioRwOptions(0, 0, 0);

    private static final int KNOWN_RW_FLAGS =
            Native.RWF_HIPRI | Native.RWF_DSYNC | Native.RWF_SYNC | Native.RWF_NOWAIT | Native.RWF_APPEND;

    private final int rwFlags;
    private final int ioPriorityClass;
    private final int ioPriorityLevel;

    private AioRwOptions(int rwFlags, int ioPriorityClass, int ioPriorityLevel) {
        this.rwFlags = rwFlags;
        this.ioPriorityClass = ioPriorityClass;
        this.ioPriorityLevel = ioPriorityLevel;
    }

    /**
     * A copy with these {@code RWF_*} flags.
     *
     * @throws IllegalArgumentException for bits that are not RWF_HIPRI, RWF_DSYNC, RWF_SYNC, RWF_NOWAIT or
     *         RWF_APPEND
     */
    public AioRwOptions withRwFlags(int rwFlags) {
        if ((rwFlags & ~KNOWN_RW_FLAGS) != 0) {
            throw new IllegalArgumentException("unknown RWF_* bits 0x" + Integer.toHexString(rwFlags & ~KNOWN_RW_FLAGS)
                    + " (known: HIPRI, DSYNC, SYNC, NOWAIT, APPEND)");
        }
        return new AioRwOptions(rwFlags, ioPriorityClass, ioPriorityLevel);
    }

    /**
     * A copy with an I/O priority ({@code IOCB_FLAG_IOPRIO}). The real-time class needs CAP_SYS_ADMIN or
     * CAP_SYS_NICE; without it the operation fails with EPERM.
     *
     * @param ioClass {@link AioBlock#IOPRIO_CLASS_RT}, {@link AioBlock#IOPRIO_CLASS_BE} or
     *                {@link AioBlock#IOPRIO_CLASS_IDLE}
     * @param level 0 (highest) to {@link Native#IOPRIO_NR_LEVELS} - 1
     * @throws IllegalArgumentException for another class or level ({@link AioBlock#checkIoPriority})
     */
    public AioRwOptions withIoPriority(int ioClass, int level) {
        AioBlock.checkIoPriority(ioClass, level);
        return new AioRwOptions(rwFlags, ioClass, level);
    }

    public int rwFlags() {
        return rwFlags;
    }

    /** The priority class, or 0 when none is set. */
    public int ioPriorityClass() {
        return ioPriorityClass;
    }

    public int ioPriorityLevel() {
        return ioPriorityLevel;
    }

    /**
     * {@code ops} with these options' {@code RWF_*} flags (in place of its own) and I/O priority, when they are set:
     * how a file or an fd channel turns its options into the operations it submits. {@code ops} itself when neither
     * is set.
     */
    public AioIoOps applyTo(AioIoOps ops) {
        if (rwFlags != 0) {
            ops = ops.withRwFlags(rwFlags);
        }
        if (ioPriorityClass != 0) {
            ops = ops.withIoPriority(ioPriorityClass, ioPriorityLevel);
        }
        return ops;
    }

    boolean nowait() {
        return (rwFlags & Native.RWF_NOWAIT) != 0;
    }

    @Override
    public String toString() {
        return "AioRwOptions(rw_flags=0x" + Integer.toHexString(rwFlags)
                + (ioPriorityClass != 0 ? ", ioprio=" + ioPriorityClass + '/' + ioPriorityLevel : "") + ')';
    }
}
