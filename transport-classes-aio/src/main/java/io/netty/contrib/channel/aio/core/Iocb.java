/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.channel.unix.Buffer;

import java.nio.ByteBuffer;

import static io.netty.contrib.channel.aio.core.Native.IOCB_AIO_BUF;
import static io.netty.contrib.channel.aio.core.Native.IOCB_AIO_DATA;
import static io.netty.contrib.channel.aio.core.Native.IOCB_AIO_FILDES;
import static io.netty.contrib.channel.aio.core.Native.IOCB_AIO_FLAGS;
import static io.netty.contrib.channel.aio.core.Native.IOCB_AIO_LIO_OPCODE;
import static io.netty.contrib.channel.aio.core.Native.IOCB_AIO_NBYTES;
import static io.netty.contrib.channel.aio.core.Native.IOCB_AIO_OFFSET;
import static io.netty.contrib.channel.aio.core.Native.IOCB_AIO_REQPRIO;
import static io.netty.contrib.channel.aio.core.Native.IOCB_AIO_RESFD;
import static io.netty.contrib.channel.aio.core.Native.IOCB_AIO_RW_FLAGS;
import static io.netty.contrib.channel.aio.core.Native.SIZEOF_IOCB;

/**
 * A re-pointable view of one {@code struct iocb} in an array of them in native memory
 * ({@code include/uapi/linux/aio_abi.h}):
 * <pre>
 * struct iocb {
 *     __u64 aio_data;                          // returned in io_event.data
 *     __u32 PADDED(aio_key, aio_rw_flags);     // field order depends on byte order
 *     __u16 aio_lio_opcode;                    // IOCB_CMD_*
 *     __s16 aio_reqprio;                       // with IOCB_FLAG_IOPRIO
 *     __u32 aio_fildes;
 *     __u64 aio_buf;                           // address, iovec array, or POLL event mask
 *     __u64 aio_nbytes;                        // length or iovec count
 *     __s64 aio_offset;
 *     __u64 aio_reserved2;
 *     __u32 aio_flags;                         // IOCB_FLAG_RESFD | IOCB_FLAG_IOPRIO
 *     __u32 aio_resfd;                         // eventfd signalled on completion
 * };
 * </pre>
 * Offsets come from {@link Native}, read from C at load time. The kernel copies an iocb at {@code io_submit},
 * but {@code io_cancel} finds the request by the iocb's address: the owner keeps the slot in place until the
 * completion arrives. Not thread-safe; the array's owner confines it to one thread.
 */
public final class Iocb {
    private final ByteBuffer memory;
    private final long baseAddress;
    private final int capacity;
    private int offset;

    /**
     * A view over {@code memory}, a direct buffer in native byte order holding {@code capacity} iocbs.
     */
    public Iocb(ByteBuffer memory, int capacity) {
        if (!memory.isDirect() || memory.capacity() < capacity * SIZEOF_IOCB) {
            throw new IllegalArgumentException("need a direct buffer of " + capacity * SIZEOF_IOCB + " bytes");
        }
        this.memory = memory;
        this.baseAddress = Buffer.memoryAddress(memory);
        this.capacity = capacity;
    }

    /** Points this view at iocb number {@code index}. */
    public Iocb at(int index) {
        if (index < 0 || index >= capacity) {
            throw new IndexOutOfBoundsException("iocb " + index + " of " + capacity);
        }
        offset = index * SIZEOF_IOCB;
        return this;
    }

    /** The user-space address of the current iocb, as io_submit and io_cancel take it. */
    public long address() {
        return baseAddress + offset;
    }

    /** Zeroes the current iocb, reserved fields included (the kernel rejects non-zero aio_reserved2). */
    public Iocb clear() {
        for (int i = 0; i < SIZEOF_IOCB; i += Long.BYTES) {
            memory.putLong(offset + i, 0L);
        }
        return this;
    }

    public Iocb data(long data) {
        memory.putLong(offset + IOCB_AIO_DATA, data);
        return this;
    }

    public long data() {
        return memory.getLong(offset + IOCB_AIO_DATA);
    }

    public Iocb rwFlags(int rwFlags) {
        memory.putInt(offset + IOCB_AIO_RW_FLAGS, rwFlags);
        return this;
    }

    public int rwFlags() {
        return memory.getInt(offset + IOCB_AIO_RW_FLAGS);
    }

    public Iocb opcode(int opcode) {
        memory.putShort(offset + IOCB_AIO_LIO_OPCODE, (short) opcode);
        return this;
    }

    public int opcode() {
        return memory.getShort(offset + IOCB_AIO_LIO_OPCODE) & 0xFFFF;
    }

    public Iocb reqprio(int reqprio) {
        memory.putShort(offset + IOCB_AIO_REQPRIO, (short) reqprio);
        return this;
    }

    public int reqprio() {
        return memory.getShort(offset + IOCB_AIO_REQPRIO);
    }

    public Iocb fildes(int fd) {
        memory.putInt(offset + IOCB_AIO_FILDES, fd);
        return this;
    }

    public int fildes() {
        return memory.getInt(offset + IOCB_AIO_FILDES);
    }

    public Iocb buf(long buf) {
        memory.putLong(offset + IOCB_AIO_BUF, buf);
        return this;
    }

    public long buf() {
        return memory.getLong(offset + IOCB_AIO_BUF);
    }

    public Iocb nbytes(long nbytes) {
        memory.putLong(offset + IOCB_AIO_NBYTES, nbytes);
        return this;
    }

    public long nbytes() {
        return memory.getLong(offset + IOCB_AIO_NBYTES);
    }

    public Iocb offset(long fileOffset) {
        memory.putLong(offset + IOCB_AIO_OFFSET, fileOffset);
        return this;
    }

    public long offset() {
        return memory.getLong(offset + IOCB_AIO_OFFSET);
    }

    public Iocb flags(int flags) {
        memory.putInt(offset + IOCB_AIO_FLAGS, flags);
        return this;
    }

    public int flags() {
        return memory.getInt(offset + IOCB_AIO_FLAGS);
    }

    public Iocb resfd(int resfd) {
        memory.putInt(offset + IOCB_AIO_RESFD, resfd);
        return this;
    }

    public int resfd() {
        return memory.getInt(offset + IOCB_AIO_RESFD);
    }
}
