/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.buffer.ByteBuf;
import io.netty.channel.unix.Buffer;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.internal.ObjectUtil;

import java.nio.ByteBuffer;

/**
 * One AIO operation, described in Java and written into an {@link Iocb} slot when an {@link AioContext} submits
 * it: the counterpart of python-libaio's {@code AIOBlock}. Reusable: once its completion has been delivered it
 * may be submitted again (a POLL re-armed, a read repeated) or re-prepared for another operation, like
 * liburing's {@code io_uring_prep_*}.
 *
 * <p><b>Buffers.</b> Reads fill each buffer from its {@code writerIndex} over its {@code writableBytes()};
 * writes take each buffer's {@code readableBytes()} from its {@code readerIndex}. Indices are never moved: the
 * callback receives the raw {@code res} (bytes transferred, a poll mask, or {@code -errno}) and decides. Buffers
 * must be direct and backed by one memory region each ({@code nioBufferCount() == 1}); for {@code O_DIRECT}
 * files their address, length and the offset must meet the file's alignment or the kernel answers
 * {@code res = -EINVAL}.
 *
 * <p><b>Ownership.</b> The caller keeps its own references. Just before {@code io_submit} the context retains
 * every buffer once more (and releases it again at once if the kernel did not accept the block); for an
 * accepted block that reference is released when the completion is reaped — also when the operation was
 * cancelled or the context closed — so memory is never returned to a pool while the kernel may still write it. The release happens just before the callback, so the callback may re-prepare this block with
 * other buffers; a caller that reads the buffer in the callback keeps its own reference until then.
 *
 * <p><b>Threading.</b> Not thread-safe. Configure it, submit it and receive its callback on the thread that
 * owns the context. Setters throw {@link IllegalStateException} while the block is in flight.
 */
public final class AioBlock {
    /** Real-time I/O priority class of {@link #ioPriority(int, int)} ({@code IOPRIO_CLASS_RT}, from C). */
    public static final int IOPRIO_CLASS_RT = Native.IOPRIO_CLASS_RT;
    /** Best-effort I/O priority class, the default of every process ({@code IOPRIO_CLASS_BE}). */
    public static final int IOPRIO_CLASS_BE = Native.IOPRIO_CLASS_BE;
    /** Idle I/O priority class: served only when the disk has nothing else ({@code IOPRIO_CLASS_IDLE}). */
    public static final int IOPRIO_CLASS_IDLE = Native.IOPRIO_CLASS_IDLE;

    private static final ByteBuf[] NO_BUFFERS = new ByteBuf[0];

    private int opcode = -1;
    private int fd = -1;
    // The memory: one buffer (PREAD, PWRITE), a vector (PREADV, PWRITEV), or, with neither, raw memory at
    // address/length. Two fields rather than a one-element array, so that re-preparing allocates nothing.
    private ByteBuf buffer;
    private ByteBuf[] vector = NO_BUFFERS;
    private long address;
    private long length;
    private long offset;
    private int pollEvents;

    private int rwFlags;
    private int reqprio = -1;
    private int resfd = -1;
    private AioCallback callback;
    private Object attachment;

    // Owned by the context while in flight.
    AioContext context;
    int slot = -1;
    boolean buffersRetained;

    /**
     * An empty block, to be prepared with one of the {@code prep*} methods before each submission. The static
     * factories are shorthands for {@code new AioBlock().prepXxx(...)}.
     */
    public AioBlock() {
    }

    /**
     * Prepares any operation: the general setter under every {@code prep*} method, for callers that hold an
     * operation's description apart from its memory and want no per-opcode branching of their own. The opcode
     * decides what {@link AioContext#submit} writes into the iocb: PREAD and PWRITE take {@code buffer} (its writable
     * or readable bytes), or without one the raw {@code address}/{@code length}; PREADV and PWRITEV take
     * {@code vector}, or without one a raw iovec array at {@code address} of {@code length} entries; POLL takes
     * {@code pollEvents}; FSYNC and FDSYNC take nothing. Checks only what every opcode shares; the {@code prep*}
     * methods add the checks of their opcode. The vector is used as it is, not copied: leave it unchanged until the
     * completion. Resets {@link #rwFlags} and {@link #ioPriority}; keeps {@link #resfd}, {@link #callback} and
     * {@link #attachment}. Only while idle; allocates nothing.
     *
     * @param buffer the one buffer of PREAD or PWRITE, or {@code null}
     * @param vector the buffers of PREADV or PWRITEV, or {@code null}
     * @throws IllegalArgumentException for a negative {@code fd} or {@code offset}, or both a buffer and a vector
     * @throws IllegalStateException while the block is in flight
     */
    public AioBlock set(int opcode, int fd, ByteBuf buffer, ByteBuf[] vector, long address, long length, long offset,
                        int pollEvents) {
        checkIdle();
        if (fd < 0) {
            throw new IllegalArgumentException("fd must be >= 0, got " + fd);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        }
        if (buffer != null && vector != null && vector.length != 0) {
            throw new IllegalArgumentException("an operation takes one buffer or a vector of them, not both");
        }
        this.opcode = opcode;
        this.fd = fd;
        this.buffer = buffer;
        this.vector = vector == null ? NO_BUFFERS : vector;
        this.address = address;
        this.length = length;
        this.offset = offset;
        this.pollEvents = pollEvents;
        this.rwFlags = 0;
        this.reqprio = -1;
        return this;
    }

    private static ByteBuf[] checkBuffers(ByteBuf... buffers) {
        ObjectUtil.checkNotNull(buffers, "buffers");
        checkIovecCount("buffers.length", buffers.length);
        ByteBuf[] copy = buffers.clone();
        for (int i = 0; i < copy.length; i++) {
            checkBuffer(copy[i], i);
        }
        return copy;
    }

    /**
     * Checks that {@code buf} can carry AIO: not null, not released, direct, one memory region. Used by callers
     * that want the error in their own thread, before handing an operation to another.
     *
     * @throws IllegalArgumentException naming {@code buffers[index]} and what is wrong with it
     */
    public static void checkBuffer(ByteBuf buf, int index) {
        if (buf == null) {
            throw new NullPointerException("buffers[" + index + "]");
        }
        if (buf.refCnt() == 0) {
            throw new IllegalArgumentException("buffers[" + index + "] was already released (refCnt 0)");
        }
        if (!buf.isDirect()) {
            throw new IllegalArgumentException("buffers[" + index + "] must be a direct buffer for AIO, got "
                    + buf.getClass().getSimpleName() + " (allocate with ByteBufAllocator.directBuffer())");
        }
        if (buf.nioBufferCount() != 1) {
            throw new IllegalArgumentException("buffers[" + index + "] spans " + buf.nioBufferCount()
                    + " memory regions; pass its components to a vectored operation instead");
        }
    }

    /**
     * Checks the length of a vectored operation's iovec array: 1 to {@link Native#IOV_MAX}. The kernel answers
     * more with EINVAL at {@code io_submit}, and an empty vector transfers nothing.
     *
     * @param what the argument that holds the count, named in the message
     * @throws IllegalArgumentException naming {@code what} and {@code count}
     */
    public static void checkIovecCount(String what, long count) {
        if (count < 1 || count > Native.IOV_MAX) {
            throw new IllegalArgumentException(what + " must be 1.." + Native.IOV_MAX + " (IOV_MAX), got " + count);
        }
    }

    /**
     * Checks an {@code IOCB_CMD_POLL} event mask: not empty (the wait could never end) and within
     * {@link Native#IOCB_POLL_EVENTS_MASK} (the kernel answers wider masks with EINVAL at {@code io_submit}).
     *
     * @throws IllegalArgumentException naming {@code events} and its value
     */
    public static void checkPollEvents(int events) {
        if (events == 0 || (events & ~Native.IOCB_POLL_EVENTS_MASK) != 0) {
            throw new IllegalArgumentException("events must be a non-empty "
                    + Integer.bitCount(Native.IOCB_POLL_EVENTS_MASK) + "-bit poll(2) event mask (within 0x"
                    + Integer.toHexString(Native.IOCB_POLL_EVENTS_MASK) + "), got 0x" + Integer.toHexString(events));
        }
    }

    /**
     * Checks an I/O priority: a class of {@link #IOPRIO_CLASS_RT}, {@link #IOPRIO_CLASS_BE} or
     * {@link #IOPRIO_CLASS_IDLE} and a level from 0 to {@link Native#IOPRIO_NR_LEVELS} - 1. The kernel cannot be
     * left to refuse a bad level: since Linux 6.6 it reads the bits above the level as a priority hint.
     *
     * @throws IllegalArgumentException naming {@code ioClass} or {@code level} and its value
     */
    public static void checkIoPriority(int ioClass, int level) {
        if (ioClass != IOPRIO_CLASS_RT && ioClass != IOPRIO_CLASS_BE && ioClass != IOPRIO_CLASS_IDLE) {
            throw new IllegalArgumentException("ioClass (the I/O priority class) must be IOPRIO_CLASS_RT ("
                    + IOPRIO_CLASS_RT + "), IOPRIO_CLASS_BE (" + IOPRIO_CLASS_BE + ") or IOPRIO_CLASS_IDLE ("
                    + IOPRIO_CLASS_IDLE + "), got " + ioClass);
        }
        if (level < 0 || level >= Native.IOPRIO_NR_LEVELS) {
            throw new IllegalArgumentException("level (the I/O priority level) must be 0.."
                    + (Native.IOPRIO_NR_LEVELS - 1) + " (IOPRIO_NR_LEVELS - 1), got " + level);
        }
    }

    /**
     * Checks an operation on caller-managed memory: PREAD or PWRITE of {@code length} bytes at {@code address},
     * or PREADV or PWRITEV of an iovec array at {@code address} with {@code length} entries.
     *
     * @throws IllegalArgumentException naming the opcode, the address or the length that is wrong
     */
    public static void checkRawMemory(int opcode, long address, long length) {
        boolean vectored = opcode == Native.IOCB_CMD_PREADV || opcode == Native.IOCB_CMD_PWRITEV;
        if (!vectored && opcode != Native.IOCB_CMD_PREAD && opcode != Native.IOCB_CMD_PWRITE) {
            throw new IllegalArgumentException("opcode must be PREAD, PWRITE, PREADV or PWRITEV for raw memory, got "
                    + opcodeName(opcode));
        }
        if (vectored) {
            checkIovecCount("length (the iovec count of a raw " + opcodeName(opcode) + ')', length);
        } else if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        if (address == 0 && length != 0) {
            throw new IllegalArgumentException("address must not be 0 (NULL) with length " + length);
        }
    }

    // ---------------------------------------------------------------- preparation

    /**
     * Prepares a read at {@code offset} into {@code dst}'s writable bytes. {@code res}: bytes read, 0 at EOF,
     * -errno. Like every {@code prep*} method: resets {@link #rwFlags} and {@link #ioPriority}, keeps
     * {@link #resfd}, {@link #callback} and {@link #attachment}; only while idle.
     */
    public AioBlock prepPread(int fd, ByteBuf dst, long offset) {
        checkBuffer(dst, 0);
        return set(Native.IOCB_CMD_PREAD, fd, dst, null, 0, 0, offset, 0);
    }

    /** Prepares a write of {@code src}'s readable bytes at {@code offset}. {@code res}: bytes written, -errno. */
    public AioBlock prepPwrite(int fd, ByteBuf src, long offset) {
        checkBuffer(src, 0);
        return set(Native.IOCB_CMD_PWRITE, fd, src, null, 0, 0, offset, 0);
    }

    /** Prepares a scatter read into each buffer's writable bytes, in order (the array is copied). */
    public AioBlock prepPreadv(int fd, long offset, ByteBuf... dsts) {
        return set(Native.IOCB_CMD_PREADV, fd, null, checkBuffers(dsts), 0, 0, offset, 0);
    }

    /** Prepares a gather write of each buffer's readable bytes, in order (the array is copied). */
    public AioBlock prepPwritev(int fd, long offset, ByteBuf... srcs) {
        return set(Native.IOCB_CMD_PWRITEV, fd, null, checkBuffers(srcs), 0, 0, offset, 0);
    }

    /** Prepares fsync(2) as an AIO operation (filesystems without it answer io_submit with EINVAL). */
    public AioBlock prepFsync(int fd) {
        return set(Native.IOCB_CMD_FSYNC, fd, null, null, 0, 0, 0, 0);
    }

    /** Prepares fdatasync(2) as an AIO operation. */
    public AioBlock prepFdsync(int fd) {
        return set(Native.IOCB_CMD_FDSYNC, fd, null, null, 0, 0, 0, 0);
    }

    /**
     * Prepares a one-shot readiness wait (kernel 4.18+). {@code res} is the ready mask: never 0, it holds at
     * least one of {@code events}, POLLERR or POLLHUP, and may hold related bits the file reported with its
     * wake-up (a pipe answers POLLIN with {@code POLLIN | POLLRDNORM}). A cancelled POLL completes with
     * {@code -ECANCELED} (the kernel reports an empty mask; {@link AioContext} delivers it as -ECANCELED).
     * {@code res} is {@code -errno} on failure (EBADF, ...).
     *
     * @param events a mask of {@link Native#POLLIN}, {@link Native#POLLOUT}, {@link Native#POLLPRI},
     *               {@link Native#POLLRDHUP}, ...
     */
    public AioBlock prepPoll(int fd, int events) {
        checkPollEvents(events);
        return set(Native.IOCB_CMD_POLL, fd, null, null, 0, 0, 0, events);
    }

    /**
     * Prepares an operation on memory the caller manages: {@code address}/{@code length} for PREAD and PWRITE,
     * or an iovec array address and count for PREADV and PWRITEV. Nothing is retained: the caller keeps the
     * memory valid until the completion.
     */
    public AioBlock prepRaw(int opcode, int fd, long address, long length, long offset) {
        checkRawMemory(opcode, address, length);
        return set(opcode, fd, null, null, address, length, offset, 0);
    }

    // ---------------------------------------------------------------- factories

    /** {@code new AioBlock().prepPread(fd, dst, offset)}. */
    public static AioBlock pread(int fd, ByteBuf dst, long offset) {
        return new AioBlock().prepPread(fd, dst, offset);
    }

    /**
     * As {@link #pread(int, ByteBuf, long)} on an open descriptor.
     *
     * @throws IllegalArgumentException if {@code fd} is closed
     */
    public static AioBlock pread(FileDescriptor fd, ByteBuf dst, long offset) {
        return pread(intFd(fd), dst, offset);
    }

    /** {@code new AioBlock().prepPwrite(fd, src, offset)}. */
    public static AioBlock pwrite(int fd, ByteBuf src, long offset) {
        return new AioBlock().prepPwrite(fd, src, offset);
    }

    /**
     * As {@link #pwrite(int, ByteBuf, long)} on an open descriptor.
     *
     * @throws IllegalArgumentException if {@code fd} is closed
     */
    public static AioBlock pwrite(FileDescriptor fd, ByteBuf src, long offset) {
        return pwrite(intFd(fd), src, offset);
    }

    /** {@code new AioBlock().prepPreadv(fd, offset, dsts)}. */
    public static AioBlock preadv(int fd, long offset, ByteBuf... dsts) {
        return new AioBlock().prepPreadv(fd, offset, dsts);
    }

    /**
     * As {@link #preadv(int, long, ByteBuf...)} on an open descriptor.
     *
     * @throws IllegalArgumentException if {@code fd} is closed
     */
    public static AioBlock preadv(FileDescriptor fd, long offset, ByteBuf... dsts) {
        return preadv(intFd(fd), offset, dsts);
    }

    /** {@code new AioBlock().prepPwritev(fd, offset, srcs)}. */
    public static AioBlock pwritev(int fd, long offset, ByteBuf... srcs) {
        return new AioBlock().prepPwritev(fd, offset, srcs);
    }

    /**
     * As {@link #pwritev(int, long, ByteBuf...)} on an open descriptor.
     *
     * @throws IllegalArgumentException if {@code fd} is closed
     */
    public static AioBlock pwritev(FileDescriptor fd, long offset, ByteBuf... srcs) {
        return pwritev(intFd(fd), offset, srcs);
    }

    /** {@code new AioBlock().prepFsync(fd)}. */
    public static AioBlock fsync(int fd) {
        return new AioBlock().prepFsync(fd);
    }

    /**
     * As {@link #fsync(int)} on an open descriptor.
     *
     * @throws IllegalArgumentException if {@code fd} is closed
     */
    public static AioBlock fsync(FileDescriptor fd) {
        return fsync(intFd(fd));
    }

    /** {@code new AioBlock().prepFdsync(fd)}. */
    public static AioBlock fdsync(int fd) {
        return new AioBlock().prepFdsync(fd);
    }

    /**
     * As {@link #fdsync(int)} on an open descriptor.
     *
     * @throws IllegalArgumentException if {@code fd} is closed
     */
    public static AioBlock fdsync(FileDescriptor fd) {
        return fdsync(intFd(fd));
    }

    /** {@code new AioBlock().prepPoll(fd, events)}. */
    public static AioBlock poll(int fd, int events) {
        return new AioBlock().prepPoll(fd, events);
    }

    /**
     * As {@link #poll(int, int)} on an open descriptor.
     *
     * @throws IllegalArgumentException if {@code fd} is closed
     */
    public static AioBlock poll(FileDescriptor fd, int events) {
        return poll(intFd(fd), events);
    }

    /** {@code new AioBlock().prepRaw(opcode, fd, address, length, offset)}. */
    public static AioBlock raw(int opcode, int fd, long address, long length, long offset) {
        return new AioBlock().prepRaw(opcode, fd, address, length, offset);
    }

    // ---------------------------------------------------------------- options

    /**
     * {@code RWF_*} flags for this operation: {@link Native#RWF_NOWAIT}, {@link Native#RWF_DSYNC}, ... Passed to
     * the kernel unchecked, as newer kernels define new flags and which ones a file takes is the kernel's to say:
     * it refuses the others with EOPNOTSUPP at {@code io_submit}.
     */
    public AioBlock rwFlags(int rwFlags) {
        checkIdle();
        this.rwFlags = rwFlags;
        return this;
    }

    /**
     * The I/O priority ({@code IOCB_FLAG_IOPRIO}).
     *
     * @param ioClass {@link #IOPRIO_CLASS_RT}, {@link #IOPRIO_CLASS_BE} or {@link #IOPRIO_CLASS_IDLE}
     * @param level 0 (highest) to {@link Native#IOPRIO_NR_LEVELS} - 1; ignored by the kernel for IDLE
     * @throws IllegalArgumentException for an unknown class or a level out of range ({@link #checkIoPriority})
     */
    public AioBlock ioPriority(int ioClass, int level) {
        checkIdle();
        checkIoPriority(ioClass, level);
        this.reqprio = ioClass << Native.IOPRIO_CLASS_SHIFT | level;
        return this;
    }

    /**
     * Signals {@code eventFd} on completion ({@code IOCB_FLAG_RESFD}); {@code -1} for none.
     *
     * @throws IllegalArgumentException for another negative number
     */
    public AioBlock resfd(int eventFd) {
        checkIdle();
        if (eventFd < -1) {
            throw new IllegalArgumentException("eventFd must be >= 0, or -1 for none, got " + eventFd);
        }
        this.resfd = eventFd;
        return this;
    }

    /** Signals {@code eventFd} on completion ({@code IOCB_FLAG_RESFD}). */
    public AioBlock resfd(EventFd eventFd) {
        return resfd(intFd(eventFd));
    }

    /** The descriptor's number, refusing a closed one (its number may already belong to another file). */
    private static int intFd(FileDescriptor fd) {
        ObjectUtil.checkNotNull(fd, "fd");
        if (!fd.isOpen()) {
            throw new IllegalArgumentException("descriptor " + fd.intValue() + " is closed");
        }
        return fd.intValue();
    }

    /** Called once per accepted submission when its completion is reaped. */
    public AioBlock callback(AioCallback callback) {
        checkIdle();
        this.callback = callback;
        return this;
    }

    /** Anything the caller wants to find again in the callback. */
    public AioBlock attachment(Object attachment) {
        this.attachment = attachment;
        return this;
    }

    // ---------------------------------------------------------------- accessors

    public int opcode() {
        return opcode;
    }

    public int fd() {
        return fd;
    }

    public long offset() {
        return offset;
    }

    public int rwFlags() {
        return rwFlags;
    }

    public int pollEvents() {
        return pollEvents;
    }

    public Object attachment() {
        return attachment;
    }

    /** The buffers, in order (a copy). */
    public ByteBuf[] buffers() {
        return buffer != null ? new ByteBuf[] {buffer} : vector.clone();
    }

    /** Whether a context accepted it and its completion has not been delivered yet. */
    public boolean isInFlight() {
        return context != null;
    }

    AioCallback callbackOrNull() {
        return callback;
    }

    private void checkIdle() {
        if (context != null) {
            throw new IllegalStateException("block is in flight: " + this);
        }
    }

    /** Checks what may have changed since preparation; called before the block is written into an iocb. */
    void checkSubmittable(AioContext target) {
        if (opcode < 0) {
            throw new IllegalStateException("block was never prepared (call one of the prep* methods)");
        }
        if (context != null) {
            throw new IllegalStateException("block is already in flight"
                    + (context == target ? "" : " on another context") + ": " + this);
        }
        int released = releasedBuffer();
        if (released >= 0) {
            throw new IllegalArgumentException("buffers[" + released + "] was released before submission: " + this);
        }
    }

    /** Whether a buffer was released since preparation (a caller broke the ownership contract). */
    boolean hasReleasedBuffer() {
        return releasedBuffer() >= 0;
    }

    /** The index (as {@link #buffers()} numbers them) of the first buffer released since preparation, or -1. */
    private int releasedBuffer() {
        if (buffer != null) {
            return buffer.refCnt() == 0 ? 0 : -1;
        }
        for (int i = 0; i < vector.length; i++) {
            if (vector[i].refCnt() == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Number of iovecs this block needs in the submission's scratch area. */
    int iovecCount() {
        return opcode == Native.IOCB_CMD_PREADV || opcode == Native.IOCB_CMD_PWRITEV ? vector.length : 0;
    }

    /**
     * Writes this operation into {@code iocb}; vectored operations write their iovecs at {@code iov} (the kernel
     * copies them during io_submit, so that memory may be reused afterwards). The one place that turns an opcode
     * into iocb fields: a new opcode is added here (and named in {@link #opcodeName}).
     */
    void fill(Iocb iocb, long data, ByteBuffer iovScratch, int iovByteOffset, long iovAddress) {
        iocb.clear().data(data).opcode(opcode).fildes(fd).offset(offset).rwFlags(rwFlags);
        int flags = 0;
        if (resfd >= 0) {
            flags |= Native.IOCB_FLAG_RESFD;
            iocb.resfd(resfd);
        }
        if (reqprio >= 0) {
            flags |= Native.IOCB_FLAG_IOPRIO;
            iocb.reqprio(reqprio);
        }
        iocb.flags(flags);
        if (opcode == Native.IOCB_CMD_PREAD || opcode == Native.IOCB_CMD_PWRITE) {
            if (buffer == null) {
                iocb.buf(address).nbytes(length);
            } else {
                boolean read = opcode == Native.IOCB_CMD_PREAD;
                iocb.buf(regionAddress(buffer, read)).nbytes(read ? buffer.writableBytes() : buffer.readableBytes());
            }
        } else if (opcode == Native.IOCB_CMD_PREADV || opcode == Native.IOCB_CMD_PWRITEV) {
            if (vector.length == 0) {
                iocb.buf(address).nbytes(length);
                return;
            }
            boolean read = opcode == Native.IOCB_CMD_PREADV;
            for (int i = 0; i < vector.length; i++) {
                ByteBuf b = vector[i];
                int at = iovByteOffset + i * Native.SIZEOF_IOVEC;
                iovScratch.putLong(at, regionAddress(b, read));
                iovScratch.putLong(at + Long.BYTES, read ? b.writableBytes() : b.readableBytes());
            }
            iocb.buf(iovAddress).nbytes(vector.length);
        } else if (opcode == Native.IOCB_CMD_POLL) {
            iocb.buf(pollEvents);
        }
        // FSYNC, FDSYNC: the descriptor is all they take.
    }

    private static long regionAddress(ByteBuf b, boolean writable) {
        int index = writable ? b.writerIndex() : b.readerIndex();
        if (b.hasMemoryAddress()) {
            return b.memoryAddress() + index;
        }
        int len = writable ? b.writableBytes() : b.readableBytes();
        ByteBuffer nio = b.internalNioBuffer(index, len);
        return Buffer.memoryAddress(nio) + nio.position();
    }

    /** Retains every buffer once, just before io_submit. */
    void retainBuffers() {
        if (buffer != null) {
            buffer.retain();
            buffersRetained = true;
            return;
        }
        ByteBuf[] bufs = vector;
        int retained = 0;
        try {
            for (; retained < bufs.length; retained++) {
                bufs[retained].retain();
            }
        } catch (RuntimeException e) {
            // Released since the check (another thread): all or nothing, so that the block stays idle.
            for (int i = 0; i < retained; i++) {
                bufs[i].release();
            }
            throw e;
        }
        buffersRetained = true;
    }

    /** Releases what {@link #retainBuffers()} retained: once the completion was reaped, or if not accepted. */
    void releaseBuffers() {
        if (buffersRetained) {
            buffersRetained = false;
            if (buffer != null) {
                buffer.release();
                return;
            }
            for (ByteBuf b : vector) {
                b.release();
            }
        }
    }

    /** The opcode's name as in aio_abi.h: {@code "PREAD"}, {@code "POLL"}, ... */
    public static String opcodeName(int opcode) {
        if (opcode == Native.IOCB_CMD_PREAD) {
            return "PREAD";
        }
        if (opcode == Native.IOCB_CMD_PWRITE) {
            return "PWRITE";
        }
        if (opcode == Native.IOCB_CMD_PREADV) {
            return "PREADV";
        }
        if (opcode == Native.IOCB_CMD_PWRITEV) {
            return "PWRITEV";
        }
        if (opcode == Native.IOCB_CMD_FSYNC) {
            return "FSYNC";
        }
        if (opcode == Native.IOCB_CMD_FDSYNC) {
            return "FDSYNC";
        }
        if (opcode == Native.IOCB_CMD_POLL) {
            return "POLL";
        }
        return "opcode " + opcode;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64).append(opcodeName(opcode)).append("(fd=").append(fd);
        if (opcode == Native.IOCB_CMD_POLL) {
            sb.append(", events=0x").append(Integer.toHexString(pollEvents));
        } else if (opcode != Native.IOCB_CMD_FSYNC && opcode != Native.IOCB_CMD_FDSYNC) {
            sb.append(", offset=").append(offset);
            if (buffer == null && vector.length == 0) {
                sb.append(", address=0x").append(Long.toHexString(address)).append(", length=").append(length);
            } else {
                sb.append(", buffers=").append(buffer != null ? 1 : vector.length);
            }
        }
        if (rwFlags != 0) {
            sb.append(", rw_flags=0x").append(Integer.toHexString(rwFlags));
        }
        return sb.append(')').toString();
    }
}
