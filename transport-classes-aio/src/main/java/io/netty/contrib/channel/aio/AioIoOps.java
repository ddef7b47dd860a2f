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
 * <p><b>Descriptions.</b> {@link #describe(int, int, long)} builds what an operation <em>is</em> — opcode,
 * descriptor, {@code RWF_*} flags, priority, fail-fast, {@code userData} — without its memory and offset, which
 * come with each submission ({@link AioIoRegistration#submit(AioIoOps, ByteBuf, long, Object)}). A caller builds
 * its few descriptions once and submits each read or write with no allocation at all. The factories that take
 * buffers ({@link #pread}, ...) build a complete operation, submitted with {@link AioIoRegistration#submit}.
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
    /** Built by {@link #describe}: the memory and offset come with each submission. */
    private final boolean description;

    private AioIoOps(int opcode, int fd, ByteBuf[] buffers, long address, long length, long offset, int pollEvents,
                     int rwFlags, int ioPrioClass, int ioPrioLevel, long userData, boolean failFast,
                     boolean description) {
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
        this.description = description;
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
        return new AioIoOps(opcode, fd, buffers, address, length, offset, pollEvents, 0, 0, 0, userData, false,
                false);
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

    /**
     * A description of PREAD, PWRITE, PREADV, PWRITEV, FSYNC or FDSYNC on {@code fd}, without memory: the buffer (or
     * buffers) and the file offset come with each submission ({@link AioIoRegistration#submit(AioIoOps, ByteBuf,
     * long, Object)}), so that one description serves every read of a file. Refine it with the {@code with*}
     * methods once, when it is built.
     *
     * @throws IllegalArgumentException for another opcode or a negative {@code fd}
     */
    public static AioIoOps describe(int opcode, int fd, long userData) {
        if (opcode != Native.IOCB_CMD_PREAD && opcode != Native.IOCB_CMD_PWRITE && opcode != Native.IOCB_CMD_PREADV
                && opcode != Native.IOCB_CMD_PWRITEV && opcode != Native.IOCB_CMD_FSYNC
                && opcode != Native.IOCB_CMD_FDSYNC) {
            throw new IllegalArgumentException("a description is of PREAD, PWRITE, PREADV, PWRITEV, FSYNC or FDSYNC, "
                    + "not " + AioBlock.opcodeName(opcode) + " (build a POLL with poll())");
        }
        if (fd < 0) {
            throw new IllegalArgumentException("fd must be >= 0, got " + fd);
        }
        return new AioIoOps(opcode, fd, NO_BUFFERS, 0, 0, 0, 0, 0, 0, 0, userData, false, true);
    }

    /** A copy with {@code RWF_*} flags ({@link Native#RWF_NOWAIT}, {@link Native#RWF_DSYNC}, ...). */
    public AioIoOps withRwFlags(int rwFlags) {
        return new AioIoOps(opcode, fd, buffers, address, length, offset, pollEvents, rwFlags, ioPrioClass,
                ioPrioLevel, userData, failFast, description);
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
                userData, failFast, description);
    }

    /**
     * A copy that completes at once with {@code -EAGAIN} instead of waiting in the loop's queue when it cannot go
     * to the kernel in the loop's next {@code io_submit} (all slots taken, or others queued before it).
     */
    public AioIoOps withFailFast() {
        return new AioIoOps(opcode, fd, buffers, address, length, offset, pollEvents, rwFlags, ioPrioClass,
                ioPrioLevel, userData, true, description);
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

    /** The I/O priority class ({@link AioBlock#IOPRIO_CLASS_RT}, ...), or 0 when none is set. */
    public int ioPriorityClass() {
        return ioPrioClass;
    }

    /** The I/O priority level, meaningful when {@link #ioPriorityClass()} is not 0. */
    public int ioPriorityLevel() {
        return ioPrioLevel;
    }

    /** Whether this is a {@linkplain #describe description}: its memory and offset come with each submission. */
    public boolean isDescription() {
        return description;
    }

    /**
     * Writes this operation into an idle {@code block} with {@code buffer} or {@code vector} as its memory (or
     * neither: a description of FSYNC or FDSYNC, or an operation that carries its memory itself) at {@code offset}:
     * opcode, descriptor, flags and priority, through {@link AioBlock#set}, which decides per opcode what the iocb
     * gets. For hosts that drive an {@code AioContext} themselves; keeps the block's resfd and callback. Allocates
     * nothing.
     */
    public AioBlock applyTo(AioBlock block, ByteBuf buffer, ByteBuf[] vector, long offset) {
        block.set(opcode, fd, buffer, vector, address, length, offset, pollEvents).rwFlags(rwFlags);
        if (ioPrioClass != 0) {
            block.ioPriority(ioPrioClass, ioPrioLevel);
        }
        return block;
    }

    /** Whether the opcode reads or writes memory (PREAD, PWRITE, PREADV, PWRITEV). */
    private boolean takesMemory() {
        return opcode == Native.IOCB_CMD_PREAD || opcode == Native.IOCB_CMD_PWRITE || isVectored();
    }

    private boolean isVectored() {
        return opcode == Native.IOCB_CMD_PREADV || opcode == Native.IOCB_CMD_PWRITEV;
    }

    /** The one buffer this operation carries itself (PREAD, PWRITE), or null. */
    ByteBuf ownBuffer() {
        return !isVectored() && buffers.length == 1 ? buffers[0] : null;
    }

    /** The buffers this operation carries itself (PREADV, PWRITEV), or null. */
    ByteBuf[] ownVector() {
        return isVectored() && buffers.length != 0 ? buffers : null;
    }

    /** Checks, in the caller's thread, that this operation can be submitted as it is. */
    void checkComplete() {
        if (description && takesMemory()) {
            throw new IllegalArgumentException(this + " is a description without memory: submit it with "
                    + "AioIoRegistration.submit(ops, buffer, offset, attachment)");
        }
        checkBuffersLive();
    }

    /** Checks, in the caller's thread, that {@code buffer} completes this operation (null for none). */
    void checkOperand(ByteBuf buffer) {
        checkNoOwnMemory();
        if (isVectored()) {
            throw new IllegalArgumentException(this + " is vectored: submit it with a ByteBuf[]");
        }
        if (takesMemory()) {
            AioBlock.checkBuffer(buffer, 0);
        } else if (buffer != null) {
            throw new IllegalArgumentException(this + " takes no memory, got a buffer");
        }
    }

    /** Checks, in the caller's thread, that {@code vector} completes this vectored operation; returns a copy. */
    ByteBuf[] checkOperand(ByteBuf[] vector) {
        checkNoOwnMemory();
        if (!isVectored()) {
            throw new IllegalArgumentException(this + " is not vectored: submit it with one ByteBuf");
        }
        ByteBuf[] copy = vector(vector);
        for (int i = 0; i < copy.length; i++) {
            AioBlock.checkBuffer(copy[i], i);
        }
        return copy;
    }

    private void checkNoOwnMemory() {
        if (takesMemory() && !description) {
            throw new IllegalArgumentException(this + " carries its own memory: submit it with submit(IoOps), or "
                    + "build a description with AioIoOps.describe");
        }
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

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64).append("AioIoOps(").append(AioBlock.opcodeName(opcode))
                .append(", fd=").append(fd);
        if (description) {
            sb.append(", description");
        } else if (opcode == Native.IOCB_CMD_POLL) {
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
