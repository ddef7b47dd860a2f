/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.buffer.ByteBuf;
import io.netty.contrib.channel.aio.core.AioBlock;
import io.netty.contrib.channel.aio.core.Native;

/**
 * One kernel operation an {@link AioFile} hands to its {@link EngineLink}: what to submit (opcode, descriptor,
 * buffers, offset, flags, priority) and where the completion goes. Re-prepared and resubmitted by its owner for
 * continuations (the rest of a short write, a page-cache miss re-issued on the direct descriptor). Engine thread
 * only.
 *
 * <p>Buffers: the engine's layer retains them while the kernel holds them; the owner keeps its own reference
 * until {@link #complete(long)}.
 */
abstract class FileOp {
    private static final ByteBuf[] NONE = new ByteBuf[0];

    int opcode;
    int fd;
    long offset;
    int rwFlags;
    int ioPriorityClass;
    int ioPriorityLevel;
    /** One buffer for PREAD/PWRITE; the iovecs for PREADV/PWRITEV. */
    ByteBuf[] buffers = NONE;

    // Engine bookkeeping.
    /** The slot naming this operation in its link while in flight (LoopEngine). */
    int slot = -1;
    /** The block carrying it (EpollFileEngine), created on first use and reused. */
    AioBlock block;
    /** The link it was submitted through (EpollFileEngine). */
    Object link;

    /** Prepares a read ({@code buffers.length == 1}: PREAD, else PREADV) into each buffer's writable bytes. */
    final void prepRead(int fd, long offset, ByteBuf... buffers) {
        prep(buffers.length == 1 ? Native.IOCB_CMD_PREAD : Native.IOCB_CMD_PREADV, fd, offset, buffers);
    }

    /** Prepares a write ({@code buffers.length == 1}: PWRITE, else PWRITEV) of each buffer's readable bytes. */
    final void prepWrite(int fd, long offset, ByteBuf... buffers) {
        prep(buffers.length == 1 ? Native.IOCB_CMD_PWRITE : Native.IOCB_CMD_PWRITEV, fd, offset, buffers);
    }

    /** Prepares an FSYNC or FDSYNC. */
    final void prepSync(int fd, boolean dataOnly) {
        prep(dataOnly ? Native.IOCB_CMD_FDSYNC : Native.IOCB_CMD_FSYNC, fd, 0, NONE);
    }

    private void prep(int opcode, int fd, long offset, ByteBuf[] buffers) {
        this.opcode = opcode;
        this.fd = fd;
        this.offset = offset;
        this.buffers = buffers;
        this.rwFlags = 0;
    }

    final void options(int rwFlags, AioIoOptions options) {
        this.rwFlags = rwFlags;
        this.ioPriorityClass = options.ioPriorityClass();
        this.ioPriorityLevel = options.ioPriorityLevel();
    }

    /** The kernel's {@code res}: bytes transferred, 0, or {@code -errno}. Engine thread; exactly once per submit. */
    abstract void complete(long res);

    /** Fills {@code block} with this operation (EpollFileEngine). */
    final void prepare(AioBlock block) {
        if (opcode == Native.IOCB_CMD_PREAD) {
            block.prepPread(fd, buffers[0], offset);
        } else if (opcode == Native.IOCB_CMD_PWRITE) {
            block.prepPwrite(fd, buffers[0], offset);
        } else if (opcode == Native.IOCB_CMD_PREADV) {
            block.prepPreadv(fd, offset, buffers);
        } else if (opcode == Native.IOCB_CMD_PWRITEV) {
            block.prepPwritev(fd, offset, buffers);
        } else if (opcode == Native.IOCB_CMD_FSYNC) {
            block.prepFsync(fd);
        } else {
            block.prepFdsync(fd);
        }
        block.rwFlags(rwFlags);
        if (ioPriorityClass != 0) {
            block.ioPriority(ioPriorityClass, ioPriorityLevel);
        }
    }

    @Override
    public String toString() {
        return AioBlock.opcodeName(opcode) + "(fd=" + fd + ", offset=" + offset + ", buffers=" + buffers.length
                + (rwFlags != 0 ? ", rw_flags=0x" + Integer.toHexString(rwFlags) : "") + ')';
    }
}
