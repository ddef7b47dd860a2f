/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.buffer.ByteBuf;
import io.netty.channel.IoOps;
import io.netty.contrib.channel.aio.core.AioBlock;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.util.internal.ObjectUtil;

/**
 * One iocb to submit through an {@link AioIoRegistration}: opcode, descriptor, memory (direct {@link ByteBuf}s or
 * a raw address and length / iovec array), file offset, {@code RWF_*} flags, I/O priority and a {@code userData}
 * that comes back in the {@link AioIoEvent}. Immutable; the {@code with*} methods return modified copies. Build
 * it on any thread. One instance may be submitted any number of times, also while an earlier submission of it is
 * in flight: a handle keeps one per POLL it re-arms, and submitting it on the loop thread allocates nothing.
 *
 * <p><b>Buffers.</b> Reads fill each buffer from its {@code writerIndex} over its {@code writableBytes()}; writes
 * send its {@code readableBytes()} from its {@code readerIndex}; indices are never moved (the handle applies
 * {@code res}). The loop retains each buffer when the kernel accepts the iocb and releases that reference when
 * the completion is reaped, before the handle sees the event: keep your own reference until then. Raw memory is
 * the caller's to keep valid until the completion.
 */
public final class AioIoOps implements IoOps {
    private static final ByteBuf[] NO_BUFFERS = new ByteBuf[0];

    private final int opcode;
    private final int fd;
    private final ByteBuf[] buffers;
    private final long address;
    private final long length;
    private final long offset;
    private final int pollEvents;
    private final int rwFlags;
    private final int ioPrioClass;
    private final int ioPrioLevel;
    private final long userData;
    private final boolean failFast;

    private AioIoOps(int opcode, int fd, ByteBuf[] buffers, long address, long length, long offset, int pollEvents,
                     int rwFlags, int ioPrioClass, int ioPrioLevel, long userData, boolean failFast) {
        this.opcode = opcode;
        this.fd = fd;
        this.buffers = buffers;
        this.address = address;
        this.length = length;
        this.offset = offset;
        this.pollEvents = pollEvents;
        this.rwFlags = rwFlags;
        this.ioPrioClass = ioPrioClass;
        this.ioPrioLevel = ioPrioLevel;
        this.userData = userData;
        this.failFast = failFast;
    }

    private static AioIoOps of(int opcode, int fd, ByteBuf[] buffers, long address, long length, long offset,
                               int pollEvents, long userData) {
        if (fd < 0) {
            throw new IllegalArgumentException("fd must be >= 0, got " + fd);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        }
        for (int i = 0; i < buffers.length; i++) {
            AioBlock.checkBuffer(buffers[i], i);
        }
        return new AioIoOps(opcode, fd, buffers, address, length, offset, pollEvents, 0, 0, 0, userData, false);
    }

    private static ByteBuf[] vector(ByteBuf[] buffers) {
        ObjectUtil.checkNotNull(buffers, "buffers");
        AioBlock.checkIovecCount("buffers.length", buffers.length);
        return buffers.clone();
    }

    /** Read at {@code offset} into {@code dst}'s writable bytes; res: bytes read, 0 at EOF, or -errno. */
    public static AioIoOps pread(int fd, ByteBuf dst, long offset, long userData) {
        return of(Native.IOCB_CMD_PREAD, fd, new ByteBuf[] {dst}, 0, 0, offset, 0, userData);
    }

    /** Write {@code src}'s readable bytes at {@code offset}; res: bytes written (maybe fewer), or -errno. */
    public static AioIoOps pwrite(int fd, ByteBuf src, long offset, long userData) {
        return of(Native.IOCB_CMD_PWRITE, fd, new ByteBuf[] {src}, 0, 0, offset, 0, userData);
    }

    /** Scatter read into each buffer's writable bytes, in order. */
    public static AioIoOps preadv(int fd, long offset, long userData, ByteBuf... dsts) {
        return of(Native.IOCB_CMD_PREADV, fd, vector(dsts), 0, 0, offset, 0, userData);
    }

    /** Gather write of each buffer's readable bytes, in order. */
    public static AioIoOps pwritev(int fd, long offset, long userData, ByteBuf... srcs) {
        return of(Native.IOCB_CMD_PWRITEV, fd, vector(srcs), 0, 0, offset, 0, userData);
    }

    /**
     * A one-shot readiness wait; res: the ready mask, or -ECANCELED. The kernel takes a {@code poll(2)} mask within
     * {@link Native#IOCB_POLL_EVENTS_MASK} (it answers EINVAL at {@code io_submit} for wider ones): such masks, and
     * an empty one, are refused here, in the caller's thread.
     */
    public static AioIoOps poll(int fd, int events, long userData) {
        AioBlock.checkPollEvents(events);
        return of(Native.IOCB_CMD_POLL, fd, NO_BUFFERS, 0, 0, 0, events, userData);
    }

    /** fsync(2) as an AIO operation. */
    public static AioIoOps fsync(int fd, long userData) {
        return of(Native.IOCB_CMD_FSYNC, fd, NO_BUFFERS, 0, 0, 0, 0, userData);
    }

    /** fdatasync(2) as an AIO operation. */
    public static AioIoOps fdsync(int fd, long userData) {
        return of(Native.IOCB_CMD_FDSYNC, fd, NO_BUFFERS, 0, 0, 0, 0, userData);
    }

    /**
     * PREAD/PWRITE on {@code address}/{@code length}, or PREADV/PWRITEV on an iovec array at {@code address} of
     * {@code length} entries (1 to {@link Native#IOV_MAX}): memory the caller keeps valid until the completion.
     */
    public static AioIoOps raw(int opcode, int fd, long address, long length, long offset, long userData) {
        AioBlock.checkRawMemory(opcode, address, length);
        return of(opcode, fd, NO_BUFFERS, address, length, offset, 0, userData);
    }

    /** A copy with {@code RWF_*} flags ({@link Native#RWF_NOWAIT}, {@link Native#RWF_DSYNC}, ...). */
    public AioIoOps withRwFlags(int rwFlags) {
        return new AioIoOps(opcode, fd, buffers, address, length, offset, pollEvents, rwFlags, ioPrioClass,
                ioPrioLevel, userData, failFast);
    }

    /**
     * A copy with an I/O priority.
     *
     * @param ioClass {@link AioBlock#IOPRIO_CLASS_RT}, {@link AioBlock#IOPRIO_CLASS_BE} or
     *                {@link AioBlock#IOPRIO_CLASS_IDLE}
     * @param level 0 (highest) to {@link Native#IOPRIO_NR_LEVELS} - 1
     * @throws IllegalArgumentException for another class or level ({@link AioBlock#checkIoPriority})
     */
    public AioIoOps withIoPriority(int ioClass, int level) {
        AioBlock.checkIoPriority(ioClass, level);
        return new AioIoOps(opcode, fd, buffers, address, length, offset, pollEvents, rwFlags, ioClass, level,
                userData, failFast);
    }

    /**
     * A copy that completes at once with {@code -EAGAIN} instead of waiting in the loop's queue when it cannot go
     * to the kernel in the loop's next {@code io_submit} (all slots taken, or others queued before it).
     */
    public AioIoOps withFailFast() {
        return new AioIoOps(opcode, fd, buffers, address, length, offset, pollEvents, rwFlags, ioPrioClass,
                ioPrioLevel, userData, true);
    }

    public int opcode() {
        return opcode;
    }

    public int fd() {
        return fd;
    }

    public long offset() {
        return offset;
    }

    public int pollEvents() {
        return pollEvents;
    }

    public int rwFlags() {
        return rwFlags;
    }

    public long userData() {
        return userData;
    }

    public boolean isFailFast() {
        return failFast;
    }

    boolean isPoll() {
        return opcode == Native.IOCB_CMD_POLL;
    }

    /** Throws if a buffer was released since this was built: the caller's error, reported in its thread. */
    void checkBuffersLive() {
        for (int i = 0; i < buffers.length; i++) {
            if (buffers[i].refCnt() == 0) {
                throw new IllegalArgumentException("buffers[" + i + "] of " + this + " was released before submit");
            }
        }
    }

    boolean hasReleasedBuffer() {
        for (ByteBuf b : buffers) {
            if (b.refCnt() == 0) {
                return true;
            }
        }
        return false;
    }

    /** Writes this operation into {@code block} (idle), on the loop thread. */
    void prepare(AioBlock block, int resfd) {
        if (buffers.length == 0) {
            if (opcode == Native.IOCB_CMD_POLL) {
                block.prepPoll(fd, pollEvents);
            } else if (opcode == Native.IOCB_CMD_FSYNC) {
                block.prepFsync(fd);
            } else if (opcode == Native.IOCB_CMD_FDSYNC) {
                block.prepFdsync(fd);
            } else {
                block.prepRaw(opcode, fd, address, length, offset);
            }
        } else if (opcode == Native.IOCB_CMD_PREAD) {
            block.prepPread(fd, buffers[0], offset);
        } else if (opcode == Native.IOCB_CMD_PWRITE) {
            block.prepPwrite(fd, buffers[0], offset);
        } else if (opcode == Native.IOCB_CMD_PREADV) {
            block.prepPreadv(fd, offset, buffers);
        } else {
            block.prepPwritev(fd, offset, buffers);
        }
        block.rwFlags(rwFlags).resfd(resfd);
        if (ioPrioClass != 0) {
            block.ioPriority(ioPrioClass, ioPrioLevel);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64).append("AioIoOps(").append(AioBlock.opcodeName(opcode))
                .append(", fd=").append(fd);
        if (opcode == Native.IOCB_CMD_POLL) {
            sb.append(", events=0x").append(Integer.toHexString(pollEvents));
        } else if (opcode != Native.IOCB_CMD_FSYNC && opcode != Native.IOCB_CMD_FDSYNC) {
            sb.append(", offset=").append(offset);
            if (buffers.length > 0) {
                sb.append(", buffers=").append(buffers.length);
            } else {
                sb.append(", address=0x").append(Long.toHexString(address)).append(", length=").append(length);
            }
        }
        if (rwFlags != 0) {
            sb.append(", rw_flags=0x").append(Integer.toHexString(rwFlags));
        }
        return sb.append(", userData=").append(userData).append(failFast ? ", failFast)" : ")").toString();
    }
}
