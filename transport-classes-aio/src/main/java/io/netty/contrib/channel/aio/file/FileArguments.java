/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.ObjectUtil;

/**
 * The argument checks of one {@link AioFile}'s public methods: what they refuse in the caller's thread, with an
 * exception naming the file and the argument, rather than through the future. Immutable: any thread.
 */
final class FileArguments {
    private final String name;
    private final boolean readable;
    private final boolean writable;
    private final boolean direct;
    private final boolean strict;
    private final boolean readsDirect;
    private final AioFileAlignment alignment;

    FileArguments(String name, boolean readable, boolean writable, boolean direct, boolean strict,
                  boolean readsDirect, AioFileAlignment alignment) {
        this.name = name;
        this.readable = readable;
        this.writable = writable;
        this.direct = direct;
        this.strict = strict;
        this.readsDirect = readsDirect;
        this.alignment = alignment;
    }

    /** {@link AioFile#read(long, int, AioRwOptions)}. */
    void checkRead(long position, int length, AioRwOptions options) {
        checkReadable();
        checkPosition(position);
        ObjectUtil.checkNotNull(options, "options");
        if (length < 0 || length > AioFile.MAX_READ_LENGTH) {
            throw new IllegalArgumentException("length must be in 0.." + AioFile.MAX_READ_LENGTH + ", got " + length);
        }
        checkEnd(position, length);
    }

    /** {@link AioFile#read(long, ByteBuf, AioRwOptions)}; returns the bytes to read, {@code dst.writableBytes()}. */
    int checkReadInto(long position, ByteBuf dst, AioRwOptions options) {
        checkReadable();
        checkPosition(position);
        ObjectUtil.checkNotNull(options, "options");
        checkDestination(dst, "dst");
        int size = dst.writableBytes();
        checkReadTotal(size);
        checkEnd(position, size);
        if (strict && readsDirect && !(alignment.isOffsetAligned(position) && alignment.isAligned(dst, true))) {
            throw unalignedRead(position);
        }
        return size;
    }

    /**
     * {@link AioFile#readv(long, AioRwOptions, ByteBuf...)}: fills each destination's writer index into
     * {@code starts} and its writable bytes into {@code sizes}; returns their total.
     */
    long checkReadv(long position, AioRwOptions options, ByteBuf[] dsts, int[] starts, int[] sizes) {
        checkReadable();
        checkPosition(position);
        ObjectUtil.checkNotNull(options, "options");
        long total = 0;
        boolean aligned = alignment.isOffsetAligned(position);
        for (int i = 0; i < dsts.length; i++) {
            ByteBuf dst = dsts[i];
            checkDestination(dst, dsts.length == 1 ? "dst" : "dsts[" + i + ']');
            starts[i] = dst.writerIndex();
            sizes[i] = dst.writableBytes();
            total += sizes[i];
            aligned &= alignment.isAligned(dst, true);
        }
        checkReadTotal(total);
        checkEnd(position, total);
        if (strict && !aligned && readsDirect) {
            throw unalignedRead(position);
        }
        return total;
    }

    /** The count of buffers of readv or writev. */
    static void checkVector(ByteBuf[] buffers, String call, String what) {
        ObjectUtil.checkNotNull(buffers, what);
        if (buffers.length == 0 || buffers.length > AioFile.MAX_IOVECS) {
            throw new IllegalArgumentException(call + " takes 1.." + AioFile.MAX_IOVECS + " buffers, got "
                    + buffers.length);
        }
    }

    private void checkReadable() {
        if (!readable) {
            throw new IllegalStateException(name + " is not open for reading (open it with StandardOpenOption.READ)");
        }
    }

    private static void checkDestination(ByteBuf dst, String what) {
        checkBuffer(dst, what);
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException(what + " is read-only: a read needs a writable buffer");
        }
    }

    private static void checkReadTotal(long total) {
        if (total > AioFile.MAX_READ_LENGTH) {
            throw new IllegalArgumentException("a read takes at most " + AioFile.MAX_READ_LENGTH
                    + " bytes, the buffers offer " + total);
        }
    }

    private IllegalArgumentException unalignedRead(long position) {
        return new IllegalArgumentException("unaligned read on the direct path of " + name + " (strict alignment): "
                + "position " + position + " and each buffer's address and writable length must be multiples of "
                + alignment + "; use AioFile.allocator() for aligned buffers");
    }

    /** {@link AioFile#writev(long, AioRwOptions, ByteBuf...)}'s first checks; returns the bytes to write. */
    long checkWrite(long position, AioRwOptions options, ByteBuf[] srcs) {
        if (!writable) {
            throw new IllegalStateException(name + " is not open for writing (open it with StandardOpenOption.WRITE)");
        }
        checkPosition(position);
        ObjectUtil.checkNotNull(options, "options");
        long total = 0;
        for (int i = 0; i < srcs.length; i++) {
            ByteBuf src = srcs[i];
            checkBuffer(src, srcs.length == 1 ? "src" : "srcs[" + i + ']');
            total += src.readableBytes();
        }
        checkEnd(position, total);
        return total;
    }

    /**
     * The memory rules of a write of {@code total > 0} bytes: returns whether the sources must be gathered into one
     * aligned direct buffer first (heap or multi-region memory, or unaligned memory for {@code O_DIRECT}).
     *
     * @throws IllegalArgumentException on an {@code O_DIRECT} file for an unaligned position or length (and, in
     *         strict mode, unaligned memory), or for a gathered write above 2 GiB
     */
    boolean checkWriteMemory(long position, long total, ByteBuf[] srcs) {
        boolean memoryUsable = true;
        boolean memoryAligned = true;
        for (ByteBuf src : srcs) {
            memoryUsable &= src.isDirect() && src.nioBufferCount() == 1;
            memoryAligned &= alignment.isAligned(src, false);
        }
        boolean gather = !memoryUsable;
        if (direct) {
            if (!alignment.isOffsetAligned(position) || !alignment.isOffsetAligned(total)) {
                throw new IllegalArgumentException("unaligned O_DIRECT write on " + name + ": position " + position
                        + " and length " + total + " must be multiples of " + alignment.offset() + " (" + alignment
                        + "); AioFile does not read-modify-write partial blocks — write whole aligned blocks");
            }
            if (!memoryAligned) {
                if (strict) {
                    throw new IllegalArgumentException("unaligned buffer memory for an O_DIRECT write on " + name
                            + " (strict alignment): each buffer's address and length must be multiples of "
                            + alignment + "; use AioFile.allocator() for aligned buffers");
                }
                gather = true;
            }
        }
        if (gather && total > Integer.MAX_VALUE - alignment.offset()) {
            throw new IllegalArgumentException("a write that needs a bounce copy takes at most 2 GiB, got " + total);
        }
        return gather;
    }

    /** {@link AioFile#fallocate(int, long, long)}. */
    void checkFallocate(long position, long length) {
        checkWritableForMetadata("fallocate");
        checkPosition(position);
        if (length <= 0) {
            throw new IllegalArgumentException("length must be > 0, got " + length);
        }
        checkEnd(position, length);
    }

    /** {@link AioFile#truncate(long)}. */
    void checkTruncate(long size) {
        checkWritableForMetadata("truncate");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
    }

    private void checkWritableForMetadata(String what) {
        if (!writable) {
            throw new IllegalStateException(what + " needs " + name + " open for writing (StandardOpenOption.WRITE)");
        }
    }

    private static void checkPosition(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0, got " + position);
        }
    }

    private static void checkEnd(long position, long length) {
        if (length > Long.MAX_VALUE - position) {
            throw new IllegalArgumentException("position " + position + " + length " + length
                    + " overflows the largest file offset");
        }
    }

    private static void checkBuffer(ByteBuf buf, String what) {
        if (buf == null) {
            throw new NullPointerException(what);
        }
        if (buf.refCnt() == 0) {
            throw new IllegalArgumentException(what + " was already released (refCnt 0)");
        }
    }
}
