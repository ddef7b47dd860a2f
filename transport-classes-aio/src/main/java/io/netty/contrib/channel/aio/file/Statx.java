/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.channel.unix.Buffer;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.core.NativeFiles;
import io.netty.util.concurrent.FastThreadLocal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A view of one {@code struct statx} ({@code include/uapi/linux/stat.h}) in native memory, the fields this
 * package reads:
 * <pre>
 * struct statx {
 *     __u32 stx_mask;              // which fields the kernel filled
 *     __u32 stx_blksize;
 *     ...
 *     __u16 stx_mode;              // S_IFMT type bits and permissions
 *     __u64 stx_ino;
 *     __u64 stx_size;
 *     __u64 stx_blocks;
 *     ...
 *     struct statx_timestamp stx_mtime;
 *     __u32 stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
 *     ...
 *     __u32 stx_dio_mem_align;     // STATX_DIOALIGN (Linux 6.1): buffer alignment for O_DIRECT, 0 if unsupported
 *     __u32 stx_dio_offset_align;  // file offset and length alignment for O_DIRECT, 0 if unsupported
 *     ...
 * };
 * </pre>
 * Offsets come from {@link NativeFiles}, read from C at load time. Each thread has one instance
 * ({@link #current()}), refilled by every {@code fill} call: read what you need before the next call on that
 * thread.
 */
final class Statx {
    private static final FastThreadLocal<Statx> CURRENT = new FastThreadLocal<>() {
        @Override
        protected Statx initialValue() {
            return new Statx();
        }
    };

    // Garbage-collected memory: the instance lives as long as its thread.
    private final ByteBuffer memory =
            ByteBuffer.allocateDirect(NativeFiles.SIZEOF_STATX).order(ByteOrder.nativeOrder());
    private final long address = Buffer.memoryAddress(memory);

    private Statx() {
    }

    static Statx current() {
        return CURRENT.get();
    }

    /** statx of an open descriptor; {@code what} names it in the exception. */
    Statx fill(int fd, int mask, String what) throws IOException {
        int res = NativeFiles.fstatx(fd, mask, address);
        if (res < 0) {
            throw Native.ioException("statx(" + what + ')', res);
        }
        return this;
    }

    /** statx of a path, following symbolic links; returns the negative errno instead of throwing. */
    int tryFill(String path, int mask) {
        return NativeFiles.statx(path, 0, mask, address);
    }

    int mask() {
        return memory.getInt(NativeFiles.STATX_MASK_OFFSET);
    }

    int mode() {
        return memory.getShort(NativeFiles.STATX_MODE_OFFSET) & 0xFFFF;
    }

    int type() {
        return mode() & NativeFiles.S_IFMT;
    }

    boolean isRegularFile() {
        return type() == NativeFiles.S_IFREG;
    }

    boolean isBlockDevice() {
        return type() == NativeFiles.S_IFBLK;
    }

    long size() {
        return memory.getLong(NativeFiles.STATX_SIZE_OFFSET);
    }

    long inode() {
        return memory.getLong(NativeFiles.STATX_INO_OFFSET);
    }

    long mtimeSeconds() {
        return memory.getLong(NativeFiles.STATX_MTIME_OFFSET + NativeFiles.STATX_TIMESTAMP_SEC_OFFSET);
    }

    int mtimeNanos() {
        return memory.getInt(NativeFiles.STATX_MTIME_OFFSET + NativeFiles.STATX_TIMESTAMP_NSEC_OFFSET);
    }

    /** Whether the kernel reported {@code STATX_DIOALIGN}. */
    boolean hasDioAlign() {
        return (mask() & NativeFiles.STATX_DIOALIGN) != 0;
    }

    int dioMemAlign() {
        return memory.getInt(NativeFiles.STATX_DIO_MEM_ALIGN_OFFSET);
    }

    int dioOffsetAlign() {
        return memory.getInt(NativeFiles.STATX_DIO_OFFSET_ALIGN_OFFSET);
    }
}
